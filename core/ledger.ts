/**
 * A process-wide, in-memory record of keys: the one primitive this package has that is
 * atomic. n8n gives a node no atomic store (its static data and its deduplication table are
 * read-modify-writes without a lock), but inside one n8n process JavaScript runs one thing at
 * a time, so a synchronous look-up-and-set on a Map cannot be interleaved: of two
 * concurrent deliveries of one event, exactly one sees it as new.
 *
 * Each operation costs O(1) however many keys are held: entries sit in first-seen order, so
 * expiry and eviction only ever look at the oldest ones.
 */
import { createHash } from 'crypto';

export interface LedgerLimits {
	/** How long a key is remembered. */
	ttlMs: number;
	/** How many keys one ledger holds at most. */
	capacity: number;
	/**
	 * Keys younger than this are never evicted to make room, so a flood of deliveries cannot
	 * make a recent event look new again: when the ledger is full of them, `set` refuses.
	 */
	protectedMs: number;
}

interface Entry<T> {
	value: T;
	firstSeenMs: number;
}

/**
 * Only a short hash of each key is held, so no payload data (job ids, tenant ids) sits in
 * memory longer than the request; 24 base64url characters are 144 bits.
 */
export function hashKey(key: string): string {
	return createHash('sha256').update(key, 'utf8').digest('base64url').slice(0, 24);
}

export class Ledger<T> {
	private readonly entries = new Map<string, Entry<T>>();

	constructor(private readonly limits: LedgerLimits) {}

	get size(): number {
		return this.entries.size;
	}

	get(key: string, nowMs: number): T | undefined {
		this.expire(nowMs);
		return this.entries.get(hashKey(key))?.value;
	}

	/**
	 * Records `value` for `key`, keeping the key's first-seen time when it is already held.
	 * Returns false (and records nothing) when the ledger is full of protected keys.
	 */
	set(key: string, value: T, nowMs: number): boolean {
		this.expire(nowMs);
		const hashed = hashKey(key);
		const existing = this.entries.get(hashed);
		if (existing) {
			existing.value = value;
			return true;
		}
		if (this.entries.size >= this.limits.capacity && !this.evictOldest(nowMs)) return false;
		this.entries.set(hashed, { value, firstSeenMs: nowMs });
		return true;
	}

	delete(key: string): void {
		this.entries.delete(hashKey(key));
	}

	private expire(nowMs: number): void {
		for (const [hashed, entry] of this.entries) {
			// A clock that jumped back would otherwise keep an entry forever.
			const age = nowMs - entry.firstSeenMs;
			if (age < this.limits.ttlMs && age > -this.limits.ttlMs) return;
			this.entries.delete(hashed);
		}
	}

	private evictOldest(nowMs: number): boolean {
		const oldest = this.entries.entries().next();
		if (oldest.done || nowMs - oldest.value[1].firstSeenMs < this.limits.protectedMs) return false;
		this.entries.delete(oldest.value[0]);
		return true;
	}
}

/** One ledger per scope (a trigger node, a workflow), created on first use. */
export class LedgerRegistry<T> {
	private readonly ledgers = new Map<string, Ledger<T>>();

	constructor(private readonly limits: LedgerLimits) {}

	for(scope: string): Ledger<T> {
		let ledger = this.ledgers.get(scope);
		if (!ledger) {
			ledger = new Ledger<T>(this.limits);
			this.ledgers.set(scope, ledger);
		}
		return ledger;
	}
}
