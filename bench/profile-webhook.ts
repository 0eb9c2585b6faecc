/**
 * Where a delivery's CPU goes inside n8n, ours against n8n's Webhook node with Header Auth:
 * one n8n 2.41.1 under `--cpu-prof`, both webhooks (and, with PROFILE_PLAIN=1, the plain
 * Webhook node) loaded in alternating windows (A-B-B-A per round) with a new, correctly
 * signed event per request, then per request and side:
 * - the n8n process's CPU time (utime + stime of all its threads, from /proc: it includes
 *   isolated-vm's isolate builds, which run partly off the main thread), and
 * - the main thread's samples by function, self and inclusive, and the difference ours −
 *   theirs, function by function.
 *
 *   npx tsx bench/profile-webhook.ts pdfGorilla                  # lazy acquire off, saving as by default
 *   PROFILE_ENV=N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true,EXECUTIONS_DATA_SAVE_ON_SUCCESS=none npx tsx bench/profile-webhook.ts pdfGorilla
 *   PROFILE_SETTINGS=all npx tsx bench/profile-webhook.ts pdfGorilla   # the four settings, one n8n each
 *   PROFILE_FORGED=1 ...                                          # every request to both sides fails verification
 *
 * PROFILE_COUNT=1 also counts, per request, n8n's isolate builds and acquisitions and its
 * credential reads (bench/count-calls.cjs, preloaded into n8n).
 *
 * BENCH_SECONDS (5) per window, PROFILE_ROUNDS (2). Summaries are also written next to the
 * profiles (the path is printed). The machine is shared: compare sides within one run.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { N8nInstance } from '../test/harness/n8n';
import { n8nDir } from '../test/harness/versions';
import { BENCH_N8N_VERSION, ensureN8nAndPackage, log, nowUs, processCpuMs, settle, WEBHOOK_SETTINGS } from './lib';
import { TARGETS, request, setUpTrigger, setUpWebhookNode, uniqueRequests, type BenchRequest, type TargetName } from './targets';
import { loadEach, setUpWebhookNodeWithHeaderAuth } from './webhook';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}
interface CpuProfile {
	startTime: number;
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

const frameKey = (f: ProfileNode['callFrame']) =>
	`${f.functionName || '(anonymous)'} ${f.url.replace(/.*node_modules\//, '').replace(/.*n8n-nodes-pdf-webhooks\//, 'ours:')}:${f.lineNumber + 1}`;

function packageOf(url: string): string {
	if (!url) return '(native/idle/gc)';
	if (url.includes('n8n-nodes-pdf-webhooks')) return 'n8n-nodes-pdf-webhooks (ours)';
	const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url.slice(url.lastIndexOf('node_modules/')));
	if (match) return match[1];
	if (url.startsWith('node:')) return 'node core';
	return url;
}

function inWindows(t: number, windows: Array<[number, number]>): boolean {
	for (const [a, b] of windows) if (t >= a && t <= b) return true;
	return false;
}

/** Self and inclusive main-thread time (ms) within `windows`, by `key` of each frame. */
function sampleTimes(profile: CpuProfile, windows: Array<[number, number]>, key: (frame: ProfileNode['callFrame']) => string) {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const self = new Map<string, number>();
	const inclusive = new Map<string, number>();
	let busy = 0;
	let t = profile.startTime;
	for (let i = 0; i < profile.samples.length; i++) {
		t += profile.timeDeltas[i] ?? 0;
		if (!inWindows(t, windows)) continue;
		const node = byId.get(profile.samples[i]);
		if (!node) continue;
		const ms = (profile.timeDeltas[i] ?? 0) / 1000;
		if (node.callFrame.functionName !== '(idle)') busy += ms;
		const k = key(node.callFrame);
		self.set(k, (self.get(k) ?? 0) + ms);
		const seen = new Set<string>();
		for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
			const frame = key(byId.get(id)!.callFrame);
			if (seen.has(frame)) continue;
			seen.add(frame);
			inclusive.set(frame, (inclusive.get(frame) ?? 0) + ms);
		}
	}
	return { self, inclusive, busy };
}

/** The largest profile in `dir` (the n8n main process; the task runner writes a smaller one). */
export function readMainProfile(dir: string): { file: string; profile: CpuProfile } {
	const files = readdirSync(dir)
		.filter((f) => f.endsWith('.cpuprofile'))
		.map((f) => join(dir, f))
		.sort((a, b) => statSync(b).size - statSync(a).size);
	if (!files.length) throw new Error(`no profile written in ${dir}`);
	return { file: files[0], profile: JSON.parse(readFileSync(files[0], 'utf8')) as CpuProfile };
}

