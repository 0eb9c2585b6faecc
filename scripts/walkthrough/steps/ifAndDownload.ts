/** README steps 3 and 4: If {{ $json.succeeded }} is true, then PDF Gorilla → Download a PDF. */
import { addAfter, closeNodePanel, ensureCredential, expectIfCondition, pickNode, setExpression, settle } from '../editor';
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
	await step('README 4: PDF Gorilla Download a PDF, Skip Files Already Downloaded in view', async () => {
		await closeNodePanel(p);
		await addAfter(p, ifNode, 0);
		download = await pickNode(p, 'PDF Gorilla', 'PDF Gorilla', 'Download a PDF');
		await ensureCredential(p, 'PDF Gorilla account');
		check((await p.getByTestId('parameter-input-resource').locator('input').inputValue()) === 'PDF', 'Resource is not PDF');
		check((await p.getByTestId('parameter-input-operation').locator('input').inputValue()) === 'Download', 'Operation is not Download');
		// Already wired to the trigger's output, as the README says.
		check((await p.getByTestId('parameter-input-jobId').innerText()).includes('$json.jobId'), 'Job ID does not read $json.jobId');
		check((await p.getByTestId('parameter-input-downloadUrl').innerText()).includes('$json.downloadUrl'), 'Download URL does not read $json.downloadUrl');
		// What keeps a repeated event from being emailed twice, shown with its default.
		check((await p.getByTestId('parameter-input-skipRepeats').locator('input').inputValue()) === 'For Trigger Events', 'Skip Files Already Downloaded is not For Trigger Events');
	});
	return download;
}
