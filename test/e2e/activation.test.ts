/**
 * Activation in real n8n (issue 24): a trigger whose credential lacks what every delivery needs
 * is refused when the user publishes (activates) the workflow, the way the editor does it
 * (POST /rest/workflows/:id/activate), and when the user clicks Execute step to listen; the
 * message names the field. A complete credential activates. n8n rolls the refused workflow back
 * to inactive.
 */
import { httpRequest } from '../harness/http';
import { isV1, versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, triggerNode } from '../harness/workflows';
import { useStack } from './support';

type Credential = Record<string, { id: string; name: string }>;

describe.each(versionsUnderTest())('trigger activation on n8n %s', (version) => {
	const stack = useStack(version);
	const credentials: Record<string, Credential> = {};

	beforeAll(async () => {
		const { n8n } = stack;
		const create = async (key: string, type: string, data: Record<string, unknown>) => {
			credentials[key] = { [type]: { id: await n8n.createCredential({ name: `${key} (activation)`, type, data }), name: `${key} (activation)` } };
		};
		await create('gorillaNoSecret', 'pdfGorillaApi', { apiKey: 'pg_key_activation' });
		await create('gorilla', 'pdfGorillaApi', { apiKey: 'pg_key_activation', webhookSecret: 'activation-e2e-secret-0123456789abcdef0123456789' });
		await create('docfloNothing', 'docfloWebhookApi', { signingSecret: '', incomingAuthentication: 'none' });
		await create('pdfSignEmpty', 'pdfSignWebhookApi', { webhookSecret: '' });
	});

	const cookie = () => ({ cookie: stack.n8n.ownerCookie, 'content-type': 'application/json' });

	async function inactiveWorkflow(name: string, type: string, parameters: Record<string, unknown>, credential?: Credential): Promise<string> {
		return await stack.n8n.createWorkflow(linearWorkflow(name, [triggerNode(type, newWebhookId(), parameters, credential)]), false);
	}

	/** What the editor's Publish (2.x) / activate (1.x) sends; the answer's status and message. */
	async function activate(workflowId: string): Promise<{ status: number; message: string; active: boolean }> {
		const { n8n } = stack;
		const workflow = (await httpRequest(`${n8n.baseUrl}/rest/workflows/${workflowId}`, { headers: cookie() })).json() as { data: { versionId: string } };
		const res = await httpRequest(`${n8n.baseUrl}/rest/workflows/${workflowId}/activate`, {
			method: 'POST',
			headers: cookie(),
			body: JSON.stringify({ versionId: workflow.data.versionId }),
		});
		const body = (res.text ? res.json() : {}) as { message?: string };
		return { status: res.status, message: body.message ?? '', active: (await n8n.getWorkflow(workflowId)).active };
	}

	/** What the editor's Execute step on the trigger sends (listen for a test event). */
	async function listen(workflowId: string): Promise<{ status: number; text: string }> {
		const { n8n } = stack;
		const body = isV1(version)
			? { workflowData: ((await httpRequest(`${n8n.baseUrl}/rest/workflows/${workflowId}`, { headers: cookie() })).json() as { data: unknown }).data, triggerToStartFrom: { name: 'Trigger' } }
			: { triggerToStartFrom: { name: 'Trigger' } };
		const res = await httpRequest(`${n8n.baseUrl}/rest/workflows/${workflowId}/run`, { method: 'POST', headers: cookie(), body: JSON.stringify(body) });
		return { status: res.status, text: res.text };
	}

	test.each([
		['PDF Gorilla without a Webhook Secret', 'pdfGorillaTrigger', {}, 'gorillaNoSecret', 'PDF Gorilla Trigger cannot verify deliveries: in its PDF Gorilla API credential, the Webhook Secret is empty'],
		['Docflo with neither a Signing Secret nor an authentication method', 'docfloTrigger', {}, 'docfloNothing', 'Docflo Trigger cannot verify deliveries: in its Docflo Webhook API credential, the Signing Secret is empty and no authentication method is chosen'],
		['PDF-Sign with an empty Webhook Secret', 'pdfSignTrigger', {}, 'pdfSignEmpty', 'PDF-Sign Trigger cannot verify deliveries: in its PDF-Sign Webhook API credential, the Webhook Secret is empty'],
		['DocGenLab with Confirm With API and no API credential', 'docGenLabTrigger', { options: { confirmWithApi: true } }, undefined, 'DocGenLab Trigger: Confirm With API needs a DocGenLab API credential'],
	])('%s: Publish is refused with a message naming the field, and so is Execute step', async (name, type, parameters, credential, message) => {
		const workflowId = await inactiveWorkflow(`activation: ${name}`, type, parameters, credential ? credentials[credential] : undefined);
		const published = await activate(workflowId);
		expect(published).toEqual({ status: 400, message: expect.stringContaining(message), active: false });
		const listening = await listen(workflowId);
		expect(listening.status).toBeGreaterThanOrEqual(400);
		expect(listening.text).toContain(message);
	});

	test('a complete credential activates, and the unreachable Production URL is only logged', async () => {
		const workflowId = await inactiveWorkflow('activation: PDF Gorilla complete', 'pdfGorillaTrigger', {}, credentials.gorilla);
		expect(await activate(workflowId)).toEqual({ status: 200, message: '', active: true });
		expect(stack.n8n.log()).toContain('PDF Gorilla cannot reach this n8n');
		await stack.n8n.deactivateWorkflow(workflowId);
	});
});
