/**
 * Benchmark contrast only: core/delivery/dedupe.ts as of commit 9701983 (before issue 14), verbatim
 * below this comment. The trigger kept its retry filter in the workflow's static data.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

export interface DedupeOptions {
	maxEntries: number;
	ttlMs: number;
}

/**
 * 48 h comfortably outlasts provider retry schedules (DocGenLab retries after 1, 5 and 15
 * minutes, see docgenlab-webhooks) and late manual redeliveries; 2000 entries keep the
 * persisted static data under roughly 100 KB.
 */
export const DEFAULT_DEDUPE: DedupeOptions = Object.freeze({ maxEntries: 2000, ttlMs: 48 * 60 * 60 * 1000 });

/** Key under which the trigger's workflow static data holds { [hashedKey]: firstSeenMs }. */
const STATIC_DATA_KEY = 'seenDeliveries';

type SeenDeliveries = Record<string, number>;

/**
 * Only a short hash is stored, so no payload data (job ids, tenant ids) is persisted in
 * static data; 24 base64url characters are 144 bits, far beyond any collision risk here.
 */
function hashDeliveryKey(key: string): string {
	return createHash('sha256').update(key, 'utf8').digest('base64url').slice(0, 24);
}

function isPlainObject(value: unknown): value is IDataObject {
	return Object.prototype.toString.call(value) === '[object Object]';
}

function isFresh(firstSeenMs: unknown, nowMs: number, ttlMs: number): firstSeenMs is number {
	if (typeof firstSeenMs !== 'number' || !Number.isFinite(firstSeenMs)) return false;
	const ageMs = nowMs - firstSeenMs;
	// An entry far in the future (clock jump, hand-edited data) would never expire: drop it.
	return ageMs < ttlMs && ageMs > -ttlMs;
}

/**
 * Copies the valid, unexpired entries into a fresh plain object. Anything of the wrong shape
 * (a corrupted or hand-edited static data) is discarded rather than thrown on, so a bad
 * state cannot block deliveries.
 */
function readFreshEntries(staticData: IDataObject, nowMs: number, ttlMs: number): SeenDeliveries {
	const stored = staticData[STATIC_DATA_KEY];
	const fresh: SeenDeliveries = {};
	if (!isPlainObject(stored)) return fresh;
	for (const [hashedKey, firstSeenMs] of Object.entries(stored)) {
		if (isFresh(firstSeenMs, nowMs, ttlMs)) fresh[hashedKey] = firstSeenMs;
	}
	return fresh;
}

function sameEntries(stored: unknown, next: SeenDeliveries): boolean {
	if (!isPlainObject(stored)) return false;
	const storedKeys = Object.keys(stored);
	return storedKeys.length === Object.keys(next).length && storedKeys.every((key) => stored[key] === next[key]);
}

/**
 * n8n persists static data only when it sees a write on the top-level object (its
 * ObservableObject proxy), so the updated map is assigned as a whole, and only when it
 * changed, to avoid a database write on every delivery.
 */
function store(staticData: IDataObject, next: SeenDeliveries): void {
	if (!sameEntries(staticData[STATIC_DATA_KEY], next)) staticData[STATIC_DATA_KEY] = next;
}

function dropOldest(entries: SeenDeliveries, maxEntries: number, keep: string): SeenDeliveries {
	const keys = Object.keys(entries);
	if (keys.length <= maxEntries) return entries;
	const evictable = keys.filter((key) => key !== keep).sort((a, b) => entries[a] - entries[b]);
	const evicted = new Set(evictable.slice(0, keys.length - maxEntries));
	const kept: SeenDeliveries = {};
	for (const key of keys) if (!evicted.has(key)) kept[key] = entries[key];
	return kept;
}

/**
 * Remembers a delivery key in staticData.seenDeliveries. Returns 'duplicate' when the key
 * was seen less than ttlMs ago (its first-seen time is not refreshed, so a provider
 * retrying forever cannot keep it alive), otherwise records it and returns 'new'. Expired
 * entries are pruned and, above maxEntries, the oldest ones are evicted.
 */
export function rememberDelivery(
	staticData: IDataObject,
	key: string,
	nowMs: number,
	options: DedupeOptions = DEFAULT_DEDUPE,
): 'new' | 'duplicate' {
	const maxEntries = Math.max(1, Math.floor(options.maxEntries));
	const entries = readFreshEntries(staticData, nowMs, options.ttlMs);
	const hashedKey = hashDeliveryKey(key);

	if (Object.prototype.hasOwnProperty.call(entries, hashedKey)) {
		store(staticData, entries);
		return 'duplicate';
	}
	entries[hashedKey] = nowMs;
	store(staticData, dropOldest(entries, maxEntries, hashedKey));
	return 'new';
}

/** Undoes a remembered key (the workflow could not be started, so a provider retry must not be swallowed). */
export function forgetDelivery(staticData: IDataObject, key: string): void {
	const stored = staticData[STATIC_DATA_KEY];
	if (!isPlainObject(stored)) return;
	const hashedKey = hashDeliveryKey(key);
	if (!Object.prototype.hasOwnProperty.call(stored, hashedKey)) return;
	const remaining: IDataObject = {};
	for (const [storedKey, firstSeenMs] of Object.entries(stored)) {
		if (storedKey !== hashedKey) remaining[storedKey] = firstSeenMs;
	}
	staticData[STATIC_DATA_KEY] = remaining;
}
