/** How long a server asks us to wait, from its Retry-After or rate-limit reset header, in milliseconds. */

/**
 * Retry-After as delta-seconds ('120', fractions tolerated) or an HTTP-date relative to
 * nowMs. Returns milliseconds, 0 for a date in the past, undefined when absent or
 * unreadable. Very large values are returned as they are; withRetries bounds them by its budget.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
	const text = value?.trim();
	if (text === undefined || text === '') return undefined;
	if (/^-?\d+(\.\d+)?$/.test(text)) return clampDelay(Number(text) * 1000);
	// Date.parse accepts bare numbers as years; numbers were handled above, so require a letter.
	if (!/[a-z]/i.test(text)) return undefined;
	const dateMs = Date.parse(text);
	return Number.isNaN(dateMs) ? undefined : clampDelay(dateMs - nowMs);
}

/**
 * A rate-limit reset header (a descriptor's `rateLimitResetHeader`), often documented only
 * as "(ms)". A number above 1e12 can
 * only be an epoch in milliseconds (a delta would be 30 years); between 1e9 and 1e12 it is
 * taken as epoch seconds, the other common convention, since a delta of 11+ days is no
 * per-minute limit; anything smaller is a delta in milliseconds. ISO or HTTP dates are
 * accepted too, for the `resetAt` field of the error body.
 */
export function parseRateLimitReset(value: string | undefined, nowMs: number): number | undefined {
	const text = value?.trim();
	if (text === undefined || text === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) {
		const number = Number(text);
		if (number > 1e12) return clampDelay(number - nowMs);
		if (number >= 1e9) return clampDelay(number * 1000 - nowMs);
		return clampDelay(number);
	}
	if (!/[a-z]/i.test(text)) return undefined;
	const dateMs = Date.parse(text);
	return Number.isNaN(dateMs) ? undefined : clampDelay(dateMs - nowMs);
}

function clampDelay(ms: number): number {
	if (!(ms > 0)) return 0;
	return Math.min(Math.ceil(ms), Number.MAX_SAFE_INTEGER);
}
