/**
 * Queue mode, the scale-out path: PostgreSQL and Redis on loopback, one main process, one
 * worker at concurrency 10 and two webhook processes, each with the package installed from
 * `npm pack`.
 *
 * 1. Deliveries to either webhook process are verified there and executed by the worker,
 *    which downloads through the database binary data mode.
 * 2. The PDF Gorilla email example imported as users import it (every option at its default):
 *    150 unique signed events, 15 byte-identical repeats sent at the same moment to the other
 *    webhook process and 15 a few seconds later: exactly 150 emails, one per event.
 * 3. Respond "When the Workflow Has Finished", the worker SIGKILLed mid-stream and restarted,
 *    the sender retrying every non-2xx answer (and every timeout) on either webhook process:
 *    every event is emailed at least once, and no more events twice than executions were in
 *    flight at the crash.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

import { prepareExample } from '../harness/examples';
import type { ExecutionSummary } from '../harness/n8n';
import { delay } from '../harness/processes';
import { QueueCluster, sendUntilAccepted } from '../harness/queue';
import { SmtpSink, type ReceivedMail } from '../harness/smtp';
import { repoRoot, versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, PACKAGE, triggerNode } from '../harness/workflows';
import { createTestCa, pdfSpecSha256, sendWebhook, startFakeProviders, type FakeProviders } from '../providers';
import type { PdfGorillaJob } from '../providers/services/pdfgorilla';
import { errorOf, itemsOf, sha256 } from '../e2e/support';

const SECRET = 'queue-mode-secret-0123456789abcdef0123456789abcdef';
const EXAMPLE = 'pdfgorilla-email-pdf.json';
/** How n8n 2.x fails a job whose worker died. */
const STALLED_JOB = /failed to be processed too many times/i;

function log(message: string): void {
	process.stderr.write(`[queue exactly once] ${message}\n`);
}

