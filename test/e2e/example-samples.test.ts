/**
 * "Execute workflow" on an imported example, as a new user does it (issue 24): each example in
 * examples/ is imported with its pinned sample and a sticky note, credentials are selected as the
 * note says, and the editor's Execute workflow request is sent (POST /rest/workflows/:id/run,
 * from the trigger). The run must end where the note says: at the download with "This item is a
 * sample event" (a sample has no file), or through to the email for the examples the note says
 * run through. The fake services and a real SMTP server stand in for the real ones.
 *
 * The PostgreSQL example needs a database only the queue-mode suite has; its note is checked by
 * the unit test of the examples' notes.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { httpRequest } from '../harness/http';
import { EXAMPLES_DIR, needsExternalStore, prepareExample, type ExampleNode } from '../harness/examples';
import type { ExecutionSummary } from '../harness/n8n';
import { SmtpSink, type ReceivedMail } from '../harness/smtp';
import { isV1, repoRoot, versionsUnderTest } from '../harness/versions';
import { createTestCa } from '../providers';
import { errorOf, useStack } from './support';

const SAMPLE_STOP = 'This item is a sample event, so there is no file to download';

/** Where each example's note says Execute workflow ends. */
const EXPECTED: Record<string, { status: 'error' | 'success'; stopsAt?: string; mailTo?: string; mailContains?: string }> = {
	'pdfgorilla-email-pdf.json': { status: 'error', stopsAt: 'Download PDF' },
	'docgenlab-email-pdf.json': { status: 'error', stopsAt: 'Download PDF' },
	'pdfsign-email-pdf.json': { status: 'error', stopsAt: 'Download PDF' },
	// Download PDF sends its error to its error output, which the note says is emailed.
	'reportflow-email-pdf.json': { status: 'success', mailTo: 'ops@example.com', mailContains: SAMPLE_STOP },
	'docflo-email-fields.json': { status: 'success', mailTo: 'bookkeeping@example.com' },
	'pdfgorilla-generate-wait-email.json': { status: 'success', mailTo: 'ada@example.com' },
};

describe.each(versionsUnderTest())('Execute workflow on the examples\' pinned samples on n8n %s', (version) => {
	const stack = useStack(version, { fake: { publicHost: 'localhost' } });
	let smtp: SmtpSink;
	const created: Record<string, { id: string; name: string }> = {};

	beforeAll(async () => {
		const { n8n, fake } = stack;
		await createTestCa(join(repoRoot, '.cache', 'test-ca'));
		smtp = await SmtpSink.start();
		const api = (service: 'reportflow' | 'docgenlab' | 'pdfsign') => `${fake.origin}${new URL(fake.baseUrl(service)).pathname}`;
		const credential = async (type: string, data: Record<string, unknown>) => {
			Object.assign(created, await n8n.createNodeCredential({ name: `${type} (samples)`, type, data }));
		};
		await credential('smtp', smtp.credentialData());
		await credential('pdfGorillaApi', { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: 'example-samples-secret-0123456789abcdef01234567', baseUrl: `${fake.origin}/pdfgorilla/api/v1` });
		await credential('reportFlowApi', { environment: 'custom', baseUrl: api('reportflow'), apiKey: fake.credentials.reportflow.appKey });
		await credential('docGenLabApi', { apiKey: fake.credentials.docgenlab.apiKey, baseUrl: api('docgenlab') });
		await credential('pdfSignWebhookApi', { webhookSecret: 'whsec_example_samples' });
		await credential('docfloWebhookApi', { signingSecret: 'example-samples-docflo-secret', incomingAuthentication: 'none' });
	});

	afterAll(async () => {
		await smtp?.close();
	});

	const cookie = () => ({ cookie: stack.n8n.ownerCookie, 'content-type': 'application/json' });

	/** Imports through the editor's API, pinned data included (n8n's public API drops it). */
	async function importWithPinnedData(workflow: Record<string, unknown>): Promise<string> {
		const { name, nodes, connections, settings, pinData } = workflow;
		const res = await httpRequest(`${stack.n8n.baseUrl}/rest/workflows`, { method: 'POST', headers: cookie(), body: JSON.stringify({ name, nodes, connections, settings, pinData, active: false }) });
		expect({ status: res.status, text: res.status === 200 ? '' : res.text }).toEqual({ status: 200, text: '' });
		return (res.json() as { data: { id: string } }).data.id;
	}

	/** What the editor sends for Execute workflow from the trigger, and the execution it starts. */
	async function executeWorkflow(workflowId: string, trigger: string): Promise<ExecutionSummary> {
		const { n8n } = stack;
		const body = isV1(version)
			? { workflowData: ((await httpRequest(`${n8n.baseUrl}/rest/workflows/${workflowId}`, { headers: cookie() })).json() as { data: unknown }).data, triggerToStartFrom: { name: trigger } }
			: { triggerToStartFrom: { name: trigger } };
		const run = await httpRequest(`${n8n.baseUrl}/rest/workflows/${workflowId}/run`, { method: 'POST', headers: cookie(), body: JSON.stringify(body) });
		expect({ status: run.status, waiting: (run.json() as { data?: { waitingForWebhook?: boolean } }).data?.waitingForWebhook }).toEqual({ status: 200, waiting: undefined });
		const [execution] = await n8n.waitForExecutions(workflowId, 1, { includeData: true });
		return execution;
	}

	async function mailTo(to: string): Promise<ReceivedMail> {
		const deadline = Date.now() + 60_000;
		for (;;) {
			const found = smtp.messages.find((m) => m.to.includes(to));
			if (found) return found;
			if (Date.now() > deadline) throw new Error(`no mail to ${to}; received: ${smtp.messages.map((m) => m.to).join(', ')}`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}

	const examples = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json') && !needsExternalStore(file));

	test('every example that runs here has an expectation', () => {
		expect(examples.sort()).toEqual(Object.keys(EXPECTED).sort());
	});

	test.each(examples)('%s: Execute workflow ends where its note says', async (file) => {
		const expected = EXPECTED[file];
		const { workflow } = prepareExample(file, { version, credentials: created, fakeHost: `localhost:${stack.fake.port}` });
		const start = (workflow.nodes as ExampleNode[]).find((node) => (workflow as { pinData?: Record<string, unknown> }).pinData?.[node.name])!;
		const note = (workflow.nodes as ExampleNode[]).find((node) => node.type === 'n8n-nodes-base.stickyNote' && node.name === 'Set up');
		expect(note).toBeDefined();
		const execution = await executeWorkflow(await importWithPinnedData(workflow as unknown as Record<string, unknown>), start.name);

		expect(execution.mode).toBe('manual');
		const outcome = { status: execution.status, error: errorOf(execution) ?? null, lastNode: execution.data?.resultData.lastNodeExecuted };
		if (expected.stopsAt) {
			expect(outcome).toEqual({ status: 'error', error: expect.stringContaining(SAMPLE_STOP), lastNode: expected.stopsAt });
			// The note names the node it stops at and the message.
			expect(String(note!.parameters.content)).toContain(`stops at *${expected.stopsAt}* with "This item is a sample event"`);
		} else {
			expect(outcome).toEqual({ status: 'success', error: null, lastNode: expect.any(String) });
		}
		if (expected.mailTo) {
			const mail = await mailTo(expected.mailTo);
			if (expected.mailContains) expect(mail.parsed.text).toContain(expected.mailContains);
		}
	});
});
