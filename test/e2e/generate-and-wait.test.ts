/**
 * Generate and Wait in real n8n: the node starts a PDF Gorilla job with this execution's
 * resume URL and a secret for this wait, the execution waits, and the fake service's signed
 * callback resumes it with the PDF. n8n's WEBHOOK_URL is a public https name here, routed to
 * the loopback n8n by the fake's tunnel (as a reverse proxy or tunnel does for a self-hosted
 * n8n); a second n8n with its default loopback URL shows the polling fallback.
 */
import { isV1, versionsUnderTest, type N8nVersion } from '../harness/versions';
import { unlessSkipped } from '../harness/skips';
import { delay, type ExecutionSummary, type N8nInstance, webhookUrlVariable } from '../harness/n8n';
import { SmtpSink } from '../harness/smtp';
import { linearWorkflow, newWebhookId, PACKAGE, type NodeSpec } from '../harness/workflows';
import { pdfSpecSha256, sendWebhook } from '../providers';
import type { PdfGorillaJob } from '../providers/services/pdfgorilla';
import { errorOf, itemsOf, sha256, useStack, type Stack } from './support';

const PUBLIC_ORIGIN = 'https://n8n.example.com';
/** Long enough that no job ends on its own: each test finishes its job when it is ready. */
const NEVER_MS = 60 * 60 * 1000;
const CREDENTIAL_WEBHOOK_SECRET = 'credential-webhook-secret-e2e-0123456789abcdef';

interface Flow {
	workflowId: string;
	/** Starts one execution with these input items and returns its id. */
	start(items?: unknown): Promise<string>;
}

async function generateAndWaitFlow(
	stack: Stack,
	credential: Record<string, { id: string; name: string }>,
	name: string,
	parameters: Record<string, unknown> = {},
	node?: NodeSpec,
	after: NodeSpec[] = [],
): Promise<Flow> {
	const { n8n } = stack;
	const hook = newWebhookId();
	const startNode: NodeSpec = { name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: hook, parameters: { httpMethod: 'POST', path: `start-${hook}`, options: {} } };
	const split: NodeSpec = {
		name: 'Items',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		parameters: { fieldToSplitOut: 'body.items', options: {} },
	};
	const generate: NodeSpec = { ...generateNode(stack, credential), parameters: { ...generateNode(stack, credential).parameters, ...parameters } };
	const workflowId = await n8n.createWorkflow(linearWorkflow(name, [startNode, split, node ?? generate, ...after]));
	const url = `${n8n.baseUrl}/webhook/start-${hook}`;
	await n8n.waitForWebhook(url);
	const seen = new Set<string>();
	return {
		workflowId,
		async start(items: unknown = [{ orderId: 'ORD-1' }]) {
			for (const e of await n8n.executions(workflowId)) seen.add(e.id);
			const callbacksBefore = new Set(waitingExecutionIds(stack));
			expect((await n8n.postWebhook(url, JSON.stringify({ items }), { 'content-type': 'application/json' })).status).toBe(200);
			const deadline = Date.now() + 60_000;
			while (Date.now() < deadline) {
				// n8n 1.x leaves a waiting execution out of the executions list (it stays among the
				// active ones), so a waiting one is found through the callback URL the service got.
				const waiting = waitingExecutionIds(stack).find((id) => !callbacksBefore.has(id));
				if (waiting) return waiting;
				const fresh = (await n8n.executions(workflowId)).find((e) => !seen.has(e.id));
				if (fresh) return fresh.id;
				await delay(200);
			}
			throw new Error('no execution started');
		},
	};
}

/** PDF Gorilla → PDF → Generate and Wait, as generateAndWaitFlow builds it. */
function generateNode(stack: Stack, credential: Record<string, { id: string; name: string }>): NodeSpec {
	return {
		name: 'Generate',
		type: `${PACKAGE}.pdfGorilla`,
		typeVersion: 1,
		parameters: {
			resource: 'pdf',
			operation: 'generateAndWait',
			templateId: 'tmpl_invoice',
			data: '={{ JSON.stringify({ orderId: $json.orderId }) }}',
			downloadOptions: { allowPrivateNetwork: true, additionalAllowedHosts: `localhost:${stack.fake.port}` },
		},
		credentials: credential,
	};
}