describe.each(versionsUnderTest())('queue mode on n8n %s', (version) => {
	let cluster: QueueCluster;
	let fake: FakeProviders;
	let smtp: SmtpSink;
	let credentials: Record<string, { id: string; name: string }>;

	beforeAll(async () => {
		const ca = await createTestCa(join(repoRoot, '.cache', 'test-ca'));
		fake = await startFakeProviders({ tls: ca, publicHost: 'localhost' });
		smtp = await SmtpSink.start();
		cluster = await QueueCluster.start({
			version,
			webhooks: 2,
			workers: 1,
			workerConcurrency: 10,
			// Stalled jobs of a killed worker are found within seconds rather than a minute.
			env: { QUEUE_WORKER_LOCK_DURATION: '20000', QUEUE_WORKER_LOCK_RENEW_TIME: '5000', QUEUE_WORKER_STALLED_INTERVAL: '10000' },
		});
		const { main } = cluster;
		credentials = {
			smtp: { id: await main.createCredential({ name: 'SMTP', type: 'smtp', data: smtp.credentialData() }), name: 'SMTP' },
			pdfGorillaApi: {
				id: await main.createCredential({
					name: 'PDF Gorilla',
					type: 'pdfGorillaApi',
					data: { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: SECRET, baseUrl: `${fake.origin}/pdfgorilla/api/v1` },
				}),
				name: 'PDF Gorilla',
			},
		};
	});

	afterAll(async () => {
		await cluster?.stop();
		await smtp?.close();
		await fake?.close();
	});

	afterEach(() => {
		const state = expect.getState();
		if (state.assertionCalls !== state.numPassingAsserts && cluster) process.stderr.write(cluster.logs());
	});

	/** Imports the example (defaults but for `triggerParameters`) and returns both webhook processes' URLs. */
	async function importExample(name: string, triggerParameters: Record<string, unknown> = {}): Promise<{ workflowId: string; hooks: string[] }> {
		const { workflow } = prepareExample(EXAMPLE, { version, credentials, fakeHost: `localhost:${fake.port}` });
		workflow.name = name;
		for (const node of workflow.nodes) if (node.type.endsWith('pdfGorillaTrigger')) Object.assign(node.parameters, triggerParameters);
		return await cluster.createOnOwnPath(workflow, 'pdfGorillaTrigger');
	}

	function mailsFor(jobId: string): ReceivedMail[] {
		return smtp.messages.filter((m) => (m.parsed.subject ?? '').includes(`(${jobId})`));
	}

	async function settle(workflowId: string, timeoutMs: number): Promise<ExecutionSummary[]> {
		return await cluster.settle(workflowId, smtp, timeoutMs);
	}

	async function expectIntact(job: PdfGorillaJob, mail: ReceivedMail): Promise<void> {
		expect(mail.parsed.attachments).toHaveLength(1);
		expect(createHash('sha256').update(mail.parsed.attachments[0].content).digest('hex')).toBe(await pdfSpecSha256(job.pdf));
	}

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
		// The worker ran them, not the main process: n8n's worker logs "Worker started execution <id>
		// (job <job id>)" for each (scaling/job-processor.js, 1.123.81 and 2.41.1 alike).
		const started = (log: string, id: string) => log.includes(`Worker started execution ${id} (job `);
		expect(executions.map((execution) => [execution.id, started(cluster.workers[0].log(), execution.id), started(cluster.main.log(), execution.id)])).toEqual(
			executions.map((execution) => [execution.id, true, false]),
		);
	});

	test('150 events, 15 repeats at the same moment via the other webhook process and 15 later: 150 emails', async () => {
		const { workflowId, hooks } = await importExample('queue exactly once (defaults)');
		const jobs = Array.from({ length: 150 }, () => fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 20_000 } }));
		const send = async (job: PdfGorillaJob, target: number) =>
			await sendWebhook('pdfgorilla', hooks[target], fake.pdfgorilla.webhookPayload(job.jobId), { secret: SECRET, timeoutMs: 120_000 });
		const statuses: number[] = [];
		const later: Promise<void>[] = [];
		// Ten at a time, as a service sends them.
		for (let start = 0; start < jobs.length; start += 10) {
			await Promise.all(
				jobs.slice(start, start + 10).map(async (job, offset) => {
					const i = start + offset;
					const sends = [send(job, i % 2)];
					if (i % 10 === 0) sends.push(send(job, 1 - (i % 2)));
					if (i % 10 === 5) later.push(delay(3000).then(async () => void statuses.push((await send(job, 1 - (i % 2))).status)));
					statuses.push(...(await Promise.all(sends)).map((r) => r.status));
				}),
			);
		}
		await Promise.all(later);
		const executions = await settle(workflowId, 5 * 60_000);
		const counts = jobs.map((job) => mailsFor(job.jobId).length);
		log(`n8n ${version}: ${statuses.length} deliveries, ${executions.length} executions, ${counts.reduce((a, b) => a + b, 0)} emails for ${jobs.length} events`);
		expect(statuses.filter((s) => s !== 200)).toEqual([]);
		expect(executions.filter((e) => e.status !== 'success').map((e) => `${e.id}: ${e.status}`)).toEqual([]);
		expect(counts.filter((n) => n !== 1)).toEqual([]);
		for (const job of jobs.slice(0, 20)) await expectIntact(job, mailsFor(job.jobId)[0]);
	});

	test('Respond "When the Workflow Has Finished", the worker SIGKILLed mid-stream and restarted, every non-2xx retried: every event emailed, no more events twice than executions in flight at the kill', async () => {
		const { workflowId, hooks } = await importExample('queue exactly once (respond when finished)', { responseMode: 'lastNode' });
		const jobs = Array.from({ length: 90 }, () => fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 20_000 } }));
		const attempts = new Map<string, number[]>();
		let delivered = 0;
		let killing: Promise<void> | undefined;
		let inFlightAtCrash = 0;
		const [worker] = cluster.workers;
		const deliverUntilAccepted = async (job: PdfGorillaJob, index: number) => {
			const answers = await sendUntilAccepted(
				async (target) => await sendWebhook('pdfgorilla', hooks[target], fake.pdfgorilla.webhookPayload(job.jobId), { secret: SECRET, timeoutMs: 30_000 }),
				{ firstTarget: index, targets: hooks.length, giveUpMs: 4 * 60_000 },
			);
			attempts.set(job.jobId, answers.map((a) => a.status));
			delivered++;
			if (!killing && delivered >= jobs.length / 3) {
				killing = (async () => {
					inFlightAtCrash = (await cluster.main.executions(workflowId)).filter((e) => e.stoppedAt === null).length;
					worker.kill();
					log(`n8n ${version}: SIGKILL to the worker after ${delivered} events answered, ${inFlightAtCrash} executions in flight`);
					await delay(3000);
					await cluster.restartWorker(worker);
					log(`n8n ${version}: worker restarted`);
				})();
			}
		};
		for (let start = 0; start < jobs.length; start += 10) {
			// Ten at a time; the next ten start while these are still being answered.
			void Promise.all(jobs.slice(start, start + 10).map(async (job, offset) => await deliverUntilAccepted(job, start + offset)));
			await delay(400);
		}
		const deadline = Date.now() + 6 * 60_000;
		while ([...attempts.values()].filter((a) => a.some((s) => s >= 200 && s < 300)).length < jobs.length && Date.now() < deadline) await delay(1000);
		await killing;
		let executions = await settle(workflowId, 3 * 60_000);
		if (executions.some((e) => e.stoppedAt === null && e.status !== 'crashed')) {
			await cluster.main.restart();
			await cluster.main.ensureOwnerAndApiKey();
			executions = await settle(workflowId, 2 * 60_000);
		}

		const detailed = await cluster.main.executions(workflowId, { includeData: true });
		const lost = detailed.filter((e) => e.status === 'crashed' || STALLED_JOB.test(e.data?.resultData.error?.message ?? ''));
		const counts = new Map(jobs.map((job) => [job.jobId, mailsFor(job.jobId).length]));
		const notEmailed = jobs.filter((j) => counts.get(j.jobId) === 0).map((j) => j.jobId);
		const twice = jobs.filter((j) => (counts.get(j.jobId) ?? 0) > 1).map((j) => j.jobId);
		const retried = [...attempts.values()].filter((a) => a.length > 1).length;
		log(
			`n8n ${version}: ${jobs.length} events, ${retried} retried, ${executions.length} executions (${inFlightAtCrash} in flight at the crash, ${lost.length} marked lost by n8n), ` +
				`emails ${[...counts.values()].reduce((a, b) => a + b, 0)}: not emailed ${notEmailed.length}, twice ${twice.length} (${twice.join(', ') || 'none'})`,
		);
		expect(killing).toBeDefined();
		expect(jobs.filter((j) => !(attempts.get(j.jobId) ?? []).some((s) => s >= 200 && s < 300)).map((j) => j.jobId)).toEqual([]);
		expect(notEmailed).toEqual([]);
		expect(twice.length).toBeLessThanOrEqual(inFlightAtCrash);
		for (const job of jobs.slice(0, 20)) await expectIntact(job, mailsFor(job.jobId)[0]);
	});
});
