/** A new workflow, and README step 2: the PDF Gorilla Trigger with all events, and its Production URL. */
import { ensureCredential, openOverviewTab, pickNode } from '../editor';
import { check, log, step } from '../log';
import type { Walk } from '../walk';

export async function addTrigger({ p }: Walk): Promise<{ trigger: string; productionUrl: string }> {
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
	return { trigger, productionUrl };
}
