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
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, Locator, Page } from 'playwright-core';

import { freePort } from '../test/harness/ports';
import { CHROMIUM, editorContext, launchChromium, openNode } from './browser';
import { SmtpSink, type ReceivedMail } from '../test/harness/smtp';
import { repoRoot } from '../test/harness/versions';
import { createTestCa, httpRequest, sendWebhook, startFakeProviders, type FakeProviders } from '../test/providers';

const SHOTS = join(repoRoot, '.cache', 'walkthrough');
/** What `openssl rand -hex 32` gives, as the README asks. */
const WEBHOOK_SECRET = randomBytes(32).toString('hex');
const FROM = 'PDF robot <pdf-robot@example.com>';
const TO = 'accounts@example.com';
const ALERT_TO = 'ops@example.com';
const PDF_MAIL = { to: TO, subject: 'Your PDF {{ $json.jobId }}', text: 'Hello,\n\nyour PDF is attached.\n\nJob {{ $json.jobId }}', attachments: 'data' };
const ALERT_MAIL = { to: ALERT_TO, subject: 'PDF render failed: {{ $json.errorCode }}', text: '{{ $json.errorMessage }}' };
const RENDER_ERROR = { code: 'TEMPLATE_ERROR', message: 'Unknown variable customer.name in template tmpl_invoice.' };
/** The UI waits for n8n on a busy 2-core machine: generous, never short. */
const UI_TIMEOUT = 60_000;

// ─── step log ────────────────────────────────────────────────────────────────────────────────

const started = Date.now();
let stepNumber = 0;
let page: Page | undefined;

class StepFailed extends Error {}

function log(line: string): void {
	process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
}

/** Runs one step, then screenshots the editor (or the failure) as NN-slug.png. */
async function step(title: string, work: () => Promise<void>): Promise<void> {
	const n = String(++stepNumber).padStart(2, '0');
	const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 50);
	const t0 = Date.now();
	log(`▶ ${n} ${title}`);
	try {
		await work();
	} catch (error) {
		const shot = await screenshot(`${n}-${slug}-FAILED`);
		const message = error instanceof Error ? error.message : String(error);
		throw new StepFailed(`step ${n} "${title}" failed: ${message}${shot ? `\n  screenshot: ${shot}` : ''}`);
	}
	const shot = await screenshot(`${n}-${slug}`);
	log(`✓ ${n} ${title} (${((Date.now() - t0) / 1000).toFixed(1)} s)${shot ? `  → ${shot.replace(`${repoRoot}/`, '')}` : ''}`);
}

async function screenshot(name: string): Promise<string | undefined> {
	if (!page || page.isClosed()) return undefined;
	const path = join(SHOTS, `${name}.png`);
	try {
		await page.screenshot({ path, timeout: 30_000 });
		return path;
	} catch {
		return undefined;
	}
}

function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}

// ─── npm start ───────────────────────────────────────────────────────────────────────────────

interface NpmStart {
	child: ChildProcess;
	output: () => string;
	editorUrl: string;
	login: { email: string; password: string };
	localDir: string;
}

/** The running `npm start`, for teardown (also from a signal handler). */
let npmChild: ChildProcess | undefined;

