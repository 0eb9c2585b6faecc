/**
 * n8n restarted while deliveries arrive: DocGenLab keeps sending "document generated" events
 * to the DocGenLab email example and retries failed deliveries as its documentation says
 * (after 1, 5 and 15 minutes; here seconds). n8n is stopped and started again in the middle
 * of it. Every event must end up emailed exactly once and executed exactly once, with two
 * exceptions of n8n's own, each listed: n8n 1.x answers 200 before storing the execution, so an
 * event answered while it shuts down can be dropped after the answer (allowed only for
 * answers inside the shutdown window); and n8n can start an execution yet answer the delivery with a 5xx or cut it while it
 * shuts down, so DocGenLab rightly retries and the event runs twice. Then Skip Already
 * Processed in the example's download must keep it to one email.
 */
import { join } from 'node:path';

import { prepareExample } from '../harness/examples';
import { isFinished, type ExecutionSummary, type N8nInstance } from '../harness/n8n';
import { delay } from '../harness/processes';
import { SmtpSink } from '../harness/smtp';
import { isV1, repoRoot, versionsUnderTest } from '../harness/versions';
import { createTestCa, type ServiceName } from '../providers';
import { itemsOf, useStack } from './support';

const EVENTS = 60;

const jobOf = (execution: ExecutionSummary) => itemsOf(execution, 'DocGenLab Trigger')[0]?.json.jobId as string;

/**
 * The workflow's finished executions once every job has one and none is running, or once no
 * new one has appeared for 10 s. Not a count: an event n8n ran twice (it failed the first
 * answer) would make up for one whose execution has not appeared yet.
 */
async function settledExecutions(n8n: N8nInstance, workflowId: string, jobIds: string[]): Promise<ExecutionSummary[]> {
	let previous = -1;
	let stableSince = Date.now();
	const deadline = Date.now() + 120_000;
	for (;;) {
		const all = await n8n.executions(workflowId, { includeData: true });
		const finished = all.filter(isFinished);
		if (finished.length !== previous) [previous, stableSince] = [finished.length, Date.now()];
		const settled = Date.now() - stableSince >= 10_000 && finished.length === all.length;
		const executed = new Set(finished.map(jobOf));
		const everyJob = jobIds.every((id) => executed.has(id)) && finished.length === all.length;
		if (everyJob || settled || Date.now() > deadline) return finished;
		await delay(500);
	}
}
/** DocGenLab's schedule (1, 5 and 15 minutes), a second per minute. */
const RETRY_DELAYS_MS = [1000, 5000, 15_000];

