/**
 * Exactly one email per event with every node at its defaults, in regular mode (SQLite): the
 * workflow a user builds by dropping in PDF Gorilla Trigger → PDF Gorilla (Download File) →
 * Send Email, nothing else set but credentials (and Allow Private Network, because the fake
 * service lives on loopback).
 *
 * 1. 60 unique signed events, 30 byte-identical repeats sent at the same moment as their
 *    originals and 30 two seconds later: 60 emails, each event once, attachments intact.
 * 2. n8n restarted (the trigger's memory is gone): repeats of emailed events start executions,
 *    and the download's record in n8n's database skips them: still no second email.
 * 3. Respond "When the Workflow Has Finished": a delivery whose workflow failed gets 500, its
 *    retry runs and is emailed; a repeat sent while the first is running gets 503; one after a
 *    success gets 200 and starts nothing.
 */
import { createHash } from 'node:crypto';

import type { N8nInstance } from '../harness/n8n';
import { delay } from '../harness/processes';
import { SmtpSink, type ReceivedMail } from '../harness/smtp';
import { isV1, versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, type NodeSpec } from '../harness/workflows';
import { pdfSpecSha256, sendWebhook } from '../providers';
import type { PdfGorillaJob } from '../providers/services/pdfgorilla';
import { itemsOf, startedFlow, useStack } from './support';

const SECRET = 'exactly-once-signing-secret-8d1f0c3b5a7e9d2c4b6a8f0e1d3c5b7a';
const UNIQUE = 60;

function log(message: string): void {
	process.stderr.write(`[exactly once] ${message}\n`);
}

interface Answer {
	status: number;
	body: { started?: boolean; reason?: string; error?: string };
}

