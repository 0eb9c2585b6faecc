/**
 * A service's error body is shown to the user in a NodeApiError, which n8n stores with the
 * execution and may send on in error workflows. It is the service's text, not ours: it may echo
 * the API key it refused, a signed link or a bearer token. So it is cut short and anything that
 * looks like a credential is masked before it goes into a message.
 */

/** Longest service message kept in an error. */
export const ERROR_DETAIL_LIMIT = 300;

const REDACTED = '[redacted]';

const PATTERNS: Array<[RegExp, string]> = [
	// URLs: the query string and fragment carry signatures and tokens.
	[/\b(https?:\/\/[^\s?#"'<>]+)[?#][^\s"'<>]*/gi, `$1?${REDACTED}`],
	// Authorization schemes followed by a credential.
	[/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REDACTED}`],
	// name=value or "name": "value" for names that hold secrets.
	[
		/\b((?:x-)?(?:api[_-]?key|apikey|app[_-]?key|secret[_-]?key|secret|token|access[_-]?token|password|passwd|signature|sig|authorization|credential)s?)("?\s*[:=]\s*"?)([^\s"',;&}]+)/gi,
		`$1$2${REDACTED}`,
	],
	// Keys with the usual access/secret/public/restricted prefixes (ak_…, sk_…), and long opaque tokens.
	[/\b(?:ak|sk|pk|rk)_[A-Za-z0-9_-]{8,}/g, REDACTED],
	[/\b(?=[A-Za-z0-9_]*\d)(?=[A-Za-z0-9_]*[A-Za-z])[A-Za-z0-9_]{32,}\b/g, REDACTED],
];

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
	for (const prefix of keyPrefixes) {
		result = result.replace(new RegExp(`\\b${escapeRegExp(prefix)}[A-Za-z0-9_-]{8,}`, 'g'), REDACTED);
	}
	for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
	result = result.replace(/[\p{Cc}]+/gu, ' ').trim();
	const characters = Array.from(result);
	return characters.length > ERROR_DETAIL_LIMIT ? `${characters.slice(0, ERROR_DETAIL_LIMIT).join('')}…` : result;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
