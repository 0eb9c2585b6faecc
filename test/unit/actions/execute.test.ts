/**
 * core/actions/execute.ts: the per-item loop every action shares (paired items, Continue On
 * Fail, errors passed through or wrapped) and requiredString.
 */
import { mock } from 'jest-mock-extended';
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { forEachItem, requiredString } from '../../../core/actions/execute';

const NODE: INode = {
	id: '5f0e2a4c-0000-4000-8000-000000000003',
	name: 'PDF Gorilla',
	type: 'n8n-nodes-pdf-webhooks.pdfGorilla',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function createContext(items: INodeExecutionData[], options: { continueOnFail?: boolean; parameters?: Record<string, unknown[]> } = {}) {
	const ctx = mock<IExecuteFunctions>({
		getNode: () => NODE,
		getInputData: () => items,
		continueOnFail: () => options.continueOnFail === true,
	});
	ctx.getNodeParameter.mockImplementation(((name: string, itemIndex: number, fallback?: unknown) => {
		const values = options.parameters?.[name];
		return values && itemIndex < values.length && values[itemIndex] !== undefined ? values[itemIndex] : fallback;
	}) as unknown as Parameters<typeof ctx.getNodeParameter.mockImplementation>[0]);
	return ctx;
}

const items = (count: number): INodeExecutionData[] => Array.from({ length: count }, (_, index) => ({ json: { index } }));

function apiError(status: number, message: string, description: string, itemIndex = 0): NodeApiError {
	return new NodeApiError(NODE, { message, httpCode: String(status) } as JsonObject, { message, description, httpCode: String(status), itemIndex });
}

describe('forEachItem', () => {
	it('pairs every output with its input item, including fan-out and skipped items', async () => {
		const ctx = createContext(items(3));
		const result = await forEachItem(ctx, async (itemIndex, item) => {
			if (itemIndex === 1) return [];
			if (itemIndex === 2) return [{ json: { part: 'a' } }, { json: { part: 'b' } }];
			return [{ json: { ...item.json, done: true } }];
		});
		expect(result).toEqual([
			[
				{ json: { index: 0, done: true }, pairedItem: { item: 0 } },
				{ json: { part: 'a' }, pairedItem: { item: 2 } },
				{ json: { part: 'b' }, pairedItem: { item: 2 } },
			],
		]);
	});

	it("keeps a handler's own pairedItem", async () => {
		const ctx = createContext(items(2));
		const result = await forEachItem(ctx, async () => [{ json: {}, pairedItem: [{ item: 0 }, { item: 1 }] }]);
		expect(result[0].map((item) => item.pairedItem)).toEqual([
			[{ item: 0 }, { item: 1 }],
			[{ item: 0 }, { item: 1 }],
		]);
	});

	it('passes each item and its index to the handler, in order', async () => {
		const ctx = createContext(items(3));
		const seen: Array<[number, IDataObject]> = [];
		await forEachItem(ctx, async (itemIndex, item) => {
			seen.push([itemIndex, item.json]);
			return [];
		});
		expect(seen).toEqual([
			[0, { index: 0 }],
			[1, { index: 1 }],
			[2, { index: 2 }],
		]);
	});

	it('returns one empty output for no input', async () => {
		await expect(forEachItem(createContext([]), async () => [{ json: {} }])).resolves.toEqual([[]]);
	});

	describe('with Continue On Fail', () => {
		it('turns a NodeApiError into {error, message} paired with its item, and goes on', async () => {
			const ctx = createContext(items(3), { continueOnFail: true });
			const result = await forEachItem(ctx, async (itemIndex) => {
				if (itemIndex === 1) throw apiError(404, 'PDF Gorilla answered HTTP 404: Job not found', 'Nothing exists at this address.', 1);
				return [{ json: { ok: itemIndex } }];
			});
			expect(result).toEqual([
				[
					{ json: { ok: 0 }, pairedItem: { item: 0 } },
					{
						// Exactly `error` and `message`: how n8n recognises a failed item for its error output.
						json: { error: 'PDF Gorilla answered HTTP 404: Job not found', message: 'Nothing exists at this address.' },
						pairedItem: { item: 1 },
					},
					{ json: { ok: 2 }, pairedItem: { item: 2 } },
				],
			]);
		});

		it('turns a NodeOperationError into {error, message}', async () => {
			const ctx = createContext(items(1), { continueOnFail: true });
			const result = await forEachItem(ctx, async () => {
				throw new NodeOperationError(NODE, 'PDF Gorilla: the file is larger than the Max File Size of 1.0 MB', {
					description: 'Raise Max File Size.',
					itemIndex: 0,
				});
			});
			expect(result).toEqual([
				[
					{
						json: { error: 'PDF Gorilla: the file is larger than the Max File Size of 1.0 MB', message: 'Raise Max File Size.' },
						pairedItem: { item: 0 },
					},
				],
			]);
		});

		it('turns any other error into {error}', async () => {
			const ctx = createContext(items(2), { continueOnFail: true });
			const result = await forEachItem(ctx, async (itemIndex) => {
				if (itemIndex === 0) throw new TypeError('x is not a function');
				throw 'plain string';
			});
			expect(result).toEqual([
				[
					{ json: { error: 'x is not a function', message: 'x is not a function' }, pairedItem: { item: 0 } },
					{ json: { error: 'plain string', message: 'plain string' }, pairedItem: { item: 1 } },
				],
			]);
		});
	});

	describe('without Continue On Fail', () => {
		it('lets a NodeApiError through unchanged and stops at the failing item', async () => {
			const ctx = createContext(items(3));
			const failure = apiError(429, 'PDF Gorilla answered HTTP 429', 'Rate limit.', 1);
			const handler = jest.fn(async (itemIndex: number) => {
				if (itemIndex === 1) throw failure;
				return [{ json: {} }];
			});
			await expect(forEachItem(ctx, handler)).rejects.toBe(failure);
			expect(handler).toHaveBeenCalledTimes(2);
		});

		it('lets a NodeOperationError through unchanged', async () => {
			const ctx = createContext(items(1));
			const failure = new NodeOperationError(NODE, 'Job ID is empty', { itemIndex: 0 });
			await expect(
				forEachItem(ctx, async () => {
					throw failure;
				}),
			).rejects.toBe(failure);
		});

		it('wraps any other error in a NodeOperationError carrying the item index', async () => {
			const ctx = createContext(items(3));
			const cause = new RangeError('Invalid array length');
			const error = (await forEachItem(ctx, async (itemIndex) => {
				if (itemIndex === 2) throw cause;
				return [];
			}).then(
				() => undefined,
				(e: unknown) => e,
			)) as NodeOperationError;
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('Invalid array length');
			expect(error.node).toBe(NODE);
			expect(error.context.itemIndex).toBe(2);
			expect(error.cause).toBe(cause);
		});
	});
});

describe('requiredString', () => {
	it('trims a text parameter', () => {
		const ctx = createContext(items(1), { parameters: { jobId: ['  job-42  '] } });
		expect(requiredString(ctx, 'jobId', 'Job ID', 0)).toBe('job-42');
		expect(ctx.getNodeParameter).toHaveBeenCalledWith('jobId', 0, '');
	});

	it.each([
		['a version 1 text field', '  design_7 '],
		['a locator "From List"', { __rl: true, mode: 'list', value: 'design_7', cachedResultName: 'Invoice' }],
		['a locator "By ID"', { __rl: true, mode: 'id', value: ' design_7' }],
	])('reads %s', (_shape, saved) => {
		const ctx = createContext(items(1), { parameters: { designId: [saved] } });
		expect(requiredString(ctx, 'designId', 'Template ID', 0)).toBe('design_7');
	});

	it('refuses a locator left empty', () => {
		const ctx = createContext(items(1), { parameters: { designId: [{ __rl: true, mode: 'list', value: '' }] } });
		expect(() => requiredString(ctx, 'designId', 'Template ID', 0)).toThrow('Template ID is empty');
	});

	it('turns a number (from an expression) into text', () => {
		const ctx = createContext(items(1), { parameters: { jobId: [42] } });
		expect(requiredString(ctx, 'jobId', 'Job ID', 0)).toBe('42');
	});

	it.each([[''], ['   '], [null], [undefined], [{ id: 1 }]])('refuses %p with a clear error for that item', (value) => {
		const ctx = createContext(items(2), { parameters: { jobId: ['ok', value as unknown] } });
		let error: NodeOperationError | undefined;
		try {
			requiredString(ctx, 'jobId', 'Job ID', 1);
		} catch (caught) {
			error = caught as NodeOperationError;
		}
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe('Job ID is empty');
		expect(error!.description).toBe('Set Job ID, or connect this node to its trigger, whose output provides it.');
		expect(error!.context.itemIndex).toBe(1);
	});
});
