/** The per-item loop every action shares: paired items, Continue On Fail, no secrets in errors. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { describeUnsafeId, isSafeId } from '../ids';

/** What one input item produced: output items (zero to skip it, several to fan out). */
export type ItemResult = INodeExecutionData[];

export async function forEachItem(
	ctx: IExecuteFunctions,
	handle: (itemIndex: number, item: INodeExecutionData) => Promise<ItemResult>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const results = await handle(itemIndex, items[itemIndex]);
			for (const result of results) output.push({ pairedItem: { item: itemIndex }, ...result });
		} catch (error) {
			if (!ctx.continueOnFail()) {
				const failure = asNodeError(ctx, error, itemIndex);
				throw failure;
			}
			const e = asNodeError(ctx, error, itemIndex) as { message?: string; description?: string | null };
			const message = e.message ?? String(error);
			// Exactly `error` and `message`: how n8n (1.x and 2.x) recognises a failed item and routes
			// it to the error output under "On Error: Continue (using error output)". The HTTP status
			// is part of the error text ("… answered HTTP 404: …").
			const json: IDataObject = { error: message, message: e.description || message };
			output.push({ json, pairedItem: { item: itemIndex } });
		}
	}
	return [output];
}

/** Errors from our core are NodeApiError/NodeOperationError already; anything else is wrapped. */
function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeOperationError || (error as { name?: string } | undefined)?.name === 'NodeApiError') return error as Error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/**
 * A text parameter, trimmed; '' when empty or not text (a number an expression gave counts as
 * text). A resource locator (`{ __rl: true, mode, value }`, the template pickers from node
 * version 1.1) gives its value, so the string a version 1 node saved and a locator read alike.
 * The value is taken here rather than with n8n's `extractValue` option, which throws for a
 * parameter the node does not show; our locators have no mode that needs extracting.
 */
export function optionalString(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const value = isResourceLocatorValue(raw) ? raw.value : raw;
	return typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
}

function isResourceLocatorValue(value: unknown): value is { __rl: true; value: unknown } {
	return typeof value === 'object' && value !== null && (value as { __rl?: unknown }).__rl === true;
}

/** A required text parameter, trimmed; a clear error when an expression left it empty. */
export function requiredString(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const text = optionalString(ctx, name, itemIndex);
	if (!text) {
		throw new NodeOperationError(ctx.getNode(), `${label} is empty`, {
			itemIndex,
			description: `Set ${label}, or connect this node to its trigger, whose output provides it.`,
		});
	}
	return text;
}

/**
 * A promise's outcome as a value, so a caller can tell an expected failure (a known race, a
 * 404 meaning "not yet") from a real one and pass the real one on unchanged.
 */
export async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
	return await promise.then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);
}

/**
 * An ID that goes into an API path, checked first (see core/ids.ts): a value read from an event
 * such as `..` or `a/../b` would otherwise steer the authenticated request elsewhere.
 */
export function safeId(ctx: IExecuteFunctions, value: string, label: string, itemIndex: number): string {
	if (!isSafeId(value)) {
		throw new NodeOperationError(ctx.getNode(), describeUnsafeId(label, value), {
			itemIndex,
			description: `Check where ${label} comes from: IDs from the service never contain these characters, so the event or expression that supplied it is not genuine or not the right field.`,
		});
	}
	return value;
}

/** requiredString for an ID that goes into an API path. */
export function requiredId(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	return safeId(ctx, requiredString(ctx, name, label, itemIndex), label, itemIndex);
}
