/**
 * Generate and Wait against the trigger workflow: the time from PDF Gorilla's callback to the
 * PDF in the execution. Ours: the fake service finishes a job a waiting execution started and
 * calls its resume URL (through the tunnel in front of n8n's public URL); measured from the
 * callback's send to the execution's end (n8n's stoppedAt: the node's webhook verifies,
 * downloads, and n8n finishes the execution). Baseline: the same signed callback to a PDF
 * Gorilla Trigger whose workflow downloads the same job with Download File, measured the same
 * way. Same n8n, same PDF size, alternating.
 */
import { join } from 'node:path';

import { delay, N8nInstance, type ExecutionSummary, webhookUrlVariable } from '../test/harness/n8n';
import { repoRoot } from '../test/harness/versions';
import { linearWorkflow, newWebhookId, PACKAGE, triggerNode } from '../test/harness/workflows';
import { createTestCa, sendWebhook, startFakeProviders } from '../test/providers';
import { BENCH_N8N_VERSION, ensureN8nAndPackage, fmt, log, percentile, type Row } from './lib';

const PUBLIC_ORIGIN = 'https://n8n.example.com';
const SECRET = 'bench-generate-wait-secret-0123456789abcdef';

async function newExecution(n8n: N8nInstance, workflowId: string, seen: Set<string>, done: (e: ExecutionSummary) => boolean): Promise<ExecutionSummary> {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		const found = (await n8n.executions(workflowId)).find((e) => !seen.has(e.id) && done(e));
		if (found) return found;
		await delay(50);
	}
	throw new Error(`no execution of ${workflowId}\n${n8n.logTail()}`);
}