describe.each(versionsUnderTest())('exactly one email per event with default settings on n8n %s (regular mode)', (version) => {
	const stack = useStack(version, { fake: { publicHost: 'localhost' } });
	let smtp: SmtpSink;
	let credentials: { smtp: { id: string; name: string }; pdfGorillaApi: { id: string; name: string } };

	beforeAll(async () => {
		const { n8n, fake } = stack;
		smtp = await SmtpSink.start();
		credentials = {
			smtp: { id: await n8n.createCredential({ name: 'SMTP', type: 'smtp', data: smtp.credentialData() }), name: 'SMTP' },
			pdfGorillaApi: {
				id: await n8n.createCredential({
					name: 'PDF Gorilla',
					type: 'pdfGorillaApi',
					data: { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: SECRET, baseUrl: `${fake.origin}/pdfgorilla/api/v1` },
				}),
				name: 'PDF Gorilla',
			},
		};
	});

	afterAll(async () => {
		await smtp?.close();
	});

	/** Trigger → download → email, every parameter a user does not have to touch left out. */
	async function userWorkflow(n8n: N8nInstance, name: string, triggerParameters: Record<string, unknown> = {}): Promise<{ workflowId: string; url: string }> {
		const hook = newWebhookId();
		const nodes: NodeSpec[] = [
			{ name: 'PDF Gorilla Trigger', type: 'n8n-nodes-pdf-webhooks.pdfGorillaTrigger', typeVersion: 2, webhookId: hook, parameters: triggerParameters, credentials: { pdfGorillaApi: credentials.pdfGorillaApi } },
			{
				name: 'Download PDF',
				type: 'n8n-nodes-pdf-webhooks.pdfGorilla',
				typeVersion: 1,
				parameters: { resource: 'job', operation: 'download', downloadOptions: { allowPrivateNetwork: true, additionalAllowedHosts: `localhost:${stack.fake.port}` } },
				credentials: { pdfGorillaApi: credentials.pdfGorillaApi },
			},
			{
				name: 'Send Email',
				type: 'n8n-nodes-base.emailSend',
				typeVersion: 2.1,
				parameters: {
					fromEmail: 'n8n@example.com',
					toEmail: 'accounts@example.com',
					subject: '={{ "PDF " + $json.jobId }}',
					emailFormat: 'text',
					text: 'Attached.',
					options: isV1(version) ? { attachments: 'data' } : { fileAttachments: 'data' },
				},
				credentials: { smtp: credentials.smtp },
			},
		];
		const workflowId = await n8n.createWorkflow(linearWorkflow(name, nodes));
		const url = n8n.webhookUrl(hook);
		await n8n.waitForWebhook(url);
		return { workflowId, url };
	}

	async function deliver(url: string, job: PdfGorillaJob): Promise<Answer> {
		const res = await sendWebhook('pdfgorilla', url, stack.fake.pdfgorilla.webhookPayload(job.jobId), { secret: SECRET, timeoutMs: 60_000 });
		let body: Answer['body'] = {};
		try {
			body = JSON.parse(res.text) as Answer['body'];
		} catch {
			// lastNode answers carry no body
		}
		return { status: res.status, body };
	}

	function mailsFor(jobId: string): ReceivedMail[] {
		return smtp.messages.filter((m) => m.parsed.subject === `PDF ${jobId}`);
	}

	/** Waits until every execution of the workflow has finished and the mailbox has been still for 3 s. */
	async function settle(workflowId: string, timeoutMs = 120_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let count = -1;
		let stillSince = Date.now();
		for (;;) {
			const executions = await stack.n8n.executions(workflowId);
			if (smtp.messages.length !== count) {
				count = smtp.messages.length;
				stillSince = Date.now();
			}
			if (Date.now() - stillSince > 3000 && executions.every((e) => e.stoppedAt !== null)) return;
			if (Date.now() > deadline) throw new Error(`workflow ${workflowId} did not settle: ${executions.filter((e) => e.stoppedAt === null).length} executions open`);
			await delay(500);
		}
	}

	async function expectIntact(job: PdfGorillaJob, mail: ReceivedMail): Promise<void> {
		expect(mail.parsed.attachments).toHaveLength(1);
		const [attachment] = mail.parsed.attachments;
		expect(attachment.filename).toBe(`${job.jobId}.pdf`);
		expect(createHash('sha256').update(attachment.content).digest('hex')).toBe(await pdfSpecSha256(job.pdf));
	}

	test(`${UNIQUE} events, ${UNIQUE / 2} repeats racing their originals and ${UNIQUE / 2} two seconds later, then n8n restarted and repeats sent again: one email per event`, async () => {
		const { n8n, fake } = stack;
		const { workflowId, url } = await userWorkflow(n8n, 'Exactly once (defaults)');
		const jobs = Array.from({ length: UNIQUE }, () => fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 20_000 } }));
		const answers: Answer[] = [];
		const later: Promise<void>[] = [];
		await Promise.all(
			jobs.map(async (job, i) => {
				const sends = [deliver(url, job)];
				if (i % 2 === 0) sends.push(deliver(url, job));
				answers.push(...(await Promise.all(sends)));
				if (i % 2 === 1) later.push(delay(2000).then(async () => void answers.push(await deliver(url, job))));
			}),
		);
		await Promise.all(later);
		await settle(workflowId);

		const started = answers.filter((a) => a.status === 200 && a.body.started !== false);
		const duplicates = answers.filter((a) => a.body.reason === 'duplicate');
		const emailed = jobs.map((job) => mailsFor(job.jobId).length);
		log(`n8n ${version}: ${answers.length} deliveries, ${started.length} started, ${duplicates.length} answered as duplicates, ${smtp.messages.length} emails for ${UNIQUE} events`);
		expect(answers.filter((a) => a.status !== 200)).toEqual([]);
		expect(started).toHaveLength(UNIQUE);
		expect(duplicates).toHaveLength(UNIQUE);
		expect(emailed.filter((n) => n !== 1)).toEqual([]);
		for (const job of jobs) await expectIntact(job, mailsFor(job.jobId)[0]);

		// A restart empties the trigger's memory; the download's record in the database remains.
		await n8n.restart();
		await n8n.waitForWebhook(url);
		const before = (await n8n.executions(workflowId)).length;
		const again = await Promise.all(jobs.slice(0, 10).map(async (job) => await deliver(url, job)));
		expect(again.map((a) => a.status)).toEqual(Array(10).fill(200));
		await settle(workflowId);
		const executions = await n8n.executions(workflowId, { includeData: true });
		const afterRestart = executions.slice(0, executions.length - before);
		log(`n8n ${version}: after a restart, 10 repeats started ${afterRestart.length} executions and ${smtp.messages.length - UNIQUE} emails`);
		expect(afterRestart).toHaveLength(10);
		for (const execution of afterRestart) {
			expect(execution.status).toBe('success');
			const download = execution.data?.resultData.runData['Download PDF']?.[0] as { data?: { main: unknown[][] }; hints?: { message: string }[] } | undefined;
			expect(download?.data?.main[0]).toEqual([]);
			// What was skipped is shown in the output pane.
			expect(download?.hints?.map((h) => h.message).join('\n')).toMatch(/Skipped job \S+ \(deliveryKey pdfGorilla:[\w-]+\): this workflow has already downloaded it/);
			expect(execution.data?.resultData.runData['Send Email']).toBeUndefined();
		}
		expect(jobs.map((job) => mailsFor(job.jobId).length).filter((n) => n !== 1)).toEqual([]);
	});

	test('downloading by job ID from another start node (no deliveryKey) is not deduplicated by default', async () => {
		const { n8n, fake } = stack;
		const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 20_000 } });
		const flow = await startedFlow(n8n, 'Download by id (defaults)', [
			{
				name: 'Download PDF',
				type: 'n8n-nodes-pdf-webhooks.pdfGorilla',
				typeVersion: 1,
				parameters: { resource: 'job', operation: 'download', jobId: '={{ $json.body.jobId }}', downloadUrl: '', downloadOptions: { allowPrivateNetwork: true, additionalAllowedHosts: `localhost:${fake.port}` } },
				credentials: { pdfGorillaApi: credentials.pdfGorillaApi },
			},
		]);
		for (let run = 0; run < 2; run++) {
			const execution = await flow.run({ jobId: job.jobId });
			expect(execution.status).toBe('success');
			expect(itemsOf(execution, 'Download PDF')[0]?.binary?.data).toBeDefined();
		}
	});

	test('Respond "When the Workflow Has Finished": a failed workflow answers 500 and its retry is emailed; repeats while running get 503, after success 200', async () => {
		const { n8n, fake } = stack;
		const { workflowId, url } = await userWorkflow(n8n, 'Exactly once (respond when finished)', { responseMode: 'lastNode' });

		// The first delivery's download fails (the file is not there yet), so the workflow fails.
		const flaky = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 20_000 } });
		fake.faults.add({ pathPrefix: '/pdfgorilla/files/' }, { status: 500, times: Infinity });
		const failed = await deliver(url, flaky);
		expect(failed.status).toBe(500);
		expect(mailsFor(flaky.jobId)).toHaveLength(0);
		fake.faults.clear();
		const retried = await deliver(url, flaky);
		expect(retried.status).toBe(200);
		expect(mailsFor(flaky.jobId)).toHaveLength(1);
		await expectIntact(flaky, mailsFor(flaky.jobId)[0]);

		// A repeat that arrives while the first is still running is told to come back.
		const slow = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 20_000 } });
		fake.faults.add({ pathPrefix: '/pdfgorilla/files/' }, { delayMs: 3000 });
		const first = deliver(url, slow);
		await delay(800);
		const whileRunning = await deliver(url, slow);
		expect(whileRunning.status).toBe(503);
		expect((await first).status).toBe(200);
		const afterSuccess = await deliver(url, slow);
		expect(afterSuccess.status).toBe(200);
		expect(afterSuccess.body.reason).toBe('duplicate');
		await settle(workflowId);
		expect(mailsFor(slow.jobId)).toHaveLength(1);
	});
});
