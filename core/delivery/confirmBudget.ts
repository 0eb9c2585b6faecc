/**
 * Limits what Confirm With API may spend of a service's API rate limit, and remembers what the
 * API already confirmed, so a flood of forged deliveries cannot use up the calls that genuine
 * events and the action nodes need (an API may allow only some 60 calls a minute).
 *
 * Process-wide state in plain maps, keyed by a hash of the API credential (never the key
 * itself); time comes from the caller, so nothing here sets a timer. In queue mode each
 * webhook process has its own budget.
 */
import { createHash } from 'crypto';

interface Bucket {
	tokens: number;
	updatedMs: number;
}

interface Remembered<T> {
	value: T;
	expiresMs: number;
}

/** At most this many accounts and confirmations are kept; the oldest go first. */
const MAX_ACCOUNTS = 1000;
const MAX_REMEMBERED = 5000;

const buckets = new Map<string, Bucket>();
const remembered = new Map<string, Remembered<unknown>>();

/** An opaque, fixed-length name for an API account (base URL + key), safe to keep in memory. */
export function accountKey(...parts: string[]): string {
	return createHash('sha256').update(parts.join('\u0000')).digest('base64url');
}

function trim<K, V>(map: Map<K, V>, max: number): void {
	while (map.size > max) {
		const oldest = map.keys().next();
		if (oldest.done) return;
		map.delete(oldest.value);
	}
}

/**
 * Takes one call from the account's budget of `perMinute` calls a minute (a token bucket that
 * holds at most a minute's worth). False when the budget is used up: the caller answers 503,
 * and the service retries later.
 */
export function takeCall(account: string, perMinute: number, nowMs: number): boolean {
	const capacity = Math.max(1, perMinute);
	const bucket = buckets.get(account) ?? { tokens: capacity, updatedMs: nowMs };
	const elapsed = Math.max(0, nowMs - bucket.updatedMs);
	bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * capacity) / 60_000);
	bucket.updatedMs = nowMs;
	buckets.delete(account);
	buckets.set(account, bucket);
	trim(buckets, MAX_ACCOUNTS);
	if (bucket.tokens < 1) return false;
	bucket.tokens -= 1;
	return true;
}

/** A confirmation the API gave for a final state, which does not change: repeats cost no call. */
export function rememberConfirmation<T>(account: string, key: string, value: T, nowMs: number, ttlMs: number): void {
	const name = `${account}|${key}`;
	remembered.delete(name);
	remembered.set(name, { value, expiresMs: nowMs + ttlMs });
	trim(remembered, MAX_REMEMBERED);
}

export function recallConfirmation<T>(account: string, key: string, nowMs: number): T | undefined {
	const name = `${account}|${key}`;
	const entry = remembered.get(name);
	if (!entry) return undefined;
	if (entry.expiresMs <= nowMs) {
		remembered.delete(name);
		return undefined;
	}
	return entry.value as T;
}

/** For tests: forget every budget and confirmation. */
export function resetConfirmationState(): void {
	buckets.clear();
	remembered.clear();
}
