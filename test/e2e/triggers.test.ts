/**
 * Every trigger inside a real n8n, fed the way each service sends: a genuine event gives
 * exactly one execution with the expected output, forgeries get 401/403 and no execution,
 * a retried delivery runs once, filtered events run nothing, malformed input gets 400.
 */
import { createHmac } from 'node:crypto';
import { join } from 'node:path';

import { N8nInstance } from '../harness/n8n';
import { repoRoot, versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, triggerNode } from '../harness/workflows';
import { createTestCa, startFakeProviders, sendWebhook, type FakeProviders, type SendWebhookOptions, type ServiceName } from '../providers';

const SECRETS = {
	pdfGorilla: 'pdfg-secret-4f9c2a7e1b3d5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6',
	pdfGorillaPrevious: 'pdfg-previous-secret-00112233445566778899aabbccddeeff',
	docflo: 'docflo-signing-secret-a1b2c3d4e5f6',
	docfloBearer: 'docflo-bearer-token-9z8y7x6w',
	pdfSign: 'whsec_pdfsign_e2e_5566778899',
};

interface TriggerUnderTest {
	workflowId: string;
	url: string;
}

describe.each(versionsUnderTest())('triggers on n8n %s', (version) => {
	let n8n: N8nInstance;
	let fake: FakeProviders;
	const t: Record<string, TriggerUnderTest> = {};

	async function addTrigger(
		key: string,
		type: string,
		parameters: Record<string, unknown>,
		credentials?: Record<string, { id: string; name: string }>,
	): Promise<void> {
		const hook = newWebhookId();
		const workflowId = await n8n.createWorkflow(linearWorkflow(`e2e ${key}`, [triggerNode(type, hook, parameters, credentials)]));
		t[key] = { workflowId, url: n8n.webhookUrl(hook) };
	}

	async function credential(name: string, type: string, data: Record<string, unknown>) {
		return await n8n.createNodeCredential({ name, type, data });
	}

	function deliver(service: ServiceName, key: string, payload: unknown, options: SendWebhookOptions = {}) {
		return sendWebhook(service, t[key].url, payload, options);
	}

	/** Waits for `count` executions and checks no more arrive shortly after. */
	async function expectExecutions(key: string, count: number) {
		const done = count > 0 ? await n8n.waitForExecutions(t[key].workflowId, count, { includeData: true }) : [];
		await new Promise((r) => setTimeout(r, 600));
		const all = await n8n.executions(t[key].workflowId, { includeData: true });
		expect(all).toHaveLength(count);
		expect(all.every((e) => e.status === 'success')).toBe(true);
		return done.length ? all : [];
	}

	function outputOf(execution: { data?: { resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>> } } }) {
		return execution.data!.resultData.runData.Trigger[0].data!.main[0]!.map((i) => i.json);
	}

	beforeAll(async () => {
		const ca = await createTestCa(join(repoRoot, '.cache', 'test-ca'));
		fake = await startFakeProviders({ tls: ca });
		n8n = await N8nInstance.start({ version });

		const pdfGorillaCred = await credential('PDF Gorilla', 'pdfGorillaApi', {
			apiKey: fake.credentials.pdfgorilla.apiKey,
			webhookSecret: SECRETS.pdfGorilla,
			previousWebhookSecret: SECRETS.pdfGorillaPrevious,
			baseUrl: fake.baseUrl('pdfgorilla'),
		});
		await addTrigger('pdfGorilla', 'pdfGorillaTrigger', {}, pdfGorillaCred);
		await addTrigger('pdfGorillaCompletedOnly', 'pdfGorillaTrigger', { events: ['completed'] }, pdfGorillaCred);
		// Activation refuses a credential without the secret (activation.test.ts), so these two get
		// one and lose it after activation: the trigger must then refuse every delivery.
		const noSecretData = { apiKey: 'k', baseUrl: fake.baseUrl('pdfgorilla') };
		const noSecret = await credential('PDF Gorilla without secret', 'pdfGorillaApi', { ...noSecretData, webhookSecret: 'removed-after-activation-0123456789abcdef' });
		await addTrigger('pdfGorillaNoSecret', 'pdfGorillaTrigger', {}, noSecret);

		await addTrigger('reportFlow', 'reportFlowTrigger', {});
		await addTrigger('reportFlowAllowlist', 'reportFlowTrigger', { options: { allowedIpAddresses: '10.0.0.0/8, 2001:db8::/32' } });
		await addTrigger('reportFlowLoopbackAllowed', 'reportFlowTrigger', { options: { allowedIpAddresses: '127.0.0.1, ::1' } });

		await addTrigger('docGenLab', 'docGenLabTrigger', {});
		const docGenLabCred = await credential('DocGenLab', 'docGenLabApi', { apiKey: fake.credentials.docgenlab.apiKey, baseUrl: fake.baseUrl('docgenlab') });
		await addTrigger('docGenLabConfirm', 'docGenLabTrigger', { options: { confirmWithApi: true } }, docGenLabCred);

		const docfloCred = await credential('Docflo webhook', 'docfloWebhookApi', {
			signingSecret: SECRETS.docflo,
			incomingAuthentication: 'bearerToken',
			bearerToken: SECRETS.docfloBearer,
		});
		await addTrigger('docflo', 'docfloTrigger', {}, docfloCred);
		await addTrigger('docfloProcessedOnly', 'docfloTrigger', { events: ['document.processed'] }, docfloCred);
		const docfloNothing = await credential('Docflo unconfigured', 'docfloWebhookApi', { signingSecret: 'removed-after-activation', incomingAuthentication: 'none' });
		await addTrigger('docfloUnconfigured', 'docfloTrigger', {}, docfloNothing);

		const pdfSignCred = await credential('PDF-Sign webhook', 'pdfSignWebhookApi', { webhookSecret: SECRETS.pdfSign });
		await addTrigger('pdfSign', 'pdfSignTrigger', { options: { maxTimestampAgeSeconds: 300 } }, pdfSignCred);
		await addTrigger('pdfSignGeneratedOnly', 'pdfSignTrigger', { events: ['pdf.generated'] }, pdfSignCred);

		for (const trigger of Object.values(t)) await n8n.waitForWebhook(trigger.url);
		// No delivery has reached these two yet, so the first one reads the emptied credential.
		await n8n.updateCredential(noSecret.pdfGorillaApi.id, { name: 'PDF Gorilla without secret', type: 'pdfGorillaApi', data: { ...noSecretData, webhookSecret: '' } });
		await n8n.updateCredential(docfloNothing.docfloWebhookApi.id, { name: 'Docflo unconfigured', type: 'docfloWebhookApi', data: { signingSecret: '', incomingAuthentication: 'none' } });
	});

	afterAll(async () => {
		await n8n?.stop();
		await fake?.close();
	});

	afterEach(() => {
		const state = expect.getState();
		if (state.assertionCalls !== state.numPassingAsserts) process.stderr.write(`n8n ${version} log tail:\n${n8n.logTail(80)}\n`);
	});

	describe('PDF Gorilla', () => {
		test('a signed completed job runs once with clean output; its retry is acknowledged without a second run', async () => {
			const payload = fake.examplePayloads.pdfgorilla.completed({ jobId: 'job-e2e-completed-1' });
			const first = await deliver('pdfgorilla', 'pdfGorilla', payload, { secret: SECRETS.pdfGorilla });
			expect(first.status).toBe(200);
			expect(first.json).toEqual({ received: true });
			const retry = await deliver('pdfgorilla', 'pdfGorilla', payload, { secret: SECRETS.pdfGorilla });
			expect(retry.json).toEqual({ received: true, started: false, reason: 'duplicate' });
			const [execution] = await expectExecutions('pdfGorilla', 1);
			expect(outputOf(execution)).toEqual([
				expect.objectContaining({ event: 'completed', jobId: 'job-e2e-completed-1', succeeded: true, downloadUrl: payload.downloadUrl, errorCode: null, payload }),
			]);
		});

		test('forgeries get 401 and start nothing; the previous secret still verifies during rotation', async () => {
			const before = (await n8n.executions(t.pdfGorilla.workflowId)).length;
			const payload = fake.examplePayloads.pdfgorilla.completed({ jobId: 'job-e2e-forged' });
			const body = Buffer.from(JSON.stringify(payload));
			const flipped = Buffer.from(body);
			flipped[10] ^= 0x01;
			const forgeries = await Promise.all([
				deliver('pdfgorilla', 'pdfGorilla', payload, { secret: 'not-the-secret' }),
				deliver('pdfgorilla', 'pdfGorilla', payload, { rawBody: flipped, signature: createHmac('sha256', SECRETS.pdfGorilla).update(body).digest('hex') }),
				deliver('pdfgorilla', 'pdfGorilla', payload, { headers: { 'x-pdfg-signature': null } }),
				deliver('pdfgorilla', 'pdfGorilla', payload, { signature: createHmac('sha256', SECRETS.pdfGorilla).update(body).digest('hex').slice(0, 40) }),
				deliver('pdfgorilla', 'pdfGorillaNoSecret', payload, { secret: SECRETS.pdfGorilla }),
			]);
			for (const res of forgeries) {
				expect(res.status).toBe(401);
				expect(JSON.stringify(res.json)).not.toContain(SECRETS.pdfGorilla);
			}
			const rotated = await deliver('pdfgorilla', 'pdfGorilla', fake.examplePayloads.pdfgorilla.failed({ jobId: 'job-e2e-rotated' }), {
				secret: SECRETS.pdfGorillaPrevious,
			});
			expect(rotated.status).toBe(200);
			const executions = await expectExecutions('pdfGorilla', before + 1);
			expect(outputOf(executions[0])[0]).toMatchObject({ event: 'failed', succeeded: false, errorCode: 'RENDER_TIMEOUT', errorMessage: 'PDF rendering timed out.' });
			expect(await n8n.executions(t.pdfGorillaNoSecret.workflowId)).toHaveLength(0);
		});

		test('a deselected event is acknowledged with 200 and starts nothing', async () => {
			const res = await deliver('pdfgorilla', 'pdfGorillaCompletedOnly', fake.examplePayloads.pdfgorilla.canceled({ jobId: 'job-e2e-canceled' }), {
				secret: SECRETS.pdfGorilla,
			});
			expect(res.status).toBe(200);
			expect(res.json).toEqual({ received: true, started: false, reason: 'filtered' });
			await expectExecutions('pdfGorillaCompletedOnly', 0);
		});

		test('a signed body that is not a PDF Gorilla event gets 400 with a message', async () => {
			const notJson = await deliver('pdfgorilla', 'pdfGorillaCompletedOnly', {}, {
				rawBody: 'status=completed',
				secret: SECRETS.pdfGorilla,
				headers: { 'Content-Type': 'text/plain' },
			});
			expect(notJson.status).toBe(400);
			expect(notJson.json).toEqual({ error: expect.stringMatching(/not valid JSON/i) });
			const noJobId = await deliver('pdfgorilla', 'pdfGorillaCompletedOnly', { status: 'completed' }, { secret: SECRETS.pdfGorilla });
			expect(noJobId.status).toBe(400);
			expect(noJobId.json).toEqual({ error: 'Not a PDF Gorilla event: jobId is missing' });
			await expectExecutions('pdfGorillaCompletedOnly', 0);
		});
	});

	describe('ReportFlow', () => {
		test('file.completed with two files runs once with one item per file; the retry runs nothing', async () => {
			const payload = fake.examplePayloads.reportflow.fileCompleted({
				files: [
					{ fileId: 'file_e2e_1', uuid: 'uuid_e2e_1', fileName: 'invoice-1.pdf', params: { email: 'a@example.com' } },
					{ fileId: 'file_e2e_2', uuid: 'uuid_e2e_2', fileName: 'invoice-2.pdf', params: { email: 'b@example.com' } },
				],
			});
			expect((await deliver('reportflow', 'reportFlow', payload)).status).toBe(200);
			expect((await deliver('reportflow', 'reportFlow', payload)).json).toMatchObject({ reason: 'duplicate' });
			const [execution] = await expectExecutions('reportFlow', 1);
			const items = outputOf(execution);
			expect(items).toHaveLength(2);
			expect(items[1]).toMatchObject({
				event: 'file.completed',
				workspaceId: payload.workspaceId,
				designId: payload.designId,
				version: payload.version,
				fileId: 'file_e2e_2',
				requestId: 'uuid_e2e_2',
				fileName: 'invoice-2.pdf',
				params: { email: 'b@example.com' },
				fileIndex: 1,
				fileCount: 2,
			});
		});

		test('an address outside the IP allowlist gets 403; a listed one is let through', async () => {
			const payload = fake.examplePayloads.reportflow.fileCompleted();
			const refused = await deliver('reportflow', 'reportFlowAllowlist', payload);
			expect(refused.status).toBe(403);
			// The reason (not in the IP allowlist) is in n8n's log only.
			expect(refused.json).toEqual({ error: 'Forbidden' });
			expect((await deliver('reportflow', 'reportFlowLoopbackAllowed', payload)).status).toBe(200);
			await expectExecutions('reportFlowAllowlist', 0);
			await expectExecutions('reportFlowLoopbackAllowed', 1);
		});

		test('malformed payloads get 400 and unknown events are acknowledged', async () => {
			const missingFiles = await deliver('reportflow', 'reportFlowAllowlist', {}, { rawBody: '{"event":"file.completed"}' });
			expect(missingFiles.status).toBe(403); // the allowlist is checked first
			const malformed = await sendWebhook('reportflow', t.reportFlowLoopbackAllowed.url, { event: 'file.completed', files: [{ fileName: 'x.pdf' }] });
			expect(malformed.status).toBe(400);
			expect(malformed.json).toEqual({ error: 'Not a ReportFlow event: files[0].fileId is missing' });
			const array = await sendWebhook('reportflow', t.reportFlowLoopbackAllowed.url, [], {});
			expect(array.status).toBe(400);
			const unknown = await sendWebhook('reportflow', t.reportFlowLoopbackAllowed.url, { event: 'file.deleted', timestamp: new Date().toISOString() });
			expect(unknown.json).toEqual({ received: true, started: false, reason: 'unknown_event' });
			await expectExecutions('reportFlowLoopbackAllowed', 1);
		});
	});

	describe('DocGenLab', () => {
		test('completed and failed are separate events; a retry is not; the settings-page test is acknowledged in production', async () => {
			const completed = fake.examplePayloads.docgenlab.generated({ job_id: 'dgl-e2e-1' });
			const failed = fake.examplePayloads.docgenlab.failed({ job_id: 'dgl-e2e-2' });
			expect((await deliver('docgenlab', 'docGenLab', completed)).status).toBe(200);
			expect((await deliver('docgenlab', 'docGenLab', failed)).status).toBe(200);
			expect((await deliver('docgenlab', 'docGenLab', completed)).json).toMatchObject({ reason: 'duplicate' });
			expect((await deliver('docgenlab', 'docGenLab', fake.examplePayloads.docgenlab.test())).json).toMatchObject({ reason: 'test_event' });
			const bad = await deliver('docgenlab', 'docGenLab', { event: 'document.generated', status: 'completed' });
			expect(bad.json).toEqual({ error: 'Not a DocGenLab event: job_id is missing' });
			const executions = await expectExecutions('docGenLab', 2);
			const outputs = executions.map((e) => outputOf(e)[0]);
			expect(outputs).toEqual(
				expect.arrayContaining([
					expect.objectContaining({ event: 'document.generated', jobId: 'dgl-e2e-1', status: 'completed', succeeded: true, downloadUrl: completed.download_url }),
					expect.objectContaining({ event: 'document.generated', jobId: 'dgl-e2e-2', status: 'failed', succeeded: false, errorCode: 'failed' }),
				]),
			);
		});

		test('Confirm With API starts only events the DocGenLab API confirms', async () => {
			const doc = fake.docgenlab.createDocument({ status: 'ready' });
			const genuine = fake.docgenlab.webhookPayload(doc.id);
			expect((await deliver('docgenlab', 'docGenLabConfirm', genuine)).status).toBe(200);
			// Built by hand: the payload builders register the documents they name in the fake.
			const forged = await deliver('docgenlab', 'docGenLabConfirm', { ...genuine, job_id: 'no-such-document' });
			expect(forged.status).toBe(401);
			// Neither existence nor state shows: the same generic 401 for both.
			expect(forged.json).toEqual({ error: 'Unauthorized' });
			const pending = fake.docgenlab.createDocument({ status: 'rendering' });
			const early = await deliver('docgenlab', 'docGenLabConfirm', { ...genuine, job_id: pending.id });
			expect(early.status).toBe(401);
			expect(early.json).toEqual({ error: 'Unauthorized' });
			const [execution] = await expectExecutions('docGenLabConfirm', 1);
			// The API's account of the event: no download_url from the unauthenticated body.
			expect(outputOf(execution)[0]).toMatchObject({ jobId: doc.id, status: 'completed', downloadUrl: null, confirmed: true });
		});
	});

	describe('Docflo', () => {
		const bearer = { type: 'bearer' as const, token: SECRETS.docfloBearer };

		test('a signed, authorised event runs once; a re-serialised signature over a pretty body is accepted', async () => {
			const processed = fake.examplePayloads.docflo.event('document.processed', { timestamp: new Date(Date.now() - 60_000).toISOString() });
			expect((await deliver('docflo', 'docflo', processed, { secret: SECRETS.docflo, auth: bearer })).status).toBe(200);
			expect((await deliver('docflo', 'docflo', processed, { secret: SECRETS.docflo, auth: bearer })).json).toMatchObject({ reason: 'duplicate' });
			const approved = fake.examplePayloads.docflo.event('document.approved', { timestamp: new Date(Date.now() - 30_000).toISOString() });
			const pretty = await deliver('docflo', 'docflo', approved, { secret: SECRETS.docflo, auth: bearer, space: 2, docfloSignatureOver: 'reserialized' });
			expect(pretty.status).toBe(200);
			const executions = await expectExecutions('docflo', 2);
			const processedOutput = executions.map((e) => outputOf(e)[0]).find((o) => o.event === 'document.processed');
			expect(processedOutput).toMatchObject({ documentId: processed.doc._id, documentType: 'invoice', fields: processed.doc.fields, tenantId: processed.tenantId });
		});

		test('a wrong signature, a wrong token or neither configured gets 401', async () => {
			const before = (await n8n.executions(t.docflo.workflowId)).length;
			const event = fake.examplePayloads.docflo.event('document.rejected');
			const results = await Promise.all([
				deliver('docflo', 'docflo', event, { secret: 'wrong', auth: bearer }),
				deliver('docflo', 'docflo', event, { secret: SECRETS.docflo, auth: { type: 'bearer', token: 'wrong' } }),
				deliver('docflo', 'docflo', event, { secret: SECRETS.docflo }),
				deliver('docflo', 'docflo', event, { auth: bearer }),
				deliver('docflo', 'docfloUnconfigured', event),
			]);
			expect(results.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
			expect(JSON.stringify(results.map((r) => r.json))).not.toMatch(new RegExp(`${SECRETS.docflo}|${SECRETS.docfloBearer}`));
			await expectExecutions('docflo', before);
			await expectExecutions('docfloUnconfigured', 0);
		});

		test('a signed body without the document gets 400 naming what is missing', async () => {
			const res = await deliver('docflo', 'docflo', { event: 'document.processed', tenantId: 't' }, { secret: SECRETS.docflo, auth: bearer });
			expect(res.status).toBe(400);
			expect(res.json).toEqual({ error: 'Not a Docflo event: doc is missing or not an object' });
		});

		test('events outside the selection are acknowledged', async () => {
			const created = fake.examplePayloads.docflo.event('document.created');
			const res = await deliver('docflo', 'docfloProcessedOnly', created, { secret: SECRETS.docflo, auth: bearer });
			expect(res.json).toEqual({ received: true, started: false, reason: 'filtered' });
			await expectExecutions('docfloProcessedOnly', 0);
		});
	});

	describe('PDF-Sign', () => {
		test('every documented event carrying the secret runs once; test pings are acknowledged', async () => {
			const p = fake.examplePayloads.pdfsign;
			for (const payload of [p.generated(), p.failed(), p.quotaWarning(), p.quotaExceeded()]) {
				expect((await deliver('pdfsign', 'pdfSign', payload, { secret: SECRETS.pdfSign })).status).toBe(200);
			}
			expect((await deliver('pdfsign', 'pdfSign', p.test(), { secret: SECRETS.pdfSign })).json).toMatchObject({ reason: 'test_event' });
			const executions = await expectExecutions('pdfSign', 4);
			const generated = executions.map((e) => outputOf(e)[0]).find((o) => o.event === 'pdf.generated');
			expect(generated).toMatchObject({ succeeded: true, downloadUrl: expect.stringContaining('/pdfsign/storage/v1/object/public/pdfs/'), fileSize: expect.any(Number) });
		});

		test('a retried delivery runs once, a deselected event runs nothing, a body without data gets 400', async () => {
			const payload = fake.examplePayloads.pdfsign.generated({ data: { storage_path: 'user-id/tmpl/retry.pdf' } });
			expect((await deliver('pdfsign', 'pdfSignGeneratedOnly', payload, { secret: SECRETS.pdfSign })).json).toEqual({ received: true });
			expect((await deliver('pdfsign', 'pdfSignGeneratedOnly', payload, { secret: SECRETS.pdfSign })).json).toMatchObject({ reason: 'duplicate' });
			const quota = await deliver('pdfsign', 'pdfSignGeneratedOnly', fake.examplePayloads.pdfsign.quotaWarning(), { secret: SECRETS.pdfSign });
			expect(quota.json).toEqual({ received: true, started: false, reason: 'filtered' });
			const noData = await deliver('pdfsign', 'pdfSignGeneratedOnly', { event: 'pdf.generated', timestamp: new Date().toISOString() }, { secret: SECRETS.pdfSign });
			expect(noData.status).toBe(400);
			expect(noData.json).toEqual({ error: 'Not a PDF-Sign event: data is missing or not an object' });
			await expectExecutions('pdfSignGeneratedOnly', 1);
		});

		test('a wrong or missing secret, or a stale timestamp, gets 401', async () => {
			const before = (await n8n.executions(t.pdfSign.workflowId)).length;
			const payload = fake.examplePayloads.pdfsign.generated();
			const results = await Promise.all([
				deliver('pdfsign', 'pdfSign', payload, { secret: 'whsec_wrong' }),
				deliver('pdfsign', 'pdfSign', payload, {}),
				// The body's timestamp decides (X-Webhook-Timestamp only when the body has none).
				deliver('pdfsign', 'pdfSign', { ...payload, timestamp: new Date(Date.now() - 3600_000).toISOString() }, { secret: SECRETS.pdfSign }),
				deliver('pdfsign', 'pdfSign', { ...payload, timestamp: new Date(Date.now() + 3600_000).toISOString() }, { secret: SECRETS.pdfSign }),
			]);
			expect(results.map((r) => r.status)).toEqual([401, 401, 401, 401]);
			await expectExecutions('pdfSign', before);
		});
	});

	// Last: every delivery above named a file the fake services would serve.
	test('no trigger fetched anything while answering: the services saw only Confirm With API\'s document look-ups, no download', () => {
		const seen = fake.requests().map((request) => `${request.method} ${request.path}`);
		expect(seen.filter((line) => !/^GET \/docgenlab\/api\/v1\/documents\/[\w-]+$/.test(line))).toEqual([]);
		// Control: the fake recorded the requests that were made.
		expect(seen.length).toBeGreaterThan(0);
	});
});
