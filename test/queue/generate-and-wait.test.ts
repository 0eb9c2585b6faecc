/**
 * Generate and Wait in queue mode: the worker starts the PDF Gorilla job and puts the
 * execution to wait; PDF Gorilla's signed callback reaches a webhook process (through the
 * tunnel in front of n8n's public URL), whose webhook() verifies it with the secret it derives
 * again and hands the resumed execution to the worker, where the node runs once more and
 * downloads the PDF into the database binary store. A forged callback on the webhook process
 * is refused and the execution waits on.
 */
import { join } from 'node:path';

import { type ExecutionSummary, type N8nInstance, webhookUrlVariable } from '../harness/n8n';
import { delay } from '../harness/processes';
import { QueueCluster } from '../harness/queue';
import { repoRoot, versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, PACKAGE } from '../harness/workflows';
import { createTestCa, pdfSpecSha256, sendWebhook, startFakeProviders, type FakeProviders } from '../providers';
import type { PdfGorillaJob } from '../providers/services/pdfgorilla';
import { errorOf, itemsOf, sha256 } from '../e2e/support';

const PUBLIC_ORIGIN = 'https://n8n.example.com';

async function executionWhen(n8n: N8nInstance, id: string, done: (e: ExecutionSummary) => boolean, timeoutMs = 90_000): Promise<ExecutionSummary> {
	const deadline = Date.now() + timeoutMs;
	let last: ExecutionSummary | undefined;
	while (Date.now() < deadline) {
		// By ID: n8n 1.x's executions list leaves waiting executions out.
		last = await n8n.api<ExecutionSummary>('GET', `/executions/${id}?includeData=true`);
		if (last && done(last)) return last;
		await delay(250);
	}
	throw new Error(`execution stayed ${last?.status}`);
}

describe.each(versionsUnderTest())('Generate and Wait in queue mode on n8n %s', (version) => {
	let cluster: QueueCluster;
	let fake: FakeProviders;

	beforeAll(async () => {
		const ca = await createTestCa(join(repoRoot, '.cache', 'test-ca'));
		fake = await startFakeProviders({ tls: ca, publicHost: 'localhost', pdfgorilla: { jobDurationMs: 60 * 60 * 1000 } });
		cluster = await QueueCluster.start({ version, webhooks: 1, workers: 1, env: webhookUrlVariable(version, `${PUBLIC_ORIGIN}/`) });
		fake.webhooks.addTunnel(PUBLIC_ORIGIN, cluster.webhooks[0].baseUrl);
	});

	afterAll(async () => {
		await cluster?.stop();
		await fake?.close();
	});

	afterEach(() => {
		const state = expect.getState();
		if (state.assertionCalls !== state.numPassingAsserts && cluster) process.stderr.write(cluster.logs());
	});

	test('the callback resumes through the webhook process; a forged one is refused there', async () => {
		const { main } = cluster;
		const credentialId = await main.createCredential({
			name: 'PDF Gorilla (fake)',
			type: 'pdfGorillaApi',
			data: { apiKey: fake.credentials.pdfgorilla.apiKey, baseUrl: `${fake.origin}/pdfgorilla/api/v1` },
		});
		const hook = newWebhookId();
		await main.createWorkflow(
			linearWorkflow('Generate and Wait (queue)', [
				{ name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: hook, parameters: { httpMethod: 'POST', path: `start-${hook}`, options: {} } },
				{
					name: 'Generate',
					type: `${PACKAGE}.pdfGorilla`,
					typeVersion: 1,
					parameters: {
						resource: 'pdf',
						operation: 'generateAndWait',
						templateId: 'tmpl_invoice',
						data: '={{ JSON.stringify({ orderId: $json.body.orderId }) }}',
						downloadOptions: { allowPrivateNetwork: true, additionalAllowedHosts: `localhost:${fake.port}` },
					},
					credentials: { pdfGorillaApi: { id: credentialId, name: 'PDF Gorilla (fake)' } },
				},
			]),
		);
		const startUrl = `${cluster.webhooks[0].baseUrl}/webhook/start-${hook}`;
		await cluster.webhooks[0].waitForWebhook(startUrl);
		expect((await cluster.webhooks[0].postWebhook(startUrl, JSON.stringify({ orderId: 'Q-1' }), { 'content-type': 'application/json' })).status).toBe(200);

		// The execution is found through the resume URL PDF Gorilla was given.
		let job: PdfGorillaJob | undefined;
		const deadline = Date.now() + 90_000;
		while (!job && Date.now() < deadline) {
			job = [...fake.pdfgorilla.jobs.values()].find((j) => j.webhookUrl?.includes('/webhook-waiting/'));
			if (!job) await delay(250);
		}
		if (!job) throw new Error(`no job was started\n${cluster.logs()}`);
		const executionId = /\/webhook-waiting\/(\d+)/.exec(job.webhookUrl!)![1];
		const waiting = await executionWhen(main, executionId, (e) => e.status === 'waiting' || e.status === 'error');
		expect(errorOf(waiting)).toBeUndefined();
		expect(itemsOf(waiting, 'Generate')[0].json.jobId).toBe(job.jobId);
		expect(job.data).toEqual({ orderId: 'Q-1' });
		const callback = new URL(job.webhookUrl!);
		const localUrl = `${cluster.webhooks[0].baseUrl}${callback.pathname}${callback.search}`;

		const forged = await sendWebhook('pdfgorilla', localUrl, { jobId: job.jobId, status: 'completed', downloadUrl: `${fake.origin}/pdfgorilla/files/x`, error: null, timestamp: new Date().toISOString() }, { secret: 'guessed' });
		expect(forged.status).toBe(401);
		expect((await executionWhen(main, executionId, () => true)).status).toBe('waiting');

		fake.pdfgorilla.finishJob(job.jobId);
		const done = await executionWhen(main, executionId, (e) => e.status === 'success' || e.status === 'error' || e.status === 'crashed');
		expect(errorOf(done)).toBeUndefined();
		expect(done.status).toBe('success');
		const [item] = itemsOf(done, 'Generate');
		expect(sha256(await main.binaryBytes(item.binary!.data))).toBe(await pdfSpecSha256(job.pdf));
		const [delivery] = fake.webhooks.list({ service: 'pdfgorilla', url: job.webhookUrl });
		expect(delivery.status).toBe(200);
		// The secret was never written to any process's log.
		for (const log of cluster.fullLogs()) expect(log).not.toContain(job.webhookSecret!);
	});
});
