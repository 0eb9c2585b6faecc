/**
 * Property 3: safeEqual, verifySignature, matchesSharedSecret and checkIncomingAuth accept
 * the configured secret material and nothing else, and never throw.
 *
 * Two equivalences are not counted as "another secret", because they are properties of HMAC
 * and UTF-8 rather than of this code, and need the secret itself: RFC 2104 pads an HMAC key
 * with zero bytes ('abc' and 'abc\0' are one key), and Node encodes a lone surrogate as
 * U+FFFD. Lone surrogates in safeEqual itself are a real (if unreachable over HTTP) gap:
 * see the regression test below.
 */
import { createHash, createHmac } from 'node:crypto';

import fc from 'fast-check';

import { checkIncomingAuth, type IncomingAuth } from '../../../core/delivery/incomingAuth';
import { checkTimestamp, computeSignature, matchesSharedSecret, safeEqual, verifySignature } from '../../../core/delivery/verify';
import type { HmacScheme } from '../../../core/service';
import { anyString, isWellFormed, oddCasing, runs, secretArb, utf16Unit } from './arbitraries';

/** `a` with the code unit at `at` replaced by `char` (unchanged when `a` is empty). */
function replaceAt(a: string, at: number, char: string): string {
	if (a.length === 0) return a;
	const index = at % a.length;
	return a.slice(0, index) + char + a.slice(index + 1);
}

/** A pair of strings that are often equal or nearly so, which independent random strings never are. */
const stringPairArb = (unitString: fc.Arbitrary<string>) =>
	fc.oneof(
		fc.tuple(unitString, unitString),
		unitString.map((a) => [a, a] as [string, string]),
		fc.tuple(unitString, fc.nat(), fc.oneof(utf16Unit, fc.string({ minLength: 1, maxLength: 1 }))).map(([a, at, ch]) => [a, replaceAt(a, at, ch)] as [string, string]),
		fc.tuple(unitString, unitString).map(([a, suffix]) => [a, a + suffix] as [string, string]),
	);

const wellFormed = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: utf16Unit, maxLength: 20 }).filter(isWellFormed));

describe('property 3 — safeEqual', () => {
	test('safeEqual(a, b) === (a === b) for well-formed strings', () => {
		fc.assert(
			fc.property(stringPairArb(wellFormed), ([a, b]) => {
				// Replacing one code unit can leave a lone surrogate (see the regression test below).
				fc.pre(isWellFormed(b));
				expect(safeEqual(a, b)).toBe(a === b);
				expect(safeEqual(b, a)).toBe(a === b);
			}),
			runs(1000),
		);
	});

	test('never throws and is symmetric for any UTF-16 strings', () => {
		fc.assert(
			fc.property(stringPairArb(fc.string({ unit: utf16Unit, maxLength: 20 })), ([a, b]) => {
				expect(safeEqual(a, b)).toBe(safeEqual(b, a));
				if (a === b) expect(safeEqual(a, b)).toBe(true);
			}),
			runs(500),
		);
	});

	// Regression (found by this property, fixed in b3f3f6d): safeEqual hashed both sides as UTF-8, which
	// turns every lone surrogate into U+FFFD, so different strings compared equal (a configured secret
	// '\ud800' accepted '\ud801'). It now hashes UTF-16 code units.
	test('lone surrogates: safeEqual("\\ud800", "\\ud801") is false', () => {
		expect(safeEqual('\ud800', '\ud801')).toBe(false);
	});
});

// ---------------------------------------------------------------------------------------------
// verifySignature
// ---------------------------------------------------------------------------------------------

const schemeArb: fc.Arbitrary<HmacScheme> = fc.record(
	{
		algorithm: fc.constantFrom('sha1' as const, 'sha256' as const, 'sha512' as const),
		encoding: fc.constantFrom('hex' as const, 'base64' as const),
		prefix: fc.oneof(fc.constantFrom('sha256=', 'v1=', 'SHA1='), anyString),
	},
	{ requiredKeys: ['algorithm', 'encoding'] },
);

/** Prefixes as a service descriptor would write them: no comma (the candidate separator) and no surrounding whitespace. */
const usablePrefix = (scheme: HmacScheme) => {
	const prefix = scheme.prefix ?? '';
	return !prefix.includes(',') && prefix.trim() === prefix;
};

