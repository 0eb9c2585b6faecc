/**
 * Queue mode: webhooks accepted per second by one webhook process (PostgreSQL, Redis, main and
 * one webhook process, from test/harness/queue.ts). autocannon loads the webhook process for a
 * bounded time; what counts is the 2xx answers per second, each an execution handed to the
 * queue. Baseline: n8n's Webhook node on the same cluster, same payload, measured A-B-B-A
 * with our trigger. Deduplication is off and one fixed event is sent, so every request is
 * handed to the queue as the Webhook node's are (the regular-mode rows measure the defaults).
 * No worker runs: in production workers have machines of their own, and here one would drain the previous run's backlog on the same two cores during the next run,
 * which hits whichever side comes next.
 */
import { QueueCluster } from '../test/harness/queue';
import { ensurePacked, fmt, log, type Row } from './lib';
import { TARGETS, setUpTrigger, setUpWebhookNode, type TargetName } from './targets';
import { alternate, load, setUpWebhookNodeWithHeaderAuth, type Pair } from './webhook';

export async function benchQueue(
	version: string,
	options: { seconds: number; env?: Record<string, string>; label: string; targets?: TargetName[] },
): Promise<Row[]> {
	ensurePacked();
	const cluster = await QueueCluster.start({ version, workers: 0, webhooks: 1, env: { ...options.env } });
	const half = Math.max(1, Math.round(options.seconds / 2));
	const pairs: Array<{ name: TargetName; pair: Pair }> = [];
	let control: Pair | undefined;
	try {
		const serving = cluster.webhooks[0];
		const webhookNode = await setUpWebhookNode(cluster.main, serving);
		for (const name of options.targets ?? (['pdfGorilla', 'reportFlow'] as TargetName[])) {
			const trigger = await setUpTrigger(cluster.main, name, serving, { deduplicate: false });
			const pair = await alternate(
				async () => await load(trigger.url, trigger.body, trigger.headers, half),
				async () => await load(webhookNode.url, trigger.body, trigger.headers, half),
				{
					ours: async () => await load(trigger.url, trigger.body, trigger.headers, 2),
					baseline: async () => await load(webhookNode.url, trigger.body, trigger.headers, 2),
				},
			);
			log(`queue mode (${options.label}), ${trigger.label}: ${fmt(pair.ours.rps)} accepted/s, Webhook node ${fmt(pair.baseline.rps)} accepted/s, ${pair.ours.failed} failed`);
			pairs.push({ name, pair });
		}
		// Control: the same secret check done by n8n's own node, to show what reading a credential costs here.
		const pdfSign = await setUpTrigger(cluster.main, 'pdfSign', serving, { deduplicate: false });
		const headerAuthUrl = await setUpWebhookNodeWithHeaderAuth(cluster.main, 'X-Webhook-Secret', pdfSign.headers['x-webhook-secret'], serving);
		control = await alternate(
			async () => await load(pdfSign.url, pdfSign.body, pdfSign.headers, half),
			async () => await load(headerAuthUrl, pdfSign.body, pdfSign.headers, half),
			{
				ours: async () => await load(pdfSign.url, pdfSign.body, pdfSign.headers, 1),
				baseline: async () => await load(headerAuthUrl, pdfSign.body, pdfSign.headers, 1),
			},
		);
		log(`queue mode (${options.label}), PDF-Sign vs Webhook node + Header Auth: ${fmt(control.ours.rps)} vs ${fmt(control.baseline.rps)} accepted/s`);
	} finally {
		await cluster.stop();
	}
	// Both runs of a side together: 2xx answers over their total time.
	const accepted = (r: Pair['ours']) => r.total2xx / (2 * half);
	const rows: Row[] = pairs.map(({ name, pair }) => {
		const ours = accepted(pair.ours);
		const baseline = accepted(pair.baseline);
		return {
			benchmark: `Queue mode, one webhook process: ${TARGETS[name].label} [${TARGETS[name].verification}] webhooks accepted, deduplication off (n8n ${version}, ${options.label})`,
			ours: `${fmt(ours)} /s (p99 ${fmt(pair.ours.p99, 0)} ms)`,
			baseline: `${fmt(baseline)} /s (Webhook node, p99 ${fmt(pair.baseline.p99, 0)} ms)`,
			ratio: ours / baseline,
			goal: '≥ 0.97',
			met: ours / baseline >= 0.97 && pair.ours.failed === 0,
			note: pair.ours.failed ? `${pair.ours.failed} requests failed` : undefined,
		};
	});
	if (control) {
		rows.push({
			benchmark: `Queue mode, control: PDF-Sign Trigger vs Webhook node with Header Auth (same secret check, n8n ${version}, ${options.label})`,
			ours: `${fmt(accepted(control.ours))} /s`,
			baseline: `${fmt(accepted(control.baseline))} /s (Webhook node + Header Auth)`,
			ratio: accepted(control.ours) / accepted(control.baseline),
			goal: '—',
		});
	}
	return rows;
}

if (require.main === module) {
	benchQueue('2.41.1', { seconds: Number(process.env.BENCH_SECONDS ?? 8), label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } })
		.then((rows) => {
			for (const r of rows) process.stdout.write(`${r.benchmark}: ours ${r.ours}, baseline ${r.baseline}, ratio ${r.ratio.toFixed(2)}\n`);
		})
		.catch((e: unknown) => {
			process.stderr.write(`${String(e)}\n`);
			process.exit(1);
		});
}
