import { headerValue } from '../values';
import { safeEqual } from './verify';

/** The header auth a service can send with each delivery: none, Basic, Bearer, or a secret in a named header. */
export type IncomingAuth =
	| { type: 'none' }
	| { type: 'basic'; username: string; password: string }
	| { type: 'bearer'; token: string }
	| { type: 'header'; headerName: string; value: string };

/** `reason` is short and user-facing; it never contains a secret or the received value. */
export type AuthVerdict = { ok: true } | { ok: false; reason: string };

type Headers = Record<string, string | string[] | undefined>;

const OK: AuthVerdict = { ok: true };
const STRICT_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function reject(reason: string): AuthVerdict {
	return { ok: false, reason };
}

function isFilled(value: unknown): value is string {
	return typeof value === 'string' && value.length > 0;
}

/** What `\s` matches in a header value (Node decodes header values as Latin-1). */
function isSpace(code: number): boolean {
	return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0;
}

/**
 * Splits 'Scheme credentials' around the first run of whitespace, ignoring whitespace around
 * the whole value; the scheme is compared case-insensitively (RFC 9110 section 11.1). By hand,
 * in one pass: the header comes from anyone, and the regular expression this replaces
 * (`^\s*(\S+)\s+(\S.*?)\s*$`) backtracked quadratically, some 200 ms of CPU for 16 KB of
 * alternating spaces and tabs.
 */
export function credentialsForScheme(authorization: string, expectedScheme: string): string | undefined {
	let start = 0;
	let end = authorization.length;
	while (start < end && isSpace(authorization.charCodeAt(start))) start++;
	while (end > start && isSpace(authorization.charCodeAt(end - 1))) end--;
	let schemeEnd = start;
	while (schemeEnd < end && !isSpace(authorization.charCodeAt(schemeEnd))) schemeEnd++;
	let credentialsStart = schemeEnd;
	while (credentialsStart < end && isSpace(authorization.charCodeAt(credentialsStart))) credentialsStart++;
	if (schemeEnd === start || credentialsStart === schemeEnd || credentialsStart === end) return undefined;
	if (schemeEnd - start !== expectedScheme.length) return undefined;
	if (authorization.slice(start, schemeEnd).toLowerCase() !== expectedScheme.toLowerCase()) return undefined;
	// A header value cannot hold a line break; one in the credentials means a forged value.
	for (let index = credentialsStart; index < end; index++) if (isLineTerminator(authorization.charCodeAt(index))) return undefined;
	return authorization.slice(credentialsStart, end);
}

function isLineTerminator(code: number): boolean {
	return code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
}

function checkBasic(username: string, password: string, headers: Headers): AuthVerdict {
	if (!isFilled(username) || !isFilled(password)) {
		return reject('Basic auth credential is incomplete: username and password are required');
	}
	const authorization = headerValue(headers, 'authorization');
	if (authorization === undefined || authorization.trim() === '') return reject('Missing Authorization header');
	const encoded = credentialsForScheme(authorization, 'basic');
	if (encoded === undefined) return reject('Authorization header does not use the Basic scheme');
	// Buffer.from(…, 'base64') ignores invalid characters instead of failing, so validate first.
	if (!STRICT_BASE64.test(encoded)) return reject('Authorization header is not valid Basic credentials');
	const decoded = Buffer.from(encoded, 'base64').toString('utf8');
	const separator = decoded.indexOf(':');
	if (separator < 0) return reject('Authorization header is not valid Basic credentials');
	// Only the first ':' separates: RFC 7617 forbids it in the user-id but allows it in the password.
	const receivedUsername = decoded.slice(0, separator);
	const receivedPassword = decoded.slice(separator + 1);
	// Both comparisons always run so the timing does not reveal which one failed.
	const usernameMatches = safeEqual(receivedUsername, username);
	const passwordMatches = safeEqual(receivedPassword, password);
	return usernameMatches && passwordMatches ? OK : reject('Invalid username or password');
}

function checkBearer(token: string, headers: Headers): AuthVerdict {
	// HTTP strips whitespace around header values, so a configured token with surrounding
	// whitespace could never match; trimming it fixes a copy-paste slip instead of failing.
	const expectedToken = isFilled(token) ? token.trim() : '';
	if (expectedToken === '') return reject('Bearer auth credential is incomplete: a token is required');
	const authorization = headerValue(headers, 'authorization');
	if (authorization === undefined || authorization.trim() === '') return reject('Missing Authorization header');
	const receivedToken = credentialsForScheme(authorization, 'bearer');
	if (receivedToken === undefined) return reject('Authorization header does not use the Bearer scheme');
	// Trimmed by the same rule as the configured token, as the header check does: a token that
	// ends in a Unicode space (U+2000) must still match itself.
	return safeEqual(receivedToken.trim(), expectedToken) ? OK : reject('Invalid bearer token');
}

function checkHeader(headerName: string, value: string, headers: Headers): AuthVerdict {
	const expectedName = isFilled(headerName) ? headerName.trim() : '';
	const expectedValue = isFilled(value) ? value.trim() : '';
	if (expectedName === '' || expectedValue === '') {
		return reject('Header auth credential is incomplete: a header name and value are required');
	}
	const received = headerValue(headers, expectedName);
	if (received === undefined || received.trim() === '') return reject(`Missing ${expectedName} header`);
	return safeEqual(received.trim(), expectedValue) ? OK : reject(`Invalid value in ${expectedName} header`);
}

/**
 * Checks the header auth a delivery carries. A configured but empty secret rejects (fail
 * closed) rather than letting every request through.
 */
export function checkIncomingAuth(auth: IncomingAuth, headers: Headers): AuthVerdict {
	switch (auth.type) {
		case 'none':
			return OK;
		case 'basic':
			return checkBasic(auth.username, auth.password, headers);
		case 'bearer':
			return checkBearer(auth.token, headers);
		case 'header':
			return checkHeader(auth.headerName, auth.value, headers);
		default:
			// An unknown type (e.g. a stale saved parameter) must not open the endpoint.
			return reject('Unsupported authentication type');
	}
}
