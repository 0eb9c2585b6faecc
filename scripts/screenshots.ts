/**
 * `npm run screenshots`: real screenshots of the n8n editor with these nodes, for the README.
 * Starts n8n 2.41.1 with the package installed from `npm pack`, imports the PDF Gorilla
 * email example with credentials pointing at the fake services, runs it once, and drives
 * Debian's Chromium with playwright-core (`apt-get install -y chromium`).
 *
 * Output: docs/screenshots/{workflow,trigger-panel,action-panel,generate-and-wait-panel,execution}.png, and
 * <example>-trigger.png: each service's trigger panel in its email example, for its README section.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';

import { ensurePacked } from '../bench/lib';
import { prepareExample, type ExampleNode } from '../test/harness/examples';
import { N8nInstance } from '../test/harness/n8n';
import { SmtpSink } from '../test/harness/smtp';
import { repoRoot } from '../test/harness/versions';
import { createTestCa, sendWebhook, startFakeProviders } from '../test/providers';
import { editorContext, launchChromium, openNode } from './browser';

const OUT = join(repoRoot, 'docs', 'screenshots');
const SECRET = 'screenshots-secret-00112233445566778899aabbccddeeff';

async function main(): Promise<void> {
	mkdirSync(OUT, { recursive: true });
	ensurePacked();
	const ca = await createTestCa(join(repoRoot, '.cache', 'test-ca'));
	const fake = await startFakeProviders({ tls: ca, publicHost: 'localhost' });
	const smtp = await SmtpSink.start();
	const n8n = await N8nInstance.start({ version: '2.41.1' });
	const browser = await launchChromium();
	try {
		const pdfGorilla = await n8n.createCredential({
			name: 'PDF Gorilla account',
			type: 'pdfGorillaApi',
			data: { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: SECRET, baseUrl: `${fake.origin}/pdfgorilla/api/v1` },
		});
		const smtpId = await n8n.createCredential({ name: 'SMTP account', type: 'smtp', data: smtp.credentialData() });
		const example = JSON.parse(readFileSync(join(repoRoot, 'examples', 'pdfgorilla-email-pdf.json'), 'utf8')) as {
			nodes: Array<{ name: string; type: string; webhookId?: string; parameters: Record<string, unknown>; credentials?: unknown }>;
		};
		for (const node of example.nodes) {
			if (node.type.includes('pdfGorilla')) node.credentials = { pdfGorillaApi: { id: pdfGorilla, name: 'PDF Gorilla account' } };
			if (node.type === 'n8n-nodes-base.emailSend') node.credentials = { smtp: { id: smtpId, name: 'SMTP account' } };
		}
		// The clean example (as a user would set it up) for the canvas and panels; a copy with the
		// loopback-only download options for the run against the fake service.
		const shownId = await n8n.createWorkflow(JSON.parse(JSON.stringify(example)) as never, false);
		for (const node of example.nodes) {
			if (node.parameters.downloadOptions) {
				node.parameters.downloadOptions = { skipAlreadyProcessed: true, allowPrivateNetwork: true, additionalAllowedHosts: `localhost:${fake.port}` };
			}
		}
		const waitExample = JSON.parse(readFileSync(join(repoRoot, 'examples', 'pdfgorilla-generate-wait-email.json'), 'utf8')) as typeof example;
		for (const node of waitExample.nodes) {
			if (node.type.includes('pdfGorilla')) node.credentials = { pdfGorillaApi: { id: pdfGorilla, name: 'PDF Gorilla account' } };
			if (node.type === 'n8n-nodes-base.emailSend') node.credentials = { smtp: { id: smtpId, name: 'SMTP account' } };
		}
		const waitShownId = await n8n.createWorkflow(waitExample as never, false);
		const workflowId = await n8n.createWorkflow(example as never);
		const hook = example.nodes.find((n) => n.webhookId)!.webhookId!;
		await n8n.waitForWebhook(n8n.webhookUrl(hook));
		const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 180_000, title: 'Invoice 2026-0042' } });
		await sendWebhook('pdfgorilla', n8n.webhookUrl(hook), fake.pdfgorilla.webhookPayload(job.jobId), { secret: SECRET });
		const [execution] = await n8n.waitForExecutions(workflowId, 1);
		await smtp.waitFor(1);

		const context = await editorContext(browser);
		const [name, value] = n8n.ownerCookie.split(';')[0].split('=');
		await context.addCookies([{ name, value, domain: '127.0.0.1', path: '/' }]);
		const page = await context.newPage();

		await page.goto(`${n8n.baseUrl}/workflow/${shownId}`, { waitUntil: 'networkidle' });
		await dismissPopups(page);
		await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
		await page.waitForTimeout(1500);
		await page.screenshot({ path: join(OUT, 'workflow.png') });

		await openNode(page, 'PDF Gorilla Trigger');
		await page.waitForTimeout(1200); // the panel animates in
		// Show where the Production URL to paste into PDF Gorilla is (collapsed by default).
		await page.locator('[data-test-id="ndv"]').getByText('Webhook URLs', { exact: true }).click();
		await page.locator('[data-test-id="ndv"] [data-test-id="radio-button-production"]').click();
		await page.waitForTimeout(500);
		await page.screenshot({ path: join(OUT, 'trigger-panel.png') });
		await page.keyboard.press('Escape');
		await page.waitForTimeout(500);

		await openNode(page, 'Download PDF');
		await page.waitForTimeout(1200); // the panel animates in
		await page.screenshot({ path: join(OUT, 'action-panel.png') });
		await page.keyboard.press('Escape');

		await page.goto(`${n8n.baseUrl}/workflow/${waitShownId}`, { waitUntil: 'networkidle' });
		await dismissPopups(page);
		await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
		await openNode(page, 'Generate invoice and wait');
		await page.waitForTimeout(1200); // the panel animates in
		await page.screenshot({ path: join(OUT, 'generate-and-wait-panel.png') });
		await page.keyboard.press('Escape');

		for (const shot of await importServiceExamples(n8n, fake, smtpId)) {
			await page.goto(`${n8n.baseUrl}/workflow/${shot.workflowId}`, { waitUntil: 'networkidle' });
			await dismissPopups(page);
			await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
			await openNode(page, shot.trigger);
			await page.waitForTimeout(1200); // the panel animates in
			await page.locator('[data-test-id="ndv"]').getByText('Webhook URLs', { exact: true }).click();
			await page.locator('[data-test-id="ndv"] [data-test-id="radio-button-production"]').click();
			await page.waitForTimeout(500);
			await page.screenshot({ path: join(OUT, shot.file) });
			await page.keyboard.press('Escape');
		}

		await page.goto(`${n8n.baseUrl}/workflow/${workflowId}/executions/${execution.id}`, { waitUntil: 'networkidle' });
		await page.waitForTimeout(3000);
		// The checklist opens late on this page.
		await dismissPopups(page);
		await page.screenshot({ path: join(OUT, 'execution.png') });
		process.stdout.write(`Screenshots written to ${OUT}\n`);
	} finally {
		await browser.close();
		await n8n.stop();
		await fake.close();
		await smtp.close();
	}
}

/** The other services' email examples, inactive, with credentials selected as a user would: one trigger panel each. */
async function importServiceExamples(n8n: N8nInstance, fake: Awaited<ReturnType<typeof startFakeProviders>>, smtpId: string) {
	const api = (service: 'reportflow' | 'docgenlab' | 'pdfsign') => `${fake.origin}${new URL(fake.baseUrl(service)).pathname}`;
	const credentials: Record<string, { id: string; name: string }> = { smtp: { id: smtpId, name: 'SMTP account' } };
	const create = async (type: string, name: string, data: Record<string, unknown>) => (credentials[type] = { id: await n8n.createCredential({ name, type, data }), name });
	await create('reportFlowApi', 'ReportFlow account', { environment: 'custom', baseUrl: api('reportflow'), apiKey: fake.credentials.reportflow.appKey });
	await create('docGenLabApi', 'DocGenLab account', { apiKey: fake.credentials.docgenlab.apiKey, baseUrl: api('docgenlab') });
	await create('pdfSignApi', 'PDF-Sign account', { apiKey: fake.credentials.pdfsign.apiKey, baseUrl: api('pdfsign') });
	await create('pdfSignWebhookApi', 'PDF-Sign webhook', { webhookSecret: 'whsec_screenshots' });
	await create('docfloWebhookApi', 'Docflo webhook', { signingSecret: 'screenshots-docflo-secret', incomingAuthentication: 'none' });
	const shots: Array<{ file: string; trigger: string; workflowId: string }> = [];
	for (const file of ['reportflow-email-pdf.json', 'docgenlab-email-pdf.json', 'docflo-email-fields.json', 'pdfsign-email-pdf.json']) {
		const { workflow } = prepareExample(file, { version: '2.41.1', credentials, fakeHost: `localhost:${fake.port}` });
		const trigger = (workflow.nodes as ExampleNode[]).find((node) => node.type.endsWith('Trigger'))!.name;
		shots.push({ file: file.replace(/-email-.*\.json$/, '-trigger.png'), trigger, workflowId: await n8n.createWorkflow(workflow as never, false) });
	}
	return shots;
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