/** `npm start` exactly as the README says, in a fresh folder on a free port. */
async function npmStart(trustedCaPath: string): Promise<NpmStart> {
	const localDir = mkdtempSync(join(tmpdir(), 'walkthrough-n8n-'));
	const port = await freePort();
	// The user's shell settings for n8n or the test harness must not leak into a "fresh" n8n.
	const env: Record<string, string | undefined> = {};
	for (const [key, value] of Object.entries(process.env)) if (!/^(N8N_|E2E_|DB_|WEBHOOK_URL$)/.test(key)) env[key] = value;
	Object.assign(env, {
		N8N_LOCAL_DIR: localDir,
		N8N_PORT: String(port),
		// The fakes listen on loopback; an admin allows a LAN range the same way.
		N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.1/32,::1/128',
		// The fakes' HTTPS is signed by the test CA; a private CA is trusted the same way.
		NODE_EXTRA_CA_CERTS: trustedCaPath,
		// Names start.ts's process-group file and pack folder, so teardown can find n8n.
		E2E_RUN_ID: `walkthrough-${process.pid}`,
	});
	// Its own process group: teardown stops npm, tsx, start.ts and everything they started.
	const child = spawn('npm', ['start'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	npmChild = child;
	let output = '';
	child.stdout.on('data', (c: Buffer) => (output += c.toString()));
	child.stderr.on('data', (c: Buffer) => (output += c.toString()));

	// npm start builds and packs this package, installs it into the fresh folder, imports the
	// examples and starts n8n (and, on a machine that never ran it, first downloads n8n).
	const deadline = Date.now() + 15 * 60_000;
	let editor: RegExpMatchArray | null = null;
	let login: RegExpMatchArray | null = null;
	while (!editor || !login) {
		if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${tail(output)}`);
		if (Date.now() > deadline) throw new Error(`npm start printed no "Editor:"/"Login:" lines in 15 min:\n${tail(output)}`);
		await sleep(500);
		editor = /Editor:\s+(\S+)/.exec(output);
		login = /Login:\s+(\S+) \/ (\S+)/.exec(output);
	}
	const editorUrl = editor[1].replace(/\/$/, '');
	await waitForReadiness(editorUrl, child);
	return { child, output: () => output, editorUrl, login: { email: login[1], password: login[2] }, localDir };
}

async function waitForReadiness(editorUrl: string, child: ChildProcess): Promise<void> {
	const deadline = Date.now() + 180_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error('npm start exited before n8n was ready');
		const res = await httpRequest(`${editorUrl}/healthz/readiness`, { timeoutMs: 5000 }).catch(() => undefined);
		if (res?.status === 200) return;
		if (Date.now() > deadline) throw new Error(`${editorUrl}/healthz/readiness never answered 200`);
		await sleep(500);
	}
}

/**
 * Ctrl-C, as the README says, to npm's whole process group; start.ts then stops n8n. n8n has its
 * own group (the harness spawns it detached), so whatever is left of it is killed by the pid
 * start.ts recorded.
 */
async function stopNpmStart(): Promise<void> {
	const child = npmChild;
	if (!child?.pid) return;
	npmChild = undefined;
	const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
	signalGroup(child.pid, 'SIGINT');
	const inTime = await Promise.race([exited.then(() => true), sleep(60_000).then(() => false)]);
	if (!inTime) signalGroup(child.pid, 'SIGKILL');
	const pidFile = join(repoRoot, '.cache', `e2e-process-groups-walkthrough-${process.pid}.txt`);
	if (existsSync(pidFile)) {
		for (const pid of readFileSync(pidFile, 'utf8').split('\n').map(Number).filter(Boolean)) signalGroup(pid, 'SIGKILL');
		rmSync(pidFile, { force: true });
	}
	rmSync(join(repoRoot, '.cache', 'pack', `walkthrough-${process.pid}`), { recursive: true, force: true });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

// ─── editor actions ──────────────────────────────────────────────────────────────────────────

async function signIn(p: Page, editorUrl: string, login: { email: string; password: string }): Promise<void> {
	await p.goto(editorUrl);
	await p.getByTestId('emailOrLdapLoginId').locator('input').fill(login.email);
	await p.getByTestId('password').locator('input').fill(login.password);
	await p.getByTestId('form-submit-button').click();
	await p.waitForURL((url) => !url.pathname.startsWith('/signin'));
	// n8n 2.x opens on its AI assistant's intro after the first sign-in.
	const later = p.getByTestId('assistant-set-up-later');
	if (await later.isVisible({ timeout: 5000 }).catch(() => false)) await later.click();
}

/** Overview → a tab (Workflows, Credentials, …), as a user gets there from the sidebar. */
async function openOverviewTab(p: Page, tab: string): Promise<void> {
	await p.getByTestId('project-home-menu-item').click();
	await p.getByTestId('project-tabs').getByText(tab, { exact: true }).click();
}

/** Overview → Credentials → Create credential → pick the type → fill it in → Save (which tests it). */
async function createCredential(
	p: Page,
	type: string,
	fields: Record<string, string>,
	switches: Record<string, boolean> = {},
): Promise<void> {
	await openOverviewTab(p, 'Credentials');
	await p.getByTestId('add-resource-credential').click();
	// The type picker opens focused on its search field.
	await p.getByTestId('new-credential-type-select').waitFor();
	await p.keyboard.type(type);
	await p.getByTestId('new-credential-type-select-option').filter({ hasText: new RegExp(`^${escapeRegExp(type)}$`) }).click();
	await p.getByTestId('new-credential-type-button').click();
	const modal = p.getByTestId('editCredential-modal');
	for (const [name, value] of Object.entries(fields)) await fillInput(modal, name, value);
	for (const [name, on] of Object.entries(switches)) await setSwitch(modal, name, on);
	await modal.getByTestId('credential-save-button').click();
	// Saving runs the credential's test; its verdict appears above the fields.
	const verdict = modal.getByTestId('node-credentials-config-container');
	await modal.getByTestId('credentials-config-container-test-success').waitFor().catch(async () => {
		throw new Error(`the ${type} credential's test did not succeed: ${(await verdict.innerText()).slice(0, 300)}`);
	});
	await modal.locator('.el-dialog__close').or(modal.getByRole('button', { name: 'Close' })).first().click();
	await modal.waitFor({ state: 'hidden' });
}

async function fillInput(scope: Locator | Page, name: string, value: string): Promise<void> {
	const input = scope.getByTestId(`parameter-input-${name}`).locator('input, textarea').first();
	await input.fill(value);
	check((await input.inputValue()) === value, `${name} did not take the value ${JSON.stringify(value)}`);
}

async function isSwitchOn(scope: Locator | Page, name: string): Promise<boolean> {
	return (await scope.getByTestId(`parameter-input-${name}`).locator('.el-switch input').getAttribute('aria-checked')) === 'true';
}

async function setSwitch(scope: Locator | Page, name: string, on: boolean): Promise<void> {
	if ((await isSwitchOn(scope, name)) !== on) await scope.getByTestId(`parameter-input-${name}`).locator('.el-switch').click();
	check((await isSwitchOn(scope, name)) === on, `the ${name} switch did not turn ${on ? 'on' : 'off'}`);
}

/** Picks an option of the element-plus dropdown that is open now (options may carry a description line). */
async function pickOption(p: Page, label: string): Promise<void> {
	await p.locator('.el-select-dropdown__item:visible').filter({ has: p.getByText(label, { exact: true }) }).first().click();
}

/** In the node creator that is open: search, click the node, then (if it lists actions) the action. */
async function pickNode(p: Page, search: string, node: string, action?: string | RegExp): Promise<string> {
	await p.getByTestId('node-creator-search-bar').fill(search);
	await p.getByTestId('node-creator-item-name').getByText(node, { exact: true }).first().click();
	if (action) {
		const label = typeof action === 'string' ? new RegExp(`^${escapeRegExp(action)}$`) : action;
		await p.getByTestId('node-creator-item-name').filter({ hasText: label }).first().click();
	}
	await p.getByTestId('ndv').waitFor();
	return (await p.getByTestId('node-title-container').innerText()).trim();
}

/** The + on a node's output (index 1 = an If node's false branch). */
async function addAfter(p: Page, nodeName: string, outputIndex = 0): Promise<void> {
	const handle = p.locator(`[data-test-id="canvas-node-output-handle"][data-node-name="${nodeName}"][data-index="${outputIndex}"]`);
	await handle.getByTestId('canvas-handle-plus').click();
	await p.getByTestId('node-creator-search-bar').waitFor();
}

async function closeNodePanel(p: Page): Promise<void> {
	await p.getByTestId('ndv-close-button').click();
	await p.getByTestId('ndv').waitFor({ state: 'hidden' });
}

/** Leaves a field by clicking the panel's Parameters tab (Tab would indent in the expression editor). */
async function leaveField(p: Page): Promise<void> {
	await p.getByTestId('ndv').getByTestId('tab-params').click();
}

/**
 * Switches a field to Expression and enters `value`. Typing `{{ … }}` into a field in Fixed
 * mode stays literal text in n8n 2.41. insertText, not type(): the expression editor closes
 * brackets as they are typed.
 */
async function setExpression(p: Page, field: Locator, value: string): Promise<void> {
	// A focused field's "Tip" popup would cover this field's Fixed/Expression switch.
	await leaveField(p);
	await field.hover();
	const toggle = field.getByTestId('radio-button-expression');
	if ((await toggle.getAttribute('aria-checked')) !== 'true') await toggle.click();
	const editor = field.getByTestId('inline-expression-editor-input');
	await editor.click();
	await p.keyboard.press('ControlOrMeta+a');
	await p.keyboard.insertText(value);
	await leaveField(p);
	await expectExpression(field, value);
	await settle(p);
}

async function expectExpression(field: Locator, value: string): Promise<void> {
	const editor = field.getByTestId('inline-expression-editor-input');
	const isExpression = await editor.waitFor({ timeout: 5000 }).then(() => true, () => false);
	check(isExpression, `expected the expression ${JSON.stringify(value)}, the field shows ${JSON.stringify((await field.innerText()).trim())} in Fixed mode`);
	const shown = (await editor.innerText()).replace(/\s+/g, ' ').trim();
	check(shown === value.replace(/\s+/g, ' ').trim(), `expression shows ${JSON.stringify(shown)}, expected ${JSON.stringify(value)}`);
}

/**
 * n8n stores an edit of an expression or an If condition a moment after it is made; closing the
 * panel sooner drops it silently (the canvas then runs the old value). A person is never that
 * fast; the script pauses like one, and reopens the nodes before publishing to be sure.
 */
async function settle(p: Page): Promise<void> {
	await p.waitForTimeout(1000);
}

async function expectIfCondition(p: Page): Promise<void> {
	await expectExpression(p.getByTestId('filter-condition-left'), '{{ $json.succeeded }}');
	check((await p.getByTestId('filter-operator-select').innerText()).includes('is true'), 'the operator is not "is true"');
}

function parameter(p: Page, name: string): Locator {
	return p.getByTestId('parameter-item').filter({ has: p.getByTestId(`parameter-input-${name}`) }).last();
}

/** A node panel's credential: n8n preselects the only one of its type; pick it if not. */
async function ensureCredential(p: Page, name: string): Promise<void> {
	const select = p.getByTestId('node-credentials-select');
	if ((await select.locator('input').inputValue()) === name) return;
	await select.click();
	await pickOption(p, name);
	check((await select.locator('input').inputValue()) === name, `credential ${name} is not selected`);
}

/** The panel's Options / Download Options: Add Option → `option`. */
async function addOption(p: Page, option: string): Promise<void> {
	await p.getByTestId('ndv').getByTestId('collection-parameter-add').click();
	await pickOption(p, option);
}

async function fillEmail(p: Page, mail: { to: string; subject: string; text: string; attachments?: string }): Promise<void> {
	await ensureCredential(p, 'SMTP account');
	await fillInput(p, 'fromEmail', FROM);
	await fillInput(p, 'toEmail', mail.to);
	await setExpression(p, parameter(p, 'subject'), mail.subject);
	// Email Format defaults to HTML; the README's mail is plain text.
	await p.getByTestId('parameter-input-emailFormat').click();
	await pickOption(p, 'Text');
	await setExpression(p, parameter(p, 'text'), mail.text);
	if (mail.attachments) {
		await addOption(p, 'Attachments (File)');
		await fillInput(p, 'fileAttachments', mail.attachments);
		await leaveField(p);
	}
}

// ─── deliveries and mail ─────────────────────────────────────────────────────────────────────

/** n8n 2.x registers production webhooks while publishing; a GET then says "not registered for GET". */
async function waitForWebhook(url: string): Promise<void> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const res = await httpRequest(url, { method: 'GET', timeoutMs: 5000 }).catch(() => undefined);
		if (res && (res.status !== 404 || /not registered for GET/i.test(res.text))) return;
		if (Date.now() > deadline) throw new Error(`${url} is not registered (last answer: ${res?.status} ${res?.text.slice(0, 200)})`);
		await sleep(250);
	}
}