/** The executions the fake services were given resume URLs of. */
function waitingExecutionIds(stack: Stack): string[] {
	const urls = [...[...stack.fake.pdfgorilla.jobs.values()].map((j) => j.webhookUrl), ...[...stack.fake.docgenlab.documents.values()].map((d) => d.webhook_url)];
	return urls.map((u) => /\/webhook-waiting\/(\d+)/.exec(u ?? '')?.[1]).filter((id): id is string => id !== undefined);
}

async function docGenLabFlow(stack: Stack, credential: Record<string, { id: string; name: string }>, name: string, after: NodeSpec[] = []): Promise<Flow> {
	return await generateAndWaitFlow(stack, credential, name, {}, docGenLabNode(credential), after);
}

function docGenLabNode(credential: Record<string, { id: string; name: string }>): NodeSpec {
	return {
		name: 'Generate',
		type: `${PACKAGE}.docGenLab`,
		typeVersion: 1,
		parameters: {
			resource: 'document',
			operation: 'generateAndWait',
			templateId: 'template-xyz',
			inputJson: '={{ JSON.stringify({ orderId: $json.orderId }) }}',
			downloadOptions: { allowPrivateNetwork: true },
		},
		credentials: credential,
	};
}

/** n8n's Send Email with the item's file attached, as the examples use it. */
function sendEmailNode(version: N8nVersion, smtp: { id: string; name: string }): NodeSpec {
	return {
		name: 'Send Email',
		type: 'n8n-nodes-base.emailSend',
		typeVersion: 2.1,
		parameters: {
			fromEmail: 'n8n@example.com',
			toEmail: 'customer@example.com',
			subject: '={{ "Invoice " + ($json.jobId ?? $json.documentId) }}',
			emailFormat: 'text',
			text: 'Attached.',
			options: isV1(version) ? { attachments: 'data' } : { fileAttachments: 'data' },
		},
		credentials: { smtp },
	};
}

/** Polls one execution until `done` holds for it. */
async function executionWhen(n8n: N8nInstance, _workflowId: string, id: string, done: (e: ExecutionSummary) => boolean, timeoutMs = 60_000): Promise<ExecutionSummary> {
	const deadline = Date.now() + timeoutMs;
	let last: ExecutionSummary | undefined;
	while (Date.now() < deadline) {
		// By ID: n8n 1.x's list leaves waiting executions out.
		last = await n8n.api<ExecutionSummary>('GET', `/executions/${id}?includeData=true`);
		if (last && done(last)) return last;
		await delay(250);
	}
	throw new Error(`execution ${id} stayed ${last?.status}\n${n8n.logTail()}`);
}

const isWaiting = (e: ExecutionSummary) => e.status === 'waiting';
const isDone = (e: ExecutionSummary) => !['waiting', 'running', 'new'].includes(e.status) && e.stoppedAt !== null;

