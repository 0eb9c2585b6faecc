/**
 * Webhook throughput and latency: each of our five triggers at its defaults (verification on,
 * deduplication on), every request a new, correctly signed event, against n8n's built-in
 * Webhook node with Header Auth on the same instance fed the same kind of unique bodies
 * (plus the Header Auth header), driven by autocannon from this (second) process on loopback,
 * bounded in time, in each of four settings (WEBHOOK_SETTINGS: n8n 2.x's default expression
 * engine or N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true, each with successful executions saved or
 * not). Reference in the same rounds: the plain Webhook node with the same unique bodies
 * (BENCH_WEBHOOK_FIXED_BODY=1 adds the trigger with deduplication off fed one fixed body, what
 * the earliest rows measured).
 *
 * Per trigger: every side warmed up, then measured in one order and again in the reverse
 * order, so drift and other load on the machine hit all sides alike. Then, for the triggers
 * that check a secret, forged deliveries (a wrong signature or secret): the n8n process's CPU
 * per refused request against the Webhook node with Header Auth refusing a wrong header, which
 * reads its credential for every request, as our triggers did before they remembered secrets.
 */
import { writeFileSync } from 'node:fs';

import autocannon from 'autocannon';

import { delay, N8nInstance } from '../test/harness/n8n';
import { builtInWebhookNode, linearWorkflow, newWebhookId } from '../test/harness/workflows';
import { BENCH_N8N_VERSION, chosenWebhookSettings, ensureN8nAndPackage, fmt, log, percentile, processCpuMs, settle, WEBHOOK_SETTINGS, type Row } from './lib';
import { TARGET_NAMES, TARGETS, request, setUpTrigger, setUpWebhookNode, uniqueRequests, type BenchRequest, type TargetName } from './targets';

/** The four settings every webhook row is measured in (in lib.ts: the profiler runs them too). */
export { WEBHOOK_SETTINGS };

export interface LoadResult {
	rps: number;
	p50: number;
	p99: number;
	/** Requests that did not get a 2xx, and socket errors. */
	failed: number;
	total2xx: number;
	/** Requests answered in the measured time. */
	requests: number;
	/** Requests sent in the measured time (n8n works on the last ones after it). */
	sent: number;
	/** How long the load ran, in seconds (summed over windows). */
	seconds: number;
	/** Every answer's latency in ms, so a side's percentiles are taken over all its windows together. */
	latencies: number[];
	/** A side's windows taken together: the throughput of each round (its two windows), in order. */
	roundRps?: number[];
}

export const CONNECTIONS = 10;

export async function load(url: string, body: string, headers: Record<string, string>, seconds: number): Promise<LoadResult> {
	return await measure({ url, method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, connections: CONNECTIONS, duration: seconds });
}

/** Like load(), but every request is built by `next()`: its own body and headers (e.g. a new signed event). */
export async function loadEach(url: string, next: () => BenchRequest, seconds: number): Promise<LoadResult> {
	return await measure({
		url,
		method: 'POST',
		connections: CONNECTIONS,
		duration: seconds,
		requests: [
			{
				setupRequest: (req) => {
					const r = next();
					return { ...req, method: 'POST', body: r.body, headers: { 'content-type': 'application/json', ...r.headers } };
				},
			},
		],
	});
}

/** One autocannon run, keeping every answer's latency as well as autocannon's summary. */
async function measure(options: autocannon.Options): Promise<LoadResult> {
	const latencies: number[] = [];
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon(options, (error: Error | null, r: autocannon.Result) => (error ? reject(error) : resolve(r)));
		instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
	});
	return {
		rps: result.requests.total / result.duration,
		p50: percentile(latencies, 50),
		p99: percentile(latencies, 99),
		failed: result.non2xx + result.errors + result.timeouts,
		total2xx: result['2xx'],
		requests: result.requests.total,
		sent: result.requests.sent,
		seconds: result.duration,
		latencies,
	};
}

export interface Pair {
	ours: LoadResult;
	baseline: LoadResult;
}

/**
 * Every side warmed up, then run in order and in reverse order (A-B-C-C-B-A), `rounds` times,
 * the order rotated by one side each round (B-C-A-A-C-B, then C-A-B-B-A-C); returns each side's
 * windows taken together.
 */
