/** Reopens the nodes before publishing: every setting must have been kept. */
import { openNode } from '../../browser';
import { closeNodePanel, expectExpression, expectIfCondition, parameter } from '../editor';
import { check, step } from '../log';
import { ALERT_MAIL, PDF_MAIL } from '../readme';
import type { BuiltWorkflow, Walk } from '../walk';

export async function checkSettingsKept({ p }: Walk, { ifNode, email, alert }: BuiltWorkflow): Promise<void> {
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
}
