/**
 * A service's error body is shown to the user in a NodeApiError, which n8n stores with the
 * execution and may send on in error workflows. It is the service's text, not ours: it may echo
 * the API key it refused, a signed link or a bearer token. So it is cut short and anything that
 * looks like a credential is masked before it goes into a message.
 */

/** Longest service message kept in an error. */
export const ERROR_DETAIL_LIMIT = 300;

const REDACTED = '[redacted]';

/**
 * Every pattern here runs on text a service (or a file host an event named) sent, so each must
 * take time linear in its length: test/unit/security/regexAudit.test.ts certifies them.
 */
const PATTERNS: Array<[RegExp, string]> = [
	// Authorization schemes followed by a credential.
	[/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REDACTED}`],
	// name=value or "name": "value" for names that hold secrets.
	[
		/\b((?:x-)?(?:api[_-]?key|apikey|app[_-]?key|secret[_-]?key|secret|token|access[_-]?token|password|passwd|signature|sig|authorization|credential)s?)("?\s*[:=]\s*"?)([^\s"',;&}]+)/gi,
		`$1$2${REDACTED}`,
	],
	// Keys with the usual access/secret/public/restricted prefixes (ak_…, sk_…).
	[/\b(?:ak|sk|pk|rk)_[A-Za-z0-9_-]{8,}/g, REDACTED],
];

function isWordCharacter(code: number): boolean {
	return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

/** Masks every word of 32 or more letters, digits and underscores that mixes letters and digits (an opaque token); one pass. */
export function maskOpaqueTokens(text: string): string {
	let result = '';
	let copied = 0;
	let index = 0;
	while (index < text.length) {
		if (!isWordCharacter(text.charCodeAt(index))) {
			index++;
			continue;
		}
		const start = index;
		let digits = false;
		let letters = false;
		for (; index < text.length && isWordCharacter(text.charCodeAt(index)); index++) {
			const code = text.charCodeAt(index);
			if (code <= 0x39) digits = true;
			else if (code !== 0x5f) letters = true;
		}
		if (index - start >= 32 && digits && letters) {
			result += `${text.slice(copied, start)}${REDACTED}`;
			copied = index;
		}
	}
	return result + text.slice(copied);
}

/** `\b<prefix>` followed by 8 or more key characters: a service's API key in an error text. */
export function keyPrefixPattern(prefix: string): RegExp {
	return new RegExp(`\\b${escapeRegExp(prefix)}[A-Za-z0-9_-]{8,}`, 'g');
}

function isUrlCharacter(code: number): boolean {
	// Not whitespace, quotes or angle brackets: where a URL in running text ends.
	return code > 0x20 && code !== 0x22 && code !== 0x27 && code !== 0x3c && code !== 0x3e && code !== 0x7f;
}

/**
 * Replaces the query string and fragment of every http(s) URL in the text (they carry
 * signatures and tokens) with `?[redacted]`. One pass: a pattern for this rescanned a long URL
 * from every "http" inside it (quadratic on 'http://'.repeat(n)).
 */
export function maskUrlQueries(text: string): string {
	const lower = text.toLowerCase();
	let result = '';
	let copied = 0;
	let index = 0;
	while (index < text.length) {
		const found = lower.indexOf('http', index);
		if (found < 0) break;
		const schemeEnd = lower.startsWith('https://', found) ? found + 8 : lower.startsWith('http://', found) ? found + 7 : -1;
		const atWordStart = found === 0 || !/\w/.test(text[found - 1]);
		if (schemeEnd < 0 || !atWordStart) {
			index = found + 4;
			continue;
		}
		let end = schemeEnd;
		let query = -1;
		while (end < text.length && isUrlCharacter(text.charCodeAt(end))) {
			const code = text.charCodeAt(end);
			if (query < 0 && end > schemeEnd && (code === 0x3f || code === 0x23)) query = end;
			end++;
		}
		if (query >= 0) {
			result += `${text.slice(copied, query)}?${REDACTED}`;
			copied = end;
		}
		index = Math.max(end, found + 4);
	}
	return result + text.slice(copied);
}

/**
 * Masks `secrets` (exact values, e.g. the credential's own key), keys starting with one of the
 * service's `keyPrefixes` and credential-like text, drops control characters and cuts the
 * result to ERROR_DETAIL_LIMIT characters.
 */
export function redactDetail(text: string, secrets: readonly string[] = [], keyPrefixes: readonly string[] = []): string {
	let result = text;
	for (const secret of secrets) {
		if (secret.length >= 6) result = result.split(secret).join(REDACTED);
	}
	for (const prefix of keyPrefixes) result = result.replace(keyPrefixPattern(prefix), REDACTED);
	result = maskUrlQueries(result);
	for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
	result = maskOpaqueTokens(result);
	result = result.replace(/[\p{Cc}]+/gu, ' ').trim();
	const characters = Array.from(result);
	return characters.length > ERROR_DETAIL_LIMIT ? `${characters.slice(0, ERROR_DETAIL_LIMIT).join('')}…` : result;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