export async function alternateSides<K extends string>(
	sides: Record<K, { run: () => Promise<LoadResult>; warm: () => Promise<unknown> }>,
	between: () => Promise<void> = async () => {},
	rounds = benchRounds(),
): Promise<Record<K, LoadResult>> {
	const names = Object.keys(sides) as K[];
	for (const name of names) await sides[name].warm();
	const runs = {} as Record<K, LoadResult[]>;
	// Each round measures every side in one order and again in the reverse order. Without the
	// rotation, with three sides, the middle side (the trigger) always ran right after the plain
	// Webhook node's window, the busiest one, and the first side never did; rotated, over as many
	// rounds as sides, every side runs in every position and after every other side equally often.
	for (let round = 0; round < rounds; round++) {
		const shift = round % names.length;
		const order = [...names.slice(shift), ...names.slice(0, shift)];
		for (const name of [...order, ...[...order].reverse()]) {
			// n8n finishes the last side's executions first, so they do not slow down the next side.
			await between();
			(runs[name] ??= []).push(await sides[name].run());
		}
	}
	const out = {} as Record<K, LoadResult>;
	for (const name of names) {
		const windows = runs[name];
		const sum = (pick: (r: LoadResult) => number) => windows.reduce((a, r) => a + pick(r), 0);
		// All of a side's windows taken together: answers over total time, and percentiles over
		// every answer. A p99 is a window's few slowest answers, so one window's garbage
		// collection moved a per-window p99 by half; pooled, it weighs what it is.
		const latencies = windows.flatMap((r) => r.latencies);
		// Each round measured every side twice (in order and reversed): its windows are pairs.
		const roundRps: number[] = [];
		for (let round = 0; round + 1 < windows.length; round += 2) roundRps.push(pooledRps(windows.slice(round, round + 2)));
		out[name] = {
			rps: pooledRps(windows),
			p50: percentile(latencies, 50),
			p99: percentile(latencies, 99),
			failed: sum((r) => r.failed),
			total2xx: sum((r) => r.total2xx),
			requests: sum((r) => r.requests),
			sent: sum((r) => r.sent),
			seconds: sum((r) => r.seconds),
			latencies,
			roundRps,
		};
	}
	return out;
}

/** Answers over the total time of some windows. */
function pooledRps(windows: LoadResult[]): number {
	return windows.reduce((a, r) => a + r.requests, 0) / windows.reduce((a, r) => a + r.seconds, 0);
}

/** BENCH_ROUNDS: how many times each side is measured both ways (default 1); more rounds, less noise. */
function benchRounds(): number {
	const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
	return Number.isInteger(rounds) && rounds > 0 ? rounds : 1;
}

export function pairRows(name: string, pair: Pair, baselineLabel: string, goals = true): Row[] {
	const { ours, baseline } = pair;
	const failed = ours.failed > 0 ? `${ours.failed} requests failed` : undefined;
	// The spread between rounds shows how much of a ratio is this machine's noise.
	const perRound =
		ours.roundRps && baseline.roundRps && ours.roundRps.length > 1
			? `ratio by round ${ours.roundRps.map((rps, i) => (rps / baseline.roundRps![i]).toFixed(2)).join(', ')}`
			: undefined;
	return [
		{
			benchmark: `${name}: throughput`,
			ours: `${fmt(ours.rps)} req/s`,
			baseline: `${fmt(baseline.rps)} req/s (${baselineLabel})`,
			ratio: ours.rps / baseline.rps,
			goal: goals ? '≥ 0.97' : '—',
			met: goals ? ours.rps / baseline.rps >= 0.97 && ours.failed === 0 : undefined,
			note: [failed, perRound].filter(Boolean).join('; ') || undefined,
		},
		{
			benchmark: `${name}: p99 latency`,
			ours: `${fmt(ours.p99, 0)} ms (p50 ${fmt(ours.p50, 0)})`,
			baseline: `${fmt(baseline.p99, 0)} ms (p50 ${fmt(baseline.p50, 0)})`,
			ratio: ours.p99 / Math.max(1, baseline.p99),
			goal: goals ? '≤ 1.1' : '—',
			met: goals ? ours.p99 / Math.max(1, baseline.p99) <= 1.1 : undefined,
		},
	];
}

/** n8n's Webhook node with Header Auth: n8n's own way to check a shared secret, the like-for-like control for PDF-Sign. */
export async function setUpWebhookNodeWithHeaderAuth(n8n: N8nInstance, headerName: string, secret: string, serving: N8nInstance = n8n): Promise<string> {
	const credentialId = await n8n.createCredential({ name: 'bench header auth', type: 'httpHeaderAuth', data: { name: headerName, value: secret } });
	const hook = newWebhookId();
	const path = `bench-auth-${hook}`;
	const node = builtInWebhookNode(hook, path);
	await n8n.createWorkflow(
		linearWorkflow('bench: Webhook node with Header Auth', [
			{
				...node,
				parameters: { ...node.parameters, authentication: 'headerAuth' },
				credentials: { httpHeaderAuth: { id: credentialId, name: 'bench header auth' } },
			},
		]),
	);
	const url = `${serving.baseUrl}/webhook/${path}`;
	await serving.waitForWebhook(url);
	return url;
}

