/**
 * Limits what confirmations (the trigger's Confirm With API, Generate and Wait's callback
 * check) may spend of a service's API rate limit, shares that budget fairly between the
 * addresses that ask, and remembers what the API already confirmed. An unauthenticated sender
 * can make these calls happen, so without the limit a flood would use up the calls that
 * genuine events and the action nodes need (DocGenLab allows some 60 a minute), and without
 * the fair share one flooding address would take every call a genuine event needs.
 *
 * Process-wide state in plain maps, keyed by a hash of the API credential (never the key
 * itself); time comes from the caller, so nothing here sets a timer. In queue mode each
 * webhook process has its own budget.
 */
import { createHash } from 'crypto';

/** Calls made in the last minute for one account, oldest first, with who asked for each. */
interface Window {
	calls: Array<{ atMs: number; sender: string }>;
	/** Index of the oldest call still in the window (the array is compacted now and then). */
	head: number;
	perSender: Map<string, number>;
}

interface Remembered<T> {
	value: T;
	expiresMs: number;
}

/** At most this many accounts and confirmations are kept; the oldest go first. */
const MAX_ACCOUNTS = 1000;
const MAX_REMEMBERED = 5000;

const MINUTE_MS = 60_000;

const windows = new Map<string, Window>();
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

/** The calls that are older than a minute leave the window; O(1) amortised. */
function slide(window: Window, nowMs: number): void {
	while (window.head < window.calls.length && nowMs - window.calls[window.head].atMs >= MINUTE_MS) {
		const { sender } = window.calls[window.head++];
		const left = (window.perSender.get(sender) ?? 1) - 1;
		if (left > 0) window.perSender.set(sender, left);
		else window.perSender.delete(sender);
	}
	if (window.head > 64 && window.head * 2 > window.calls.length) {
		window.calls = window.calls.slice(window.head);
		window.head = 0;
	}
}

/**
 * Takes one of the account's `perMinute` calls for `sender` (an address group, see
 * `senderGroup`). False when the call must not be made: the caller answers 503 and the service
 * retries later. Two rules:
 * - never more than `perMinute` calls in any 60 s (a sliding window, so a burst at a minute's
 *   edge cannot double it);
 * - fair share: a sender may hold at most `perMinute / (k + 2)` of the window, k being the
 *   other senders with calls in it. Alone it gets half, so another address always finds
 *   calls left; k + 1 busy senders leave `perMinute / (k + 2)` for the next one.
 */
export function takeCall(account: string, perMinute: number, sender: string, nowMs: number): boolean {
	const limit = Math.max(1, Math.floor(perMinute));
	const window = windows.get(account) ?? { calls: [], head: 0, perSender: new Map<string, number>() };
	// Most recently used last, so trimming drops the account idle the longest.
	windows.delete(account);
	windows.set(account, window);
	trim(windows, MAX_ACCOUNTS);
	slide(window, nowMs);
	const inWindow = window.calls.length - window.head;
	if (inWindow >= limit) return false;
	const held = window.perSender.get(sender) ?? 0;
	const others = window.perSender.size - (held > 0 ? 1 : 0);
	const share = Math.max(1, Math.floor(limit / (others + 2)));
	if (held >= share) return false;
	window.calls.push({ atMs: nowMs, sender });
	window.perSender.set(sender, held + 1);
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
	windows.clear();
	remembered.clear();
}
