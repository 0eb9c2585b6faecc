/**
 * Deduplication's cost per event against how many events it remembers (issue 14: "its cost
 * per event does not grow with how many events it remembers"), in this process, on the
 * package's own TypeScript modules:
 *
 * - the trigger's retry filter, admitDelivery (core/delivery/dedupe.ts), for a new event with
 *   0, 10,000 and 100,000 keys already remembered in the same trigger's scope;
 * - the download action's claim, claimOnce with persist (core/actions/processed.ts), for a new
 *   event with 0, 10,000 and 100,000 events remembered by the workflow: that many keys in the
 *   memory ledger and n8n's processed_data row as those claims left it (the newest
 *   PERSISTED_EVENTS events), against a model of n8n's processed_data helper (below).
 * The design before issue 14 (a static-data filter and a claim with no memory in front) was
 * measured here too until it was removed; its figures stay in bench/RESULTS.md, section 5.
 *
 * Every size is measured in each of several rounds, the sizes' order alternating between
 * rounds; each round starts from a freshly filled state (the clock moved past the 48 h
 * memory TTL empties the ledgers) and times a fixed number of new events, so the state grows
 * by only that many while measured. Reported: the median over rounds of µs per event, and its
 * ratio to the same design's 0-remembered row.
 *
 * What the model leaves out: the database round trips and the SQLite/PostgreSQL write of the
 * row (the same number of statements per claim at every size, but the written row is as long
 * as the JSON below, so the real cost of a large row is higher than measured here).
 */
import { createHash } from 'node:crypto';
import type { DeduplicationItemTypes, ICheckProcessedOptions, IDeduplicationOutput, IExecuteFunctions } from 'n8n-workflow';

import { claimOnce, PERSISTED_EVENTS } from '../core/actions/processed';
import { admitDelivery } from '../core/delivery/dedupe';
import { hashKey } from '../core/ledger';
import { fmt, log, median, type Row } from './lib';

export const REMEMBERED = [0, 10_000, 100_000];

const HOUR = 60 * 60 * 1000;

/**
 * Date.now() as core/actions/processed.ts sees it: moved forward past the memory's 48 h TTL
 * between rounds, so the next look-up expires every key (untimed) and a round starts empty.
 */
const realNow = Date.now.bind(Date);
let clockOffsetMs = 0;
function fakeClock(): () => void {
	Date.now = () => realNow() + clockOffsetMs;
	return () => {
		Date.now = realNow;
	};
}
function jumpPastTtl(): void {
	clockOffsetMs += 49 * HOUR;
}

/**
 * n8n's processed_data table as its DeduplicationHelper uses it (n8n 2.41.1,
 * dist/deduplication/deduplication-helper.js), mode 'entries': one row per (workflow, context)
 * whose value is { mode, data: md5-base64 hashes }, found (JSON parsed), changed in memory and
 * written back whole (JSON serialised) on every call; maxEntries trims the oldest. Each
 * database call is one await.
 */
class ProcessedData {
	private readonly rows = new Map<string, string>();

	static hash(value: DeduplicationItemTypes): string {
		return createHash('md5').update(value.toString()).digest('base64');
	}

	private key(workflowId: string, scope: string, nodeId: string): string {
		return `${workflowId}|${scope === 'node' ? `n:${nodeId}` : ''}`;
	}

	/** Sets a row as n8n would have left it, e.g. after many claims. */
	fill(workflowId: string, scope: string, nodeId: string, hashes: string[]): void {
		this.rows.set(this.key(workflowId, scope, nodeId), JSON.stringify({ mode: 'entries', data: hashes }));
	}

	clear(): void {
		this.rows.clear();
	}

