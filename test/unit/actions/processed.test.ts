/**
 * core/actions/processed.ts: "Skip Already Processed" on n8n's deduplication helpers, against
 * an in-memory model of n8n's processed_data table that races the way n8n's does.
 */
import { mock } from 'jest-mock-extended';
import type { DeduplicationItemTypes, ICheckProcessedOptions, IDeduplicationOutput, IExecuteFunctions } from 'n8n-workflow';

import { claimOnce, onceFor, PERSISTED_EVENTS, releaseClaim, STALE_LOCK_MS, type Claim } from '../../../core/actions/processed';

/** A claim written to the database, as for items answered Immediately. */
const claim = (key: string): Claim => ({ key, persist: true, retryOfFailedDelivery: false });

const EXPECTED_OPTIONS = { mode: 'entries', maxEntries: 2 * PERSISTED_EVENTS };

/**
 * n8n's processed_data table as n8n's DeduplicationHelper uses it: one row per
 * (workflow, context), read with findOne, changed in memory and written back with an UPDATE,
 * with awaits in between (no lock), and created with an INSERT that fails on the primary key
 * when the row appeared meanwhile.
 */
let tables = 0;

class ProcessedDataTable {
	readonly rows = new Map<string, string[]>();
	/** Each table is one workflow's: the claims memory is process-wide, keyed by workflow. */
	readonly workflowId = `wf${++tables}`;

	private async roundTrip(): Promise<void> {
		await new Promise((resolve) => setImmediate(resolve));
	}

	helpers(nodeId: string) {
		const contextOf = (scope: string) => (scope === 'node' ? `n:${nodeId}` : '');
		const checkProcessedAndRecord = jest.fn(
			async (items: DeduplicationItemTypes[], scope: string, options: ICheckProcessedOptions): Promise<IDeduplicationOutput> => {
				const context = contextOf(scope);
				await this.roundTrip();
				const found = this.rows.get(context);
				const row = found ? [...found] : undefined;
				await this.roundTrip();
				if (!row) {
					if (this.rows.has(context)) throw new Error('duplicate key value violates unique constraint "PK_ca04b9d8dc72de268fe07a65773"');
					this.rows.set(context, items.map(String).slice(-(options.maxEntries ?? Infinity)));
					return { new: items, processed: [] };
				}
				const fresh: DeduplicationItemTypes[] = [];
				const processed: DeduplicationItemTypes[] = [];
				for (const item of items) {
					if (row.includes(String(item))) processed.push(item);
					else {
						fresh.push(item);
						row.push(String(item));
					}
				}
				if (options.maxEntries) row.splice(0, row.length - options.maxEntries);
				if (this.rows.has(context)) this.rows.set(context, row);
				return { new: fresh, processed };
			},
		);
		const removeProcessed = jest.fn(async (items: DeduplicationItemTypes[], scope: string, _options: ICheckProcessedOptions) => {
			const context = contextOf(scope);
			await this.roundTrip();
			const found = this.rows.get(context);
			if (!found) return;
			const row = found.filter((value) => !items.map(String).includes(value));
			await this.roundTrip();
			if (this.rows.has(context)) this.rows.set(context, row);
		});
		const clearAllProcessedItems = jest.fn(async (scope: string, _options: ICheckProcessedOptions) => {
			await this.roundTrip();
			this.rows.delete(contextOf(scope));
		});
		return { checkProcessedAndRecord, removeProcessed, clearAllProcessedItems };
	}

	claims(): string[] {
		return this.rows.get('') ?? [];
	}
}

let executions = 0;

/** One execution of the download node (its own execution id) on a shared processed-data table. */
function createContext(options: { table?: ProcessedDataTable; nodeId?: string; mode?: string; executionId?: string } = {}) {
	const table = options.table ?? new ProcessedDataTable();
	const helpers = table.helpers(options.nodeId ?? 'download-node');
	const executionId = options.executionId ?? String(++executions);
	const ctx = mock<IExecuteFunctions>();
	ctx.helpers = helpers as unknown as IExecuteFunctions['helpers'];
	ctx.getWorkflow.mockReturnValue({ id: table.workflowId, active: true });
	ctx.getExecutionId.mockReturnValue(executionId);
	ctx.getMode.mockReturnValue((options.mode ?? 'webhook') as ReturnType<IExecuteFunctions['getMode']>);
	ctx.logger = { warn: jest.fn(), info: jest.fn(), debug: jest.fn(), error: jest.fn() } as unknown as IExecuteFunctions['logger'];
	const recorded = { has: (key: string) => table.claims().includes(key) };
	/** A later execution of the same workflow. */
	const another = (more: { mode?: string; executionId?: string } = {}) => createContext({ nodeId: options.nodeId, ...more, table }).ctx;
	return { ctx, table, recorded, another, ...helpers };
}

