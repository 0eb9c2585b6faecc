/**
 * Benchmark contrast only: core/actions/processed.ts as of commit 9701983 (before issue 14), verbatim
 * below this comment except the import path of settle(). Every claim read and wrote n8n's
 * processed_data row of up to 20,000 entries, with no memory in front.
 */
/**
 * "Skip Already Processed": the download's exactly-once line behind the trigger's retry filter.
 *
 * n8n's database-backed deduplication (`checkProcessedAndRecord`) keeps one JSON row per
 * workflow and updates it by read-modify-write with no lock, so concurrent executions lose
 * each other's keys (measured: 278 of 500 kept at concurrency 10) and can both see the same
 * key as new. Claims are therefore made one at a time per workflow:
 * - inside one n8n process, through a promise chain;
 * - across processes (queue-mode workers), through a lock row in the same table: creating a
 *   row is a primary-key INSERT, which the database lets exactly one contender win.
 *
 * A key is claimed before the download, so two executions of the same event download once;
 * a failed download releases it, so the provider's retry is not swallowed.
 */
import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import { settle } from '../../core/actions/execute';

/** 10,000 events, each stored as its key and its owner mark (see claimOnce). */
const CLAIMS = { mode: 'entries' as const, maxEntries: 20_000 };

/**
 * The lock lives in this node's own row (scope 'node'), which nothing else writes; it exists
 * exactly while a claim is being made. Held for a few queries, never across a download.
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
			ctx.logger.warn('Skip Already Processed: taking over a claim lock left behind by a stopped n8n process');
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
	return await oneAtATime(String(ctx.getWorkflow().id), async () => {
		await acquireLock(ctx);
		try {
			return await work();
		} finally {
			await dropLock(ctx);
		}
	});
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
 * Records `key`; true when this execution owns the event: the key was new, or this same
 * execution claimed it before. The second case is n8n 1.x running a killed worker's job again
 * under the same execution id, which must not skip the event its first attempt claimed.
 */
export async function claimOnce(ctx: IExecuteFunctions, key: string): Promise<boolean> {
	const owner = ownerMark(ctx, key);
	return await underClaimLock(ctx, async () => {
		const fresh = await record(ctx, [key, owner]);
		if (fresh.has(key) || !fresh.has(owner)) return true;
		await ctx.helpers.removeProcessed([owner], 'workflow', CLAIMS);
		return false;
	});
}

export async function releaseClaim(ctx: IExecuteFunctions, key: string): Promise<void> {
	await underClaimLock(ctx, async () => await ctx.helpers.removeProcessed([key, ownerMark(ctx, key)], 'workflow', CLAIMS));
}

/**
 * Runs `work` unless `key` was claimed before; returns undefined when skipped.
 *
 * A retry started from the Executions list (mode 'retry') always runs: it is someone's
 * deliberate decision, typically about an execution that crashed after claiming its event.
 */
export async function onceFor<T>(ctx: IExecuteFunctions, key: string | undefined, work: () => Promise<T>): Promise<T | undefined> {
	if (key === undefined) return await work();
	const claimed = await claimOnce(ctx, key);
	if (!claimed && ctx.getMode() !== 'retry') return undefined;
	let succeeded = false;
	try {
		const result = await work();
		succeeded = true;
		return result;
	} finally {
		if (!succeeded) {
			// The work's own error is the one to report; a failed release only costs a later retry.
			await releaseClaim(ctx, key).catch((error: unknown) =>
				ctx.logger.warn(`Could not forget the processed key after a failure: ${(error as Error).message}`),
			);
		}
	}
}
