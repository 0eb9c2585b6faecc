/**
 * `npm run walkthrough`: proves that the README's "Quick start: email every PDF Gorilla render"
 * works for a new user. It starts the README's `npm start` in a fresh folder, and then, in
 * Debian's Chromium (playwright-core), follows the Quick start's steps in the editor only: sign
 * in, create the credentials, build the workflow node by node, read the trigger's Production URL
 * from its panel, publish. Then it sends real signed PDF Gorilla deliveries to that URL and checks
 * the emails a real SMTP server receives, and finds the run in the editor's execution list.
 *
 * The real services are replaced by the test fakes on loopback: PDF Gorilla over HTTPS with the
 * test CA, and an SMTP sink. n8n 2.x's egress filter is told to allow loopback the way an admin
 * would allow a LAN (N8N_SSRF_ALLOWED_IP_RANGES); the node's Allow Private Network stays off.
 *
 * Output: a step log with timings, screenshots in .cache/walkthrough/NN-step.png, and
 * "WALKTHROUGH PASSED" or the step that failed (with a screenshot of that moment).
 *
 *   CHROMIUM_PATH=/usr/bin/chromium   the browser (see scripts/browser.ts)
 *
 * One module per step under scripts/walkthrough/steps/; the editor actions, npm start, the step
 * log and the mail checks beside them.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import type { Browser } from 'playwright-core';

import { CHROMIUM, editorContext, launchChromium } from './browser';
import { SmtpSink } from '../test/harness/smtp';
import { repoRoot } from '../test/harness/versions';
import { createTestCa, startFakeProviders, type FakeProviders } from '../test/providers';
import { signIn } from './walkthrough/editor';
import { SHOTS, StepFailed, log, started, step, watchPage } from './walkthrough/log';
import { npmStart, stopNpmStart, type NpmStart } from './walkthrough/npmStart';
import { UI_TIMEOUT } from './walkthrough/readme';
import { createCredentials } from './walkthrough/steps/credentials';
import { deliverAndReadMail } from './walkthrough/steps/deliveries';
import { addEmails } from './walkthrough/steps/emails';
import { findSuccessfulRun } from './walkthrough/steps/executions';
import { addDownload, addIf } from './walkthrough/steps/ifAndDownload';
import { publish } from './walkthrough/steps/publish';
import { checkSettingsKept } from './walkthrough/steps/reopen';
import { addTrigger } from './walkthrough/steps/trigger';
import type { Walk } from './walkthrough/walk';

/** The Quick start, step by step, in the editor of a running `npm start`. */
async function walk(walkState: Walk): Promise<void> {
	await createCredentials(walkState);
	const { trigger, productionUrl } = await addTrigger(walkState);
	const ifNode = await addIf(walkState, trigger);
	const download = await addDownload(walkState, ifNode);
	const { email, alert } = await addEmails(walkState, download, ifNode);
	await checkSettingsKept(walkState, { productionUrl, trigger, ifNode, download, email, alert });
	await publish(walkState);
	await deliverAndReadMail(walkState, productionUrl);
	await findSuccessfulRun(walkState, email);
}

async function main(): Promise<void> {
	rmSync(SHOTS, { recursive: true, force: true });
	mkdirSync(SHOTS, { recursive: true });
	log(`Quick start walkthrough: npm start + Chromium (${CHROMIUM}); screenshots in ${SHOTS.replace(`${repoRoot}/`, '')}`);

	let fake: FakeProviders | undefined;
	let smtp: SmtpSink | undefined;
	let browser: Browser | undefined;
	let n8n: NpmStart | undefined;
	let passed = false;
	try {
		// npm start passes NODE_EXTRA_CA_CERTS on to n8n, which is how it trusts the fake PDF Gorilla's HTTPS.
		const ca = await createTestCa(join(repoRoot, '.cache', 'test-ca'));
		fake = await startFakeProviders({ tls: ca, publicHost: 'localhost' });
		smtp = await SmtpSink.start();

		await step('npm start (fresh folder, free port)', async () => {
			n8n = await npmStart(ca.caCertPath);
			log(`  editor ${n8n.editorUrl}, login ${n8n.login.email}, data in ${n8n.localDir}`);
		});
		const { editorUrl, login } = n8n!;

		browser = await launchChromium();
		const context = await editorContext(browser);
		const p = await context.newPage();
		watchPage(p);
		p.setDefaultTimeout(UI_TIMEOUT);

		await step('Sign in with the login npm start printed', async () => {
			await signIn(p, editorUrl, login);
		});
		await walk({ p, fake, smtp, ca, output: () => n8n?.output() ?? '' });
		passed = true;
	} finally {
		await browser?.close().catch(() => undefined);
		await stopNpmStart();
		await fake?.close().catch(() => undefined);
		await smtp?.close().catch(() => undefined);
		if (passed && n8n) rmSync(n8n.localDir, { recursive: true, force: true });
		else if (n8n) log(`n8n's data stays in ${n8n.localDir}`);
	}
	log(`WALKTHROUGH PASSED in ${((Date.now() - started) / 1000).toFixed(0)} s (${readdirSync(SHOTS).length} screenshots in ${SHOTS.replace(`${repoRoot}/`, '')})`);
}

// Ctrl-C on the walkthrough still stops n8n (npm start runs in its own process group).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		log(`${signal}: stopping npm start`);
		void stopNpmStart().finally(() => process.exit(130));
	});
}

main().catch(async (error: unknown) => {
	await stopNpmStart();
	const message = error instanceof StepFailed ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
	log(`WALKTHROUGH FAILED: ${message}`);
	process.exit(1);
});
