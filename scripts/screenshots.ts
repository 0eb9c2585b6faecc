/**
 * `npm run screenshots`: real screenshots of the n8n editor with these nodes, at 1440×900 in
 * Debian's Chromium (playwright-core; `apt-get install -y chromium`), from n8n 2.41.1 with the
 * package installed from `npm pack`. The examples are imported as a user imports them, with
 * credentials pointing at the fake services; the PDF Gorilla one is run once for the execution view.
 *
 * Output, in docs/screenshots/:
 * - workflow.png, execution.png: the PDF Gorilla example on the canvas and one finished run;
 * - <service>-trigger.png (and trigger-panel.png, the PDF Gorilla one the README shows): every
 *   trigger panel with its Production URL shown; the script fails if one does not fit the window;
 * - trigger-respond-finished.png: the answer-deadline note, shown only under that Respond choice;
 * - trigger-listening.png, trigger-listening-canvas.png: a trigger waiting for a test event;
 * - <service>-operations[-<resource>].png: every action node's Operation list, per resource;
 * - action-panel.png, download-skip-choices.png: a download panel (PDF Gorilla → PDF → Download,
 *   version 2), and the choices of its Skip Files Already Downloaded;
 * - generate-and-wait-panel.png;
 * - <service>-credential.png: the credential form each trigger needs (ReportFlow's trigger has
 *   none: its API credential).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';

import { ensureN8nAndPackage } from '../bench/lib';
import { prepareExample, type ExampleNode } from '../test/harness/examples';
import { N8nInstance } from '../test/harness/n8n';
import { SmtpSink } from '../test/harness/smtp';
import { repoRoot } from '../test/harness/versions';
import { createTestCa, sendWebhook, startFakeProviders, type FakeProviders } from '../test/providers';
import { editorContext, launchChromium, openNode } from './browser';

const OUT = join(repoRoot, 'docs', 'screenshots');
const SECRET = 'screenshots-secret-00112233445566778899aabbccddeeff';
const PACKAGE = 'n8n-nodes-pdf-webhooks';

type Credentials = Record<string, { id: string; name: string }>;

/** What was measured in the browser, printed at the end. */
const fit: Array<{ panel: string; scrolling: string[] }> = [];