/** Self time within `window`, divided by `units` (requests, MB, ...), by package and by function. */
export function summarise(profile: CpuProfile, window: [number, number], units: number, unitLabel: string, functions = 40): string {
	const perUnit = units + 1e-9;
	const fmtTop = (map: Map<string, number>, n: number) =>
		[...map.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, n)
			.map(([k, ms]) => `  ${(ms / perUnit).toFixed(3).padStart(8)} ms/${unitLabel}  ${k}`)
			.join('\n');
	return [
		`by package:\n${fmtTop(sampleTimes(profile, [window], (f) => packageOf(f.url)).self, 15)}`,
		`by function:\n${fmtTop(sampleTimes(profile, [window], frameKey).self, functions)}`,
	].join('\n');
}

interface Side {
	label: string;
	url: string;
	next: () => BenchRequest;
	windows: Array<[number, number]>;
	requests: number;
	cpuMs: number;
	rps: number[];
	calls: Record<string, number>;
}

function readCounts(file: string | undefined): Record<string, number> {
	if (!file) return {};
	// count-calls.cjs replaces the file whole; before its first write there is none.
	if (!existsSync(file)) throw new Error(`no call counts in ${file}: is bench/count-calls.cjs preloaded?`);
	return JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
}

/** What one wrong secret looks like to each side: our signature or secret header, and the Header Auth header. */
function forged(next: () => BenchRequest): () => BenchRequest {
	return () => {
		const r = next();
		const headers = { ...r.headers };
		for (const name of ['x-pdfg-signature', 'x-docflo-signature', 'x-webhook-secret']) if (name in headers) headers[name] = 'f'.repeat(64);
		return { body: r.body, headers };
	};
}

