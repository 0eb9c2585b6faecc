/**
 * The trigger additions inside a real n8n: Include Request Headers on genuine signed
 * deliveries (the stored execution holds the headers, never a secret), the sample event as a
 * user gets it (Listen for test event, then open the Test URL in a browser), the Production
 * URL refusing GET, and pinned sample data leaving production deliveries untouched.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { chooseSample } from '../../core/delivery/sampleEvent';
import { pdfSign } from '../../nodes/PdfSign/descriptor';
import { pdfSignSamples } from '../../nodes/PdfSign/samples';
import { httpRequest } from '../harness/http';
import { N8nInstance, type ExecutionSummary } from '../harness/n8n';
import { isV1, versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, triggerNode } from '../harness/workflows';
import { sendWebhook } from '../providers';
import { jsonOf } from './support';

const GORILLA_SECRET = 'samples-e2e-pdfgorilla-secret-0123456789abcdef01';
const DOCFLO_SECRET = 'samples-e2e-docflo-signing-secret-4455';
const DOCFLO_BEARER = 'samples-e2e-docflo-bearer-token-8899';
const PDF_SIGN_SECRET = 'whsec_samples_e2e_pdfsign_7766';

const credentials = [
	{ id: 'samplesGorilla01', name: 'PDF Gorilla (samples)', type: 'pdfGorillaApi', data: { apiKey: 'pg_test_key', webhookSecret: GORILLA_SECRET, baseUrl: 'https://127.0.0.1:9/api/v1' } },
	{
		id: 'samplesDocflo001',
		name: 'Docflo (samples)',
		type: 'docfloWebhookApi',
		data: { signingSecret: DOCFLO_SECRET, incomingAuthentication: 'bearerToken', bearerToken: DOCFLO_BEARER },
	},
	{ id: 'samplesPdfSign01', name: 'PDF-Sign (samples)', type: 'pdfSignWebhookApi', data: { webhookSecret: PDF_SIGN_SECRET } },
];
const use = (index: number) => ({ [credentials[index].type]: { id: credentials[index].id, name: credentials[index].name } });

describe.each(versionsUnderTest())('trigger samples and headers on n8n %s', (version) => {
	const hooks = { gorilla: newWebhookId(), docflo: newWebhookId(), pinned: newWebhookId(), listening: newWebhookId() };
	const withHeaders = { options: { includeHeaders: true } };
	const gorilla = linearWorkflow('Samples: PDF Gorilla with headers', [triggerNode('pdfGorillaTrigger', hooks.gorilla, withHeaders, use(0))], { id: 'samplesGorillaW1' });
	const docflo = linearWorkflow('Samples: Docflo with headers', [triggerNode('docfloTrigger', hooks.docflo, withHeaders, use(1))], { id: 'samplesDocfloWf1' });
	// An active workflow that carries the sample as pinned data, as the examples do.
	const pinnedSample = chooseSample(pdfSign, pdfSignSamples, { events: ['pdf.generated'] });
	const pinned = {
		...linearWorkflow('Samples: PDF-Sign with pinned sample', [triggerNode('pdfSignTrigger', hooks.pinned, {}, use(2))], { id: 'samplesPinnedWf1' }),
		pinData: { Trigger: pinnedSample.items.map((item) => ({ json: item.json })) },
	};
	// Not active: the user is still building it in the editor.
	const listening = linearWorkflow('Samples: PDF-Sign being built', [triggerNode('pdfSignTrigger', hooks.listening, { events: ['quota.warning'] }, use(2))], {
		id: 'samplesListenWf1',
		active: false,
	});
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await N8nInstance.start({ version, credentials, workflows: [gorilla, docflo, pinned, listening] });
		for (const hook of [hooks.gorilla, hooks.docflo, hooks.pinned]) await n8n.waitForWebhook(n8n.webhookUrl(hook));
	});
	afterAll(async () => {
		await n8n?.stop();
	});
	afterEach(() => {
		const state = expect.getState();
		if (state.assertionCalls !== state.numPassingAsserts) console.log(`n8n ${version} log tail:\n${n8n.logTail(120)}`);
	});

	/** Everything n8n stored about the workflow's executions, as text: what a leak check searches. */
	async function storedExecutions(workflowId: string, count: number): Promise<{ executions: ExecutionSummary[]; text: string }> {
		const executions = await n8n.waitForExecutions(workflowId, count, { includeData: true });
		return { executions, text: JSON.stringify(executions) };
	}

	test('PDF Gorilla, Include Request Headers: the headers are in the execution, the signature and the secret are not', async () => {
		const payload = { jobId: 'cmsamplese2eheaders01', status: 'completed', downloadUrl: 'https://pdfgorilla.io/files/x.pdf', expiresAt: '2026-04-13T10:00:00.000Z', error: null, timestamp: new Date().toISOString() };
		const body = JSON.stringify(payload);
		const signature = createHmac('sha256', GORILLA_SECRET).update(body).digest('hex');
		const res = await sendWebhook('pdfgorilla', n8n.webhookUrl(hooks.gorilla), payload, { secret: GORILLA_SECRET });
		expect(res.status).toBe(200);

		const { executions, text } = await storedExecutions(gorilla.id!, 1);
		const [item] = jsonOf(executions[0], 'Trigger');
		expect(item.headers).toMatchObject({ 'x-pdfg-signature': '[redacted]', 'x-pdfg-event-id': payload.jobId, 'content-type': 'application/json' });
		expect(text).not.toContain(signature);
		expect(text).not.toContain(GORILLA_SECRET);
	});

	test('Docflo with a bearer token and a signing secret: Authorization and the signature are redacted in the stored execution', async () => {
		const payload = {
			event: 'document.processed',
			tenantId: 'tenant-samples',
			timestamp: new Date().toISOString(),
			doc: { _id: 'doc-samples-headers', type: 'invoice', status: 'ANALYZED', fields: { InvoiceId: 'INV-1' } },
		};
		const res = await sendWebhook('docflo', n8n.webhookUrl(hooks.docflo), payload, { secret: DOCFLO_SECRET, headers: { authorization: `Bearer ${DOCFLO_BEARER}` } });
		expect(res.status).toBe(200);

		const { executions, text } = await storedExecutions(docflo.id!, 1);
		const [item] = jsonOf(executions[0], 'Trigger');
		expect(item.headers).toMatchObject({ authorization: '[redacted]', 'x-docflo-signature': '[redacted]' });
		expect(text).not.toContain(DOCFLO_BEARER);
		expect(text).not.toContain(DOCFLO_SECRET);
		expect(text).not.toContain(createHmac('sha256', DOCFLO_SECRET).update(JSON.stringify(payload)).digest('hex'));
	});

	test('pinned sample data does not reach production: a real delivery runs with the real event', async () => {
		const payload = {
			event: 'pdf.generated',
			timestamp: new Date().toISOString(),
			data: { template_id: 'tmpl-real', pdf_url: 'https://api.pdf-sign.com/storage/v1/object/public/pdfs/u/t/real.pdf', storage_path: 'u/t/real.pdf', file_size: 10, variables: {} },
		};
		expect((await sendWebhook('pdfsign', n8n.webhookUrl(hooks.pinned), payload, { secret: PDF_SIGN_SECRET })).status).toBe(200);
		const { executions } = await storedExecutions(pinned.id!, 1);
		const items = jsonOf(executions[0], 'Trigger');
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ event: 'pdf.generated', templateId: 'tmpl-real', storagePath: 'u/t/real.pdf' });
		expect(items[0]).not.toHaveProperty('sample');
	});

	test('activation on this loopback-only n8n logs that the services cannot reach it', () => {
		const log = readFileSync(n8n.logPath, 'utf8');
		expect(log).toContain('Trigger: PDF Gorilla cannot reach this n8n\'s webhook URL (its host 127.0.0.1 is a loopback or private network address)');
		expect(log).toContain('Trigger: PDF-Sign cannot reach');
	});

	test('a GET to the Production URL is refused with 405 and starts nothing; deliveries still work beside it', async () => {
		const before = (await n8n.executions(pinned.id!)).length;
		const res = await httpRequest(n8n.webhookUrl(hooks.pinned));
		expect(res.status).toBe(405);
		expect(res.headers.allow).toBe('POST');
		expect(res.json()).toEqual({ error: 'Method Not Allowed' });
		const payload = { event: 'quota.warning', timestamp: new Date().toISOString(), data: { current_usage: 240, quota_limit: 300, percentage: 80, subscription_plan: 'starter' } };
		expect((await sendWebhook('pdfsign', n8n.webhookUrl(hooks.pinned), payload, { secret: PDF_SIGN_SECRET })).status).toBe(200);
		const after = await n8n.waitForExecutions(pinned.id!, before + 1);
		expect(after).toHaveLength(before + 1);
	});

	test('Listen for test event, then open the Test URL in a browser: the editor gets the sample event, marked as one', async () => {
		// What the editor's "Listen for test event" button sends.
		const cookie = { cookie: n8n.ownerCookie, 'content-type': 'application/json' };
		const body = isV1(version)
			? { workflowData: ((await httpRequest(`${n8n.baseUrl}/rest/workflows/${listening.id}`, { headers: cookie })).json() as { data: unknown }).data, triggerToStartFrom: { name: 'Trigger' } }
			: { triggerToStartFrom: { name: 'Trigger' } };
		const run = await httpRequest(`${n8n.baseUrl}/rest/workflows/${listening.id}/run`, { method: 'POST', headers: cookie, body: JSON.stringify(body) });
		expect({ status: run.status, body: run.json() }).toEqual({ status: 200, body: { data: { waitingForWebhook: true } } });

		const browser = await httpRequest(n8n.testWebhookUrl(hooks.listening), { headers: { accept: 'text/html' } });
		expect(browser.status).toBe(200);
		const answer = browser.json() as { sample: boolean; message: string; warning?: string };
		expect(answer).toMatchObject({ sample: true, message: expect.stringContaining('sample PDF-Sign "quota.warning" event') });
		// This n8n's URLs are on 127.0.0.1, which PDF-Sign cannot reach: the browser says so.
		expect(answer.warning).toEqual(expect.stringContaining('127.0.0.1 is a loopback or private network address'));

		const [execution] = await n8n.waitForExecutions(listening.id!, 1, { includeData: true });
		expect(execution.mode).toBe('manual');
		const expected = chooseSample(pdfSign, pdfSignSamples, { events: ['quota.warning'] }).items.map((item) => item.json);
		expect(jsonOf(execution, 'Trigger')).toEqual(expected);
		expect(expected[0]).toMatchObject({ event: 'quota.warning', sample: true, currentUsage: 240 });
	});
});
