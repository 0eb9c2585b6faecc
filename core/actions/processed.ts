/**
 * "Skip Already Processed": n8n's database-backed deduplication, the second line behind the
 * trigger's own retry filter. It records a key before the download, so two executions of the
 * same event racing each other (two webhook processes in queue mode) download once; a
 * failed download forgets the key again, so the provider's retry is not swallowed.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

const OPTIONS = { mode: 'entries' as const, maxEntries: 10_000 };

export async function claimOnce(ctx: IExecuteFunctions, key: string): Promise<boolean> {
	const result = await ctx.helpers.checkProcessedAndRecord([key], 'workflow', OPTIONS);
	return result.new.length === 1;
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