const bodyArb = fc.oneof(fc.uint8Array({ maxLength: 100 }).map((bytes) => Buffer.from(bytes)), fc.json().map((text) => Buffer.from(text)));

/** The key HMAC really uses (RFC 2104): UTF-8 bytes, hashed when longer than a block, zero-padded to a block. */
function effectiveHmacKey(algorithm: HmacScheme['algorithm'], secret: string): string {
	const blockSize = algorithm === 'sha512' ? 128 : 64;
	let key = Buffer.from(secret, 'utf8');
	if (key.length > blockSize) key = createHash(algorithm).update(key).digest();
	return Buffer.concat([key, Buffer.alloc(blockSize - key.length)]).toString('hex');
}

const secretListArb = fc.array(fc.oneof(secretArb, anyString, fc.constant('')), { maxLength: 3 });

describe('property 3 — verifySignature', () => {
	test('never throws and returns a boolean for arbitrary scheme, header, body and secrets', () => {
		fc.assert(
			fc.property(schemeArb, fc.option(anyString, { nil: undefined }), bodyArb, secretListArb, (scheme, provided, body, secrets) => {
				expect(typeof verifySignature(scheme, provided, body, secrets)).toBe('boolean');
			}),
			runs(500),
		);
	});

	test('the signature made with any configured (non-empty) secret verifies, alone or among other candidates', () => {
		fc.assert(
			fc.property(
				schemeArb.filter(usablePrefix),
				bodyArb,
				fc.array(fc.oneof(secretArb, anyString.filter((s) => s.length > 0)), { minLength: 1, maxLength: 3 }),
				fc.nat(),
				fc.array(fc.string({ unit: fc.constantFrom('a', 'b', '0', '=', ' ', '/') }), { maxLength: 3 }),
				(scheme, body, secrets, pick, junk) => {
					const secret = secrets[pick % secrets.length];
					// An independent signer: node:crypto directly.
					const signature = (scheme.prefix ?? '') + createHmac(scheme.algorithm, secret).update(body).digest(scheme.encoding);
					expect(computeSignature(scheme, secret, body)).toBe(signature);
					expect(verifySignature(scheme, signature, body, secrets)).toBe(true);
					// Duplicate headers joined by Node with ', ' (up to 8 candidates are tried).
					expect(verifySignature(scheme, [...junk, signature].join(', '), body, secrets)).toBe(true);
				},
			),
			runs(500),
		);
	});

	test('a signature made with any other secret never verifies', () => {
		fc.assert(
			fc.property(
				schemeArb,
				bodyArb,
				secretListArb,
				fc.oneof(secretArb, anyString, fc.string({ unit: fc.constantFrom('a', '\u0000', '\ud800', '\ufffd'), maxLength: 4 })),
				(scheme, body, secrets, other) => {
					fc.pre(secrets.every((secret) => secret === '' || effectiveHmacKey(scheme.algorithm, secret) !== effectiveHmacKey(scheme.algorithm, other)));
					const forged = (scheme.prefix ?? '') + createHmac(scheme.algorithm, other).update(body).digest(scheme.encoding);
					expect(verifySignature(scheme, forged, body, secrets)).toBe(false);
					expect(verifySignature(scheme, `${forged}, ${forged.toUpperCase()}`, body, secrets)).toBe(false);
				},
			),
			runs(500),
		);
	});

	test('no secret, or only empty ones: nothing verifies', () => {
		fc.assert(
			fc.property(schemeArb, anyString, bodyArb, fc.array(fc.constant(''), { maxLength: 3 }), (scheme, provided, body, secrets) => {
				expect(verifySignature(scheme, provided, body, secrets)).toBe(false);
				expect(verifySignature(scheme, computeSignature(scheme, '', body), body, secrets)).toBe(false);
			}),
			runs(300),
		);
	});

	test('HMAC key equivalences that need the secret anyway (documented, not counted as "another secret")', () => {
		const scheme: HmacScheme = { algorithm: 'sha256', encoding: 'hex' };
		const body = Buffer.from('{}');
		// RFC 2104 zero-pads the key.
		expect(verifySignature(scheme, computeSignature(scheme, 'abc\u0000', body), body, ['abc'])).toBe(true);
		// UTF-8 encodes a lone surrogate as U+FFFD.
		expect(verifySignature(scheme, computeSignature(scheme, '\ufffd', body), body, ['\ud800'])).toBe(true);
	});
});