async function main(): Promise<void> {
	mkdirSync(OUT, { recursive: true });
	ensureN8nAndPackage('2.41.1');
	const ca = await createTestCa(join(repoRoot, '.cache', 'test-ca'));
	const fake = await startFakeProviders({ tls: ca, publicHost: 'localhost' });
	const smtp = await SmtpSink.start();
	const n8n = await N8nInstance.start({ version: '2.41.1' });
	const browser = await launchChromium();
	try {
		const credentials = await createCredentials(n8n, fake, smtp);
		const examples = await importExamples(n8n, fake, credentials);
		const operations = await n8n.createWorkflow(operationsWorkflow(credentials) as never, false);
		const executed = await runPdfGorillaExampleOnce(n8n, fake, credentials);

		const context = await editorContext(browser);
		const [name, value] = n8n.ownerCookie.split(';')[0].split('=');
		await context.addCookies([{ name, value, domain: '127.0.0.1', path: '/' }]);
		const page = await context.newPage();
		const shot = async (file: string) => await page.screenshot({ path: join(OUT, file) });
		const openWorkflow = async (workflowId: string) => {
			await page.goto(`${n8n.baseUrl}/workflow/${workflowId}`, { waitUntil: 'networkidle' });
			await dismissPopups(page);
			await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
			await page.waitForTimeout(1000);
		};
		const closePanel = async () => {
			await page.keyboard.press('Escape');
			await page.waitForTimeout(500);
		};

		// The PDF Gorilla example: canvas, trigger, download, listening.
		await openWorkflow(examples['pdfgorilla-email-pdf.json'].workflowId);
		await shot('workflow.png');
		for (const example of TRIGGER_EXAMPLES) {
			const { workflowId, start: trigger } = examples[example];
			await openWorkflow(workflowId);
			await openNode(page, trigger);
			await page.waitForTimeout(1200); // the panel animates in
			await showProductionUrl(page);
			fit.push({ panel: trigger, scrolling: await scrollingElements(page) });
			const file = `${example.replace(/-email-.*\.json$/, '')}-trigger.png`;
			await shot(file);
			if (file === 'pdfgorilla-trigger.png') {
				await shot('trigger-panel.png');
				// The answer-deadline note appears only under "When the Workflow Has Finished".
				await page.getByTestId('parameter-input-responseMode').click();
				await page.getByText('When the Workflow Has Finished', { exact: true }).click();
				await page.waitForTimeout(600);
				fit.push({ panel: `${trigger}, Respond When the Workflow Has Finished`, scrolling: await scrollingElements(page) });
				await shot('trigger-respond-finished.png');
			}
			await closePanel();
		}

		await openWorkflow(examples['pdfgorilla-email-pdf.json'].workflowId);
		await openNode(page, 'Download PDF');
		await page.waitForTimeout(1200);
		await shot('action-panel.png');
		await page.getByTestId('parameter-input-skipRepeats').click();
		await page.waitForTimeout(600);
		await shot('download-skip-choices.png');

		await openWorkflow(examples['pdfgorilla-email-pdf.json'].workflowId);

		await openNode(page, 'PDF Gorilla Trigger');
		await page.waitForTimeout(1000);
		await page.getByTestId('trigger-execute-button').first().click();
		await page.waitForTimeout(2500);
		await shot('trigger-listening.png');
		await closePanel();
		await page.waitForTimeout(800);
		await shot('trigger-listening-canvas.png');
		await page.getByTestId('stop-execution-button').first().click().catch(() => undefined);

		// Every action's Operation list, one node per service and resource.
		for (const node of OPERATION_NODES) {
			// A fresh page per node: Escape inside a field's editor does not close the panel.
			await openWorkflow(operations);
			await openNode(page, node.name);
			await page.waitForTimeout(1000);
			await page.getByTestId('parameter-input-operation').click();
			await page.waitForTimeout(700);
			await shot(node.file);
			await page.keyboard.press('Escape');
			await closePanel();
		}

		await openWorkflow(examples['pdfgorilla-generate-wait-email.json'].workflowId);
		await openNode(page, 'Generate invoice and wait');
		await page.waitForTimeout(1200);
		await shot('generate-and-wait-panel.png');
		await closePanel();

		// The credential form each trigger needs.
		for (const [type, file] of Object.entries(CREDENTIAL_SHOTS)) {
			await page.goto(`${n8n.baseUrl}/home/credentials/${credentials[type].id}`, { waitUntil: 'networkidle' });
			await page.waitForTimeout(2000);
			await dismissPopups(page);
			await shot(file);
		}

		await page.goto(`${n8n.baseUrl}/workflow/${executed.workflowId}/executions/${executed.executionId}`, { waitUntil: 'networkidle' });
		await page.waitForTimeout(3000);
		// The checklist opens late on this page.
		await dismissPopups(page);
		await shot('execution.png');

		for (const { panel, scrolling } of fit) process.stdout.write(`${panel}: ${scrolling.length === 0 ? 'fits 1440×900 without scrolling' : `SCROLLS (${scrolling.join('; ')})`}\n`);
		process.stdout.write(`Screenshots written to ${OUT}\n`);
		if (fit.some((entry) => entry.scrolling.length > 0)) throw new Error('a trigger panel does not fit the window');
	} finally {
		await browser.close();
		await n8n.stop();
		await fake.close();
		await smtp.close();
	}
}

