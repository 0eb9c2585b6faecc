/** The editor's execution list shows the successful run. */
import { check, step } from '../log';
import type { Walk } from '../walk';

export async function findSuccessfulRun({ p }: Walk, email: string): Promise<void> {
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
}
