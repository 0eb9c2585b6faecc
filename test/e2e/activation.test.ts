/**
 * Activation in real n8n (issue 24): a trigger whose credential lacks what every delivery needs
 * is refused when the user publishes (activates) the workflow the way the editor does it
 * (POST /rest/workflows/:id/activate), and when the user clicks Execute step to listen; the
 * message names the field. A complete credential activates.
 *
 * The two versions report a refused activation differently (read from their code): n8n 1.x
 * activates while answering the request and answers 400 with the message, rolling the workflow
 * back to inactive; n8n 2.x publishes through an outbox, answers 200 at once and activates the
 * triggers moments later, then reports the trigger as failed with the message (the editor gets
 * it pushed, and GET /rest/workflows/:id/publication-status returns it).
 */
import { httpRequest } from '../harness/http';
import { isV1, versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, triggerNode } from '../harness/workflows';
import { useStack } from './support';

type Credential = Record<string, { id: string; name: string }>;

describe.each(versionsUnderTest())('trigger activation on n8n %s', (version) => {
	const stack = useStack(version);
	const credentials: Record<string, Credential> = {};
	/** Why n8n refused to save a credential (n8n 1.x refuses an empty required field; 2.x saves it). */
	const refusedToSave: Record<string, string> = {};

	beforeAll(async () => {
		const { n8n } = stack;
		const create = async (key: string, type: string, data: Record<string, unknown>) => {
			credentials[key] = await n8n.createNodeCredential({ name: `${key} (activation)`, type, data });
		};
		await create('gorillaNoSecret', 'pdfGorillaApi', { apiKey: 'pg_key_activation' });
		await create('gorilla', 'pdfGorillaApi', { apiKey: 'pg_key_activation', webhookSecret: 'activation-e2e-secret-0123456789abcdef0123456789' });
		await create('docfloNothing', 'docfloWebhookApi', { signingSecret: '', incomingAuthentication: 'none' });
		await create('pdfSignEmpty', 'pdfSignWebhookApi', { webhookSecret: '' }).catch((error: Error) => {
			refusedToSave.pdfSignEmpty = error.message;
		});
	});

	const cookie = () => ({ cookie: stack.n8n.ownerCookie, 'content-type': 'application/json' });

	async function inactiveWorkflow(name: string, type: string, parameters: Record<string, unknown>, credential?: Credential): Promise<string> {
		return await stack.n8n.createWorkflow(linearWorkflow(name, [triggerNode(type, newWebhookId(), parameters, credential)]), false);
	}

	/** What the editor's Publish (2.x) / activate (1.x) sends, and the outcome as the editor learns it. */
	async function activate(workflowId: string): Promise<{ refused: boolean; message: string }> {
		const { n8n } = stack;
		const workflow = (await httpRequest(`${n8n.baseUrl}/rest/workflows/${workflowId}`, { headers: cookie() })).json() as { data: { versionId: string } };
		const res = await httpRequest(`${n8n.baseUrl}/rest/workflows/${workflowId}/activate`, {
			method: 'POST',
			headers: cookie(),
			body: JSON.stringify({ versionId: workflow.data.versionId }),
		});
		const body = (res.text ? res.json() : {}) as { message?: string };
		if (isV1(version)) {
			const active = (await n8n.getWorkflow(workflowId)).active;
			expect({ status: res.status, active }).toEqual(res.status === 200 ? { status: 200, active: true } : { status: 400, active: false });
			return { refused: res.status !== 200, message: body.message ?? '' };
		}
		expect(res.status).toBe(200);
		const status = await settledPublication(workflowId);
		return { refused: status.status !== 'published', message: status.triggers.map((t) => t.errorMessage ?? '').join('\n') };
	}

	/** n8n 2.x: the publication status once the outbox has applied it. */
	async function settledPublication(workflowId: string): Promise<{ status: string; triggers: Array<{ status: string; errorMessage?: string | null }> }> {
		const deadline = Date.now() + 60_000;
		for (;;) {
			const res = await httpRequest(`${stack.n8n.baseUrl}/rest/workflows/${workflowId}/publication-status`, { headers: cookie() });
			const status = (res.json() as { data: { status: string; triggers: Array<{ status: string; errorMessage?: string | null }> } }).data;
			if (!['in_progress', 'not_published'].includes(status.status)) return status;
			if (Date.now() > deadline) throw new Error(`publication of ${workflowId} not settled: ${JSON.stringify(status)}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
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
		if (credential && refusedToSave[credential]) {
			// The field is required in the form: n8n 1.x does not even save the credential.
			expect({ version1: isV1(version), refusal: refusedToSave[credential] }).toEqual({ version1: true, refusal: expect.stringMatching(/The field \\*"webhookSecret\\*" is mandatory/) });
			return;
		}
		const refusedToListen = await inactiveWorkflow(`listen: ${type}`, type, parameters, credential ? credentials[credential] : undefined);
		const listening = await listen(refusedToListen);
		expect({ status: listening.status >= 400, message: listening.text.includes(message) }).toEqual({ status: true, message: true });

		const workflowId = await inactiveWorkflow(`publish: ${type}`, type, parameters, credential ? credentials[credential] : undefined);
		expect(await activate(workflowId)).toEqual({ refused: true, message: expect.stringContaining(message) });
	});

	test('a complete credential activates, and the unreachable Production URL is only logged', async () => {
		const workflowId = await inactiveWorkflow('publish: complete', 'pdfGorillaTrigger', {}, credentials.gorilla);
		expect(await activate(workflowId)).toEqual({ refused: false, message: '' });
		expect(stack.n8n.log()).toContain('PDF Gorilla cannot reach this n8n');
		await stack.n8n.deactivateWorkflow(workflowId);
	});
});