// ---------------------------------------------------------------------------------------------
// matchesSharedSecret
// ---------------------------------------------------------------------------------------------

describe('property 3 — matchesSharedSecret', () => {
	const padding = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\u00a0', '\ufeff'), maxLength: 3 });

	test('never throws for arbitrary input', () => {
		fc.assert(
			fc.property(fc.option(fc.string({ unit: utf16Unit, maxLength: 20 }), { nil: undefined }), fc.array(fc.string({ unit: utf16Unit, maxLength: 20 }), { maxLength: 3 }), (provided, secrets) => {
				expect(typeof matchesSharedSecret(provided, secrets)).toBe('boolean');
			}),
			runs(300),
		);
	});

	test('true exactly when the trimmed value equals a configured non-empty trimmed secret (well-formed strings)', () => {
		fc.assert(
			fc.property(
				fc.array(fc.oneof(secretArb, wellFormed), { maxLength: 3 }),
				fc.nat(),
				fc.oneof(
					fc.record({ kind: fc.constant('configured' as const), left: padding, right: padding }),
					fc.record({ kind: fc.constant('changed' as const), at: fc.nat(), char: fc.string({ minLength: 1, maxLength: 1 }) }),
					fc.record({ kind: fc.constant('other' as const), value: wellFormed }),
				),
				(secrets, pick, how) => {
					const base = secrets.length > 0 ? secrets[pick % secrets.length] : '';
					const provided =
						how.kind === 'configured' ? how.left + base + how.right : how.kind === 'changed' ? replaceAt(base, how.at, how.char) : how.value;
					// Replacing one half of a surrogate pair leaves a lone one (see the safeEqual bug above).
					fc.pre(isWellFormed(provided));
					const expected = secrets.some((secret) => secret.trim().length > 0 && secret.trim() === provided.trim());
					expect(matchesSharedSecret(provided, secrets)).toBe(expected);
				},
			),
			runs(1000),
		);
	});
});

// ---------------------------------------------------------------------------------------------
// checkIncomingAuth
// ---------------------------------------------------------------------------------------------

type Headers = Record<string, string | string[] | undefined>;

const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

const authArb: fc.Arbitrary<IncomingAuth> = fc.oneof(
	fc.constant({ type: 'none' as const }),
	fc.record({ type: fc.constant('basic' as const), username: fc.oneof(secretArb, anyString), password: fc.oneof(secretArb, anyString) }),
	fc.record({ type: fc.constant('bearer' as const), token: fc.oneof(secretArb, anyString) }),
	fc.record({ type: fc.constant('header' as const), headerName: fc.oneof(fc.constantFrom('x-api-key', 'X-Token', 'authorization'), anyString), value: fc.oneof(secretArb, anyString) }),
	// A stale saved parameter.
	fc.record({ type: anyString }).map((auth) => auth as unknown as IncomingAuth),
);

const headerValueArb = fc.oneof(
	anyString,
	fc.tuple(fc.constantFrom('Basic', 'basic', 'BEARER', 'Bearer', 'Token'), anyString).map(([scheme, rest]) => `${scheme} ${rest}`),
	fc.tuple(anyString, anyString).map(([user, password]) => basic(user, password)),
);

const headersArb: fc.Arbitrary<Headers> = fc
	.array(
		fc.tuple(
			fc.oneof(fc.constantFrom('authorization', 'x-api-key', 'x-token').chain(oddCasing), fc.string({ maxLength: 10 })),
			fc.oneof(headerValueArb, fc.array(headerValueArb, { maxLength: 3 }), fc.constant(undefined)),
		),
		{ maxLength: 4 },
	)
	.map((entries) => {
		const headers: Headers = {};
		for (const [name, value] of entries) if (name !== '__proto__') headers[name] = value;
		return headers;
	});

function secretsOf(auth: IncomingAuth): string[] {
	switch (auth.type) {
		case 'basic':
			return [auth.password];
		case 'bearer':
			return [auth.token];
		case 'header':
			return [auth.value];
		default:
			return [];
	}
}

