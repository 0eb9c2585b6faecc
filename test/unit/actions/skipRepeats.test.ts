/**
 * "Skip Files Already Downloaded" across node versions: version 2 shows it as a parameter with
 * its default in view; version 1 nodes keep the option they were saved with and behave exactly
 * as before (absent: items from the triggers; added on: every item; added off: none). Run
 * through real downloads of the PDF-Sign and PDF Gorilla nodes with n8n's deduplication helpers
 * backed by memory (./runAction.ts).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readDownloadSettings } from '../../../core/actions/properties';
import { PdfGorilla } from '../../../nodes/PdfGorilla/PdfGorilla.node';
import { PdfSign } from '../../../nodes/PdfSign/PdfSign.node';
import { PDF_BYTES } from '../fetch/fakeExecute';
import { ProcessedStore, json, runAction, runActionError } from './runAction';

jest.mock('n8n-workflow', () => jest.requireActual<{ mockSleep: () => object }>('./runAction').mockSleep());

/** A context that answers getNodeParameter from `parameters` and getNode with `typeVersion`. */
function settingsOf(typeVersion: number, parameters: Record<string, unknown>) {
	const ctx = {
		getNode: () => ({ typeVersion, name: 'Download' }),
		getNodeParameter: (name: string, _item: number, fallback: unknown) => (name in parameters ? parameters[name] : fallback),
	} as unknown as IExecuteFunctions;
	return readDownloadSettings(ctx, 0).skipRepeats;
}

describe('which items are checked, from either shape', () => {
	test.each([
		['version 1, option not added', 1, { downloadOptions: {} }, 'fromTrigger'],
		['version 1, option added (on)', 1, { downloadOptions: { skipAlreadyProcessed: true } }, 'always'],
		['version 1, option added and turned off', 1, { downloadOptions: { skipAlreadyProcessed: false } }, 'never'],
		['version 1.1 (the pickers), option not added', 1.1, { downloadOptions: {} }, 'fromTrigger'],
		['version 1.1, option on', 1.1, { downloadOptions: { skipAlreadyProcessed: true } }, 'always'],
		// A version 1 node never reads the version 2 parameter, even if its JSON carries one.
		['version 1 with a stray skipRepeats', 1, { skipRepeats: 'never', downloadOptions: {} }, 'fromTrigger'],
		['version 2, parameter not set (its default)', 2, { downloadOptions: {} }, 'fromTrigger'],
		['version 2, For Every Item', 2, { skipRepeats: 'always' }, 'always'],
		['version 2, Never', 2, { skipRepeats: 'never' }, 'never'],
		// …and a version 2 node ignores the old option.
		['version 2 with a stray old option', 2, { skipRepeats: 'fromTrigger', downloadOptions: { skipAlreadyProcessed: false } }, 'fromTrigger'],
	])('%s → %s', (_name, typeVersion, parameters, expected) => {
		expect(settingsOf(typeVersion, parameters)).toBe(expected);
	});

	test('an unknown value (an expression gone wrong) fails clearly instead of guessing', () => {
		expect(() => settingsOf(2, { skipRepeats: 'sometimes' })).toThrow('Skip Files Already Downloaded has an unknown value: sometimes');
	});
});

const PDF_URL = 'https://api.pdf-sign.com/storage/v1/object/public/pdfs/user%201/invoice.pdf';
const pdf = { status: 200, headers: { 'content-type': 'application/pdf', 'content-length': String(PDF_BYTES.length) }, body: PDF_BYTES };
/** An item as the PDF-Sign Trigger emits it (it carries a deliveryKey). */
const triggerItem = { event: 'pdf.generated', downloadUrl: PDF_URL, fileSize: PDF_BYTES.length, deliveryKey: 'pdfSign:gen-1' };
/** A URL from elsewhere (a spreadsheet, a form): no deliveryKey. */
const otherItem = { downloadUrl: PDF_URL };

