/**
 * Queue mode with several workers, where n8n gives a node nothing atomic across processes:
 * the shipped example examples/pdfgorilla-email-pdf-postgres.json makes the user's own
 * PostgreSQL decide which execution handles an event (one INSERT … ON CONFLICT, keyed on
 * the trigger's deliveryKey, as a lease), with the trigger answering "When the Workflow Has
 * Finished" so that a crashed execution is sent again.
 *
 * Two workers at concurrency 5 and two webhook processes; the sender sends every event to
 * both webhook processes at the same moment (so the two copies usually run on different
 * workers) and retries every non-2xx answer, as the services do.
 * 1. The package's defaults alone (the plain email example, Respond When Finished) are
 *    measured for comparison: racing repeats on two workers can both be emailed.
 * 2. With the PostgreSQL example: exactly one email per event.
 * 3. With the PostgreSQL example, one worker SIGKILLed mid-stream and restarted: every event
 *    emailed, and no more events emailed twice than executions were in flight at the kill (an
 *    execution killed between its email and Mark Event Done is emailed again by the take-over:
 *    docs/queue-mode.md says so; not "one email per event").
 * 4. With the PostgreSQL example, a failed download releases the claim at once: the service's
 *    next delivery is emailed without waiting for the lease to run out.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

import { prepareExample } from '../harness/examples';
import type { ExecutionSummary, N8nInstance } from '../harness/n8n';
import { delay } from '../harness/processes';
import { QueueCluster, sendUntilAccepted } from '../harness/queue';
import { SmtpSink, type ReceivedMail } from '../harness/smtp';
import { repoRoot, versionsUnderTest } from '../harness/versions';
import { createTestCa, pdfSpecSha256, sendWebhook, startFakeProviders, type FakeProviders } from '../providers';
import type { PdfGorillaJob } from '../providers/services/pdfgorilla';

const SECRET = 'queue-store-secret-0123456789abcdef0123456789abcdef';
const EVENTS_DATABASE = 'app';
const EVENTS_TABLE = `CREATE TABLE IF NOT EXISTS pdf_webhook_events (
  delivery_key text PRIMARY KEY,
  state        text NOT NULL,
  lease_until  timestamptz NOT NULL,
  done_at      timestamptz
)`;
const EVENTS = 40;

function log(message: string): void {
	process.stderr.write(`[queue external store] ${message}\n`);
}

interface Outcome {
	counts: Map<string, number>;
	answers: Map<string, number[]>;
	executions: ExecutionSummary[];
}

describe.each(versionsUnderTest())('queue mode with two workers and an external store on n8n %s', (version) => {
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
			workers: 2,
			workerConcurrency: 5,
			env: { QUEUE_WORKER_LOCK_DURATION: '20000', QUEUE_WORKER_LOCK_RENEW_TIME: '5000', QUEUE_WORKER_STALLED_INTERVAL: '10000' },
		});
		const { main, postgres } = cluster;
		postgres.sql(`create database ${EVENTS_DATABASE}`, 'postgres');
		postgres.sql(EVENTS_TABLE, EVENTS_DATABASE);
		const credential = async (name: string, type: string, data: Record<string, unknown>) => ({ id: await main.createCredential({ name, type, data }), name });
		credentials = {
			smtp: await credential('SMTP', 'smtp', smtp.credentialData()),
			pdfGorillaApi: await credential('PDF Gorilla', 'pdfGorillaApi', {
				apiKey: fake.credentials.pdfgorilla.apiKey,
				webhookSecret: SECRET,
				baseUrl: `${fake.origin}/pdfgorilla/api/v1`,
			}),
			postgres: await credential('Events database', 'postgres', {
				host: postgres.host,
				port: postgres.port,
				database: EVENTS_DATABASE,
				user: postgres.user,
				password: postgres.password,
				ssl: 'disable',
			}),
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

	/** Imports an example as users do, on a webhook path of its own; `edit` adjusts it as a user might. */
	async function importExample(file: string, name: string, edit: (node: { type: string; parameters: Record<string, unknown> }) => void = () => {}) {
		const { workflow } = prepareExample(file, { version, credentials, fakeHost: `localhost:${fake.port}` });
		workflow.name = name;
		for (const node of workflow.nodes) edit(node);
		return await cluster.createOnOwnPath(workflow, 'pdfGorillaTrigger');
	}

	function mailsFor(jobId: string): ReceivedMail[] {
		return smtp.messages.filter((m) => (m.parsed.subject ?? '').includes(`(${jobId})`));
	}

	async function settle(workflowId: string, timeoutMs: number): Promise<ExecutionSummary[]> {
		return await cluster.settle(workflowId, smtp, timeoutMs);
	}

	/**
	 * Sends every event to both webhook processes at once, retrying each copy on every non-2xx
	 * answer or timeout (as the services do) for up to four minutes; `afterAnswered` runs once
	 * per event whose copies were both answered 2xx.
	 */
	async function deliver(jobs: PdfGorillaJob[], hooks: string[], afterAnswered: (answered: number) => Promise<void> = async () => {}): Promise<Map<string, number[]>> {
		const answers = new Map<string, number[]>();
		let answered = 0;
		const copy = async (job: PdfGorillaJob, firstTarget: number) => {
			const statuses = await sendUntilAccepted(
				async (target) => await sendWebhook('pdfgorilla', hooks[target], fake.pdfgorilla.webhookPayload(job.jobId), { secret: SECRET, timeoutMs: 30_000 }),
				{ firstTarget, targets: hooks.length, giveUpMs: 4 * 60_000 },
			);
			answers.set(job.jobId, [...(answers.get(job.jobId) ?? []), ...statuses.map((a) => a.status)]);
		};
		const running: Promise<void>[] = [];
		for (let start = 0; start < jobs.length; start += 10) {
			for (const job of jobs.slice(start, start + 10)) {
				running.push(
					Promise.all([copy(job, 0), copy(job, 1)]).then(async () => {
						answered++;
						await afterAnswered(answered);
					}),
				);
			}
			await delay(500);
		}
		await Promise.all(running);
		return answers;
	}

	async function outcome(jobs: PdfGorillaJob[], answers: Map<string, number[]>, workflowId: string): Promise<Outcome> {
		await settle(workflowId, 3 * 60_000);
		const executions = await cluster.main.executions(workflowId, { includeData: true });
		return { counts: new Map(jobs.map((job) => [job.jobId, mailsFor(job.jobId).length])), answers, executions };
	}

	/** How many executions ran `node` (the PostgreSQL example's branches say what the claim decided). */
	function ran(executions: ExecutionSummary[], node: string): number {
		return executions.filter((e) => (e.data?.resultData.runData[node]?.length ?? 0) > 0).length;
	}

	function summary(what: string, { counts, answers, executions }: Outcome): string {
		const values = [...counts.values()];
		const statuses = [...answers.values()].flat();
		const tally = (s: number) => statuses.filter((x) => x === s).length;
		const branches = ran(executions, 'Claim Event')
			? ` (claimed ${ran(executions, 'Download PDF')}, already done ${ran(executions, 'Duplicate: Already Emailed')}, in progress elsewhere ${ran(executions, 'In Progress Elsewhere: Retry Later')})`
			: '';
		return (
			`n8n ${version}, ${what}: ${counts.size} events, ${statuses.length} deliveries (200: ${tally(200)}, 500: ${tally(500)}, 503: ${tally(503)}, other: ${statuses.length - tally(200) - tally(500) - tally(503)}), ` +
			`${executions.length} executions${branches}, ${values.reduce((a, b) => a + b, 0)} emails: twice ${values.filter((n) => n > 1).length}, none ${values.filter((n) => n === 0).length}`
		);
	}

	async function expectIntact(job: PdfGorillaJob): Promise<void> {
		const [mail] = mailsFor(job.jobId);
		expect(mail.parsed.attachments).toHaveLength(1);
		expect(createHash('sha256').update(mail.parsed.attachments[0].content).digest('hex')).toBe(await pdfSpecSha256(job.pdf));
	}

	const newJobs = () => Array.from({ length: EVENTS }, () => fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 20_000 } }));

	test(`measured for comparison: the package's defaults alone, Respond When Finished, each of ${EVENTS} events racing on both workers`, async () => {
		const { workflowId, hooks } = await importExample('pdfgorilla-email-pdf.json', 'two workers: defaults only', (node) => {
			if (node.type.endsWith('pdfGorillaTrigger')) node.parameters.responseMode = 'lastNode';
		});
		const jobs = newJobs();
		const result = await outcome(jobs, await deliver(jobs, hooks), workflowId);
		log(summary('defaults only (no external store)', result));
		// What this measures is not guaranteed (README, Delivery guarantees); only that nothing is lost.
		expect(jobs.filter((job) => result.counts.get(job.jobId) === 0).map((job) => job.jobId)).toEqual([]);
	});

	test(`the PostgreSQL example: each of ${EVENTS} events racing on both workers is emailed exactly once`, async () => {
		const { workflowId, hooks } = await importExample('pdfgorilla-email-pdf-postgres.json', 'two workers: PostgreSQL claim');
		const jobs = newJobs();
		const result = await outcome(jobs, await deliver(jobs, hooks), workflowId);
		log(summary('PostgreSQL example', result));
		expect(jobs.filter((job) => !(result.answers.get(job.jobId) ?? []).some((s) => s === 200)).map((job) => job.jobId)).toEqual([]);
		expect([...result.counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
		const done = cluster.postgres.sql(`select count(*) from pdf_webhook_events where state = 'done'`, EVENTS_DATABASE);
		expect(Number(done)).toBeGreaterThanOrEqual(EVENTS);
		for (const job of jobs.slice(0, 10)) await expectIntact(job);
	});

	test('the PostgreSQL example, a worker SIGKILLed mid-stream and restarted: every event emailed, no more events twice than executions in flight at the kill', async () => {
		// A user who wants faster take-overs shortens the lease in the claim query; 20 s here.
		const { workflowId, hooks } = await importExample('pdfgorilla-email-pdf-postgres.json', 'two workers: PostgreSQL claim, worker killed', (node) => {
			if (typeof node.parameters.query === 'string') node.parameters.query = node.parameters.query.replace("interval '5 minutes'", "interval '20 seconds'");
		});
		const jobs = newJobs();
		const victim: N8nInstance = cluster.workers[0];
		let killing: Promise<void> | undefined;
		let inFlightAtCrash = 0;
		const answers = await deliver(jobs, hooks, async (answered) => {
			if (killing || answered < EVENTS / 4) return;
			killing = (async () => {
				inFlightAtCrash = (await cluster.main.executions(workflowId)).filter((e) => e.stoppedAt === null).length;
				victim.kill();
				log(`n8n ${version}: SIGKILL to worker 1 after ${answered} events answered, ${inFlightAtCrash} executions in flight`);
				await delay(3000);
				await cluster.restartWorker(victim);
			})();
		});
		await killing;
		const result = await outcome(jobs, answers, workflowId);
		log(summary(`PostgreSQL example, worker killed with ${inFlightAtCrash} executions in flight`, result));
		expect(killing).toBeDefined();
		expect(jobs.filter((job) => !(answers.get(job.jobId) ?? []).some((s) => s === 200)).map((job) => job.jobId)).toEqual([]);
		expect(jobs.filter((job) => result.counts.get(job.jobId) === 0).map((job) => job.jobId)).toEqual([]);
		expect([...result.counts.values()].filter((n) => n > 1).length).toBeLessThanOrEqual(inFlightAtCrash);
	});

	test('the PostgreSQL example: a failed download releases the claim, answers 500, and the next delivery is emailed once', async () => {
		const { workflowId, hooks } = await importExample('pdfgorilla-email-pdf-postgres.json', 'two workers: PostgreSQL claim, failed download');
		const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 20_000 } });
		// The first file download serves a maintenance page instead of the PDF: the download fails.
		const fault = fake.faults.add({ service: 'pdfgorilla', pathPrefix: '/pdfgorilla/files/' }, { notPdf: true, times: 1 });
		const answers: number[] = [];
		// Well inside the 5-minute lease: only a released claim lets the second delivery through.
		const giveUp = Date.now() + 90_000;
		for (let attempt = 0; Date.now() < giveUp; attempt++) {
			const res = await sendWebhook('pdfgorilla', hooks[attempt % 2], fake.pdfgorilla.webhookPayload(job.jobId), { secret: SECRET, timeoutMs: 30_000 });
			answers.push(res.status);
			if (res.status === 200) break;
			await delay(1000);
		}
		await settle(workflowId, 60_000);
		log(`n8n ${version}, PostgreSQL example, failed download: answers ${answers.join(', ')}`);
		expect(fault.hits).toBe(1);
		expect(answers[0]).toBe(500);
		expect(answers[answers.length - 1]).toBe(200);
		expect(mailsFor(job.jobId)).toHaveLength(1);
		await expectIntact(job);
		expect(cluster.postgres.sql(`select count(*) from pdf_webhook_events where state = 'running'`, EVENTS_DATABASE)).toBe('0');
	});
});
