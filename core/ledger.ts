/**
 * A process-wide, in-memory record of keys: the one primitive this package has that is
 * atomic. n8n gives a node no atomic store (its static data and its deduplication table are
 * read-modify-writes without a lock), but inside one n8n process JavaScript runs one thing at
 * a time, so a synchronous look-up-and-set on a Map cannot be interleaved: of two
 * concurrent deliveries of one event, exactly one sees it as new.
 *
 * Each operation costs O(1) however many keys are held: entries sit in first-seen order, so
 * expiry and eviction only ever look at the oldest ones.
 *
 * Each key also records who it came from (an address group, see core/ip.ts `senderGroup`), so
 * that a full ledger is shared fairly: when every entry is still protected, a newcomer holding
 * fewer entries than the biggest holder takes that holder's oldest slot, and only the biggest
 * holder itself is refused. A flood from one address can then fill at most its share and never
 * lock another address out.
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
	owner: string;
	/** Tells this entry from an earlier one under the same key in its owner's queue. */
	seq: number;
}

/** One owner's keys in first-seen order (stale ones are skipped when met), and how many are held. */
interface Holding {
	queue: Array<{ hashed: string; seq: number }>;
	head: number;
	count: number;
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
	private readonly holdings = new Map<string, Holding>();
	/** Owners by how many entries they hold, for finding the biggest holder in O(1). */
	private readonly ownersByCount = new Map<number, Set<string>>();
	private maxCount = 0;
	private seq = 0;

	constructor(private readonly limits: LedgerLimits) {}

	get size(): number {
		return this.entries.size;
	}

	get(key: string, nowMs: number): T | undefined {
		this.expire(nowMs);
		return this.entries.get(hashKey(key))?.value;
	}

	/**
	 * Records `value` for `key`, keeping the key's first-seen time and owner when it is already
	 * held. Returns false (and records nothing) when the ledger is full of protected keys and
	 * `owner` already holds as many as anyone.
	 */
	set(key: string, value: T, nowMs: number, owner = ''): boolean {
		this.expire(nowMs);
		const hashed = hashKey(key);
		const existing = this.entries.get(hashed);
		if (existing) {
			existing.value = value;
			return true;
		}
		if (this.entries.size >= this.limits.capacity && !this.evictOldest(nowMs) && !this.evictFromBiggestHolder(owner)) return false;
		const entry: Entry<T> = { value, firstSeenMs: nowMs, owner, seq: ++this.seq };
		this.entries.set(hashed, entry);
		this.holdingOf(owner).queue.push({ hashed, seq: entry.seq });
		this.changeCount(owner, +1);
		return true;
	}

	delete(key: string): void {
		this.remove(hashKey(key));
	}

	/** How many entries `owner` holds. */
	heldBy(owner: string): number {
		return this.holdings.get(owner)?.count ?? 0;
	}

	private remove(hashed: string): void {
		const entry = this.entries.get(hashed);
		if (!entry) return;
		this.entries.delete(hashed);
		this.changeCount(entry.owner, -1);
	}

	private expire(nowMs: number): void {
		for (const [hashed, entry] of this.entries) {
			// A clock that jumped back would otherwise keep an entry forever.
			const age = nowMs - entry.firstSeenMs;
			if (age < this.limits.ttlMs && age > -this.limits.ttlMs) return;
			this.remove(hashed);
		}
	}

	private evictOldest(nowMs: number): boolean {
		const oldest = this.entries.entries().next();
		if (oldest.done || nowMs - oldest.value[1].firstSeenMs < this.limits.protectedMs) return false;
		this.remove(oldest.value[0]);
		return true;
	}

	/** Frees the oldest slot of the biggest holder, when `requester` holds fewer than it. */
	private evictFromBiggestHolder(requester: string): boolean {
		if (this.maxCount <= this.heldBy(requester)) return false;
		const biggest = this.ownersByCount.get(this.maxCount)?.values().next();
		if (!biggest || biggest.done) return false;
		const holding = this.holdings.get(biggest.value)!;
		while (holding.head < holding.queue.length) {
			const { hashed, seq } = holding.queue[holding.head++];
			if (this.entries.get(hashed)?.seq === seq) {
				this.remove(hashed);
				return true;
			}
		}
		return false;
	}

	private holdingOf(owner: string): Holding {
		let holding = this.holdings.get(owner);
		if (!holding) {
			holding = { queue: [], head: 0, count: 0 };
			this.holdings.set(owner, holding);
		}
		return holding;
	}

	private changeCount(owner: string, delta: 1 | -1): void {
		const holding = this.holdingOf(owner);
		this.ownersByCount.get(holding.count)?.delete(owner);
		holding.count += delta;
		if (holding.count > 0) {
			let owners = this.ownersByCount.get(holding.count);
			if (!owners) this.ownersByCount.set(holding.count, (owners = new Set()));
			owners.add(owner);
			this.maxCount = Math.max(this.maxCount, holding.count);
		} else {
			this.holdings.delete(owner);
		}
		while (this.maxCount > 0 && !this.ownersByCount.get(this.maxCount)?.size) this.ownersByCount.delete(this.maxCount--);
		// Keys leave mostly from the front (expiry goes oldest first): skip past them, and drop them now and then.
		while (holding.head < holding.queue.length && this.entries.get(holding.queue[holding.head].hashed)?.seq !== holding.queue[holding.head].seq) holding.head++;
		if (holding.head > 64 && holding.head * 2 > holding.queue.length) {
			holding.queue = holding.queue.slice(holding.head);
			holding.head = 0;
		}
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