/** How many of two runs of the same item downloaded the file. */
async function downloadsOfTwoRuns(typeVersion: number, parameters: Record<string, unknown>, item: IDataObject, mode = 'trigger'): Promise<number> {
	const node = new PdfSign();
	const processed = new ProcessedStore();
	const workflowId = `wf-${Math.random()}`;
	let downloads = 0;
	for (let run = 0; run < 2; run++) {
		const { output } = await runAction({
			node,
			typeVersion,
			parameters: { resource: 'pdf', operation: 'download', ...parameters },
			items: [item],
			responses: [pdf],
			processed,
			workflowId,
			mode,
		});
		downloads += output.filter((o) => o.binary).length;
	}
	return downloads;
}

describe('the same behaviour from a version 1 node and its version 2 equivalent (PDF-Sign Download)', () => {
	test.each([
		['a repeated trigger event', triggerItem, 'trigger', { downloadOptions: {} }, {}, 1],
		['a repeated trigger event, check off', triggerItem, 'trigger', { downloadOptions: { skipAlreadyProcessed: false } }, { skipRepeats: 'never' }, 2],
		['an item from elsewhere, default', otherItem, 'trigger', { downloadOptions: {} }, {}, 2],
		['an item from elsewhere, every item checked', otherItem, 'trigger', { downloadOptions: { skipAlreadyProcessed: true } }, { skipRepeats: 'always' }, 1],
		['a trigger event run twice by hand in the editor, default', triggerItem, 'manual', { downloadOptions: {} }, {}, 2],
		['a trigger event run twice by hand, every item checked', triggerItem, 'manual', { downloadOptions: { skipAlreadyProcessed: true } }, { skipRepeats: 'always' }, 1],
	])('%s: version 1 and version 2 download alike', async (_name, item, mode, version1, version2, expected) => {
		const downloads = { version1: await downloadsOfTwoRuns(1, version1, item, mode), version2: await downloadsOfTwoRuns(2, version2, item, mode) };
		expect(downloads).toEqual({ version1: expected, version2: expected });
	});
});

describe('PDF Gorilla version 2: every operation under PDF, version 1 keeps Job', () => {
	const node = new PdfGorilla();
	const CREDENTIALS = { apiKey: 'pg-key-SECRET', webhookSecret: 'whsec-SECRET', baseUrl: '' };
	const completed = { jobId: 'job-1', status: 'completed', downloadUrl: 'https://cdn.pdfgorilla.io/jobs/job-1/out.pdf?sig=fresh', expiresAt: '2030-01-01T00:00:00Z', error: null };
	const gorillaPdf = { status: 200, headers: { 'content-type': 'application/pdf' }, body: PDF_BYTES };

	test('PDF → Get and PDF → Download run the same modules as version 1\'s Job → Get and Job → Download', async () => {
		for (const [typeVersion, resource] of [
			[1, 'job'],
			[2, 'pdf'],
		] as const) {
			const got = await runAction({ node, typeVersion, parameters: { resource, operation: 'get' }, items: [{ jobId: 'job-1' }], credentials: CREDENTIALS, responses: [json(completed)] });
			expect(got.output).toEqual([{ json: completed, pairedItem: { item: 0 } }]);
			const downloaded = await runAction({ node, typeVersion, parameters: { resource, operation: 'download' }, items: [{ jobId: 'job-1' }], credentials: CREDENTIALS, responses: [json(completed), gorillaPdf] });
			expect(downloaded.output[0].binary?.data).toBeDefined();
		}
	});

	test('each version knows only its own resources', async () => {
		const v2 = await runActionError({ node, typeVersion: 2, parameters: { resource: 'job', operation: 'get' }, items: [{ jobId: 'job-1' }], credentials: CREDENTIALS });
		expect(v2.error.message).toBe('Unsupported operation job/get');
		const v1 = await runActionError({ node, typeVersion: 1, parameters: { resource: 'pdf', operation: 'get' }, items: [{ jobId: 'job-1' }], credentials: CREDENTIALS });
		expect(v1.error.message).toBe('Unsupported operation pdf/get');
	});
});