describe('property 3 — checkIncomingAuth', () => {
	test('never throws; a verdict is {ok:true} or {ok:false, reason} without the secret or the received value', () => {
		const MARKER = 'RCVD-7f3a9c';
		fc.assert(
			fc.property(authArb, headersArb, fc.boolean(), (auth, headers, mark) => {
				// Received values carrying a marker show whether a reason quotes them.
				const sent: Headers = mark
					? Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, typeof value === 'string' ? `${value}${MARKER}` : value]))
					: headers;
				const verdict = checkIncomingAuth(auth, sent);
				if (verdict.ok) {
					expect(verdict).toEqual({ ok: true });
					return;
				}
				expect(Object.keys(verdict).sort()).toEqual(['ok', 'reason']);
				expect(typeof verdict.reason).toBe('string');
				expect(verdict.reason.length).toBeGreaterThan(0);
				expect(verdict.reason).not.toContain(MARKER);
				for (const secret of secretsOf(auth)) if (/^[A-Za-z0-9]{16,}$/.test(secret)) expect(verdict.reason).not.toContain(secret);
			}),
			runs(1000),
		);
	});

	test('Bearer: accepted exactly for the configured token (any scheme casing, surrounding whitespace)', () => {
		fc.assert(
			fc.property(
				fc.oneof(secretArb, wellFormed),
				fc.oneof(
					fc.record({ kind: fc.constant('same' as const) }),
					fc.record({ kind: fc.constant('changed' as const), at: fc.nat(), char: fc.string({ minLength: 1, maxLength: 1 }) }),
					fc.record({ kind: fc.constant('other' as const), value: wellFormed }),
				),
				fc.constantFrom('Bearer', 'bearer', 'BEARER'),
				fc.constantFrom('', ' ', '\t'),
				(token, how, scheme, pad) => {
					const sentToken = how.kind === 'same' ? token : how.kind === 'changed' ? replaceAt(token, how.at, how.char) : how.value;
					fc.pre(isWellFormed(sentToken));
					const verdict = checkIncomingAuth({ type: 'bearer', token }, { authorization: `${pad}${scheme} ${sentToken}${pad}` });
					const expected = token.trim() !== '' && sentToken.trim() === token.trim() && !LINE_TERMINATOR.test(sentToken.trim());
					expect(verdict.ok).toBe(expected);
				},
			),
			runs(1000),
		);
	});

	test('Basic: accepted exactly for the configured username and password', () => {
		fc.assert(
			fc.property(
				fc.oneof(secretArb, wellFormed),
				fc.oneof(secretArb, wellFormed),
				fc.oneof(
					fc.record({ kind: fc.constant('same' as const) }),
					fc.record({ kind: fc.constant('otherPassword' as const), value: fc.oneof(wellFormed, secretArb) }),
					fc.record({ kind: fc.constant('otherUser' as const), value: fc.oneof(wellFormed, secretArb) }),
					fc.record({ kind: fc.constant('changed' as const), at: fc.nat(), char: fc.string({ minLength: 1, maxLength: 1 }) }),
				),
				(username, password, how) => {
					let [sentUser, sentPassword] = [username, password];
					if (how.kind === 'otherPassword') sentPassword = how.value;
					if (how.kind === 'otherUser') sentUser = how.value;
					if (how.kind === 'changed') sentPassword = replaceAt(password, how.at, how.char);
					// RFC 7617: a user-id cannot contain ':'; such a pair is the same bytes on the wire as another.
					fc.pre(!sentUser.includes(':') && isWellFormed(sentPassword));
					const verdict = checkIncomingAuth({ type: 'basic', username, password }, { Authorization: basic(sentUser, sentPassword) });
					const expected = username !== '' && password !== '' && sentUser === username && sentPassword === password;
					expect(verdict.ok).toBe(expected);
				},
			),
			runs(1000),
		);
	});

	test('custom header: accepted exactly for the configured value, whatever the header name\'s casing', () => {
		fc.assert(
			fc.property(
				fc.constantFrom('x-api-key', 'X-Token', 'Authorization').chain((name) => fc.tuple(fc.constant(name), oddCasing(name))),
				fc.oneof(secretArb, wellFormed),
				fc.oneof(
					fc.record({ kind: fc.constant('same' as const) }),
					fc.record({ kind: fc.constant('changed' as const), at: fc.nat(), char: fc.string({ minLength: 1, maxLength: 1 }) }),
					fc.record({ kind: fc.constant('other' as const), value: wellFormed }),
				),
				fc.boolean(),
				([name, sentName], value, how, asArray) => {
					const sentValue = how.kind === 'same' ? value : how.kind === 'changed' ? replaceAt(value, how.at, how.char) : how.value;
					fc.pre(isWellFormed(sentValue));
					const verdict = checkIncomingAuth(
						{ type: 'header', headerName: name, value },
						{ [sentName]: asArray ? [sentValue, value] : sentValue },
					);
					expect(verdict.ok).toBe(value.trim() !== '' && sentValue.trim() === value.trim());
				},
			),
			runs(1000),
		);
	});
});

