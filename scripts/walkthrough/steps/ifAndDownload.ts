/** README steps 3 and 4: If {{ $json.succeeded }} is true, then PDF Gorilla Download File. */
import { addAfter, addOption, closeNodePanel, ensureCredential, expectIfCondition, isSwitchOn, pickNode, setExpression, settle } from '../editor';
import { check, step } from '../log';
import type { Walk } from '../walk';

export async function addIf({ p }: Walk, trigger: string): Promise<string> {
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
	return ifNode;
}

export async function addDownload({ p }: Walk, ifNode: string): Promise<string> {
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
	return download;
}
