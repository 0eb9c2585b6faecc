/**
 * "Skip Files Already Downloaded" (version 1: the option "Skip Already Processed"): the
 * download's exactly-once line behind the trigger's retry filter.
 *
 * A claim is decided in two places:
 * - this n8n process's memory (core/ledger.ts): atomic within the process and O(1), so two
 *   executions of one event in the same process (regular mode, or one queue-mode worker)
 *   cannot both download it, however many events are remembered;
 * - n8n's deduplication table (`processed_data`), for what memory cannot know: events claimed
 *   before a restart or by another worker. n8n's helper is an unlocked read-modify-write of one
 *   row per workflow, so claims are written one at a time per workflow: in a process through a
 *   promise chain, across processes through a lock row whose creation is a primary-key INSERT
 *   only one contender wins. The row keeps the newest PERSISTED_EVENTS events, so its cost per
 *   claim stays bounded however many events memory holds.
 *
 * A key is claimed before the download, so two executions of the same event download once;
 * a failed download releases it, so the provider's retry is not swallowed.
 */
import { NodeOperationError, sleep, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { LedgerRegistry, type LedgerLimits } from '../ledger';
import { settle } from './execute';
import type { DownloadSettings } from './properties';

/** What one claim is about and how it is kept. */
export interface Claim {
	key: string;
	/**
	 * Also written to n8n's database. Not for deliveries answered "when the workflow has
	 * finished": there the service retries only what failed, and a retry after a crash must
	 * find nothing left behind by the crashed execution.
	 */
	persist: boolean;
	/** The trigger saw an earlier delivery of this event fail: run even if that attempt claimed it. */
	retryOfFailedDelivery: boolean;
}

/**
 * Whether and how an item is deduplicated. By default (`fromTrigger`) only items from this
 * package's triggers (they carry `deliveryKey`), and never in the editor's manual runs, where a
 * user runs the same sample again on purpose; `always`: every item, keyed by the file; `never`: none.
 */
export function claimFor(ctx: IExecuteFunctions, settings: DownloadSettings, item: INodeExecutionData, key: string): Claim | undefined {
	refuseSampleEvent(ctx, item);
	if (settings.skipRepeats === 'never') return undefined;
	const json: IDataObject = item.json ?? {};
	const fromTrigger = typeof json.deliveryKey === 'string';
	if (settings.skipRepeats === 'fromTrigger' && (!fromTrigger || ctx.getMode() === 'manual')) return undefined;
	return {
		key,
		persist: typeof json.deliveryRetry !== 'boolean',
		retryOfFailedDelivery: json.deliveryRetry === true,
	};
}

/**
 * Every download asks for its claim before its first request, so this is where a trigger's
 * sample event (`sample: true`: the Test URL opened in a browser, or an example's pinned
 * data) is stopped: its IDs and links do not exist at the service, and a request with them
 * would only earn a confusing 404 from the real API.
 */
function refuseSampleEvent(ctx: IExecuteFunctions, item: INodeExecutionData): void {
	if (item.json?.sample !== true) return;
	throw new NodeOperationError(ctx.getNode(), 'This item is a sample event, so there is no file to download', {
		description:
			'Sample events show the shape of a real event; their IDs and links do not exist at the service. To download a file, send a real delivery from the service to the trigger\'s Test URL, or unpin the trigger\'s sample data.',
	});
}

/** Memory keeps two days of events; none younger than an hour is evicted to make room. */
export const CLAIM_MEMORY: LedgerLimits = Object.freeze({ ttlMs: 48 * 60 * 60 * 1000, protectedMs: 60 * 60 * 1000, capacity: 200_000 });

/** Newest events kept in n8n's database (each as its key and its owner mark, see claimInDatabase). */
export const PERSISTED_EVENTS = 2_000;
const CLAIMS = { mode: 'entries' as const, maxEntries: 2 * PERSISTED_EVENTS };

/** Keys held in this process: by an execution here, or known to be claimed in the database. */
const claimsInMemory = new LedgerRegistry<true>(CLAIM_MEMORY);

/**
 * The lock lives in this node's own row (scope 'node'), which nothing else writes; it exists
 * exactly while a claim is being written. Held for a few queries, never across a download.
 */
const LOCK = { mode: 'entries' as const, maxEntries: 1 };
const LOCK_ITEM = 'claim-lock';

/**
 * A holder that died between taking and dropping the lock (a killed worker) leaves the row
 * behind. Nobody holds it legitimately for more than a few database round trips, so after
 * this long without getting it, it is taken over.
 */
export const STALE_LOCK_MS = 30_000;

/**
 * n8n creates a row with a plain INSERT: two executions creating the same row at the same
 * moment make the second fail on the primary key. For the lock that means "someone else got
 * it"; for the claims row it means the row exists now, so trying again records the key.
 */
const ROW_CREATION_RACE = /duplicate key|unique constraint|SQLITE_CONSTRAINT/i;

function isRowCreationRace(error: unknown): boolean {
	return ROW_CREATION_RACE.test(String((error as Error)?.message));
}

const claimChains = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier claim of the same workflow in this process has finished. */
async function oneAtATime<T>(workflowKey: string, work: () => Promise<T>): Promise<T> {
	const previous = claimChains.get(workflowKey) ?? Promise.resolve();
	const current = previous.then(work, work);
	const tail = current.then(
		() => undefined,
		() => undefined,
	);
	claimChains.set(workflowKey, tail);
	try {
		return await current;
	} finally {
		if (claimChains.get(workflowKey) === tail) claimChains.delete(workflowKey);
	}
}

async function tryLock(ctx: IExecuteFunctions): Promise<boolean> {
	const result = await settle(ctx.helpers.checkProcessedAndRecord([LOCK_ITEM], 'node', LOCK));
	if ('value' in result) return result.value.new.length === 1;
	if (isRowCreationRace(result.error)) return false;
	throw result.error;
}

async function dropLock(ctx: IExecuteFunctions): Promise<void> {
	await ctx.helpers.clearAllProcessedItems('node', LOCK);
}

async function acquireLock(ctx: IExecuteFunctions): Promise<void> {
	let waitingSince = Date.now();
	for (let attempt = 0; !(await tryLock(ctx)); attempt++) {
		if (Date.now() - waitingSince > STALE_LOCK_MS) {
			ctx.logger.warn('Skipping files already downloaded: taking over a claim lock left behind by a stopped n8n process');
			await dropLock(ctx);
			waitingSince = Date.now();
			continue;
		}
		// Jittered so that processes waiting together do not retry in step.
		await sleep(Math.min(200, 5 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
	}
}

/** Runs `work` holding this workflow's claim lock, in this process and across processes. */
async function underClaimLock<T>(ctx: IExecuteFunctions, work: () => Promise<T>): Promise<T> {
	return await oneAtATime(workflowScope(ctx), async () => {
		await acquireLock(ctx);
		try {
			return await work();
		} finally {
			await dropLock(ctx);
		}
	});
}

function workflowScope(ctx: IExecuteFunctions): string {
	return String(ctx.getWorkflow().id);
}

function ownerMark(ctx: IExecuteFunctions, key: string): string {
	return `${key}@execution:${ctx.getExecutionId()}`;
}

async function record(ctx: IExecuteFunctions, items: string[]): Promise<Set<string>> {
	for (let attempt = 1; ; attempt++) {
		const result = await settle(ctx.helpers.checkProcessedAndRecord(items, 'workflow', CLAIMS));
		if ('value' in result) return new Set(result.value.new.map(String));
		if (attempt >= 3 || !isRowCreationRace(result.error)) throw result.error;
		await sleep(50 * attempt);
	}
}

/**
 * Records `key` in the database; true when this execution owns the event: the key was new, or
 * this same execution claimed it before. The second case is n8n 1.x running a killed worker's
 * job again under the same execution id, which must not skip the event its first attempt claimed.
 */
async function claimInDatabase(ctx: IExecuteFunctions, key: string): Promise<boolean> {
	const owner = ownerMark(ctx, key);
	return await underClaimLock(ctx, async () => {
		const fresh = await record(ctx, [key, owner]);
		if (fresh.has(key) || !fresh.has(owner)) return true;
		await ctx.helpers.removeProcessed([owner], 'workflow', CLAIMS);
		return false;
	});
}

/** True when this execution may do the work for `claim.key`; reserves it in memory first. */
export async function claimOnce(ctx: IExecuteFunctions, claim: Claim): Promise<boolean> {
	const memory = claimsInMemory.for(workflowScope(ctx));
	const now = Date.now();
	const held = memory.get(claim.key, now) === true;
	// Any holder in this process, this execution's id included: n8n 1.x can run one execution
	// twice at once (while starting, it runs every execution still marked new, including one a
	// webhook has just started), and both runs would email. Its re-run of a killed worker's job
	// happens in another process, whose memory is empty: the database's owner mark admits that.
	if (held && !claim.retryOfFailedDelivery) return false;
	// Synchronous with the look-up above: no other execution in this process can slip in between.
	if (!memory.set(claim.key, true, now)) {
		throw new Error('Skip Files Already Downloaded holds too many recent files to remember another; the event is left for a later retry');
	}
	if (held || !claim.persist) return true;
	const owned = await settle(claimInDatabase(ctx, claim.key));
	if ('value' in owned && owned.value) return true;
	if ('value' in owned) {
		// Claimed elsewhere (before a restart, or by another worker): keep it held here too, so
		// that not even this execution takes it on a second look.
		memory.set(claim.key, true, now);
		return false;
	}
	memory.delete(claim.key);
	throw owned.error;
}

export async function releaseClaim(ctx: IExecuteFunctions, claim: Claim): Promise<void> {
	claimsInMemory.for(workflowScope(ctx)).delete(claim.key);
	if (!claim.persist) return;
	await underClaimLock(ctx, async () => await ctx.helpers.removeProcessed([claim.key, ownerMark(ctx, claim.key)], 'workflow', CLAIMS));
}

/**
 * Runs `work` unless `claim.key` was claimed before; returns undefined when skipped.
 *
 * A retry started from the Executions list (mode 'retry') always runs: it is someone's
 * deliberate decision, typically about an execution that crashed after claiming its event.
 */
export async function onceFor<T>(ctx: IExecuteFunctions, claim: Claim | undefined, work: () => Promise<T>): Promise<T | undefined> {
	if (claim === undefined) return await work();
	const claimed = await claimOnce(ctx, claim);
	if (!claimed && ctx.getMode() !== 'retry') return undefined;
	let succeeded = false;
	try {
		const result = await work();
		succeeded = true;
		return result;
	} finally {
		if (!succeeded) {
			// The work's own error is the one to report; a failed release only costs a later retry.
			await releaseClaim(ctx, claim).catch((error: unknown) =>
				ctx.logger.warn(`Could not forget the processed key after a failure: ${(error as Error).message}`),
			);
		}
	}
}

/**
 * What a skipped item becomes: nothing on the output (so the email node sends nothing), a
 * note in the output pane, and, when asked for, the item itself marked `alreadyProcessed`.
 */
export function skippedItem(ctx: IExecuteFunctions, item: INodeExecutionData, settings: DownloadSettings, what: string): INodeExecutionData[] {
	const deliveryKey = typeof item.json?.deliveryKey === 'string' ? ` (deliveryKey ${item.json.deliveryKey})` : '';
	if (typeof ctx.addExecutionHints === 'function') {
		ctx.addExecutionHints({
			message: `Skipped ${what}${deliveryKey}: this workflow has already downloaded it`,
			location: 'outputPane',
		});
	}
	return settings.outputSkippedItems ? [{ json: { ...item.json, alreadyProcessed: true } }] : [];
}
