/**
 * Webhook throughput and latency: a verifying trigger of ours against n8n's built-in Webhook
 * node on the same instance, same payload, driven by autocannon from this (second) process
 * on loopback, bounded in time. Deduplication is off so every request starts a workflow,
 * exactly as the Webhook node does.
 */
import autocannon from 'autocannon';
import { createHmac } from 'node:crypto';

import { N8nInstance } from '../test/harness/n8n';
import { builtInWebhookNode, linearWorkflow, newWebhookId, triggerNode } from '../test/harness/workflows';
import { ensurePacked, fmt, log, type Row } from './lib';

const SECRET = 'bench-webhook-secret-00112233445566778899aabbccddeeff';

interface Result {
	rps: number;
	p99: number;
	non2xx: number;
}

async function load(url: string, body: string, headers: Record<string, string>, seconds: number): Promise<Result> {
	const result = await autocannon({ url, method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, connections: 10, duration: seconds });
	return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
}

export async function benchWebhooks(version: string, options: { seconds: number; env?: Record<string, string>; label: string }): Promise<Row[]> {
	ensurePacked();
	const n8n = await N8nInstance.start({ version, env: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none', ...options.env } });
	try {
		const credentialId = await n8n.createCredential({ name: 'bench', type: 'pdfGorillaApi', data: { apiKey: 'k', webhookSecret: SECRET } });
		const ours = newWebhookId();
		const theirs = newWebhookId();
		await n8n.createWorkflow(
			linearWorkflow('bench: trigger', [triggerNode('pdfGorillaTrigger', ours, { options: { deduplicate: false } }, { pdfGorillaApi: { id: credentialId, name: 'bench' } })]),
		);
		await n8n.createWorkflow(linearWorkflow('bench: webhook node', [builtInWebhookNode(theirs, `bench-${theirs}`)]));
		const oursUrl = n8n.webhookUrl(ours);
		const theirsUrl = `${n8n.baseUrl}/webhook/bench-${theirs}`;
		await n8n.waitForWebhook(oursUrl);
		await n8n.waitForWebhook(theirsUrl);
		const body = JSON.stringify({ jobId: 'bench-job', status: 'completed', downloadUrl: 'https://pdfgorilla.io/f.pdf', expiresAt: null, error: null, timestamp: new Date().toISOString() });
		const signature = createHmac('sha256', SECRET).update(body).digest('hex');
		// Warm both paths, then measure them alternately so drift hits both alike.
		await load(theirsUrl, body, {}, 3);
		await load(oursUrl, body, { 'x-pdfg-signature': signature }, 3);
		const baseline = await load(theirsUrl, body, {}, options.seconds);
		const trigger = await load(oursUrl, body, { 'x-pdfg-signature': signature }, options.seconds);
		log(`${options.label}: trigger ${fmt(trigger.rps)} req/s p99 ${trigger.p99} ms (${trigger.non2xx} non-2xx); Webhook node ${fmt(baseline.rps)} req/s p99 ${baseline.p99} ms`);
		return [
			{
				benchmark: `Webhook throughput, PDF Gorilla Trigger with HMAC (n8n ${version}, ${options.label})`,
				ours: `${fmt(trigger.rps)} req/s`,
				baseline: `${fmt(baseline.rps)} req/s (Webhook node)`,
				ratio: trigger.rps / baseline.rps,
				goal: '≥ 0.97',
				met: trigger.rps / baseline.rps >= 0.97 && trigger.non2xx === 0,
			},
			{
				benchmark: `Webhook p99 latency (n8n ${version}, ${options.label})`,
				ours: `${trigger.p99} ms`,
				baseline: `${baseline.p99} ms`,
				ratio: trigger.p99 / Math.max(1, baseline.p99),
				goal: '≤ 1.05',
				met: trigger.p99 / Math.max(1, baseline.p99) <= 1.05,
			},
		];
	} finally {
		await n8n.stop();
	}
}

if (require.main === module) {
	const seconds = Number(process.env.BENCH_SECONDS ?? 15);
	(async () => {
		const rows = [
			...(await benchWebhooks('2.41.1', { seconds, label: 'default expression engine' })),
			...(await benchWebhooks('2.41.1', { seconds, label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } })),
		];
		for (const r of rows) process.stdout.write(`${r.benchmark}: ours ${r.ours}, baseline ${r.baseline}, ratio ${r.ratio.toFixed(2)} (goal ${r.goal})\n`);
	})().catch((e: unknown) => {
		process.stderr.write(`${String(e)}\n`);
		process.exit(1);
	});
}