async function mailTo(smtp: SmtpSink, to: string, subject: string, output: () => string): Promise<ReceivedMail> {
	const deadline = Date.now() + 90_000;
	for (;;) {
		const found = smtp.messages.find((m) => m.to.includes(to) && m.parsed.subject === subject);
		if (found) return found;
		if (Date.now() > deadline) {
			const got = smtp.messages.map((m) => `${m.to.join(',')} "${m.parsed.subject}"`).join('; ') || 'nothing';
			throw new Error(`no mail to ${to} with subject "${subject}" within 90 s; received: ${got}\n${tail(output(), 30)}`);
		}
		await sleep(250);
	}
}

function sha256(data: Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

// ─── the walkthrough ─────────────────────────────────────────────────────────────────────────

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
		const services = { fake, smtp };

		await step('npm start (fresh folder, free port)', async () => {
			n8n = await npmStart(ca.caCertPath);
			log(`  editor ${n8n.editorUrl}, login ${n8n.login.email}, data in ${n8n.localDir}`);
		});
		const { editorUrl, login } = n8n!;
		const output = () => n8n?.output() ?? '';

		browser = await launchChromium();
		const context = await editorContext(browser);
		const p = await context.newPage();
		page = p;
		p.setDefaultTimeout(UI_TIMEOUT);

		await step('Sign in with the login npm start printed', async () => {
			await signIn(p, editorUrl, login);
		});

		await step('README 1: PDF Gorilla API credential', async () => {
			await createCredential(p, 'PDF Gorilla API', {
				apiKey: services.fake.credentials.pdfgorilla.apiKey,
				webhookSecret: WEBHOOK_SECRET,
				// The only deviation from a real setup: the API is the fake on loopback, not pdfgorilla.io.
				baseUrl: `${services.fake.origin.replace('127.0.0.1', 'localhost')}/pdfgorilla/api/v1`,
			});
		});

		await step('README 1: SMTP credential', async () => {
			const data = services.smtp.credentialData() as { user: string; password: string; host: string; port: number };
			await createCredential(
				p,
				'SMTP',
				{ user: data.user, password: data.password, host: data.host, port: String(data.port) },
				// The sink speaks plain SMTP; SSL/TLS must be off before Disable STARTTLS appears.
				{ secure: false, disableStartTls: true },
			);
		});

		await step('Create a new workflow', async () => {
			await openOverviewTab(p, 'Workflows');
			await p.getByTestId('add-resource-workflow').click();
			await p.getByTestId('canvas-plus-button').waitFor();
		});

		let productionUrl = '';
		let trigger = '';
		await step('README 2: PDF Gorilla Trigger, all events, Production URL', async () => {
			await p.getByTestId('canvas-plus-button').click();
			// The trigger offers one "On new … event" entry, which keeps all event types selected.
			trigger = await pickNode(p, 'PDF Gorilla', 'PDF Gorilla', 'On new PDF Gorilla event');
			await ensureCredential(p, 'PDF Gorilla account');
			const shown = await p.getByTestId('parameter-input-events').innerText();
			for (const event of ['Job Completed', 'Job Failed', 'Job Canceled']) check(shown.includes(event), `Event Types lacks ${event}: ${shown}`);
			// "Webhook URLs" at the top of the panel is collapsed; the Production URL is its second tab.
			const production = p.getByTestId('ndv').getByTestId('radio-button-production');
			if (!(await production.isVisible())) await p.getByTestId('ndv').getByText('Webhook URLs', { exact: true }).click();
			await production.click();
			productionUrl = (await p.getByTestId('ndv').locator('.webhook-url').innerText()).trim();
			check(/^https?:\/\/[^/]+\/webhook\/[0-9a-f-]{36}\/webhook$/.test(productionUrl), `unexpected Production URL ${productionUrl}`);
			log(`  Production URL: ${productionUrl}`);
		});

		let ifNode = '';
		await step('README 3: If {{ $json.succeeded }} is true', async () => {
			await closeNodePanel(p);
			await addAfter(p, trigger);
			ifNode = await pickNode(p, 'If', 'If');
			await setExpression(p, p.getByTestId('filter-condition-left'), '{{ $json.succeeded }}');
			await p.getByTestId('filter-operator-select').click();
			await p.getByRole('menuitem', { name: 'Boolean', exact: true }).hover();
			await p.getByRole('menuitem', { name: 'is true', exact: true }).click();
			await settle(p);
			await expectIfCondition(p);
		});

		let download = '';
		await step('README 4: PDF Gorilla Download File, Skip Already Processed', async () => {
			await closeNodePanel(p);
			await addAfter(p, ifNode, 0);
			download = await pickNode(p, 'PDF Gorilla', 'PDF Gorilla', 'Download the PDF of a finished job');
			await ensureCredential(p, 'PDF Gorilla account');
			check((await p.getByTestId('parameter-input-resource').locator('input').inputValue()) === 'Job', 'Resource is not Job');
			check((await p.getByTestId('parameter-input-operation').locator('input').inputValue()) === 'Download File', 'Operation is not Download File');
			// Already wired to the trigger's output, as the README says.
			check((await p.getByTestId('parameter-input-jobId').innerText()).includes('$json.jobId'), 'Job ID does not read $json.jobId');
			check((await p.getByTestId('parameter-input-downloadUrl').innerText()).includes('$json.downloadUrl'), 'Download URL does not read $json.downloadUrl');
			await addOption(p, 'Skip Already Processed');
			check(await isSwitchOn(p, 'skipAlreadyProcessed'), 'Skip Already Processed is not on once added');
		});

		let email = '';
		await step('README 5: Send Email with the PDF attached', async () => {
			await closeNodePanel(p);
			await addAfter(p, download);
			email = await pickNode(p, 'Send Email', 'Send Email', 'Send an Email');
			await fillEmail(p, PDF_MAIL);
		});

		let alert = '';
		await step('README 6: alert Send Email on the false branch', async () => {
			await closeNodePanel(p);
			await addAfter(p, ifNode, 1);
			alert = await pickNode(p, 'Send Email', 'Send Email', 'Send an Email');
			check(alert !== email, 'the alert node took the first email node\'s name');
			await fillEmail(p, ALERT_MAIL);
			await closeNodePanel(p);
		});

		await step('Check: reopened, the nodes kept every setting', async () => {
			await openNode(p, ifNode);
			await expectIfCondition(p);
			await closeNodePanel(p);
			await openNode(p, email);
			await expectExpression(parameter(p, 'subject'), PDF_MAIL.subject);
			await expectExpression(parameter(p, 'text'), PDF_MAIL.text);
			check((await p.getByTestId('parameter-input-fileAttachments').locator('input').inputValue()) === 'data', 'Attachments (File) is not "data"');
			await closeNodePanel(p);
			await openNode(p, alert);
			await expectExpression(parameter(p, 'subject'), ALERT_MAIL.subject);
			await expectExpression(parameter(p, 'text'), ALERT_MAIL.text);
			await closeNodePanel(p);
		});

		await step('README 7: Publish', async () => {
			// n8n 2.x saves as you edit and has no Active switch: Publish puts the workflow live.
			await p.getByTestId('workflow-open-publish-modal-button').click();
			// The dialog asks for a version name and proposes one.
			await p.getByTestId('workflow-publish-button').click();
			await p.getByTestId('workflow-open-publish-modal-button').filter({ hasText: 'Published' }).waitFor();
			// "Workflow published: it will now listen for events…"
			const notice = p.getByTestId('activation-modal');
			if (await notice.isVisible({ timeout: 10_000 }).catch(() => false)) await notice.getByRole('button', { name: 'Got it' }).click();
		});

		await step('Deliveries: a completed and a failed render, signed, to the Production URL', async () => {
			await waitForWebhook(productionUrl);
			const job = services.fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 150_000 } });
			const sent = await sendWebhook('pdfgorilla', productionUrl, services.fake.pdfgorilla.webhookPayload(job.jobId), { secret: WEBHOOK_SECRET });
			check(sent.status === 200, `the completed delivery got ${sent.status} ${sent.text}`);
			const mail = await mailTo(services.smtp, TO, `Your PDF ${job.jobId}`, output);
			check(mail.parsed.attachments.length === 1, `the PDF email has ${mail.parsed.attachments.length} attachments`);
			const [attachment] = mail.parsed.attachments;
			const original = await httpRequest(services.fake.pdfgorilla.freshDownloadUrl(job.jobId), { ca: ca.caPem });
			check(original.status === 200, `reading the job's PDF from the fake failed: ${original.status}`);
			check(sha256(attachment.content) === sha256(original.body), `the attachment (${attachment.size} bytes) is not the job's PDF (${original.body.length} bytes)`);
			check(/\.pdf$/.test(attachment.filename ?? ''), `the attachment is named ${attachment.filename}`);
			check(attachment.contentType === 'application/pdf', `the attachment is ${attachment.contentType}`);
			log(`  PDF email: "${mail.parsed.subject}", ${attachment.filename}, ${attachment.contentType}, ${attachment.size} bytes, sha256 matches`);

			const failed = services.fake.pdfgorilla.createJob({ outcome: { status: 'failed', error: RENDER_ERROR } });
			const sentFailed = await sendWebhook('pdfgorilla', productionUrl, services.fake.pdfgorilla.webhookPayload(failed.jobId), { secret: WEBHOOK_SECRET });
			check(sentFailed.status === 200, `the failed delivery got ${sentFailed.status} ${sentFailed.text}`);
			const alertMail = await mailTo(services.smtp, ALERT_TO, `PDF render failed: ${RENDER_ERROR.code}`, output);
			check(alertMail.parsed.attachments.length === 0, 'the alert has an attachment');
			check((alertMail.parsed.text ?? '').includes(RENDER_ERROR.message), `the alert's text is ${JSON.stringify(alertMail.parsed.text)}`);
			log(`  alert email: "${alertMail.parsed.subject}"`);
		});

		await step('Execution list: the successful run', async () => {
			await p.getByTestId('radio-button-executions').click();
			const items = p.locator('[data-test-id^="execution-details-"]');
			await items.nth(1).waitFor();
			// A fresh n8n: the PDF run was the first execution, the alert the second.
			const ids = (await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-test-id')))).map((t) => Number(t?.replace('execution-details-', '')));
			const first = Math.min(...ids);
			await p.getByTestId(`execution-details-${first}`).click();
			const label = p.getByTestId(`execution-preview-details-${first}`).getByTestId('execution-preview-label');
			check((await label.innerText()).includes('Succeeded'), `execution ${first} is "${await label.innerText()}"`);
			// The preview canvas draws the run; give it a moment before the screenshot.
			await p.getByTestId('execution-preview-host').locator(`[data-test-id="canvas-node"][data-node-name="${email}"]`).waitFor();
			await p.waitForTimeout(1500);
		});
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

function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