/** claimOnce of a fresh copy of the module: another n8n process, with memory of its own. */
function claimOnceInAnotherProcess(): typeof claimOnce {
	let claimInProcess!: typeof claimOnce;
	jest.isolateModules(() => {
		claimInProcess = (jest.requireActual('../../../core/actions/processed') as { claimOnce: typeof claimOnce }).claimOnce;
	});
	return claimInProcess;
}

describe('claimOnce / releaseClaim', () => {
	it("claims a key once per workflow, in 'entries' mode with a bounded history", async () => {
		const { ctx, another, checkProcessedAndRecord } = createContext({ executionId: '41' });
		await expect(claimOnce(ctx, claim('pdfGorilla:job:1'))).resolves.toBe(true);
		await expect(claimOnce(another(), claim('pdfGorilla:job:1'))).resolves.toBe(false);
		await expect(claimOnce(another(), claim('pdfGorilla:job:2'))).resolves.toBe(true);
		expect(checkProcessedAndRecord).toHaveBeenCalledWith(['pdfGorilla:job:1', 'pdfGorilla:job:1@execution:41'], 'workflow', EXPECTED_OPTIONS);
	});

	it('lets the execution that claimed a key claim it again in another process (n8n 1.x re-runs a killed worker\'s job under the same id)', async () => {
		const { ctx, table } = createContext({ executionId: '77' });
		await expect(claimOnce(ctx, claim('job:1'))).resolves.toBe(true);
		const otherWorker = claimOnceInAnotherProcess();
		await expect(otherWorker(createContext({ table, executionId: '77' }).ctx, claim('job:1'))).resolves.toBe(true);
		await expect(otherWorker(createContext({ table, executionId: '78' }).ctx, claim('job:1'))).resolves.toBe(false);
		// The loser's mark is not left behind to fill the history.
		expect(table.claims()).toEqual(['job:1', 'job:1@execution:77']);
	});

	it('lets only one of two runs of the same execution in one process through (n8n 1.x runs an execution started at boot twice)', async () => {
		const { ctx, another, table } = createContext({ executionId: '5' });
		const runs = await Promise.all([claimOnce(ctx, claim('job:boot')), claimOnce(another({ executionId: '5' }), claim('job:boot'))]);
		expect(runs.sort()).toEqual([false, true]);
		await expect(claimOnce(another({ executionId: '5' }), claim('job:boot'))).resolves.toBe(false);
		expect(table.claims()).toEqual(['job:boot', 'job:boot@execution:5']);
	});

	it('releases a claim so the key can be claimed again', async () => {
		const { ctx, another, table, removeProcessed } = createContext({ executionId: '5' });
		await claimOnce(ctx, claim('k'));
		await releaseClaim(ctx, claim('k'));
		expect(removeProcessed).toHaveBeenCalledWith(['k', 'k@execution:5'], 'workflow', EXPECTED_OPTIONS);
		expect(table.claims()).toEqual([]);
		await expect(claimOnce(another(), claim('k'))).resolves.toBe(true);
	});
});

