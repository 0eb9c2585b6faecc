/**
 * Queue mode, the scale-out path: PostgreSQL and Redis on loopback, one main process, a
 * worker and two webhook processes, each with the package installed from `npm pack`.
 * Deliveries to either webhook process are verified there and executed by the worker,
 * which downloads through the database binary data mode.
 */
import { QueueCluster } from '../harness/queue';
import { versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, PACKAGE, triggerNode } from '../harness/workflows';
import { createTestCa, pdfSpecSha256, sendWebhook, startFakeProviders, type FakeProviders } from '../providers';
import { errorOf, itemsOf, sha256 } from '../e2e/support';
import { join } from 'node:path';
import { repoRoot } from '../harness/versions';

const SECRET = 'queue-mode-secret-0123456789abcdef0123456789abcdef';

describe.each(versionsUnderTest())('queue mode on n8n %s', (version) => {
	let cluster: QueueCluster;
	let fake: FakeProviders;

	beforeAll(async () => {
		const ca = await createTestCa(join(repoRoot, '.cache', 'test-ca'));
		fake = await startFakeProviders({ tls: ca, publicHost: 'localhost' });
		cluster = await QueueCluster.start({ version, webhooks: 2, workers: 1 });
	});
	afterAll(async () => {
		await cluster?.stop();
		await fake?.close();
	});
	afterEach(() => {
		const state = expect.getState();
		if (state.assertionCalls !== state.numPassingAsserts && cluster) process.stderr.write(cluster.logs());
	});

	test('deliveries through both webhook processes are verified, run by the worker and download byte-identical PDFs', async () => {
		const { main } = cluster;
		const credentialId = await main.createCredential({
			name: 'PDF Gorilla',
			type: 'pdfGorillaApi',
			data: { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: SECRET, baseUrl: `${fake.origin}/pdfgorilla/api/v1` },
		});
		const credentials = { pdfGorillaApi: { id: credentialId, name: 'PDF Gorilla' } };
		const hook = newWebhookId();
		const workflowId = await main.createWorkflow(
			linearWorkflow('queue: PDF Gorilla download', [
				triggerNode('pdfGorillaTrigger', hook, {}, credentials),
				{
					name: 'Download',
					type: `${PACKAGE}.pdfGorilla`,
					typeVersion: 1,
					parameters: {
						resource: 'job',
						operation: 'download',
						downloadOptions: { allowPrivateNetwork: true, additionalAllowedHosts: `localhost:${fake.port}`, skipAlreadyProcessed: true },
					},
					credentials,
				},
			]),
		);
		for (let i = 0; i < cluster.webhooks.length; i++) await cluster.webhooks[i].waitForWebhook(cluster.webhookUrl(hook, i));

		const jobs = [0, 1].map(() => fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 150_000 } }));
		const responses = await Promise.all(
			jobs.map(async (job, i) => await sendWebhook('pdfgorilla', cluster.webhookUrl(hook, i), fake.pdfgorilla.webhookPayload(job.jobId), { secret: SECRET })),
		);
		expect(responses.map((r) => r.status)).toEqual([200, 200]);
		const forged = await sendWebhook('pdfgorilla', cluster.webhookUrl(hook, 1), fake.pdfgorilla.webhookPayload(jobs[0].jobId), { secret: 'wrong' });
		expect(forged.status).toBe(401);

		const executions = await main.waitForExecutions(workflowId, 2, { includeData: true, timeoutMs: 120_000 });
		expect(executions).toHaveLength(2);
		for (const execution of executions) {
			expect(errorOf(execution)).toBeUndefined();
			const [item] = itemsOf(execution, 'Download');
			const job = jobs.find((j) => j.jobId === item.json.jobId)!;
			expect(sha256(await main.binaryBytes(item.binary!.data))).toBe(await pdfSpecSha256(job.pdf));
		}
		// The worker ran them, not the main process.
		expect(cluster.workers[0].log()).toMatch(/Worker started execution|execution.*started|Start job/i);
	});
});