describe.each(versionsUnderTest())('n8n %s restarted while deliveries arrive', (version) => {
	const stack = useStack(version, { fake: { publicHost: 'localhost' } });
	let smtp: SmtpSink;
	let workflowId: string;
	let hook: string;

	beforeAll(async () => {
		const { n8n, fake } = stack;
		await createTestCa(join(repoRoot, '.cache', 'test-ca'));
		smtp = await SmtpSink.start();
		const api = (service: ServiceName) => `${fake.origin}${new URL(fake.baseUrl(service)).pathname}`;
		const credentials = {
			smtp: { id: await n8n.createCredential({ name: 'SMTP', type: 'smtp', data: smtp.credentialData() }), name: 'SMTP' },
			docGenLabApi: {
				id: await n8n.createCredential({ name: 'DocGenLab', type: 'docGenLabApi', data: { apiKey: fake.credentials.docgenlab.apiKey, baseUrl: api('docgenlab') } }),
				name: 'DocGenLab',
			},
		};
		const { workflow, webhookId } = prepareExample('docgenlab-email-pdf.json', { version, credentials, fakeHost: `localhost:${fake.port}` });
		workflowId = await n8n.createWorkflow(workflow);
		hook = n8n.webhookUrl(webhookId);
		await n8n.waitForWebhook(hook);
	});

	afterAll(async () => {
		await smtp?.close();
	});

	test('every event is executed and emailed exactly once', async () => {
		const { n8n, fake } = stack;
		const started = Date.now();
		const jobIds = Array.from({ length: EVENTS }, (_, i) => `dgl-restart-${i}`);
		const sending = jobIds.map(async (jobId, i) => {
			await delay(i * 500);
			const payload = fake.examplePayloads.docgenlab.generated({ job_id: jobId }, { sizeBytes: 40_000 });
			// Like the fake DocGenLab's own sender: anything but a 2xx is a failed delivery.
			await fake.webhooks.dispatch('docgenlab', hook, payload, {}, { delaysMs: RETRY_DELAYS_MS, retryIf: (s) => s === undefined || s < 200 || s >= 300 });
		});
		await delay(2000);
		const restartedAt = Date.now();
		// n8n's own graceful shutdown (it keeps answering until it exits), then a fresh start.
		await n8n.restart(60_000);
		const downMs = Date.now() - restartedAt;
		await Promise.all(sending);

		const attempts = fake.webhooks.list({ service: 'docgenlab', url: hook });
		const jobOfAttempt = (attempt: (typeof attempts)[number]) => (attempt.payload as { job_id: string }).job_id;
		const finalAttempt = new Map<string, (typeof attempts)[number]>();
		for (const attempt of attempts) finalAttempt.set(jobOfAttempt(attempt), attempt);
		const statusCounts: Record<string, number> = {};
		for (const a of attempts) {
			const answer = String(a.status ?? a.error);
			statusCounts[answer] = (statusCounts[answer] ?? 0) + 1;
		}
		const retried = attempts.filter((a) => a.attempt > 1);
		process.stderr.write(
			`[restart] n8n ${version}: ${EVENTS} events, ${attempts.length} delivery attempts (${retried.length} retries, ` +
				`${attempts.filter((a) => a.status === undefined).length} refused or cut while n8n was down for ${(downMs / 1000).toFixed(1)} s); ` +
				`answers ${JSON.stringify(statusCounts)}\n`,
		);

		// Every delivery has had its final answer; what n8n will ever execute finishes within seconds.
		const executions = await settledExecutions(n8n, workflowId, jobIds);
		const executedJobs = new Set(executions.map(jobOf));
		await smtp.waitFor(executedJobs.size, 60_000).catch(() => undefined);
		await delay(3000);

		process.stderr.write(`[restart] n8n ${version}: ${executions.length} executions, ${smtp.messages.length} emails; all done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
		const executionsPerJob = new Map<string, number>();
		for (const execution of executions) {
			const job = jobOf(execution);
			executionsPerJob.set(job, (executionsPerJob.get(job) ?? 0) + 1);
		}
		const emailsPerJob = new Map<string, number>();
		for (const mail of smtp.messages) {
			const jobId = /Document (\S+) is ready/.exec(mail.parsed.subject ?? '')?.[1] ?? '?';
			emailsPerJob.set(jobId, (emailsPerJob.get(jobId) ?? 0) + 1);
		}
		expect(retried.length).toBeGreaterThan(0);
		expect(jobIds.filter((id) => finalAttempt.get(id)?.status !== 200)).toEqual([]);
		// n8n 1.x can also leave an execution it was running at shutdown as 'crashed' on restart.
		const crashed = executions.filter((e) => isV1(version) && e.status === 'crashed');
		expect(executions.filter((e) => e.status !== 'success' && !crashed.includes(e)).map((e) => `${e.id}: ${e.status}`)).toEqual([]);
		const crashedJobs = crashed.map(jobOf);
		if (crashed.length) {
			const named = crashedJobs.map((job, i) => job ?? `execution ${crashed[i].id} (n8n kept no trigger data)`);
			process.stderr.write(`[restart] n8n ${version}: crashed by n8n at shutdown: ${named.join(', ')}\n`);
		}
		const lost = jobIds.filter((id) => !executionsPerJob.has(id));
		if (lost.length) process.stderr.write(`[restart] n8n ${version}: accepted but dropped by n8n while shutting down: ${lost.join(', ')}\n`);
		// n8n 1.x answers 200 before it stores the execution: an event it accepted while shutting
		// down may never run. Any other event without an execution is a loss.
		const answeredDuringShutdown = (id: string) => {
			const answer = finalAttempt.get(id);
			return answer !== undefined && answer.time.getTime() >= restartedAt - 2000 && answer.time.getTime() <= restartedAt + downMs;
		};
		expect(lost.filter((id) => !(isV1(version) && answeredDuringShutdown(id)))).toEqual([]);
		const failedAfterStarting = new Set(
			attempts.filter((a) => (a.status !== undefined ? a.status >= 500 : !/ECONNREFUSED/.test(String(a.error)))).map(jobOfAttempt),
		);
		const executedTwice = jobIds.filter((id) => (executionsPerJob.get(id) ?? 0) > 1);
		if (executedTwice.length) {
			process.stderr.write(`[restart] n8n ${version}: executed twice after n8n failed or cut the first delivery's answer (retried by DocGenLab): ${executedTwice.join(', ')}\n`);
		}
		expect(executedTwice.filter((id) => !failedAfterStarting.has(id)).map((id) => `${id}: ${executionsPerJob.get(id)} executions`)).toEqual([]);
		expect(jobIds.filter((id) => (emailsPerJob.get(id) ?? 0) > 1)).toEqual([]);
		expect(jobIds.filter((id) => !lost.includes(id) && !crashedJobs.includes(id) && emailsPerJob.get(id) !== 1).map((id) => `${id}: ${emailsPerJob.get(id) ?? 0} emails`)).toEqual([]);
	});
});