describe('onceFor', () => {
	it('runs the work the first time and keeps the claim', async () => {
		const { ctx, recorded, removeProcessed } = createContext();
		const work = jest.fn(async () => 'file');
		await expect(onceFor(ctx, claim('job:1'), work)).resolves.toBe('file');
		expect(work).toHaveBeenCalledTimes(1);
		expect(recorded.has('job:1')).toBe(true);
		expect(removeProcessed).not.toHaveBeenCalled();
	});

	it('skips (undefined) without running the work when the key was claimed before', async () => {
		const { ctx, another } = createContext();
		await onceFor(ctx, claim('job:1'), async () => 'first');
		const work = jest.fn(async () => 'second');
		await expect(onceFor(another(), claim('job:1'), work)).resolves.toBeUndefined();
		expect(work).not.toHaveBeenCalled();
	});

	it('releases the claim when the work throws, and rethrows the same error', async () => {
		const { ctx, another, recorded, removeProcessed } = createContext();
		const failure = new Error('download failed');
		await expect(
			onceFor(ctx, claim('job:1'), async () => {
				throw failure;
			}),
		).rejects.toBe(failure);
		expect(removeProcessed).toHaveBeenCalledWith(['job:1', expect.stringMatching(/^job:1@execution:/)], 'workflow', EXPECTED_OPTIONS);
		expect(recorded.has('job:1')).toBe(false);
		// The provider's retry of the same event is therefore not swallowed.
		await expect(onceFor(another(), claim('job:1'), async () => 'retried')).resolves.toBe('retried');
	});

	it('claims before the work starts, so a racing second execution of the same event skips', async () => {
		const { ctx, another } = createContext();
		let finish!: (value: string) => void;
		const slow = jest.fn(() => new Promise<string>((resolve) => (finish = resolve)));
		const first = onceFor(ctx, claim('job:1'), slow);
		await new Promise((resolve) => setImmediate(resolve));
		const racing = jest.fn(async () => 'duplicate');
		await expect(onceFor(another(), claim('job:1'), racing)).resolves.toBeUndefined();
		// The first one writes its claim to the database before it starts the work.
		while (slow.mock.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
		finish('file');
		await expect(first).resolves.toBe('file');
		expect(racing).not.toHaveBeenCalled();
	});

	it('runs the work without any claim when there is no key (option off)', async () => {
		const { ctx, checkProcessedAndRecord, removeProcessed } = createContext();
		await expect(onceFor(ctx, undefined, async () => 1)).resolves.toBe(1);
		await expect(onceFor(ctx, undefined, async () => 2)).resolves.toBe(2);
		await expect(
			onceFor(ctx, undefined, async () => {
				throw new Error('x');
			}),
		).rejects.toThrow('x');
		expect(checkProcessedAndRecord).not.toHaveBeenCalled();
		expect(removeProcessed).not.toHaveBeenCalled();
	});

	it('keeps the claim for work that succeeds with a falsy result', async () => {
		const { ctx, removeProcessed } = createContext();
		await expect(onceFor(ctx, claim('k'), async () => 0)).resolves.toBe(0);
		expect(removeProcessed).not.toHaveBeenCalled();
	});

	// Regression (fixed in 0813c7f): the claim is released in a `finally`; when removeProcessed itself
	// failed (a database hiccup), its error replaced the work's, so the user saw a deduplication error
	// instead of why the download failed.
	test("a failing release does not hide the work's own error", async () => {
		const { ctx, removeProcessed } = createContext();
		removeProcessed.mockRejectedValueOnce(new Error('SQLITE_BUSY: database is locked'));
		const failure = new Error('PDF Gorilla answered HTTP 404');
		await expect(
			onceFor(ctx, claim('k'), async () => {
				throw failure;
			}),
		).rejects.toBe(failure);
	});
});

describe("claimOnce and n8n's own row-creation race", () => {
	it("tries again when two executions created the workflow's processed-data row at the same moment", async () => {
		const { ctx, checkProcessedAndRecord } = createContext();
		const real = checkProcessedAndRecord.getMockImplementation()!;
		checkProcessedAndRecord.mockImplementation(async (items, scope, options) => {
			if (scope === 'workflow' && checkProcessedAndRecord.mock.calls.filter(([, s]) => s === 'workflow').length === 1) {
				throw new Error('duplicate key value violates unique constraint "PK_ca04b9d8dc72de268fe07a65773"');
			}
			return await real(items, scope, options);
		});
		await expect(claimOnce(ctx, claim('pdfGorilla:job:race'))).resolves.toBe(true);
		expect(checkProcessedAndRecord.mock.calls.filter(([, scope]) => scope === 'workflow')).toHaveLength(2);
	});

	it('does not hide other database errors, and leaves no lock behind', async () => {
		const { ctx, table, checkProcessedAndRecord } = createContext();
		const real = checkProcessedAndRecord.getMockImplementation()!;
		checkProcessedAndRecord.mockImplementation(async (items, scope, options) => {
			if (scope === 'workflow') throw new Error('connection terminated');
			return await real(items, scope, options);
		});
		await expect(claimOnce(ctx, claim('k'))).rejects.toThrow('connection terminated');
		expect(checkProcessedAndRecord.mock.calls.filter(([, scope]) => scope === 'workflow')).toHaveLength(1);
		expect(table.rows.has('n:download-node')).toBe(false);
	});
});

/** The claimed event keys, without the owner marks. */
function eventKeys(table: ProcessedDataTable): string[] {
	return table.claims().filter((value) => !value.includes('@execution:'));
}

describe('claims under concurrency (the race n8n has on its own)', () => {
	const keys = Array.from({ length: 20 }, (_, i) => `pdfGorilla:job:${i}`);

	it("n8n's helper alone loses keys and lets a key through twice when executions run at once", async () => {
		const table = new ProcessedDataTable();
		const { checkProcessedAndRecord } = table.helpers('download-node');
		table.rows.set('', ['pdfGorilla:job:earlier']);
		const results = await Promise.all([...keys, ...keys].map(async (key) => await checkProcessedAndRecord([key], 'workflow', { mode: 'entries', maxEntries: 10_000 })));
		const firstTimes = results.filter((r) => r.new.length === 1).length;
		expect(firstTimes).toBeGreaterThan(keys.length);
		expect(table.claims().length).toBeLessThan(keys.length + 1);
	});

	it('claims every key exactly once and loses none, within one process', async () => {
		const { another, table } = createContext();
		const claimed = await Promise.all([...keys, ...keys, ...keys].map(async (key) => ((await claimOnce(another(), claim(key))) ? key : undefined)));
		expect(claimed.filter(Boolean).sort()).toEqual([...keys].sort());
		expect(eventKeys(table).sort()).toEqual([...keys].sort());
		expect(table.rows.has('n:download-node')).toBe(false);
	});

	it('claims every key exactly once across processes (queue-mode workers) sharing the table', async () => {
		const table = new ProcessedDataTable();
		// Each worker process has its own copy of the module, so only the lock row orders them.
		const processes = [1, 2, 3].map(() => ({ claim: claimOnceInAnotherProcess(), ctx: () => createContext({ table }).ctx }));
		const attempts = keys.flatMap((key, i) => processes.map((p, j) => ({ key, p: processes[(i + j) % processes.length] ?? p })));
		const claimed = await Promise.all(attempts.map(async ({ key, p }) => ((await p.claim(p.ctx(), claim(key))) ? key : undefined)));
		expect(claimed.filter(Boolean).sort()).toEqual([...keys].sort());
		expect(eventKeys(table).sort()).toEqual([...keys].sort());
	});

	it('keeps releases and claims of different keys from overwriting each other', async () => {
		const { another, table } = createContext();
		const owners = keys.map(() => another());
		await Promise.all(keys.map(async (key, i) => await claimOnce(owners[i], claim(key))));
		const released = keys.filter((_, i) => i % 2 === 0);
		await Promise.all([...released.map(async (key) => await releaseClaim(owners[keys.indexOf(key)], claim(key))), claimOnce(another(), claim('late:1')), claimOnce(another(), claim('late:2'))]);
		expect(eventKeys(table).sort()).toEqual([...keys.filter((_, i) => i % 2 === 1), 'late:1', 'late:2'].sort());
	});
});

describe('the claim lock', () => {
	afterEach(() => jest.restoreAllMocks());

	it('takes over a lock left behind by a process that died holding it', async () => {
		const { ctx, table } = createContext();
		table.rows.set('n:download-node', ['claim-lock']);
		let now = 1_000_000;
		jest.spyOn(Date, 'now').mockImplementation(() => (now += STALE_LOCK_MS / 4));
		await expect(claimOnce(ctx, claim('job:after-crash'))).resolves.toBe(true);
		expect(ctx.logger.warn).toHaveBeenCalledWith(expect.stringMatching(/taking over a claim lock/));
		expect(table.rows.has('n:download-node')).toBe(false);
	});

	it('waits for a lock that is held, instead of taking it over', async () => {
		const { ctx, table } = createContext();
		table.rows.set('n:download-node', ['claim-lock']);
		const pending = claimOnce(ctx, claim('job:waiting'));
		await new Promise((resolve) => setTimeout(resolve, 30));
		expect(table.claims()).not.toContain('job:waiting');
		table.rows.delete('n:download-node');
		await expect(pending).resolves.toBe(true);
		expect(ctx.logger.warn).not.toHaveBeenCalled();
	});
});

describe("retries started from the Executions list (mode 'retry')", () => {
	it('run the work even though the key was claimed, e.g. by the execution that crashed', async () => {
		const table = new ProcessedDataTable();
		await claimOnce(createContext({ table }).ctx, claim('job:crashed'));
		const { ctx } = createContext({ table, mode: 'retry' });
		await expect(onceFor(ctx, claim('job:crashed'), async () => 'file')).resolves.toBe('file');
		await expect(onceFor(createContext({ table }).ctx, claim('job:crashed'), async () => 'again')).resolves.toBeUndefined();
	});
});

describe('a key claimed in the database by another process', () => {
	it('is not taken by the execution that found it claimed, even on a second look (two download nodes)', async () => {
		const table = new ProcessedDataTable();
		// Another worker claimed it: the row has the key, this process's memory does not.
		table.rows.set('', ['job:elsewhere', 'job:elsewhere@execution:other']);
		const { ctx } = createContext({ table });
		await expect(claimOnce(ctx, claim('job:elsewhere'))).resolves.toBe(false);
		await expect(claimOnce(ctx, claim('job:elsewhere'))).resolves.toBe(false);
	});
});
