/**
 * The secrets a trigger verifies deliveries with, kept for a few seconds per trigger node and
 * credential, so that a delivery does not pay for a credential read of its own.
 *
 * Why: n8n's `getCredentials()` in a webhook costs three SQL statements, a decryption and, under
 * n8n 2.x's default expression engine, a new expression isolate (about 60–80 ms of CPU), per
 * request. n8n's own Webhook node with Header Auth pays that too, but it is exempt from the
 * isolate n8n builds for every other start node's webhook phase; a trigger that paid both was
 * at 0.6–0.7× of it.
 *
 * What users keep (docs/security.md, "Changing a secret"):
 * - A delivery that fails verification against remembered secrets is checked again against a
 *   read that started after it arrived, so one signed with a new secret is accepted the first
 *   time it arrives.
 * - A read serves deliveries for `maxAgeMs` from its start: a removed secret stops verifying
 *   within that time. A delivery that finds the read older than `refreshAfterMs` starts the
 *   next read and does not wait for it, so under steady traffic no delivery waits for a read
 *   (one that did, every 5 s, was in the slowest percent of answers under load).
 * - Reads for failed verifications are at most one per `rereadIntervalMs` per key (a flood of
 *   forged deliveries costs one read a second, not one per request); a delivery that fails
 *   while that budget is spent is refused without a read.
 * - Only the fields the checks use are kept (never the API key); nothing is kept when no
 *   credential id is known; n8n gives nodes no timers, so expired entries are dropped on the
 *   next use of this memory by any trigger in the process (by timestamps, oldest first) and
 *   when the workflow is deactivated.
 */

/** The credential fields a trigger's checks read (secret, previous secret, header auth). */
export type CredentialFields = Readonly<Record<string, unknown>>;

export interface CredentialMemoryLimits {
	/** How long a read serves deliveries, from its start; the bound for a removed secret. */
	maxAgeMs: number;
	/** From this age on, a delivery served by a read starts the next one without waiting for it. */
	refreshAfterMs: number;
	/** At most one read per key in this interval for deliveries that failed verification. */
	rereadIntervalMs: number;
	/** Keys held at most; the oldest read is dropped first (it is read again when needed). */
	capacity: number;
}

export const CREDENTIAL_MEMORY: CredentialMemoryLimits = Object.freeze({ maxAgeMs: 5_000, refreshAfterMs: 4_000, rereadIntervalMs: 1_000, capacity: 1_000 });

/** One credential read: what it returned (undefined: no usable credential) and when it started. */
export interface CredentialRead {
	readonly fields: CredentialFields | undefined;
	readonly startedMs: number;
}

export type CredentialReader = () => Promise<CredentialFields | undefined>;

interface Pending {
	startedMs: number;
	promise: Promise<CredentialRead>;
}

function withinMs(nowMs: number, thenMs: number, spanMs: number): boolean {
	// A clock that jumped back counts as outside, so nothing is kept forever.
	const age = nowMs - thenMs;
	return age < spanMs && age > -spanMs;
}

export class CredentialMemory {
	/** Successful reads by key, in the order they completed (oldest first). */
	private readonly reads = new Map<string, CredentialRead>();
	/** Reads under way, so that concurrent deliveries share one. */
	private readonly pending = new Map<string, Pending>();
	/** When the last read for a failed verification started, by key (oldest first). */
	private readonly rereads = new Map<string, number>();

	constructor(private readonly limits: CredentialMemoryLimits = CREDENTIAL_MEMORY) {}

	/** Keys with remembered secrets (for tests and the benchmark's notes). */
	get size(): number {
		return this.reads.size;
	}

	/**
	 * A read younger than maxAgeMs, or a new one (shared with concurrent callers). A read older
	 * than refreshAfterMs still serves, and the next one starts in the background (one at a time;
	 * `start` never rejects).
	 */
	async current(key: string, read: CredentialReader, nowMs: number): Promise<CredentialRead> {
		this.expire(nowMs);
		const remembered = this.reads.get(key);
		const underway = this.pending.get(key);
		if (remembered && withinMs(nowMs, remembered.startedMs, this.limits.maxAgeMs)) {
			if (!underway && !withinMs(nowMs, remembered.startedMs, this.limits.refreshAfterMs)) void this.start(key, read, nowMs);
			return remembered;
		}
		if (underway && withinMs(nowMs, underway.startedMs, this.limits.maxAgeMs)) return await underway.promise;
		return await this.start(key, read, nowMs);
	}

	/**
	 * For a delivery that arrived at `arrivedMs` and failed verification against `used`: a read
	 * that started at or after its arrival, or undefined when none is to be had (the re-read
	 * budget is spent). Returns `used` itself when it is already that fresh.
	 */
	async refresh(key: string, used: CredentialRead, read: CredentialReader, arrivedMs: number, nowMs: number): Promise<CredentialRead | undefined> {
		if (used.startedMs >= arrivedMs) return used;
		const remembered = this.reads.get(key);
		if (remembered && remembered.startedMs >= arrivedMs) return remembered;
		const underway = this.pending.get(key);
		if (underway && underway.startedMs >= arrivedMs) return await underway.promise;
		const last = this.rereads.get(key);
		if (last !== undefined && withinMs(nowMs, last, this.limits.rereadIntervalMs)) return undefined;
		this.rereads.delete(key);
		this.rereads.set(key, nowMs);
		return await this.start(key, read, nowMs);
	}

	/** Drops every key that starts with `prefix` (a deactivated trigger's), reads under way included. */
	forget(prefix: string): void {
		for (const key of this.reads.keys()) if (key.startsWith(prefix)) this.reads.delete(key);
		for (const key of this.pending.keys()) if (key.startsWith(prefix)) this.pending.delete(key);
		for (const key of this.rereads.keys()) if (key.startsWith(prefix)) this.rereads.delete(key);
	}

	private start(key: string, read: CredentialReader, nowMs: number): Promise<CredentialRead> {
		const pending: Pending = {
			startedMs: nowMs,
			promise: read()
				.catch(() => undefined)
				.then((fields) => {
					const result: CredentialRead = { fields, startedMs: nowMs };
					// Kept only while it is still this key's read: not after forget() (the trigger was
					// deactivated while it ran), nor when a newer read has started since.
					if (this.pending.get(key) === pending) {
						this.pending.delete(key);
						this.store(key, result);
					}
					return result;
				}),
		};
		this.pending.set(key, pending);
		return pending.promise;
	}

	private store(key: string, result: CredentialRead): void {
		const remembered = this.reads.get(key);
		// A slower read that started earlier must not replace a newer one.
		if (remembered && remembered.startedMs > result.startedMs) return;
		this.reads.delete(key);
		// No usable credential (deleted, unshared, cannot be decrypted): nothing to remember, and
		// the next delivery reads again.
		if (result.fields === undefined) return;
		this.reads.set(key, result);
		if (this.reads.size > this.limits.capacity) this.reads.delete(this.reads.keys().next().value as string);
	}

	/** Drops expired reads and re-read marks, oldest first. */
	private expire(nowMs: number): void {
		for (const [key, remembered] of this.reads) {
			if (withinMs(nowMs, remembered.startedMs, this.limits.maxAgeMs)) break;
			this.reads.delete(key);
		}
		for (const [key, startedMs] of this.rereads) {
			if (withinMs(nowMs, startedMs, this.limits.rereadIntervalMs)) break;
			this.rereads.delete(key);
		}
	}
}

/** The process's memory of every trigger's credential (one per n8n process: main, webhook or worker). */
export const credentialMemory = new CredentialMemory();