/** The credentials a user would create, pointing at the fake services; one deliberately like the form's default (Docflo: Authorization None). */
async function createCredentials(n8n: N8nInstance, fake: FakeProviders, smtp: SmtpSink): Promise<Credentials> {
	const api = (service: 'reportflow' | 'docgenlab' | 'pdfsign') => `${fake.origin}${new URL(fake.baseUrl(service)).pathname}`;
	const credentials: Credentials = {};
	const create = async (type: string, name: string, data: Record<string, unknown>) => {
		credentials[type] = { id: await n8n.createCredential({ name, type, data }), name };
	};
	await create('smtp', 'SMTP account', smtp.credentialData());
	await create('pdfGorillaApi', 'PDF Gorilla account', { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: SECRET, baseUrl: `${fake.origin}/pdfgorilla/api/v1` });
	await create('reportFlowApi', 'ReportFlow account', { environment: 'custom', baseUrl: api('reportflow'), apiKey: fake.credentials.reportflow.appKey });
	await create('docGenLabApi', 'DocGenLab account', { apiKey: fake.credentials.docgenlab.apiKey, baseUrl: api('docgenlab') });
	await create('pdfSignApi', 'PDF-Sign account', { apiKey: fake.credentials.pdfsign.apiKey, baseUrl: api('pdfsign') });
	await create('pdfSignWebhookApi', 'PDF-Sign webhook', { webhookSecret: 'whsec_screenshots' });
	await create('docfloWebhookApi', 'Docflo webhook', { signingSecret: 'screenshots-docflo-secret', incomingAuthentication: 'none' });
	await create('docfloApi', 'Docflo account', { tenantId: 'tenant-screenshots', apiKey: 'docflo-screenshots-key', baseUrl: `${fake.origin}/docflo` });
	return credentials;
}

/** The examples with a trigger of this package, one per service. */
const TRIGGER_EXAMPLES = ['pdfgorilla-email-pdf.json', 'reportflow-email-pdf.json', 'docgenlab-email-pdf.json', 'docflo-email-fields.json', 'pdfsign-email-pdf.json'];

/** The examples, inactive, credentials selected as their notes say; the name of each one's start node. */
async function importExamples(n8n: N8nInstance, fake: FakeProviders, credentials: Credentials) {
	const imported: Record<string, { workflowId: string; start: string }> = {};
	for (const file of [...TRIGGER_EXAMPLES, 'pdfgorilla-generate-wait-email.json']) {
		const { workflow } = prepareExample(file, { version: '2.41.1', credentials, fakeHost: `localhost:${fake.port}` });
		// Shown as a user sets it up: without the loopback-only download options the fakes need.
		for (const node of workflow.nodes as ExampleNode[]) if (node.parameters.downloadOptions) node.parameters.downloadOptions = {};
		const start = (workflow.nodes as ExampleNode[]).find((node) => node.type.endsWith('Trigger') || node.type === 'n8n-nodes-base.webhook')!.name;
		imported[file] = { workflowId: await n8n.createWorkflow(workflow as never, false), start };
	}
	return imported;
}

/** One run of the PDF Gorilla example against the fake, for the execution view. */
async function runPdfGorillaExampleOnce(n8n: N8nInstance, fake: FakeProviders, credentials: Credentials) {
	const { workflow } = prepareExample('pdfgorilla-email-pdf.json', { version: '2.41.1', credentials, fakeHost: `localhost:${fake.port}` });
	const workflowId = await n8n.createWorkflow(workflow as never);
	const hook = (workflow.nodes as ExampleNode[]).find((node) => node.webhookId)!.webhookId!;
	await n8n.waitForWebhook(n8n.webhookUrl(hook));
	const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 180_000, title: 'Invoice 2026-0042' } });
	await sendWebhook('pdfgorilla', n8n.webhookUrl(hook), fake.pdfgorilla.webhookPayload(job.jobId), { secret: SECRET });
	const [execution] = await n8n.waitForExecutions(workflowId, 1);
	return { workflowId, executionId: execution.id };
}

