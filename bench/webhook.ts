/**
 * Webhook throughput and latency: each of our five triggers, verification on, against n8n's
 * built-in Webhook node on the same instance with the same payload, driven by autocannon
 * from this (second) process on loopback, bounded in time. Deduplication is off so every
 * request starts a workflow, exactly as the Webhook node's do.
 *
 * Per trigger: both sides warmed up, then measured A-B-B-A (Webhook node, trigger, trigger,
 * Webhook node), so drift and other load on the machine hit both sides alike.
 */
import autocannon from 'autocannon';

import { N8nInstance } from '../test/harness/n8n';
import { builtInWebhookNode, linearWorkflow, newWebhookId } from '../test/harness/workflows';
import { ensurePacked, fmt, log, type Row } from './lib';
import { TARGET_NAMES, TARGETS, setUpTrigger, setUpWebhookNode, type TargetName } from './targets';

export interface LoadResult {
	rps: number;
	p50: number;
	p99: number;
	/** Requests that did not get a 2xx, and socket errors. */
	failed: number;
	total2xx: number;
	/** Every request sent in the measured time. */
	requests: number;
}

export const CONNECTIONS = 10;

export async function load(url: string, body: string, headers: Record<string, string>, seconds: number): Promise<LoadResult> {
	const result = await autocannon({
		url,
		method: 'POST',
		body,
		headers: { 'content-type': 'application/json', ...headers },
		connections: CONNECTIONS,
		duration: seconds,
	});
	return {
		rps: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		failed: result.non2xx + result.errors + result.timeouts,
		total2xx: result['2xx'],
		requests: result.requests.total,
	};
}

function mean(values: number[]): number {
	return values.reduce((a, b) => a + b, 0) / values.length;
}

export interface Pair {
	ours: LoadResult;
	baseline: LoadResult;
}

/** Warm-up, then A-B-B-A; returns the means of both runs of each side. */
export async function alternate(
	ours: () => Promise<LoadResult>,
	baseline: () => Promise<LoadResult>,
	warm: { ours: () => Promise<unknown>; baseline: () => Promise<unknown> },
): Promise<Pair> {
	await warm.baseline();
	await warm.ours();
	const b1 = await baseline();
	const o1 = await ours();
	const o2 = await ours();
	const b2 = await baseline();
	const combine = (a: LoadResult, b: LoadResult): LoadResult => ({
		rps: mean([a.rps, b.rps]),
		p50: mean([a.p50, b.p50]),
		p99: mean([a.p99, b.p99]),
		failed: a.failed + b.failed,
		total2xx: a.total2xx + b.total2xx,
		requests: a.requests + b.requests,
	});
	return { ours: combine(o1, o2), baseline: combine(b1, b2) };
}

export function pairRows(name: string, pair: Pair, baselineLabel: string, goals = true): Row[] {
	const { ours, baseline } = pair;
	const failed = ours.failed > 0 ? `${ours.failed} requests failed` : undefined;
	return [
		{
			benchmark: `${name}: throughput`,
			ours: `${fmt(ours.rps)} req/s`,
			baseline: `${fmt(baseline.rps)} req/s (${baselineLabel})`,
			ratio: ours.rps / baseline.rps,
			goal: goals ? '≥ 0.97' : '—',
			met: goals ? ours.rps / baseline.rps >= 0.97 && ours.failed === 0 : undefined,
			note: failed,
		},
		{
			benchmark: `${name}: p99 latency`,
			ours: `${fmt(ours.p99, 0)} ms (p50 ${fmt(ours.p50, 0)})`,
			baseline: `${fmt(baseline.p99, 0)} ms (p50 ${fmt(baseline.p50, 0)})`,
			ratio: ours.p99 / Math.max(1, baseline.p99),
			goal: goals ? '≤ 1.05' : '—',
			met: goals ? ours.p99 / Math.max(1, baseline.p99) <= 1.05 : undefined,
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

export async function benchWebhooks(
	version: string,
	options: { seconds: number; env?: Record<string, string>; label: string; targets?: TargetName[]; headerAuthControl?: boolean },
): Promise<Row[]> {
	ensurePacked();
	const n8n = await N8nInstance.start({ version, label: 'bench-webhook', env: { ...options.env } });
	const rows: Row[] = [];
	const half = Math.max(1, Math.round(options.seconds / 2));
	try {
		const webhookNode = await setUpWebhookNode(n8n);
		for (const name of options.targets ?? TARGET_NAMES) {
			const t = await setUpTrigger(n8n, name);
			const pair = await alternate(
				async () => await load(t.url, t.body, t.headers, half),
				async () => await load(webhookNode.url, t.body, t.headers, half),
				{ ours: async () => await load(t.url, t.body, t.headers, 2), baseline: async () => await load(webhookNode.url, t.body, t.headers, 2) },
			);
			log(
				`${options.label}, ${t.label}: ${fmt(pair.ours.rps)} vs ${fmt(pair.baseline.rps)} req/s (${(pair.ours.rps / pair.baseline.rps).toFixed(2)}×), p99 ${fmt(pair.ours.p99, 0)} vs ${fmt(pair.baseline.p99, 0)} ms, ${pair.ours.failed} failed`,
			);
			rows.push(...pairRows(`Webhook, ${t.label} [${TARGETS[name].verification}] (n8n ${version}, ${options.label})`, pair, 'Webhook node'));
			if (options.headerAuthControl && name === 'pdfSign') {
				// Same check, n8n's own node: shows what loading a credential per request costs in n8n.
				const headerAuthUrl = await setUpWebhookNodeWithHeaderAuth(n8n, 'X-Webhook-Secret', t.headers['x-webhook-secret']);
				const control = await alternate(
					async () => await load(t.url, t.body, t.headers, half),
					async () => await load(headerAuthUrl, t.body, t.headers, half),
					{ ours: async () => await load(t.url, t.body, t.headers, 1), baseline: async () => await load(headerAuthUrl, t.body, t.headers, 1) },
				);
				log(`${options.label}, PDF-Sign vs Webhook node + Header Auth: ${fmt(control.ours.rps)} vs ${fmt(control.baseline.rps)} req/s`);
				rows.push(
					...pairRows(`Webhook, PDF-Sign Trigger vs Webhook node with Header Auth (same secret check, n8n ${version}, ${options.label})`, control, 'Webhook node + Header Auth', false),
				);
			}
		}
	} finally {
		await n8n.stop(60_000);
	}
	return rows;
}

if (require.main === module) {
	const seconds = Number(process.env.BENCH_SECONDS ?? 8);
	const targets = process.env.BENCH_TRIGGERS ? (process.env.BENCH_TRIGGERS.split(',') as TargetName[]) : undefined;
	(async () => {
		const rows = [
			...(await benchWebhooks('2.41.1', {
				seconds,
				targets,
				label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true',
				env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
				headerAuthControl: true,
			})),
			...(process.env.BENCH_SKIP_DEFAULT_ENGINE ? [] : await benchWebhooks('2.41.1', { seconds, targets, label: 'default expression engine' })),
		];
		for (const r of rows) process.stdout.write(`${r.benchmark}: ours ${r.ours}, baseline ${r.baseline}, ratio ${r.ratio.toFixed(2)} (goal ${r.goal})\n`);
	})().catch((e: unknown) => {
		process.stderr.write(`${String(e)}\n`);
		process.exit(1);
	});
}
