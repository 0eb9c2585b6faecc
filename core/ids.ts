/**
 * IDs taken from event payloads (and from expressions that read them) go into API paths that
 * carry the user's credential. `encodeURIComponent` keeps `.` and `..` as they are, and the URL
 * parser then resolves `/jobs/..` to the parent path, so a forged ID could steer an
 * authenticated request to another endpoint. Every service's IDs are plain tokens (cuid, UUID,
 * `file_xyz`, `design_123`), so anything else is refused before a request is built.
 */

/** Letters, digits, `_`, `-`, `~` and single dots inside; 1 to 200 characters. */
const SAFE_ID = /^[A-Za-z0-9_~-](?:[A-Za-z0-9_~-]|\.(?!\.)){0,199}$/;

/** True for an ID that is safe as one path segment: no `..`, no `/`, `\`, `%`, whitespace or control characters. */
export function isSafeId(value: unknown): value is string {
	return typeof value === 'string' && SAFE_ID.test(value) && !value.endsWith('.');
}

/** Why an ID is refused, for error messages; the value itself is shown only in part and JSON-quoted. */
export function describeUnsafeId(label: string, value: unknown): string {
	const shown = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : typeof value;
	return `${label} ${shown} is not a valid ID: only letters, digits, "_", "-", "~" and single dots are allowed (no "..", "/", "%" or spaces)`;
}

/**
 * SAFE_ID for n8n's parameter validation (n8n anchors it with ^…$): tokens joined by single
 * dots. Without lookaheads, so the editor's regex engine and n8n's timed matcher both run it
 * in linear time; the length limit is left to isSafeId, which every operation applies anyway.
 */
export const SAFE_ID_PATTERN = '[A-Za-z0-9_~-]+(?:\\.[A-Za-z0-9_~-]+)*';