/** Header n8n's Webhook node with Header Auth checks in the baseline (PDF-Sign sends it anyway: the same check). */
export const AUTH_HEADER = 'x-webhook-secret';

/** Finished or running executions of a workflow, counted through the public API. */
async function executionCount(n8n: N8nInstance, workflowId: string): Promise<number> {
	return (await n8n.executions(workflowId)).length;
}

/** The same requests with the secret or signature replaced by a wrong one (what a forger sends). */
export function forgedRequests(next: () => BenchRequest): () => BenchRequest {
	return () => {
		const r = next();
		const headers = { ...r.headers };
		for (const name of ['x-pdfg-signature', 'x-docflo-signature', AUTH_HEADER]) if (name in headers) headers[name] = 'f'.repeat(64);
		return { body: r.body, headers };
	};
}

/** Loads `url` for `seconds` and reports the n8n process's CPU (all threads) per request sent, from idle to idle. */
async function cpuPerRequest(n8n: N8nInstance, url: string, next: () => BenchRequest, seconds: number): Promise<{ msPerRequest: number; requests: number; accepted: number }> {
	await settle(n8n.pid!);
	const before = processCpuMs(n8n.pid!);
	const r = await loadEach(url, next, seconds);
	await settle(n8n.pid!);
	return { msPerRequest: (processCpuMs(n8n.pid!) - before) / Math.max(1, r.sent), requests: r.sent, accepted: r.total2xx };
}

export async function benchWebhooks(
	version: string,
	options: { seconds: number; env?: Record<string, string>; label: string; targets?: TargetName[] },
): Promise<Row[]> {
	ensureN8nAndPackage(version);
	const n8n = await N8nInstance.start({ version, label: 'bench-webhook', env: { ...options.env } });
	const rows: Row[] = [];
	const half = Math.max(1, Math.round(options.seconds / 2));
	const fixedBody = process.env.BENCH_WEBHOOK_FIXED_BODY === '1';
	try {
		const webhookNode = await setUpWebhookNode(n8n);
		const secret = request('pdfSign').headers[AUTH_HEADER];
		const headerAuthUrl = await setUpWebhookNodeWithHeaderAuth(n8n, AUTH_HEADER, secret);
		for (const name of options.targets ?? TARGET_NAMES) {
			const t = await setUpTrigger(n8n, name);
			const off = fixedBody ? await setUpTrigger(n8n, name, n8n, { deduplicate: false }) : undefined;
			const events = uniqueRequests(name);
			const authed = uniqueRequests(name, { [AUTH_HEADER]: secret });
			const before = await executionCount(n8n, t.workflowId);
			let triggerAnswered = 0;
			const ours = async (seconds: number) => {
				const r = await loadEach(t.url, events, seconds);
				triggerAnswered += r.total2xx;
				return r;
			};
			const sides: Record<string, { run: () => Promise<LoadResult>; warm: () => Promise<unknown> }> = {
				headerAuth: { run: async () => await loadEach(headerAuthUrl, authed, half), warm: async () => await loadEach(headerAuthUrl, authed, 2) },
				trigger: { run: async () => await ours(half), warm: async () => await ours(2) },
				webhookNode: { run: async () => await loadEach(webhookNode.url, events, half), warm: async () => await loadEach(webhookNode.url, events, 2) },
			};
			if (off) {
				sides.triggerOff = { run: async () => await load(off.url, off.body, off.headers, half), warm: async () => await load(off.url, off.body, off.headers, 2) };
				sides.webhookNodeSame = { run: async () => await load(webhookNode.url, off.body, off.headers, half), warm: async () => await load(webhookNode.url, off.body, off.headers, 2) };
			}
			const r = await alternateSides(sides, async () => await settle(n8n.pid!));
			// Every answered request was a new event: each must have started an execution (also
			// with saving off: the public API lists running executions and n8n keeps none of the
			// finished ones, so this check needs saving on).
			let started = 0;
			const saved = options.env?.EXECUTIONS_DATA_SAVE_ON_SUCCESS !== 'none';
			for (let i = 0; saved && i < 20 && started < triggerAnswered; i++) {
				started = (await executionCount(n8n, t.workflowId)) - before;
				if (started < triggerAnswered) await delay(500);
			}
			const missing = saved ? triggerAnswered - started : 0;
			log(
				`${options.label}, ${t.label}: ${fmt(r.trigger.rps)} vs ${fmt(r.headerAuth.rps)} req/s Header Auth (${(r.trigger.rps / r.headerAuth.rps).toFixed(2)}×, p99 ${fmt(r.trigger.p99, 0)} vs ${fmt(r.headerAuth.p99, 0)} ms), ${fmt(r.webhookNode.rps)} plain (${(r.trigger.rps / r.webhookNode.rps).toFixed(2)}×); ${r.trigger.failed} failed${saved ? `, ${started} executions for ${triggerAnswered} answers` : ''}`,
			);
			const head = `Webhook, ${t.label} [${TARGETS[name].verification}]`;
			const main = pairRows(`${head}, defaults, unique signed events (n8n ${version}, ${options.label})`, { ours: r.trigger, baseline: r.headerAuth }, 'Webhook node + Header Auth');
			if (missing > 0) main[0] = { ...main[0], met: false, note: [main[0].note, `only ${started} executions for ${triggerAnswered} answered events`].filter(Boolean).join('; ') };
			rows.push(...main);
			rows.push({ ...pairRows(`${head}, defaults, unique signed events, reference: plain Webhook node (n8n ${version}, ${options.label})`, { ours: r.trigger, baseline: r.webhookNode }, 'Webhook node', false)[0] });
			if (off) {
				rows.push(...pairRows(`${head}, deduplication off, one fixed body (n8n ${version}, ${options.label})`, { ours: r.triggerOff, baseline: r.webhookNodeSame }, 'Webhook node', false));
			}
			if ('credential' in TARGETS[name]) rows.push(await forgedRow(n8n, `${head} (n8n ${version}, ${options.label})`, t.url, headerAuthUrl, name, secret, half));
		}
	} finally {
		await n8n.stop(60_000);
	}
	return rows;
}

