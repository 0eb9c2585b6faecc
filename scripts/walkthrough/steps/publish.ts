/** README step 7: Publish. */
import { step } from '../log';
import type { Walk } from '../walk';

export async function publish({ p }: Walk): Promise<void> {
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
}