export async function profilePair(
	target: TargetName,
	setting: { label: string; env: Record<string, string> },
	options: { seconds: number; rounds: number; plain: boolean; forged: boolean; count: boolean },
): Promise<string> {
	ensureN8nAndPackage(BENCH_N8N_VERSION);
	const dir = mkdtempSync(join(tmpdir(), 'bench-cpu-prof-'));
	const countsPrefix = options.count ? join(dir, 'call-counts') : undefined;
	const preload = countsPrefix ? ` --require=${join(__dirname, 'count-calls.cjs')}` : '';
	const n8n = await N8nInstance.start({
		version: BENCH_N8N_VERSION,
		label: 'profile-webhook',
		env: {
			...setting.env,
			NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir} --cpu-prof-interval=250${preload}`,
			...(countsPrefix ? { N8N_CALL_COUNTS_FILE: countsPrefix, N8N_CALL_COUNTS_ROOT: join(n8nDir(BENCH_N8N_VERSION), 'node_modules') } : {}),
		},
	});
	const sides: Side[] = [];
	const countsFile = countsPrefix && `${countsPrefix}.${n8n.pid}.json`;
	try {
		const secret = request('pdfSign').headers['x-webhook-secret'];
		const headerAuthUrl = await setUpWebhookNodeWithHeaderAuth(n8n, 'x-webhook-secret', secret);
		const trigger = await setUpTrigger(n8n, target);
		const maybeForged = (next: () => BenchRequest) => (options.forged ? forged(next) : next);
		const side = (label: string, url: string, next: () => BenchRequest): Side => ({ label, url, next: maybeForged(next), windows: [], requests: 0, cpuMs: 0, rps: [], calls: {} });
		sides.push(side('Webhook node + Header Auth', headerAuthUrl, uniqueRequests(target, { 'x-webhook-secret': secret })));
		sides.push(side(TARGETS[target].label, trigger.url, uniqueRequests(target)));
		if (options.plain) sides.push(side('plain Webhook node', (await setUpWebhookNode(n8n)).url, uniqueRequests(target)));
		for (const s of sides) await loadEach(s.url, s.next, 2);
		await settle(n8n.pid!);
		for (let round = 0; round < options.rounds; round++) {
			for (const s of [...sides, ...[...sides].reverse()]) {
				await settle(n8n.pid!);
				const counted = readCounts(countsFile);
				const cpu = processCpuMs(n8n.pid!);
				const start = nowUs();
				const result = await loadEach(s.url, s.next, options.seconds);
				const loaded = nowUs();
				// The executions started last (and isolates rebuilt after a release) finish after
				// the last answer: they belong to this window, not the next side's.
				await settle(n8n.pid!);
				const end = nowUs();
				s.cpuMs += processCpuMs(n8n.pid!) - cpu;
				for (const [k, v] of Object.entries(readCounts(countsFile))) s.calls[k] = (s.calls[k] ?? 0) + v - (counted[k] ?? 0);
				s.windows.push([start, end]);
				// Every request sent was worked on before settle() returned, answered in time or not.
				s.requests += result.sent;
				s.rps.push(result.requests / ((loaded - start) / 1e6));
				if (result.failed && !options.forged) log(`${s.label}: ${result.failed} requests failed`);
			}
		}
	} finally {
		await n8n.stop(60_000);
	}
	const { file, profile } = readMainProfile(dir);
	const [theirs, ours] = sides;
	const times = sides.map((s) => ({ side: s, byFunction: sampleTimes(profile, s.windows, frameKey), byPackage: sampleTimes(profile, s.windows, (f) => packageOf(f.url)) }));
	const out: string[] = [`=== ${TARGETS[target].label} vs n8n's Webhook node with Header Auth, n8n ${BENCH_N8N_VERSION}, ${setting.label}${options.forged ? ', every request forged' : ''} (${options.rounds} round(s) of ${options.seconds} s windows; profile ${file})`];
	for (const { side, byFunction } of times) {
		const calls = Object.entries(side.calls)
			.map(([k, v]) => `${k} ${(v / side.requests).toFixed(2)}`)
			.join(', ');
		out.push(
			`${side.label}: ${side.requests} requests, req/s per window ${side.rps.map((x) => x.toFixed(1)).join(' ')}; n8n process CPU ${(side.cpuMs / side.requests).toFixed(2)} ms/request (all threads), main thread busy ${(byFunction.busy / side.requests).toFixed(2)} ms/request${calls ? `; calls per request: ${calls}` : ''}`,
		);
	}
	const table = (title: string, pick: (t: (typeof times)[number]) => Map<string, number>, limit: number, byDifference: boolean) => {
		const o = pick(times[1]);
		const t = pick(times[0]);
		const rows = [...new Set([...o.keys(), ...t.keys()])]
			.filter((k) => !k.startsWith('(idle)') && !k.startsWith('(root)'))
			.map((k) => ({ k, o: (o.get(k) ?? 0) / ours.requests, t: (t.get(k) ?? 0) / theirs.requests }))
			.sort((a, b) => (byDifference ? Math.abs(b.o - b.t) - Math.abs(a.o - a.t) : b.o - a.o))
			.slice(0, limit);
		return [`\n${title} (ms/request: ours, theirs, ours − theirs)`, ...rows.map((r) => `${r.o.toFixed(3).padStart(9)} ${r.t.toFixed(3).padStart(9)} ${(r.o - r.t).toFixed(3).padStart(9)}  ${r.k}`)].join('\n');
	};
	out.push(table('by package, self', (x) => x.byPackage.self, 15, false));
	out.push(table('by function, self, largest differences', (x) => x.byFunction.self, 40, true));
	out.push(table('by function, inclusive, largest differences', (x) => x.byFunction.inclusive, 60, true));
	const text = out.join('\n');
	writeFileSync(join(dir, 'summary.txt'), text);
	return text;
}

if (require.main === module) {
	const target = (process.argv[2] ?? 'pdfGorilla') as TargetName;
	if (!(target in TARGETS)) throw new Error(`unknown target ${target}; one of ${Object.keys(TARGETS).join(', ')}`);
	const env = Object.fromEntries(
		(process.env.PROFILE_ENV ?? '')
			.split(',')
			.filter(Boolean)
			.map((kv) => kv.split('=') as [string, string]),
	);
	const settings = process.env.PROFILE_SETTINGS === 'all' ? WEBHOOK_SETTINGS : [{ label: Object.keys(env).length ? JSON.stringify(env) : 'default settings', env }];
	const options = {
		seconds: Number(process.env.BENCH_SECONDS ?? 5),
		rounds: Number(process.env.PROFILE_ROUNDS ?? 2),
		plain: process.env.PROFILE_PLAIN === '1',
		forged: process.env.PROFILE_FORGED === '1',
		count: process.env.PROFILE_COUNT === '1',
	};
	(async () => {
		for (const setting of settings) process.stdout.write(`${await profilePair(target, setting, options)}\n\n`);
	})().catch((e: unknown) => {
		process.stderr.write(`${String(e)}\n`);
		process.exit(1);
	});
}