	helpers(workflowId: string, nodeId: string) {
		const find = async (key: string): Promise<{ mode: string; data: string[] } | undefined> => {
			await null;
			const text = this.rows.get(key);
			return text === undefined ? undefined : (JSON.parse(text) as { mode: string; data: string[] });
		};
		const write = async (key: string, value: { mode: string; data: string[] }) => {
			await null;
			this.rows.set(key, JSON.stringify(value));
		};
		return {
			checkProcessedAndRecord: async (items: DeduplicationItemTypes[], scope: string, options: ICheckProcessedOptions): Promise<IDeduplicationOutput> => {
				const key = this.key(workflowId, scope, nodeId);
				const found = await find(key);
				if (found && found.mode !== options.mode) throw new Error('Deduplication data was originally saved with an incompatible setting');
				const hashed = items.map(ProcessedData.hash);
				if (!found) {
					if (options.maxEntries) hashed.splice(0, hashed.length - options.maxEntries);
					// An INSERT: fails when the row appeared meanwhile (never here: one claim at a time).
					if (this.rows.has(key)) throw new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed: processed_data.workflowId, processed_data.context');
					await write(key, { mode: options.mode, data: hashed });
					return { new: items, processed: [] };
				}
				const out: IDeduplicationOutput = { new: [], processed: [] };
				const seen = new Set(found.data);
				hashed.forEach((h, i) => {
					if (seen.has(h)) out.processed.push(items[i]);
					else {
						out.new.push(items[i]);
						found.data.push(h);
					}
				});
				if (options.maxEntries) found.data.splice(0, found.data.length - options.maxEntries);
				await write(key, found);
				return out;
			},
			removeProcessed: async (items: DeduplicationItemTypes[], scope: string): Promise<void> => {
				const key = this.key(workflowId, scope, nodeId);
				const found = await find(key);
				if (!found) return;
				for (const h of items.map(ProcessedData.hash)) {
					const index = found.data.findIndex((v) => v === h);
					if (index !== -1) found.data.splice(index, 1);
				}
				await write(key, found);
			},
			clearAllProcessedItems: async (scope: string): Promise<void> => {
				await null;
				this.rows.delete(this.key(workflowId, scope, nodeId));
			},
		};
	}
}

const noop = () => undefined;

/** The download node's execution context, as much of it as the claim path touches; one execution per event. */
function downloadContext(table: ProcessedData, workflowId: string): { ctx: IExecuteFunctions; next(): void } {
	let execution = 0;
	const ctx = {
		helpers: table.helpers(workflowId, 'download-node'),
		getWorkflow: () => ({ id: workflowId, active: true }),
		getExecutionId: () => String(execution),
		getMode: () => 'webhook',
		getNode: () => ({ id: 'download-node', name: 'Download PDF' }),
		logger: { warn: noop, info: noop, debug: noop, error: noop },
	} as unknown as IExecuteFunctions;
	return { ctx, next: () => void execution++ };
}

interface Design {
	label: string;
	/** What the state holds after `remembered` events (for the row's text). */
	holds(remembered: number): string;
	/** New events timed per round. */
	perRound: number;
	/** Rounds as a multiple of the rounds asked for (the fast designs' slices are short, so noisier). */
	roundsFactor?: number;
	/** Fills the state to `remembered` events (untimed); returns the timed step for new event i. */
	prepare(remembered: number, round: number): Promise<(i: number) => Promise<void> | void>;
	async: boolean;
}

let run = 0;

/** The trigger's filter now: one ledger per trigger node, in memory. */
const admitNow: Design = {
	label: "Trigger retry filter, admitDelivery (core/delivery/dedupe.ts, in memory), per new event",
	holds: (n) => `${n.toLocaleString('en-US')} keys in memory`,
	perRound: 5_000,
	roundsFactor: 3,
	async: false,
	async prepare(remembered) {
		const scope = `bench-admit-${remembered}`;
		jumpPastTtl();
		const base = `${++run}-`;
		for (let i = 0; i < remembered; i++) admitDelivery(scope, `pdfGorilla:old-${base}${i}`, 'receipt', Date.now());
		const keys = Array.from({ length: this.perRound }, (_, i) => `pdfGorilla:cma1b2c3d4e5f6g7h8-${base}${i}`);
		return (i) => {
			if (admitDelivery(scope, keys[i], 'receipt', Date.now()) !== 'new') throw new Error('admitDelivery did not admit a new event');
		};
	},
};

