/**
 * Issue 23 in a real n8n: forged traffic from one address cannot starve genuine deliveries from
 * another, and Include Request Headers shows values by allowlist. The fake sender is bound to
 * 127.0.0.2 and the genuine one to 127.0.0.1 (both loopback), so n8n sees two addresses.
 */
import { randomUUID } from 'node:crypto';

import { delay } from '../harness/n8n';
import { versionsUnderTest } from '../harness/versions';
import { maxInAnyMinute } from '../harness/windows';
import { linearWorkflow, newWebhookId, triggerNode } from '../harness/workflows';
import { sendWebhook, type ClientResponse } from '../providers';
import { useStack } from './support';

const FLOOD_PER_SECOND = 4;
const FLOOD_SECONDS = 60;
/** DocGenLab's documented limit for the whole organisation. */
const DOCGENLAB_CALLS_PER_MINUTE = 60;
/** Confirm With API's default budget. */
const CONFIRMATIONS_PER_MINUTE = 20;

describe.each(versionsUnderTest())('fair shares and shown headers on n8n %s', (version) => {
	const stack = useStack(version);

	test(`DocGenLab Confirm With API: during a forged flood from 127.0.0.2 (${FLOOD_PER_SECOND}/s for ${FLOOD_SECONDS} s), a genuine event from 127.0.0.1 is confirmed and runs on its first delivery, and the API is asked at most the budget in any minute`, async () => {
		const { n8n, fake } = stack;
		const credential = { docGenLabApi: { id: await n8n.createCredential({ name: 'DocGenLab', type: 'docGenLabApi', data: { apiKey: fake.credentials.docgenlab.apiKey, baseUrl: fake.baseUrl('docgenlab') } }), name: 'DocGenLab' } };
		const hook = newWebhookId();
		const workflowId = await n8n.createWorkflow(linearWorkflow('fairness DocGenLab', [triggerNode('docGenLabTrigger', hook, { options: { confirmWithApi: true } }, credential)]));
		const url = n8n.webhookUrl(hook);
		await n8n.waitForWebhook(url);
		const genuineDocument = fake.docgenlab.createDocument({ status: 'ready' });
		const apiCallsBefore = new Set(fake.requests().map((r) => r.seq));
		const isConfirmation = (r: { method: string; path: string }) => r.method === 'GET' && /\/docgenlab\/api\/v1\/documents\/[^/]+$/.test(r.path);

		const forged: Array<Promise<ClientResponse>> = [];
		let genuine: ClientResponse | undefined;
		const started = Date.now();
		for (let tick = 0; tick < FLOOD_PER_SECOND * FLOOD_SECONDS; tick++) {
			const due = started + (tick * 1000) / FLOOD_PER_SECOND;
			if (due > Date.now()) await delay(due - Date.now());
			const payload = { event: 'document.generated', job_id: randomUUID(), status: 'completed', download_url: null, metadata: {} };
			forged.push(sendWebhook('docgenlab', url, payload, { localAddress: '127.0.0.2' }));
			// Half-way through, DocGenLab's own delivery, once (its first attempt must be enough).
			if (tick === (FLOOD_PER_SECOND * FLOOD_SECONDS) / 2) genuine = await sendWebhook('docgenlab', url, fake.docgenlab.webhookPayload(genuineDocument.id), { localAddress: '127.0.0.1' });
		}
		const forgedAnswers = await Promise.all(forged);

		expect(genuine?.status).toBe(200);
		expect(genuine?.json).toEqual({ received: true });
		const executions = await n8n.waitForExecutions(workflowId, 1, { includeData: true });
		await delay(2000);
		expect(await n8n.executions(workflowId)).toHaveLength(1);
		const [item] = executions[0].data!.resultData.runData.Trigger[0].data!.main[0]!;
		expect(item.json).toMatchObject({ jobId: genuineDocument.id, confirmed: true, status: 'completed' });

		const statuses = forgedAnswers.map((answer) => answer.status);
		expect(statuses.every((status) => status === 401 || status === 503)).toBe(true);
		// One address gets at most half the budget; the rest of the flood is answered 503 without a call.
		const confirmations = fake.requests().filter((r) => !apiCallsBefore.has(r.seq) && isConfirmation(r));
		const perMinute = maxInAnyMinute(confirmations.map((r) => r.time.getTime()));
		expect(perMinute).toBeLessThanOrEqual(CONFIRMATIONS_PER_MINUTE);
		expect(perMinute).toBeLessThanOrEqual(DOCGENLAB_CALLS_PER_MINUTE);
		process.stdout.write(
			`n8n ${version}: ${forged.length} forged from 127.0.0.2 (${statuses.filter((s) => s === 401).length} × 401, ${statuses.filter((s) => s === 503).length} × 503); ` +
				`genuine from 127.0.0.1: ${genuine?.status}; API confirmations ${confirmations.length} in total, at most ${perMinute} in a minute\n`,
		);
	}, 240_000);

	test('Include Request Headers: identity headers a proxy adds are stored as [redacted]; content type and the service\'s event id in clear', async () => {
		const { n8n, fake } = stack;
		const secret = 'pdfg-webhook-secret-fairness-e2e-0123456789';
		const credential = { pdfGorillaApi: { id: await n8n.createCredential({ name: 'PDF Gorilla', type: 'pdfGorillaApi', data: { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: secret, baseUrl: fake.baseUrl('pdfgorilla') } }), name: 'PDF Gorilla' } };
		const hook = newWebhookId();
		const workflowId = await n8n.createWorkflow(linearWorkflow('headers PDF Gorilla', [triggerNode('pdfGorillaTrigger', hook, { options: { includeHeaders: true } }, credential)]));
		const url = n8n.webhookUrl(hook);
		await n8n.waitForWebhook(url);
		const identity = {
			'Cf-Access-Jwt-Assertion': 'eyJhbGciOiJSUzI1NiJ9.cf-e2e.sig',
			'X-Goog-IAP-JWT-Assertion': 'eyJhbGciOiJFUzI1NiJ9.iap-e2e.sig',
			'X-Amzn-Oidc-Data': 'eyJ0eXAiOiJKV1QifQ.alb-e2e.sig',
			'X-Forwarded-Client-Cert': 'By=spiffe://mesh/e2e;Hash=deadbeef',
			'x-pwd': 'hunter2-e2e',
		};
		const payload = fake.pdfgorilla.webhookPayload(fake.pdfgorilla.createJob().jobId);
		const answer = await sendWebhook('pdfgorilla', url, payload, { secret, headers: identity });
		expect(answer.status).toBe(200);
		const [execution] = await n8n.waitForExecutions(workflowId, 1, { includeData: true });
		const stored = JSON.stringify(execution.data);
		for (const value of Object.values(identity)) expect(stored).not.toContain(value);
		const [item] = execution.data!.resultData.runData.Trigger[0].data!.main[0]!;
		const headers = item.json.headers as Record<string, unknown>;
		for (const name of Object.keys(identity)) expect(headers[name.toLowerCase()]).toBe('[redacted]');
		expect(headers['x-pdfg-signature']).toBe('[redacted]');
		expect(headers['content-type']).toBe('application/json');
		expect(headers['x-pdfg-event-id']).toBe(payload.jobId);
	}, 120_000);
});