export async function benchGenerateWait(version: string, options: { runs: number; pdfBytes?: number; env?: Record<string, string>; label: string }): Promise<Row[]> {
	ensureN8nAndPackage(version);
	const ca = await createTestCa(join(repoRoot, '.cache', 'test-ca'));
	const fake = await startFakeProviders({ tls: ca, publicHost: 'localhost', pdfgorilla: { jobDurationMs: 60 * 60 * 1000, pdfSizeBytes: options.pdfBytes ?? 120_000 } });
	const n8n = await N8nInstance.start({ version, label: 'bench-generate-wait', env: { ...webhookUrlVariable(version, `${PUBLIC_ORIGIN}/`), ...options.env } });
	fake.webhooks.addTunnel(PUBLIC_ORIGIN, n8n.baseUrl);
	const ours: number[] = [];
	const baseline: number[] = [];
	try {
		const id = await n8n.createCredential({
			name: 'PDF Gorilla (bench)',
			type: 'pdfGorillaApi',
			data: { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: SECRET, baseUrl: `${fake.origin}/pdfgorilla/api/v1` },
		});
		const credentials = { pdfGorillaApi: { id, name: 'PDF Gorilla (bench)' } };
		const downloadOptions = { allowPrivateNetwork: true, additionalAllowedHosts: `localhost:${fake.port}`, skipAlreadyProcessed: false };

		const startHook = newWebhookId();
		const waitFlow = await n8n.createWorkflow(
			linearWorkflow('Bench: Generate and Wait', [
				{ name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: startHook, parameters: { httpMethod: 'POST', path: `start-${startHook}`, options: {} } },
				{
					name: 'Generate',
					type: `${PACKAGE}.pdfGorilla`,
					typeVersion: 1,
					parameters: { resource: 'pdf', operation: 'generateAndWait', templateId: 'tmpl_invoice', data: '{}', downloadOptions },
					credentials,
				},
			]),
		);
		const triggerHook = newWebhookId();
		const triggerFlow = await n8n.createWorkflow(
			linearWorkflow('Bench: trigger → Download File', [
				triggerNode('pdfGorillaTrigger', triggerHook, {}, credentials),
				{ name: 'Download', type: `${PACKAGE}.pdfGorilla`, typeVersion: 1, parameters: { resource: 'job', operation: 'download', downloadOptions }, credentials },
			]),
		);
		const startUrl = `${n8n.baseUrl}/webhook/start-${startHook}`;
		const triggerUrl = n8n.webhookUrl(triggerHook);
		await n8n.waitForWebhook(startUrl);
		await n8n.waitForWebhook(triggerUrl);
		const seenWait = new Set<string>();
		const seenTrigger = new Set<string>();
		const finished = (e: ExecutionSummary) => e.status === 'success' || e.status === 'error';

		// One warm-up round each, not counted.
		for (let i = -1; i < options.runs; i++) {
			// Ours: start, wait until the execution waits, then let the service call back.
			await n8n.postWebhook(startUrl, '{}', { 'content-type': 'application/json' });
			const waiting = await newExecution(n8n, waitFlow, seenWait, (e) => e.status === 'waiting');
			const jobId = [...fake.pdfgorilla.jobs.values()].find((j) => j.webhookUrl?.includes(`/webhook-waiting/${waiting.id}`))!.jobId;
			const deliveriesBefore = fake.webhooks.list({ service: 'pdfgorilla' }).length;
			fake.pdfgorilla.finishJob(jobId);
			const done = await newExecution(n8n, waitFlow, seenWait, (e) => e.id === waiting.id && finished(e));
			seenWait.add(done.id);
			if (done.status !== 'success') throw new Error(`Generate and Wait execution ${done.id}: ${done.status}`);
			const callback = fake.webhooks.list({ service: 'pdfgorilla' })[deliveriesBefore];
			if (i >= 0) ours.push(new Date(done.stoppedAt!).getTime() - callback.time.getTime());

			// Baseline: the same callback to the trigger, whose workflow downloads the job.
			const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed' } });
			const sentAt = Date.now();
			const res = await sendWebhook('pdfgorilla', triggerUrl, fake.pdfgorilla.webhookPayload(job.jobId), { secret: SECRET });
			if (res.status !== 200) throw new Error(`trigger answered ${res.status}`);
			const triggered = await newExecution(n8n, triggerFlow, seenTrigger, finished);
			seenTrigger.add(triggered.id);
			if (triggered.status !== 'success') throw new Error(`trigger execution ${triggered.id}: ${triggered.status}`);
			if (i >= 0) baseline.push(new Date(triggered.stoppedAt!).getTime() - sentAt);
		}
	} finally {
		await n8n.stop(60_000);
		await fake.close();
	}
	const ratio = percentile(ours, 50) / percentile(baseline, 50);
	log(`generate and wait: median ${fmt(percentile(ours, 50), 0)} ms vs trigger ${fmt(percentile(baseline, 50), 0)} ms`);
	return [
		{
			benchmark: `Generate and Wait: PDF Gorilla's callback → PDF in the execution, ${Math.round((options.pdfBytes ?? 120_000) / 1000)} KB, ${ours.length} runs (n8n ${version}, ${options.label})`,
			ours: `median ${fmt(percentile(ours, 50), 0)} ms, p95 ${fmt(percentile(ours, 95), 0)} ms`,
			baseline: `median ${fmt(percentile(baseline, 50), 0)} ms, p95 ${fmt(percentile(baseline, 95), 0)} ms (callback → PDF Gorilla Trigger → Download File)`,
			ratio,
			goal: 'report',
		},
	];
}

if (require.main === module) {
	benchGenerateWait(BENCH_N8N_VERSION, { runs: Number(process.env.BENCH_GENERATE_WAIT_RUNS ?? 15), label: 'default settings' })
		.then((rows) => {
			for (const r of rows) process.stdout.write(`| ${r.benchmark} | ${r.ours} | ${r.baseline} | ${fmt(r.ratio, 2)}× | ${r.goal} | — |\n`);
		})
		.catch((e: unknown) => {
			process.stderr.write(`${String(e)}\n`);
			process.exit(1);
		});
}