describe.each(versionsUnderTest())('Generate and Wait on n8n %s', (version) => {
	describe('n8n on a public https URL (through a tunnel)', () => {
		const stack = useStack(version, {
			fake: { publicHost: 'localhost', pdfgorilla: { jobDurationMs: NEVER_MS }, docgenlab: { stepMs: NEVER_MS } },
			n8n: { env: webhookUrlVariable(version, `${PUBLIC_ORIGIN}/`) },
		});
		let credential: Record<string, { id: string; name: string }>;
		let smtp: SmtpSink;
		let smtpCredential: { id: string; name: string };

		beforeAll(async () => {
			const { n8n, fake } = stack;
			fake.webhooks.addTunnel(PUBLIC_ORIGIN, n8n.baseUrl);
			smtp = await SmtpSink.start();
			smtpCredential = { id: await n8n.createCredential({ name: 'SMTP', type: 'smtp', data: smtp.credentialData() }), name: 'SMTP' };
			const id = await n8n.createCredential({
				name: 'PDF Gorilla (fake)',
				type: 'pdfGorillaApi',
				// A webhook secret too (the trigger's): a callback signed with it must not pass for this wait's.
				data: { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: CREDENTIAL_WEBHOOK_SECRET, baseUrl: `${fake.origin}/pdfgorilla/api/v1` },
			});
			credential = { pdfGorillaApi: { id, name: 'PDF Gorilla (fake)' } };
			const docGenLabId = await n8n.createCredential({
				name: 'DocGenLab (fake)',
				type: 'docGenLabApi',
				data: { apiKey: fake.credentials.docgenlab.apiKey, baseUrl: `${fake.origin}/docgenlab/api/v1` },
			});
			docGenLabCredential = { docGenLabApi: { id: docGenLabId, name: 'DocGenLab (fake)' } };
		});
		let docGenLabCredential: Record<string, { id: string; name: string }>;
		afterAll(async () => await smtp?.close());

		/** The job the execution started, once the execution is waiting for it. */
		async function waitingJob(flow: Flow, executionId: string): Promise<{ job: PdfGorillaJob; localUrl: string; execution: ExecutionSummary }> {
			const execution = await executionWhen(stack.n8n, flow.workflowId, executionId, (e) => isWaiting(e) || isDone(e));
			expect(errorOf(execution)).toBeUndefined();
			expect(execution.status).toBe('waiting');
			const jobId = String(itemsOf(execution, 'Generate')[0]?.json.jobId);
			const job = stack.fake.pdfgorilla.jobs.get(jobId)!;
			expect(job).toBeDefined();
			const callback = new URL(job.webhookUrl!);
			return { job, execution, localUrl: `${stack.n8n.baseUrl}${callback.pathname}${callback.search}` };
		}

		test('the signed callback resumes the execution with the PDF; the secret is fresh per wait and appears nowhere', async () => {
			const { fake, n8n } = stack;
			const flow = await generateAndWaitFlow(stack, credential, 'Generate and Wait');
			const first = await flow.start();
			const { job, localUrl, execution: waiting } = await waitingJob(flow, first);
			expect(job.webhookUrl!.startsWith(`${PUBLIC_ORIGIN}/webhook-waiting/${first}`)).toBe(true);
			expect(job.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
			expect(JSON.stringify(waiting.data)).not.toContain(job.webhookSecret);
			expect(job.data).toEqual({ orderId: 'ORD-1' });

			fake.pdfgorilla.finishJob(job.jobId);
			const done = await executionWhen(n8n, flow.workflowId, first, isDone);
			expect(errorOf(done)).toBeUndefined();
			expect(done.status).toBe('success');
			const [item] = itemsOf(done, 'Generate');
			expect(item.json).toMatchObject({ jobId: job.jobId, status: 'completed', download: { mimeType: 'application/pdf' } });
			expect(sha256(await n8n.binaryBytes(item.binary!.data))).toBe(await pdfSpecSha256(job.pdf));
			const [delivery] = fake.webhooks.list({ service: 'pdfgorilla', url: job.webhookUrl });
			expect(delivery.status).toBe(200);
			expect(JSON.stringify(done.data)).not.toContain(job.webhookSecret);
			expect(n8n.log()).not.toContain(job.webhookSecret);
			expect(localUrl).toContain('n8nWaitNonce=');

			// A second execution gets its own secret.
			const second = await flow.start([{ orderId: 'ORD-2' }]);
			const other = await waitingJob(flow, second);
			expect(other.job.webhookSecret).not.toBe(job.webhookSecret);
			fake.pdfgorilla.finishJob(other.job.jobId);
			expect((await executionWhen(n8n, flow.workflowId, second, isDone)).status).toBe('success');
		});

		test('a forged or unsigned callback gets 401 and the execution keeps waiting; the genuine one then completes it; a repeat changes nothing', async () => {
			const { fake, n8n } = stack;
			const flow = await generateAndWaitFlow(stack, credential, 'Generate and Wait (forged)');
			const id = await flow.start();
			const { job, localUrl } = await waitingJob(flow, id);
			fake.pdfgorilla.jobs.get(job.jobId)!.status = 'completed';
			const forgedPayload = { jobId: job.jobId, status: 'completed', downloadUrl: `${fake.origin}/pdfgorilla/files/forged`, expiresAt: null, error: null, timestamp: new Date().toISOString() };
			fake.pdfgorilla.jobs.get(job.jobId)!.status = 'queued';

			const forged = await sendWebhook('pdfgorilla', localUrl, forgedPayload, { secret: 'not-the-secret' });
			expect(forged.status).toBe(401);
			expect(forged.text).not.toContain(job.jobId);
			const unsigned = await sendWebhook('pdfgorilla', localUrl, forgedPayload, { headers: { 'x-pdfg-signature': null } });
			expect(unsigned.status).toBe(401);
			// Signed with the right secret but sent without this wait's nonce.
			const withoutNonce = new URL(localUrl);
			withoutNonce.searchParams.delete('n8nWaitNonce');
			const noNonce = await sendWebhook('pdfgorilla', withoutNonce.toString(), forgedPayload, { secret: job.webhookSecret });
			expect(noNonce.status).toBe(401);
			// Signed with the credential's own webhook secret (the trigger's), not this wait's.
			const credentialSigned = await sendWebhook('pdfgorilla', localUrl, forgedPayload, { secret: CREDENTIAL_WEBHOOK_SECRET });
			expect(credentialSigned.status).toBe(401);
			expect((await executionWhen(n8n, flow.workflowId, id, () => true)).status).toBe('waiting');

			const downloadsBefore = fake.requests().filter((r) => r.path.startsWith('/pdfgorilla/files/')).length;
			fake.pdfgorilla.finishJob(job.jobId);
			const done = await executionWhen(n8n, flow.workflowId, id, isDone);
			expect(done.status).toBe('success');
			const [item] = itemsOf(done, 'Generate');
			expect(sha256(await n8n.binaryBytes(item.binary!.data))).toBe(await pdfSpecSha256(job.pdf));

			// The same signed delivery again, after the resume.
			const [delivery] = fake.webhooks.list({ service: 'pdfgorilla', url: job.webhookUrl });
			const downloads = fake.requests().filter((r) => r.path.startsWith('/pdfgorilla/files/')).length;
			expect(downloads).toBe(downloadsBefore + 1);
			const repeat = await sendWebhook('pdfgorilla', localUrl, undefined, { rawBody: delivery.body, signature: delivery.headers['x-pdfg-signature'] });
			// n8n answers a callback for a finished execution itself.
			expect(repeat.status).toBe(409);
			const after = await executionWhen(n8n, flow.workflowId, id, isDone);
			expect(after.status).toBe('success');
			expect(after.stoppedAt).toBe(done.stoppedAt);
			expect(fake.requests().filter((r) => r.path.startsWith('/pdfgorilla/files/')).length).toBe(downloads);
			expect((await n8n.executions(flow.workflowId)).length).toBe(1);
		});

		unlessSkipped(isV1(version) ? 'docs/generate-and-wait.md promises this of n8n 2.x only' : undefined)(
			'two genuine copies of the callback at the same moment resume the execution once',
			async () => {
				const { fake, n8n } = stack;
				const flow = await generateAndWaitFlow(stack, credential, 'Generate and Wait (two copies)');
				const id = await flow.start();
				const { job, localUrl } = await waitingJob(flow, id);
				// The job completes without the fake sending its own callback; the test sends two.
				fake.pdfgorilla.jobs.get(job.jobId)!.webhookSent = true;
				expect(fake.pdfgorilla.finishJob(job.jobId)).toBe(true);
				const payload = fake.pdfgorilla.webhookPayload(job.jobId);
				const answers = await Promise.all([0, 1].map(async () => await sendWebhook('pdfgorilla', localUrl, payload, { secret: job.webhookSecret })));
				const done = await executionWhen(n8n, flow.workflowId, id, isDone);
				process.stderr.write(`[generate-and-wait] n8n ${version}: two copies answered ${answers.map((a) => a.status).join(', ')}\n`);
				expect(done.status).toBe('success');
				expect(itemsOf(done, 'Generate')).toHaveLength(1);
				expect(sha256(await n8n.binaryBytes(itemsOf(done, 'Generate')[0].binary!.data))).toBe(await pdfSpecSha256(job.pdf));
				expect((await n8n.executions(flow.workflowId)).length).toBe(1);
			},
		);

		test('a failed job ends the execution with the node\'s error naming the job; Send Email after it sends nothing', async () => {
			const { fake, n8n } = stack;
			const flow = await generateAndWaitFlow(stack, credential, 'Generate and Wait (failed)', {}, undefined, [sendEmailNode(version, smtpCredential)]);
			fake.pdfgorilla.queueOutcome({ status: 'failed', error: { code: 'TEMPLATE_ERROR', message: 'Unknown field total' } });
			const mailsBefore = smtp.messages.length;
			const id = await flow.start();
			const { job } = await waitingJob(flow, id);
			fake.pdfgorilla.finishJob(job.jobId);
			const done = await executionWhen(n8n, flow.workflowId, id, isDone);
			expect(done.status).toBe('error');
			expect(errorOf(done)).toContain(`PDF Gorilla job ${job.jobId} ended failed`);
			expect(done.data?.resultData.lastNodeExecuted).toBe('Generate');
			expect(done.data?.resultData.runData['Send Email']).toBeUndefined();
			// The callback was answered once, with 200: it was this wait's genuine callback.
			expect(fake.webhooks.list({ service: 'pdfgorilla', url: job.webhookUrl }).map((d) => d.status)).toEqual([200]);
			await delay(1000);
			expect(smtp.messages.length).toBe(mailsBefore);
			expect(n8n.log()).not.toContain('ERR_HTTP_HEADERS_SENT');
		});

		test('a failed job with On Error set to continue: one error item on the output, no file', async () => {
			const { fake, n8n } = stack;
			const flow = await generateAndWaitFlow(stack, credential, 'Generate and Wait (failed, continue)', {}, { ...generateNode(stack, credential), onError: 'continueRegularOutput' } as NodeSpec);
			fake.pdfgorilla.queueOutcome({ status: 'canceled' });
			const id = await flow.start();
			const { job } = await waitingJob(flow, id);
			fake.pdfgorilla.finishJob(job.jobId);
			const done = await executionWhen(n8n, flow.workflowId, id, isDone);
			expect(done.status).toBe('success');
			const items = itemsOf(done, 'Generate');
			expect(items).toHaveLength(1);
			expect(items[0].json).toEqual({ error: `PDF Gorilla job ${job.jobId} ended canceled, so there is no PDF`, message: `PDF Gorilla job ${job.jobId} ended canceled, so there is no PDF` });
			expect(items[0].binary).toBeUndefined();
		});

		test('a node that waits twice in one execution (Loop Over Items, batch size 1): the replayed first callback gets 401 and changes nothing; the second genuine callback resumes with its own file', async () => {
			const { fake, n8n } = stack;
			const hook = newWebhookId();
			const nodes = [
				{ name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: hook, parameters: { httpMethod: 'POST', path: `start-${hook}`, options: {} } },
				{ name: 'Items', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'body.items', options: {} } },
				{ name: 'Loop', type: 'n8n-nodes-base.splitInBatches', typeVersion: 3, parameters: { batchSize: 1, options: {} } },
				generateNode(stack, credential),
			];
			const spec = linearWorkflow('Generate and Wait (loop)', nodes);
			spec.connections = {
				Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
				Items: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] },
				// Output 0 is "done", output 1 "loop".
				Loop: { main: [[], [{ node: 'Generate', type: 'main', index: 0 }]] },
				Generate: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] },
			};
			const workflowId = await n8n.createWorkflow(spec);
			const url = `${n8n.baseUrl}/webhook/start-${hook}`;
			await n8n.waitForWebhook(url);
			const jobsBefore = new Set(fake.pdfgorilla.jobs.keys());
			expect((await n8n.postWebhook(url, JSON.stringify({ items: [{ orderId: 'LOOP-1' }, { orderId: 'LOOP-2' }] }), { 'content-type': 'application/json' })).status).toBe(200);
			const newJobs = () => [...fake.pdfgorilla.jobs.values()].filter((j) => !jobsBefore.has(j.jobId));
			const nextJob = async (count: number): Promise<PdfGorillaJob> => {
				const deadline = Date.now() + 60_000;
				while (newJobs().length < count && Date.now() < deadline) await delay(200);
				expect(newJobs()).toHaveLength(count);
				return newJobs()[count - 1];
			};
			const first = await nextJob(1);
			const executionId = /\/webhook-waiting\/(\d+)/.exec(first.webhookUrl!)![1];
			await executionWhen(n8n, workflowId, executionId, isWaiting);
			fake.pdfgorilla.finishJob(first.jobId);

			// The loop comes back to the node, which starts job 2 and waits again in the same execution.
			const second = await nextJob(2);
			expect(second.data).toEqual({ orderId: 'LOOP-2' });
			expect(new URL(second.webhookUrl!).pathname).toBe(new URL(first.webhookUrl!).pathname);
			// Waiting again: run 0 of the node is finished (job 1 with its file), run 1 waits for job 2.
			await executionWhen(n8n, workflowId, executionId, (e) => isWaiting(e) && (e.data?.resultData.runData.Generate?.length ?? 0) >= 2);
			const [firstDelivery] = fake.webhooks.list({ service: 'pdfgorilla', url: first.webhookUrl });
			expect(firstDelivery.status).toBe(200);
			const firstUrl = new URL(first.webhookUrl!);
			const replay = await sendWebhook('pdfgorilla', `${n8n.baseUrl}${firstUrl.pathname}${firstUrl.search}`, undefined, { rawBody: firstDelivery.body, signature: firstDelivery.headers['x-pdfg-signature'] });
			expect(replay.status).toBe(401);
			expect(replay.text).not.toContain(first.jobId);
			await delay(1000);
			const stillWaiting = await executionWhen(n8n, workflowId, executionId, () => true);
			expect(stillWaiting.status).toBe('waiting');
			expect(stillWaiting.data?.resultData.error).toBeUndefined();
			const runsWhileWaiting = stillWaiting.data!.resultData.runData.Generate;
			expect(runsWhileWaiting.map((run) => (run as { executionStatus?: string }).executionStatus)).toEqual(['success', 'waiting']);
			expect(runsWhileWaiting[0].data!.main[0]![0].json.jobId).toBe(first.jobId);
			expect(newJobs()).toHaveLength(2);

			fake.pdfgorilla.finishJob(second.jobId);
			const done = await executionWhen(n8n, workflowId, executionId, isDone);
			expect(errorOf(done)).toBeUndefined();
			expect(done.status).toBe('success');
			const runs = done.data!.resultData.runData.Generate;
			expect(runs).toHaveLength(2);
			const files = runs.map((run) => run.data!.main[0]![0]);
			expect(files.map((item) => item.json.jobId)).toEqual([first.jobId, second.jobId]);
			expect(sha256(await n8n.binaryBytes(files[0].binary!.data))).toBe(await pdfSpecSha256(first.pdf));
			expect(sha256(await n8n.binaryBytes(files[1].binary!.data))).toBe(await pdfSpecSha256(second.pdf));
			expect(fake.webhooks.list({ service: 'pdfgorilla', url: second.webhookUrl }).map((d) => d.status)).toEqual([200]);
			expect(newJobs()).toHaveLength(2);
			expect(n8n.log()).not.toContain('ERR_HTTP_HEADERS_SENT');
		});

		test('several input items: the node polls every job and outputs each PDF', async () => {
			const { fake, n8n } = stack;
			fake.pdfgorilla.settings.jobDurationMs = 1500;
			try {
				const flow = await generateAndWaitFlow(stack, credential, 'Generate and Wait (items)');
				const id = await flow.start([{ orderId: 'A' }, { orderId: 'B' }]);
				const done = await executionWhen(n8n, flow.workflowId, id, isDone);
				expect(errorOf(done)).toBeUndefined();
				const items = itemsOf(done, 'Generate');
				expect(items.map((i) => i.json.status)).toEqual(['completed', 'completed']);
				expect(items.every((i) => i.binary?.data)).toBe(true);
				const jobs = items.map((i) => fake.pdfgorilla.jobs.get(String(i.json.jobId))!);
				expect(jobs.map((j) => j.data)).toEqual([{ orderId: 'A' }, { orderId: 'B' }]);
				expect(jobs.every((j) => j.webhookUrl === undefined)).toBe(true);
			} finally {
				fake.pdfgorilla.settings.jobDurationMs = NEVER_MS;
			}
		});

		// n8n 1.x's start-up crash recovery (execution-recovery.service amend()) can turn a
		// waiting execution into "crashed" when its event log shows the run started but not
		// ended; it does not look at the waiting status. Seen in one of two runs on 1.123.81.
		unlessSkipped(isV1(version) ? 'not promised on n8n 1.x, whose crash recovery can mark a waiting execution crashed' : undefined)('the wait survives an n8n restart', async () => {
			const { fake, n8n } = stack;
			const flow = await generateAndWaitFlow(stack, credential, 'Generate and Wait (restart)');
			const id = await flow.start();
			const { job } = await waitingJob(flow, id);
			await n8n.restart();
			// n8n 1.x mounts its public API a little after it reports ready.
			const deadline = Date.now() + 60_000;
			while (await n8n.api('GET', '/workflows?limit=1').then(() => false, () => Date.now() < deadline)) await delay(250);
			fake.pdfgorilla.finishJob(job.jobId);
			const done = await executionWhen(n8n, flow.workflowId, id, isDone);
			expect(errorOf(done)).toBeUndefined();
			expect(done.status).toBe('success');
			expect(itemsOf(done, 'Generate')[0].binary?.data).toBeDefined();
		});

		test('a wait that times out outputs the job with timedOut: true and no file', async () => {
			const { n8n } = stack;
			const flow = await generateAndWaitFlow(stack, credential, 'Generate and Wait (timeout)', { maxWaitSeconds: 2 });
			const id = await flow.start();
			const { job } = await waitingJob(flow, id);
			// n8n's wait tracker looks for due executions once a minute.
			const done = await executionWhen(n8n, flow.workflowId, id, isDone, 150_000);
			expect(done.status).toBe('success');
			const [item] = itemsOf(done, 'Generate');
			expect(item.json).toMatchObject({ jobId: job.jobId, status: 'timedOut', timedOut: true });
			expect(String(item.json.error)).toContain(`job ${job.jobId} did not finish within 2 s`);
			expect(item.binary).toBeUndefined();
		}, 240_000);
		test('DocGenLab: a callback resumes only once the API confirms the document this wait started; the file comes through the API', async () => {
			const { fake, n8n } = stack;
			const flow = await docGenLabFlow(stack, docGenLabCredential, 'DocGenLab Generate and Wait');
			const id = await flow.start();
			const waiting = await executionWhen(n8n, flow.workflowId, id, (e) => isWaiting(e) || isDone(e));
			expect(errorOf(waiting)).toBeUndefined();
			expect(waiting.status).toBe('waiting');
			const documentId = String(itemsOf(waiting, 'Generate')[0]?.json.documentId);
			const doc = fake.docgenlab.documents.get(documentId)!;
			expect(doc.input_json).toEqual({ orderId: 'ORD-1' });
			const callback = new URL(doc.webhook_url!);
			expect(callback.origin).toBe(PUBLIC_ORIGIN);
			const localUrl = `${n8n.baseUrl}${callback.pathname}${callback.search}`;

			// Another (real, finished) document named in the callback: not this wait's.
			const other = fake.docgenlab.createDocument({ status: 'ready' });
			const wrongDocument = await sendWebhook('docgenlab', localUrl, fake.docgenlab.webhookPayload(other.id));
			expect(wrongDocument.status).toBe(401);
			// This wait's document, but the API says it is still rendering.
			const early = await sendWebhook('docgenlab', localUrl, { event: 'document.generated', job_id: documentId, status: 'completed', download_url: `${fake.origin}/storage/docgenlab/forged/document.pdf` });
			expect(early.status).toBe(409);
			expect((await executionWhen(n8n, flow.workflowId, id, () => true)).status).toBe('waiting');

			fake.docgenlab.finishDocument(documentId);
			const done = await executionWhen(n8n, flow.workflowId, id, isDone);
			expect(errorOf(done)).toBeUndefined();
			expect(done.status).toBe('success');
			const [item] = itemsOf(done, 'Generate');
			expect(item.json).toMatchObject({ documentId, status: 'ready', download: { mimeType: 'application/pdf' } });
			expect(String((item.json.download as Record<string, unknown>).source)).toContain(`/documents/${documentId}/download`);
			expect(sha256(await n8n.binaryBytes(item.binary!.data))).toBe(await pdfSpecSha256(doc.pdf));
			expect(fake.requests().some((r) => r.path.includes('/storage/docgenlab/forged'))).toBe(false);
		});
		test('DocGenLab: a document the API reports failed ends the execution with the node\'s error; Send Email after it sends nothing', async () => {
			const { fake, n8n } = stack;
			const flow = await docGenLabFlow(stack, docGenLabCredential, 'DocGenLab Generate and Wait (failed)', [sendEmailNode(version, smtpCredential)]);
			const mailsBefore = smtp.messages.length;
			const id = await flow.start();
			const waiting = await executionWhen(n8n, flow.workflowId, id, (e) => isWaiting(e) || isDone(e));
			expect(waiting.status).toBe('waiting');
			const documentId = String(itemsOf(waiting, 'Generate')[0]?.json.documentId);
			fake.docgenlab.documents.get(documentId)!.steps.push('failed');
			fake.docgenlab.finishDocument(documentId);
			const done = await executionWhen(n8n, flow.workflowId, id, isDone);
			expect(done.status).toBe('error');
			expect(errorOf(done)).toContain(`DocGenLab document ${documentId} ended failed`);
			expect(done.data?.resultData.runData['Send Email']).toBeUndefined();
			await delay(1000);
			expect(smtp.messages.length).toBe(mailsBefore);
		});
	});

	describe('n8n on its loopback URL', () => {
		// (DocGenLab's polling path is the same core loop as PDF Gorilla's, tested below.)
		const stack = useStack(version, { fake: { publicHost: 'localhost', pdfgorilla: { jobDurationMs: 1500 } } });
		let credential: Record<string, { id: string; name: string }>;

		beforeAll(async () => {
			const { n8n, fake } = stack;
			const id = await n8n.createCredential({
				name: 'PDF Gorilla (fake)',
				type: 'pdfGorillaApi',
				data: { apiKey: fake.credentials.pdfgorilla.apiKey, baseUrl: `${fake.origin}/pdfgorilla/api/v1` },
			});
			credential = { pdfGorillaApi: { id, name: 'PDF Gorilla (fake)' } };
		});

		test('the node polls instead of handing PDF Gorilla a URL it would refuse', async () => {
			const { fake, n8n } = stack;
			const flow = await generateAndWaitFlow(stack, credential, 'Generate and Wait (loopback)');
			const id = await flow.start();
			const done = await executionWhen(n8n, flow.workflowId, id, isDone);
			expect(errorOf(done)).toBeUndefined();
			const [item] = itemsOf(done, 'Generate');
			const job = fake.pdfgorilla.jobs.get(String(item.json.jobId))!;
			expect(job.webhookUrl).toBeUndefined();
			expect(sha256(await n8n.binaryBytes(item.binary!.data))).toBe(await pdfSpecSha256(job.pdf));
		});

		test('polling is bounded: the job that never ends gives a timedOut item', async () => {
			const { fake, n8n } = stack;
			fake.pdfgorilla.settings.jobDurationMs = NEVER_MS;
			try {
				const flow = await generateAndWaitFlow(stack, credential, 'Generate and Wait (poll timeout)', { maxWaitSeconds: 3 });
				const id = await flow.start();
				const done = await executionWhen(n8n, flow.workflowId, id, isDone);
				expect(done.status).toBe('success');
				const [item] = itemsOf(done, 'Generate');
				expect(item.json).toMatchObject({ status: 'timedOut', timedOut: true });
				expect(item.binary).toBeUndefined();
			} finally {
				fake.pdfgorilla.settings.jobDurationMs = 1500;
			}
		});
	});
});
