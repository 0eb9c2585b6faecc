/**
 * Debian's Chromium driven by playwright-core, set up for n8n's editor: shared by
 * `npm run screenshots` and `npm run walkthrough`.
 *
 *   CHROMIUM_PATH=/usr/bin/chromium   the browser (Debian: apt-get install -y chromium)
 */
import { chromium, selectors, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches Chromium headless; getByTestId() then reads n8n's `data-test-id` attributes. */
export async function launchChromium(): Promise<Browser> {
	selectors.setTestIdAttribute('data-test-id');
	return await chromium.launch({
		executablePath: CHROMIUM,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
}

/** The window the README's screenshots are taken at. */
export async function editorContext(browser: Browser): Promise<BrowserContext> {
	return await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
}

/** Opens a canvas node's panel, as a double-click does. */
export async function openNode(page: Page, name: string): Promise<void> {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	await page.getByTestId('ndv').waitFor();
}