/**
 * Forged deliveries: the n8n process's CPU per refused request, ours against the Webhook node
 * with Header Auth refusing a wrong header (A-B-B-A). Every request must be refused.
 */
async function forgedRow(n8n: N8nInstance, head: string, triggerUrl: string, headerAuthUrl: string, name: TargetName, secret: string, seconds: number): Promise<Row> {
	const ours = forgedRequests(uniqueRequests(name));
	const theirs = forgedRequests(uniqueRequests(name, { [AUTH_HEADER]: secret }));
	const runs = { ours: [] as Array<Awaited<ReturnType<typeof cpuPerRequest>>>, theirs: [] as Array<Awaited<ReturnType<typeof cpuPerRequest>>> };
	await loadEach(triggerUrl, ours, 1);
	await loadEach(headerAuthUrl, theirs, 1);
	for (let round = 0; round < benchRounds(); round++) {
		runs.theirs.push(await cpuPerRequest(n8n, headerAuthUrl, theirs, seconds));
		runs.ours.push(await cpuPerRequest(n8n, triggerUrl, ours, seconds));
		runs.ours.push(await cpuPerRequest(n8n, triggerUrl, ours, seconds));
		runs.theirs.push(await cpuPerRequest(n8n, headerAuthUrl, theirs, seconds));
	}
	const perRequest = (xs: typeof runs.ours) => xs.reduce((a, x) => a + x.msPerRequest * x.requests, 0) / Math.max(1, xs.reduce((a, x) => a + x.requests, 0));
	const accepted = [...runs.ours, ...runs.theirs].reduce((a, x) => a + x.accepted, 0);
	const o = perRequest(runs.ours);
	const t = perRequest(runs.theirs);
	log(`${head}, forged: ${fmt(o, 2)} vs ${fmt(t, 2)} ms of n8n CPU per refused request`);
	return {
		benchmark: `${head}, forged deliveries (wrong signature or secret): n8n process CPU per refused request`,
		ours: `${fmt(o, 2)} ms (${runs.ours.reduce((a, x) => a + x.requests, 0)} requests)`,
		baseline: `${fmt(t, 2)} ms (Webhook node + Header Auth refusing a wrong header: a credential read each)`,
		ratio: o / t,
		goal: '≤ 1.1',
		met: o / t <= 1.1 && accepted === 0,
		note: accepted > 0 ? `${accepted} forged requests were not refused` : undefined,
	};
}

if (require.main === module) {
	const seconds = Number(process.env.BENCH_SECONDS ?? 8);
	const targets = process.env.BENCH_TRIGGERS ? (process.env.BENCH_TRIGGERS.split(',') as TargetName[]) : undefined;
	(async () => {
		const rows: Row[] = [];
		for (const setting of chosenWebhookSettings()) rows.push(...(await benchWebhooks(BENCH_N8N_VERSION, { seconds, targets, label: setting.label, env: setting.env })));
		for (const r of rows) process.stdout.write(`${r.benchmark}: ours ${r.ours}, baseline ${r.baseline}, ratio ${r.ratio.toFixed(2)} (goal ${r.goal}, met ${r.met ?? '—'})\n`);
		if (process.env.BENCH_ROWS_FILE) writeFileSync(process.env.BENCH_ROWS_FILE, JSON.stringify(rows, null, 1));
	})().catch((e: unknown) => {
		process.stderr.write(`${String(e)}\n`);
		process.exit(1);
	});
}
