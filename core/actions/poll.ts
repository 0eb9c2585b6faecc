/** "Wait for Completion": polls a job without blocking n8n (sleep yields the event loop). */
import { NodeOperationError, sleep, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

export interface PollSettings {
	intervalMs: number;
	maxWaitMs: number;
}

/** Calls `check` until it returns a value, or fails after maxWaitMs with a message naming the service. */
export async function pollUntil<T>(
	ctx: IExecuteFunctions,
	service: string,
	what: string,
	settings: PollSettings,
	itemIndex: number,
	check: () => Promise<T | undefined>,
): Promise<T> {
	const deadline = Date.now() + settings.maxWaitMs;
	let interval = Math.max(250, settings.intervalMs);
	for (;;) {
		const result = await check();
		if (result !== undefined) return result;
		const remaining = deadline - Date.now();
		if (remaining <= 0) {
			throw new NodeOperationError(ctx.getNode(), `${service}: ${what} did not finish within ${Math.round(settings.maxWaitMs / 1000)} s`, {
				itemIndex,
				description:
					'Raise Max Wait Time, or turn off Wait for Completion and let the trigger node start a second workflow when the job is done.',
			});
		}
		await sleep(Math.min(interval, remaining));
		// Gentle on the service's rate limit during long renders.
		interval = Math.min(interval * 1.5, 10_000);
	}
}

export function pollProperties(show: Record<string, string[]>) {
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean' as const,
			default: false,
			displayOptions: { show },
			description:
				'Whether to poll the job until it finishes and output its result; otherwise the node returns at once and a trigger node can pick up the finished job',
		},
		{
			displayName: 'Max Wait Time (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number' as const,
			typeOptions: { minValue: 1 },
			default: 300,
			displayOptions: { show: { ...show, waitForCompletion: [true] } },
			description: 'Give up waiting after this long (the job itself goes on)',
		},
	];
}

/** The poll parameters, then whether to download the result once the job is done (`what` says what that is). */
export function waitProperties(show: Record<string, string[]>, downloadResultDescription: string): INodeProperties[] {
	return [
		...pollProperties(show),
		{
			displayName: 'Download Result',
			name: 'downloadResult',
			type: 'boolean',
			default: true,
			displayOptions: { show: { ...show, waitForCompletion: [true] } },
			description: downloadResultDescription,
		},
	];
}

export function readPollSettings(ctx: IExecuteFunctions, itemIndex: number): PollSettings | undefined {
	if (!(ctx.getNodeParameter('waitForCompletion', itemIndex, false) as boolean)) return undefined;
	const seconds = ctx.getNodeParameter('maxWaitSeconds', itemIndex, 300) as number;
	return { intervalMs: 1000, maxWaitMs: Math.max(1, seconds) * 1000 };
}
