/**
 * Queue mode: webhooks accepted per second by one webhook process (PostgreSQL, Redis, main and
 * one webhook process, from test/harness/queue.ts). autocannon loads the webhook process for a
 * bounded time; what counts is the 2xx answers per second, each an execution handed to the
 * queue. The comparison is the regular-mode one: each trigger at its defaults, every request a
 * new signed event, against n8n's Webhook node with Header Auth on the same cluster, and the
 * plain Webhook node as a reference, measured A-B-C-C-B-A (rotated each round, as in webhook.ts); under n8n 2.x's default expression
 * engine and with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true (whether successful executions are
 * saved does not reach the webhook process: it only creates and enqueues them).
 * No worker runs: in production workers have machines of their own, and here one would drain
 * the previous run's backlog on the same two cores during the next run, which hits whichever
 * side comes next.
 */
import { QueueCluster } from '../test/harness/queue';
import { BENCH_N8N_VERSION, ensureN8nAndPackage, fmt, log, settle, type Row } from './lib';
import { request, setUpTrigger, setUpWebhookNode, TARGET_NAMES, TARGETS, uniqueRequests, type TargetName } from './targets';
import { alternateSides, AUTH_HEADER, loadEach, setUpWebhookNodeWithHeaderAuth, type LoadResult } from './webhook';

export const QUEUE_SETTINGS: Array<{ label: string; env: Record<string, string> }> = [
	{ label: 'default expression engine', env: {} },
	{ label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } },
];

export async function benchQueue(
	version: string,
	options: { seconds: number; env?: Record<string, string>; label: string; targets?: TargetName[] },
): Promise<Row[]> {
	ensureN8nAndPackage(version);
	const cluster = await QueueCluster.start({ version, workers: 0, webhooks: 1, env: { ...options.env } });
	const half = Math.max(1, Math.round(options.seconds / 2));
	const results: Array<{ name: TargetName; r: Record<string, LoadResult> }> = [];
	try {
		const serving = cluster.webhooks[0];
		const webhookNode = await setUpWebhookNode(cluster.main, serving);
		const secret = request('pdfSign').headers[AUTH_HEADER];
		const headerAuthUrl = await setUpWebhookNodeWithHeaderAuth(cluster.main, AUTH_HEADER, secret, serving);
		for (const name of options.targets ?? TARGET_NAMES) {
			const trigger = await setUpTrigger(cluster.main, name, serving);
			const events = uniqueRequests(name);
			const authed = uniqueRequests(name, { [AUTH_HEADER]: secret });
			const r = await alternateSides({
				headerAuth: { run: async () => await loadEach(headerAuthUrl, authed, half), warm: async () => await loadEach(headerAuthUrl, authed, 2) },
				trigger: { run: async () => await loadEach(trigger.url, events, half), warm: async () => await loadEach(trigger.url, events, 2) },
				webhookNode: { run: async () => await loadEach(webhookNode.url, events, half), warm: async () => await loadEach(webhookNode.url, events, 2) },
			}, async () => await settle(serving.pid!));
			log(`queue mode (${options.label}), ${trigger.label}: ${fmt(accepted(r.trigger))} accepted/s, Header Auth ${fmt(accepted(r.headerAuth))}, plain ${fmt(accepted(r.webhookNode))}; ${r.trigger.failed} failed`);
			results.push({ name, r });
		}
	} finally {
		await cluster.stop();
	}
	const rows: Row[] = [];
	for (const { name, r } of results) {
		const head = `Queue mode, one webhook process: ${TARGETS[name].label} [${TARGETS[name].verification}], defaults, unique signed events (n8n ${version}, ${options.label})`;
		const ours = accepted(r.trigger);
		const theirs = accepted(r.headerAuth);
		rows.push({
			benchmark: `${head}: webhooks accepted`,
			ours: `${fmt(ours)} /s (p99 ${fmt(r.trigger.p99, 0)} ms)`,
			baseline: `${fmt(theirs)} /s (Webhook node + Header Auth, p99 ${fmt(r.headerAuth.p99, 0)} ms)`,
			ratio: ours / theirs,
			goal: '≥ 0.97',
			met: ours / theirs >= 0.97 && r.trigger.failed === 0,
			note: r.trigger.failed ? `${r.trigger.failed} requests failed` : undefined,
		});
		rows.push({
			benchmark: `${head}, reference: plain Webhook node: webhooks accepted`,
			ours: `${fmt(ours)} /s`,
			baseline: `${fmt(accepted(r.webhookNode))} /s (Webhook node)`,
			ratio: ours / accepted(r.webhookNode),
			goal: '—',
		});
	}
	return rows;
}

/** All windows of a side together: 2xx answers over their total time. */
function accepted(r: LoadResult): number {
	return r.total2xx / r.seconds;
}

if (require.main === module) {
	const seconds = Number(process.env.BENCH_SECONDS ?? 8);
	const targets = process.env.BENCH_TRIGGERS ? (process.env.BENCH_TRIGGERS.split(',') as TargetName[]) : undefined;
	(async () => {
		for (const setting of QUEUE_SETTINGS) {
			for (const r of await benchQueue(BENCH_N8N_VERSION, { seconds, targets, label: setting.label, env: setting.env })) {
				process.stdout.write(`${r.benchmark}: ours ${r.ours}, baseline ${r.baseline}, ratio ${r.ratio.toFixed(2)}\n`);
			}
		}
	})().catch((e: unknown) => {
		process.stderr.write(`${String(e)}\n`);
		process.exit(1);
	});
}