/** The download's claim now: memory first, then the processed_data row under a lock row. */
function claimNow(table: ProcessedData): Design {
	return {
		label: 'Download action claim, claimOnce with persist (core/actions/processed.ts: memory, then processed_data under a lock row), per new event',
		holds: (n) => `${n.toLocaleString('en-US')} in memory, ${Math.min(n, PERSISTED_EVENTS).toLocaleString('en-US')} in the row`,
		perRound: 100,
		async: true,
		async prepare(remembered) {
			const workflowId = `bench-claim-${remembered}`;
			table.clear();
			jumpPastTtl();
			const { ctx, next } = downloadContext(table, workflowId);
			const base = `${++run}-`;
			const rowHashes: string[] = [];
			for (let i = 0; i < remembered; i++) {
				next();
				const key = `pdfGorilla:${hashKey(`pdfGorilla:old-${base}${i}`)}`;
				// Memory only here; the row is filled below as these claims would have left it.
				if (!(await claimOnce(ctx, { key, persist: false, retryOfFailedDelivery: false }))) throw new Error('prefill claim refused');
				if (i >= remembered - PERSISTED_EVENTS) rowHashes.push(ProcessedData.hash(key), ProcessedData.hash(`${key}@execution:${ctx.getExecutionId()}`));
			}
			if (rowHashes.length) table.fill(workflowId, 'workflow', 'download-node', rowHashes);
			const keys = Array.from({ length: this.perRound }, (_, i) => `pdfGorilla:${hashKey(`pdfGorilla:new-${base}${i}`)}`);
			return async (i) => {
				next();
				if (!(await claimOnce(ctx, { key: keys[i], persist: true, retryOfFailedDelivery: false }))) throw new Error('claimOnce refused a new event');
			};
		},
	};
}

/** µs per event for each size: median over alternating rounds. */
async function measure(design: Design, rounds: number): Promise<Map<number, number>> {
	const samples = new Map<number, number[]>(REMEMBERED.map((n) => [n, []]));
	rounds *= design.roundsFactor ?? 1;
	// Round 0 is a warm-up (JIT, first allocations), not counted.
	for (let round = 0; round <= rounds; round++) {
		const order = round % 2 ? [...REMEMBERED].reverse() : REMEMBERED;
		for (const remembered of order) {
			const step = await design.prepare(remembered, round);
			const started = performance.now();
			if (design.async) for (let i = 0; i < design.perRound; i++) await step(i);
			else for (let i = 0; i < design.perRound; i++) void step(i);
			const us = ((performance.now() - started) * 1000) / design.perRound;
			if (round > 0) samples.get(remembered)!.push(us);
		}
	}
	return new Map([...samples].map(([n, values]) => [n, median(values)]));
}

function formatUs(us: number): string {
	return us >= 100 ? fmt(us, 0) : us >= 10 ? fmt(us, 1) : fmt(us, 2);
}

function rowsFor(design: Design, results: Map<number, number>, goal: string | undefined): Row[] {
	const zero = results.get(0)!;
	return REMEMBERED.filter((n) => n > 0).map((n) => {
		const us = results.get(n)!;
		const ratio = us / zero;
		return {
			benchmark: `${design.label}, ${n.toLocaleString('en-US')} events remembered`,
			ours: `${formatUs(us)} µs/event (${fmt(1e6 / us / 1000, 1)} k events/s; holds ${design.holds(n)})`,
			baseline: `${formatUs(zero)} µs/event (0 remembered)`,
			// Time per event, so a ratio above 1 is slower.
			ratio,
			goal: goal ?? '—',
			met: goal ? ratio <= 1.1 : undefined,
			note: n === 100_000 ? `÷ 10,000 remembered: ${(us / results.get(10_000)!).toFixed(2)}×` : undefined,
		};
	});
}

export async function benchDedupe(rounds = Number(process.env.BENCH_DEDUPE_ROUNDS ?? 9)): Promise<Row[]> {
	const restore = fakeClock();
	const table = new ProcessedData();
	const rows: Row[] = [];
	try {
		for (const [design, goal] of [
			[admitNow, '≤ 1.1'],
			[claimNow(table), '≤ 1.1'],
		] as const) {
			const results = await measure(design, rounds);
			log(`dedupe: ${design.label}: ${REMEMBERED.map((n) => `${n}: ${formatUs(results.get(n)!)} µs`).join(', ')}`);
			rows.push(...rowsFor(design, results, goal));
		}
	} finally {
		restore();
	}
	return rows;
}

if (require.main === module) {
	benchDedupe()
		.then((rows) => {
			for (const r of rows) process.stdout.write(`${r.benchmark}: ${r.ours}, baseline ${r.baseline}, ratio ${r.ratio.toFixed(2)} (goal ${r.goal})\n`);
		})
		.catch((e: unknown) => {
			process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
			process.exit(1);
		});
}
