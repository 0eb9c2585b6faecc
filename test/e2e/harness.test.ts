/**
 * Proves the harness: our packed package installed into a real n8n, a trigger receiving a
 * real HTTP POST, exactly one execution with the parsed event read back through n8n's API;
 * the same request through n8n's built-in Webhook node is the control.
 */
import { createHmac } from 'node:crypto';

import { httpRequest } from '../harness/http';
import { N8nInstance } from '../harness/n8n';
import { scratchRoot } from '../harness/scratch';
import { versionsUnderTest } from '../harness/versions';
import { builtInWebhookNode, linearWorkflow, newWebhookId, triggerNode } from '../harness/workflows';
import { actionTypes, credentialTypeNames } from '../registry';

const secret = 'harness-test-secret-0123456789abcdef0123456789abcdef';
const credential = { id: 'pdfgorillaHarness1', name: 'PDF Gorilla (harness)', type: 'pdfGorillaApi', data: { apiKey: 'pg_test_key', webhookSecret: secret, baseUrl: 'https://127.0.0.1:9/api/v1' } };

describe.each(versionsUnderTest())('harness on n8n %s', (version) => {
	const triggerHook = newWebhookId();
	const controlHook = newWebhookId();
	const triggerWorkflow = linearWorkflow('Harness: PDF Gorilla trigger', [
		triggerNode('pdfGorillaTrigger', triggerHook, {}, { pdfGorillaApi: { id: credential.id, name: credential.name } }),
	], { id: 'harnessTrigger01' });
	const controlWorkflow = linearWorkflow('Harness: built-in Webhook', [builtInWebhookNode(controlHook, 'harness-control')], { id: 'harnessControl01' });
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await N8nInstance.start({ version, credentials: [credential], workflows: [triggerWorkflow, controlWorkflow] });
	});
	afterAll(async () => {
		await n8n?.stop();
	});
	afterEach(() => {
		const state = expect.getState();
		if (state.assertionCalls !== state.numPassingAsserts) console.log(`n8n ${version} log tail:\n${n8n.logTail(120)}`);
	});

	test("n8n's user folder is one of this run's folders, which the global teardown removes", () => {
		expect(n8n.userFolder.startsWith(`${scratchRoot()}/`)).toBe(true);
	});

	test('every registered node and credential appears in the editor, under the package name', async () => {
		const nodes = (await httpRequest(`${n8n.baseUrl}/types/nodes.json`, { headers: { cookie: n8n.ownerCookie } })).json() as Array<{ name: string; displayName: string }>;
		const ours = new Set(nodes.filter((n) => n.name.startsWith('n8n-nodes-pdf-webhooks.')).map((n) => n.name.replace('n8n-nodes-pdf-webhooks.', '')));
		const actions = actionTypes();
		// n8n adds an AI-agent tool variant of every action node (usableAsTool).
		expect([...ours].sort()).toEqual([...actions, ...actions.map((a) => `${a}Tool`), ...actions.map((a) => `${a}Trigger`)].sort());
		const credentials = (await httpRequest(`${n8n.baseUrl}/types/credentials.json`, { headers: { cookie: n8n.ownerCookie } })).json() as Array<{ name: string }>;
		const names = credentials.map((c) => c.name);
		for (const c of credentialTypeNames()) expect(names).toContain(c);
	});

	test('a signed delivery to our trigger produces exactly one execution with the parsed event', async () => {
		const url = n8n.webhookUrl(triggerHook);
		await n8n.waitForWebhook(url);
		const body = Buffer.from(
			JSON.stringify({ jobId: 'cma1b2c3d4e5f6g7h8i9j0k', status: 'completed', downloadUrl: 'https://pdfgorilla.io/files/x.pdf', expiresAt: '2026-04-13T10:00:00.000Z', error: null, timestamp: new Date().toISOString() }),
		);
		const res = await n8n.postWebhook(url, body, {
			'x-pdfg-signature': createHmac('sha256', secret).update(body).digest('hex'),
			'x-pdfg-event-id': 'cma1b2c3d4e5f6g7h8i9j0k',
		});
		expect(res.status).toBe(200);
		expect(res.json()).toEqual({ received: true });

		const [execution] = await n8n.waitForExecutions('harnessTrigger01', 1, { includeData: true });
		expect(execution.status).toBe('success');
		const output = execution.data!.resultData.runData.Trigger[0].data!.main[0]!;
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ event: 'completed', jobId: 'cma1b2c3d4e5f6g7h8i9j0k', succeeded: true, downloadUrl: 'https://pdfgorilla.io/files/x.pdf' });
		// Give n8n a moment to prove no second execution appears.
		await new Promise((r) => setTimeout(r, 500));
		expect(await n8n.executions('harnessTrigger01')).toHaveLength(1);
	});

	test('the same request through the built-in Webhook node (control) also runs once', async () => {
		const url = `${n8n.baseUrl}/webhook/harness-control`;
		await n8n.waitForWebhook(url);
		const res = await n8n.postWebhook(url, JSON.stringify({ jobId: 'control', status: 'completed' }));
		expect(res.status).toBe(200);
		const [execution] = await n8n.waitForExecutions('harnessControl01', 1, { includeData: true });
		expect(execution.status).toBe('success');
		expect(execution.data!.resultData.runData.Webhook[0].data!.main[0]![0].json).toMatchObject({ body: { jobId: 'control' } });
	});

	test('a forged delivery gets 401 and no execution', async () => {
		const url = n8n.webhookUrl(triggerHook);
		const before = (await n8n.executions('harnessTrigger01')).length;
		const res = await n8n.postWebhook(url, JSON.stringify({ jobId: 'forged', status: 'completed' }), { 'x-pdfg-signature': 'f'.repeat(64) });
		expect(res.status).toBe(401);
		expect(res.json()).toEqual({ error: 'Unauthorized' });
		await new Promise((r) => setTimeout(r, 500));
		expect(await n8n.executions('harnessTrigger01')).toHaveLength(before);
	});
});
