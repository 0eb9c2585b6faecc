/** README steps 5 and 6: Send Email with the PDF attached, and an alert on the If node's false branch. */
import { addAfter, closeNodePanel, fillEmail, pickNode } from '../editor';
import { check, step } from '../log';
import { ALERT_MAIL, PDF_MAIL } from '../readme';
import type { Walk } from '../walk';

export async function addEmails({ p }: Walk, download: string, ifNode: string): Promise<{ email: string; alert: string }> {
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
	return { email, alert };
}