// ---------------------------------------------------------------------------------------------
// checkTimestamp (PDF-Sign's X-Webhook-Timestamp, behind the Maximum Event Age option)
// ---------------------------------------------------------------------------------------------

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `instant` written as ISO 8601 in the zone `offsetMinutes` east of UTC. */
function isoWithOffset(instant: number, offsetMinutes: number): string {
	const local = new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, -1);
	const sign = offsetMinutes < 0 ? '-' : '+';
	const abs = Math.abs(offsetMinutes);
	return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

describe('bonus — checkTimestamp', () => {
	test('never throws for arbitrary header text and a non-negative maximum age', () => {
		fc.assert(
			fc.property(fc.option(anyString, { nil: undefined }), fc.double({ min: 0, max: 1e9, noNaN: true }), fc.integer({ min: -1e13, max: 1e13 }), (value, maxAge, now) => {
				const verdict = checkTimestamp(value, maxAge, now);
				if (verdict.ok) expect(Math.abs(now - verdict.timestampMs)).toBeLessThanOrEqual(maxAge * 1000);
			}),
			runs(500),
		);
	});

	test('an instant written as ISO 8601 (any offset), unix seconds or unix ms is read back exactly and judged by the window', () => {
		// Years 0100–9999 (a day's margin for the offsets); see the regression test below for 0000–0099.
		const MIN = new Date('0100-01-02T00:00:00Z').getTime();
		fc.assert(
			fc.property(
				fc.integer({ min: MIN, max: new Date('9999-12-30T00:00:00Z').getTime() }),
				fc.oneof(
					fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }).map((offset) => ({ kind: 'iso' as const, offset })),
					fc.constant({ kind: 'seconds' as const }),
					fc.constant({ kind: 'milliseconds' as const }),
				),
				fc.integer({ min: -5e9, max: 5e9 }),
				fc.integer({ min: 0, max: 1e7 }),
				(instant, format, skew, maxAge) => {
					let text: string;
					let expected = instant;
					if (format.kind === 'iso') text = isoWithOffset(instant, format.offset);
					else if (format.kind === 'seconds') {
						// Read as seconds below 1e11 s (year 5138), as documented.
						fc.pre(instant >= 0 && instant < 1e14);
						expected = Math.floor(instant / 1000) * 1000;
						text = String(expected / 1000);
					} else {
						// Unix ms is read as such from 1e11 (1973) up to, not including, 1e14 (year 5138), as documented.
						fc.pre(instant >= 1e11 && instant < 1e14);
						text = String(instant);
					}
					const now = expected + skew;
					const verdict = checkTimestamp(text, maxAge, now);
					if (Math.abs(skew) <= maxAge * 1000) expect(verdict).toEqual({ ok: true, timestampMs: expected });
					else expect(verdict).toEqual({ ok: false, reason: skew > 0 ? 'too_old' : 'too_new' });
				},
			),
			runs(1000),
		);
	});

	// Regression (found by this property over years 0000–9999, fixed in b3f3f6d): parseIsoTimestamp
	// built the instant with Date.UTC, which reads years 0–99 as 1900–1999 ('0099-12-31…' became 1999).
	// It now sets the year with setUTCFullYear.
	test('year 0099 is read as 0099, not 1999', () => {
		const instant = new Date('0099-12-31T23:59:59.999Z').getTime();
		expect(checkTimestamp('0099-12-31T23:59:59.999Z', 0, instant)).toEqual({ ok: true, timestampMs: instant });
	});
});