/** One action node per service and resource, at the version new nodes get. */
const OPERATION_NODES = [
	{ name: 'ReportFlow File', type: 'reportFlow', version: 2, resource: 'file', file: 'reportflow-operations-file.png', credential: 'reportFlowApi' },
	{ name: 'ReportFlow Template', type: 'reportFlow', version: 2, resource: 'template', file: 'reportflow-operations-template.png', credential: 'reportFlowApi' },
	{ name: 'DocGenLab Document', type: 'docGenLab', version: 2, resource: 'document', file: 'docgenlab-operations-document.png', credential: 'docGenLabApi' },
	{ name: 'DocGenLab Template', type: 'docGenLab', version: 2, resource: 'template', file: 'docgenlab-operations-template.png', credential: 'docGenLabApi' },
	{ name: 'Docflo Document', type: 'docflo', version: 1, resource: 'document', file: 'docflo-operations.png', credential: 'docfloApi' },
	{ name: 'PDF Gorilla PDF', type: 'pdfGorilla', version: 2, resource: 'pdf', file: 'pdfgorilla-operations.png', credential: 'pdfGorillaApi' },
	{ name: 'PDF-Sign PDF', type: 'pdfSign', version: 2, resource: 'pdf', file: 'pdfsign-operations.png', credential: 'pdfSignApi' },
];

function operationsWorkflow(credentials: Credentials) {
	return {
		name: 'Operations of every action node',
		nodes: OPERATION_NODES.map((node, index) => ({
			id: `operations-${index}`,
			name: node.name,
			type: `${PACKAGE}.${node.type}`,
			typeVersion: node.version,
			position: [240 + (index % 4) * 240, 200 + Math.floor(index / 4) * 240],
			parameters: { resource: node.resource },
			credentials: { [node.credential]: credentials[node.credential] },
		})),
		connections: {},
		settings: {},
	};
}

/** Credential type → file: the one each trigger needs (ReportFlow's trigger needs none: its API credential). */
const CREDENTIAL_SHOTS: Record<string, string> = {
	reportFlowApi: 'reportflow-credential.png',
	docGenLabApi: 'docgenlab-credential.png',
	docfloWebhookApi: 'docflo-credential.png',
	pdfGorillaApi: 'pdfgorilla-credential.png',
	pdfSignWebhookApi: 'pdfsign-credential.png',
};

/** Opens "Webhook URLs" (collapsed by default) on the Production URL, what users paste into the service. */
async function showProductionUrl(page: Page): Promise<void> {
	await page.locator('[data-test-id="ndv"]').getByText('Webhook URLs', { exact: true }).click();
	await page.locator('[data-test-id="ndv"] [data-test-id="radio-button-production"]').click();
	await page.waitForTimeout(500);
}

/** Elements in the open panel that scroll: the panel does not fit the window when there are any. */
async function scrollingElements(page: Page): Promise<string[]> {
	// A function body as text: it runs in the browser, not in this (DOM-less) program.
	return (await page.evaluate(`(() => {
		const ndv = document.querySelector('[data-test-id="ndv"]');
		if (!ndv) return ['no panel open'];
		return Array.from(ndv.querySelectorAll('*'))
			.filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowY) && el.scrollHeight > el.clientHeight + 2)
			.map((el) => (el.getAttribute('data-test-id') || el.className.toString()).slice(0, 60) + ' ' + el.scrollHeight + '>' + el.clientHeight);
	})()`)) as string[];
}

/** First-run tours, checklists and banners hide the canvas. */
async function dismissPopups(page: Page): Promise<void> {
	await page.waitForTimeout(1000);
	// The checklist's close icon is the first control after its title.
	const title = page.getByText('Production Checklist', { exact: true });
	if (await title.isVisible().catch(() => false)) {
		await title.locator('xpath=following::*[self::button or local-name()="svg"][1]').click().catch(() => undefined);
	}
	for (const selector of ['button:has-text("Got it")', 'button:has-text("Skip")']) {
		const button = page.locator(selector).first();
		if (await button.isVisible().catch(() => false)) await button.click().catch(() => undefined);
	}
	await page.waitForTimeout(500);
}

main().catch((error: unknown) => {
	process.stderr.write(`screenshots failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
