/** What a user does in the n8n editor, as Playwright steps. */
import type { Locator, Page } from 'playwright-core';

import { check } from './log';
import { FROM } from './readme';

export async function signIn(p: Page, editorUrl: string, login: { email: string; password: string }): Promise<void> {
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
export async function openOverviewTab(p: Page, tab: string): Promise<void> {
	await p.getByTestId('project-home-menu-item').click();
	await p.getByTestId('project-tabs').getByText(tab, { exact: true }).click();
}

/** Overview → Credentials → Create credential → pick the type → fill it in → Save (which tests it). */
export async function createCredential(
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

export async function fillInput(scope: Locator | Page, name: string, value: string): Promise<void> {
	const input = scope.getByTestId(`parameter-input-${name}`).locator('input, textarea').first();
	await input.fill(value);
	check((await input.inputValue()) === value, `${name} did not take the value ${JSON.stringify(value)}`);
}

export async function isSwitchOn(scope: Locator | Page, name: string): Promise<boolean> {
	return (await scope.getByTestId(`parameter-input-${name}`).locator('.el-switch input').getAttribute('aria-checked')) === 'true';
}

export async function setSwitch(scope: Locator | Page, name: string, on: boolean): Promise<void> {
	if ((await isSwitchOn(scope, name)) !== on) await scope.getByTestId(`parameter-input-${name}`).locator('.el-switch').click();
	check((await isSwitchOn(scope, name)) === on, `the ${name} switch did not turn ${on ? 'on' : 'off'}`);
}

/** Picks an option of the element-plus dropdown that is open now (options may carry a description line). */
export async function pickOption(p: Page, label: string): Promise<void> {
	await p.locator('.el-select-dropdown__item:visible').filter({ has: p.getByText(label, { exact: true }) }).first().click();
}

/** In the node creator that is open: search, click the node, then (if it lists actions) the action. */
export async function pickNode(p: Page, search: string, node: string, action?: string | RegExp): Promise<string> {
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
export async function addAfter(p: Page, nodeName: string, outputIndex = 0): Promise<void> {
	const handle = p.locator(`[data-test-id="canvas-node-output-handle"][data-node-name="${nodeName}"][data-index="${outputIndex}"]`);
	await handle.getByTestId('canvas-handle-plus').click();
	await p.getByTestId('node-creator-search-bar').waitFor();
}

export async function closeNodePanel(p: Page): Promise<void> {
	await p.getByTestId('ndv-close-button').click();
	await p.getByTestId('ndv').waitFor({ state: 'hidden' });
}

/** Leaves a field by clicking the panel's Parameters tab (Tab would indent in the expression editor). */
export async function leaveField(p: Page): Promise<void> {
	await p.getByTestId('ndv').getByTestId('tab-params').click();
}

/**
 * Switches a field to Expression and enters `value`. Typing `{{ … }}` into a field in Fixed
 * mode stays literal text in n8n 2.41. insertText, not type(): the expression editor closes
 * brackets as they are typed.
 */
export async function setExpression(p: Page, field: Locator, value: string): Promise<void> {
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

export async function expectExpression(field: Locator, value: string): Promise<void> {
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
export async function settle(p: Page): Promise<void> {
	await p.waitForTimeout(1000);
}

export async function expectIfCondition(p: Page): Promise<void> {
	await expectExpression(p.getByTestId('filter-condition-left'), '{{ $json.succeeded }}');
	check((await p.getByTestId('filter-operator-select').innerText()).includes('is true'), 'the operator is not "is true"');
}

export function parameter(p: Page, name: string): Locator {
	return p.getByTestId('parameter-item').filter({ has: p.getByTestId(`parameter-input-${name}`) }).last();
}

/** A node panel's credential: n8n preselects the only one of its type; pick it if not. */
export async function ensureCredential(p: Page, name: string): Promise<void> {
	const select = p.getByTestId('node-credentials-select');
	if ((await select.locator('input').inputValue()) === name) return;
	await select.click();
	await pickOption(p, name);
	check((await select.locator('input').inputValue()) === name, `credential ${name} is not selected`);
}

/** The panel's Options / Download Options: Add Option → `option`. */
export async function addOption(p: Page, option: string): Promise<void> {
	await p.getByTestId('ndv').getByTestId('collection-parameter-add').click();
	await pickOption(p, option);
}

export async function fillEmail(p: Page, mail: { to: string; subject: string; text: string; attachments?: string }): Promise<void> {
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

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
