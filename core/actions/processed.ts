/**
 * "Skip Already Processed": n8n's database-backed deduplication, the second line behind the
 * trigger's own retry filter. It records a key before the download, so two executions of the
 * same event racing each other (two webhook processes in queue mode) download once; a
 * failed download forgets the key again, so the provider's retry is not swallowed.
 */
import { sleep, type IExecuteFunctions } from 'n8n-workflow';

const OPTIONS = { mode: 'entries' as const, maxEntries: 10_000 };

/**
 * n8n keeps one row per workflow and creates it with a plain INSERT: two executions claiming
 * their first keys at the same moment (two webhook processes in queue mode) make the second
 * INSERT fail on the primary key. The row exists by then, so trying again records the key.
 */
const ROW_CREATION_RACE = /duplicate key|unique constraint|SQLITE_CONSTRAINT/i;

export async function claimOnce(ctx: IExecuteFunctions, key: string): Promise<boolean> {
	for (let attempt = 1; ; attempt++) {
		const result = await ctx.helpers.checkProcessedAndRecord([key], 'workflow', OPTIONS).then(
			(value) => ({ value }),
			(error: unknown) => ({ error }),
		);
		if ('value' in result) return result.value.new.length === 1;
		if (attempt >= 3 || !ROW_CREATION_RACE.test(String((result.error as Error)?.message))) throw result.error;
		await sleep(50 * attempt);
	}
}

export async function releaseClaim(ctx: IExecuteFunctions, key: string): Promise<void> {
	await ctx.helpers.removeProcessed([key], 'workflow', OPTIONS);
}

/** Runs `work` unless `key` was claimed before; returns undefined when skipped. */
export async function onceFor<T>(ctx: IExecuteFunctions, key: string | undefined, work: () => Promise<T>): Promise<T | undefined> {
	if (key === undefined) return await work();
	if (!(await claimOnce(ctx, key))) return undefined;
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
