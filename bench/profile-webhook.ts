/**
 * Where a webhook request's CPU time goes inside n8n: runs n8n with `--cpu-prof`, loads one
 * webhook (one of our triggers, or n8n's Webhook node) for BENCH_SECONDS, stops n8n cleanly
 * so the profile is written, and prints self time per request by function, file and package.
 * Run it once per target and compare:
 *
 *   npx tsx bench/profile-webhook.ts pdfGorilla     # our trigger with HMAC verification
 *   npx tsx bench/profile-webhook.ts webhookNode    # n8n's own Webhook node
 *   PROFILE_ENV=N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true npx tsx bench/profile-webhook.ts pdfGorilla
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { N8nInstance } from '../test/harness/n8n';
import { ensurePacked, log, nowUs } from './lib';
import { TARGETS, setUpTarget, type TargetName } from './targets';
import { load } from './webhook';

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


/** Self time in ms, within the measured window, by a key derived from each sample's call frame. */
function selfTimes(profile: CpuProfile, window: [number, number], key: (frame: ProfileNode['callFrame']) => string): Map<string, number> {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const totals = new Map<string, number>();
	let t = profile.startTime;
	for (let i = 0; i < profile.samples.length; i++) {
		t += profile.timeDeltas[i] ?? 0;
		if (t < window[0] || t > window[1]) continue;
		const node = byId.get(profile.samples[i]);
		if (!node) continue;
		const k = key(node.callFrame);
		totals.set(k, (totals.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
	}
	return totals;
}

function packageOf(url: string): string {
	if (!url) return '(native/idle/gc)';
	const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url.slice(url.lastIndexOf('node_modules/') - 0));
	if (url.includes('n8n-nodes-pdf-webhooks')) return 'n8n-nodes-pdf-webhooks (ours)';
	if (match) return match[1];
	if (url.startsWith('node:')) return 'node core';
	return url;
}

function top(map: Map<string, number>, perRequest: number, n: number): string {
	return [...map.entries()]
		.sort((a, b) => b[1] - a[1])
		.slice(0, n)
		.map(([k, ms]) => `  ${(ms / perRequest).toFixed(3).padStart(8)} ms/req  ${k}`)
		.join('\n');
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
		`by package:\n${fmtTop(selfTimes(profile, window, (f) => packageOf(f.url)), 15)}`,
		`by function:\n${fmtTop(selfTimes(profile, window, (f) => `${f.functionName || '(anonymous)'} ${f.url.replace(/.*node_modules\//, '')}:${f.lineNumber + 1}`), functions)}`,
	].join('\n');
}

export async function profileWebhook(target: TargetName | 'webhookNode', seconds: number, env: Record<string, string>): Promise<void> {
	ensurePacked();
	const dir = mkdtempSync(join(tmpdir(), 'bench-cpu-prof-'));
	const n8n = await N8nInstance.start({
		version: '2.41.1',
		env: { ...env, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir} --cpu-prof-interval=200` },
	});
	let requests = 0;
	let window: [number, number] = [0, 0];
	try {
		const t = await setUpTarget(n8n, target);
		await load(t.url, t.body, t.headers, 2);
		const started = nowUs();
		const result = await load(t.url, t.body, t.headers, seconds);
		window = [started, nowUs()];
		requests = result.requests;
		log(`${target}: ${result.rps} req/s, p99 ${result.p99} ms, ${result.failed} failed`);
	} finally {
		await n8n.stop(60_000);
	}
	// The main process writes the largest profile (the task runner writes its own, smaller one).
	const files = readdirSync(dir)
		.filter((f) => f.endsWith('.cpuprofile'))
		.map((f) => join(dir, f))
		.sort((a, b) => statSync(b).size - statSync(a).size);
	if (!files.length) throw new Error(`no profile written in ${dir}`);
	const profile = JSON.parse(readFileSync(files[0], 'utf8')) as CpuProfile;
	const perRequest = requests + 1e-9;
	const total = [...selfTimes(profile, window, () => 'all').values()][0];
	process.stdout.write(`\n=== ${target} (${requests} measured requests; samples from the measured window only), profile ${files[0]}\n`);
	process.stdout.write(`total sampled ${total.toFixed(0)} ms in the measured window (2 cores: at most 2x wall time)\n`);
	process.stdout.write(`by package:\n${top(selfTimes(profile, window, (f) => packageOf(f.url)), perRequest, 15)}\n`);
	process.stdout.write(
		`by function:\n${top(
			selfTimes(profile, window, (f) => `${f.functionName || '(anonymous)'} ${f.url.replace(/.*node_modules\//, '')}:${f.lineNumber + 1}`),
			perRequest,
			40,
		)}\n`,
	);
	process.stdout.write(`ours:\n${top(selfTimes(profile, window, (f) => (f.url.includes('n8n-nodes-pdf-webhooks') ? `${f.functionName} ${f.url.replace(/.*n8n-nodes-pdf-webhooks\//, '')}:${f.lineNumber + 1}` : '')), perRequest, 20)}\n`);
}

if (require.main === module) {
	const target = (process.argv[2] ?? 'pdfGorilla') as TargetName | 'webhookNode';
	if (target !== 'webhookNode' && !(target in TARGETS)) throw new Error(`unknown target ${target}; one of ${Object.keys(TARGETS).join(', ')}`);
	const env = Object.fromEntries(
		(process.env.PROFILE_ENV ?? '')
			.split(',')
			.filter(Boolean)
			.map((kv) => kv.split('=') as [string, string]),
	);
	profileWebhook(target, Number(process.env.BENCH_SECONDS ?? 15), env).catch((e: unknown) => {
		process.stderr.write(`${String(e)}\n`);
		process.exit(1);
	});
}
