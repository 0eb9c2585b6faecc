/** PDF-Sign action node, every operation: request shapes, the API key, sizes, errors, Skip Already Processed. */
import { PdfSign } from '../../../nodes/PdfSign/PdfSign.node';
import { PDF_BYTES } from '../fetch/fakeExecute';
import { ProcessedStore, json, runAction, runActionError, shape } from './runAction';

jest.mock('n8n-workflow', () => jest.requireActual<{ mockSleep: () => object }>('./runAction').mockSleep());

const node = new PdfSign();
const CREDENTIALS = { apiKey: 'ps-key-SECRET', baseUrl: '' };
const PDF_URL = 'https://api.pdf-sign.com/storage/v1/object/public/pdfs/user%201/invoice.pdf';
const pdf = { status: 200, headers: { 'content-type': 'application/pdf', 'content-length': String(PDF_BYTES.length) }, body: PDF_BYTES };

describe('PDF-Sign → PDF → Generate', () => {
	const parameters = { resource: 'pdf', operation: 'generate', templateId: 'tpl-1', variables: '{"clientName": "John Doe"}' };
	const answer = json({ success: true, pdf_url: PDF_URL, generation_id: 'gen-1', file_size: PDF_BYTES.length });

	test('POSTs the template and variables with the API key, then downloads the public URL without it', async () => {
		const { output, requests, credentialTypesRead } = await runAction({ node, parameters, credentials: CREDENTIALS, responses: [answer, pdf] });
		expect(credentialTypesRead).toEqual(['pdfSignApi']);
		expect(requests.map((request) => shape(request, ['x-api-key']))).toEqual([
			{
				via: 'auth',
				method: 'POST',
				url: 'https://api.pdf-sign.com/functions/v1/generate-pdf-preview',
				body: { templateId: 'tpl-1', variables: { clientName: 'John Doe' } },
				headers: { 'x-api-key': 'ps-key-SECRET' },
			},
			{ via: 'plain', method: 'GET', url: PDF_URL, body: undefined, headers: {} },
		]);
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({
			success: true,
			generationId: 'gen-1',
			templateId: 'tpl-1',
			downloadUrl: PDF_URL,
			storagePath: 'user 1/invoice.pdf',
			fileSize: PDF_BYTES.length,
			download: { bytes: PDF_BYTES.length, mimeType: 'application/pdf' },
		});
		expect(output[0].binary?.data).toBeDefined();
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	test('Download PDF off: only the URL, no download options read', async () => {
		const { output, requests } = await runAction({ node, parameters: { ...parameters, downloadPdf: false }, credentials: CREDENTIALS, responses: [answer] });
		expect(requests).toHaveLength(1);
		expect(output[0].binary).toBeUndefined();
		expect(output[0].json.downloadUrl).toBe(PDF_URL);
	});

	test('a download of another size than announced fails', async () => {
		const wrongSize = json({ success: true, pdf_url: PDF_URL, file_size: PDF_BYTES.length + 10 });
		const { error } = await runActionError({ node, parameters, credentials: CREDENTIALS, responses: [wrongSize, pdf] });
		expect(error.message).toBe('PDF-Sign: the file does not have the announced size: received 65 bytes but PDF-Sign announced 75');
		expect(error.name).toBe('NodeOperationError');
	});

	test('an answer without pdf_url fails with PDF-Sign\'s own error', async () => {
		const { error } = await runActionError({ node, parameters, credentials: CREDENTIALS, responses: [json({ success: false, error: 'Template not found' })] });
		expect(error.message).toBe('PDF-Sign answered without a PDF URL');
		expect(error.description).toBe('Template not found');
	});

	test('a 401 becomes a NodeApiError naming PDF-Sign, the status and what to do; the POST is not retried', async () => {
		const { error, requests } = await runActionError({ node, parameters, credentials: CREDENTIALS, responses: [json({ error: 'Invalid API key' }, 401)] });
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(/^PDF-Sign answered HTTP 401/);
		expect(error.httpCode).toBe('401');
		expect(error.description).toMatch(/Check the API key in the credential/);
		expect(JSON.stringify(error)).not.toContain('ps-key-SECRET');
		expect(requests).toHaveLength(1);
	});

	test('a 500 on the generation is not sent again (each call counts against the quota)', async () => {
		const { error, requests } = await runActionError({ node, parameters, credentials: CREDENTIALS, responses: [json({}, 500)] });
		expect(error.httpCode).toBe('500');
		expect(requests).toHaveLength(1);
	});

	test('a 429 is retried (a declined request was not carried out)', async () => {
		const { output, requests } = await runAction({ node, parameters: { ...parameters, downloadPdf: false }, credentials: CREDENTIALS, responses: [json({}, 429), answer] });
		expect(requests).toHaveLength(2);
		expect(output[0].json.generationId).toBe('gen-1');
	});
});

describe('PDF-Sign → PDF → Download', () => {
	const parameters = { resource: 'pdf', operation: 'download' };
	const event = { downloadUrl: PDF_URL, fileSize: PDF_BYTES.length, deliveryKey: 'pdfSign:gen-1' };

	test('reads the URL and size from the trigger item, needs no credential, sends no API key', async () => {
		const { output, requests, credentialTypesRead } = await runAction({ node, parameters, items: [event], responses: [pdf] });
		expect(credentialTypesRead).toEqual([]);
		expect(requests.map((request) => shape(request))).toEqual([{ via: 'plain', method: 'GET', url: PDF_URL, body: undefined }]);
		expect(output[0].json).toMatchObject({ ...event, download: { bytes: PDF_BYTES.length } });
	});

	test('Expected Size that is not a whole number fails before any request', async () => {
		const { error, requests } = await runActionError({ node, parameters: { ...parameters, fileSize: '12.5' }, items: [event] });
		expect(error.message).toBe('Expected Size must be a whole number of bytes');
		expect(requests).toHaveLength(0);
	});

	test('a host outside PDF-Sign\'s is refused unless allowed', async () => {
		const elsewhere = { ...event, downloadUrl: 'https://files.example.org/x.pdf' };
		const { error, requests } = await runActionError({ node, parameters, items: [elsewhere] });
		expect(error.message).toMatch(/^PDF-Sign: /);
		expect(requests).toHaveLength(0);
		const allowed = await runAction({ node, parameters: { ...parameters, downloadOptions: { additionalAllowedHosts: 'files.example.org' } }, items: [elsewhere], responses: [pdf] });
		expect(allowed.output[0].binary?.data).toBeDefined();
	});

	test('a 404 from storage is a NodeApiError with the status and advice', async () => {
		const { error } = await runActionError({ node, parameters, items: [event], responses: [{ status: 404, body: 'not found' }] });
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(/^PDF-Sign answered HTTP 404/);
		expect(error.description).toMatch(/Nothing exists at this address/);
	});

	test('Skip Already Processed: a repeated event of the same file outputs nothing the second time', async () => {
		const processed = new ProcessedStore();
		const first = await runAction({ node, parameters, items: [event], responses: [pdf], processed, workflowId: 'wf-sign' });
		expect(first.output).toHaveLength(1);
		const second = await runAction({ node, parameters, items: [event], processed, workflowId: 'wf-sign' });
		expect(second.requests).toHaveLength(0);
		expect(second.output).toEqual([]);
		expect(second.hints[0]).toMatch(/Skipped the PDF \(deliveryKey pdfSign:gen-1\)/);
		expect(processed.has('wf-sign', 'pdfSign:file:user 1/invoice.pdf')).toBe(true);
	});

	test('items not from a trigger are not deduplicated unless the option is on', async () => {
		const processed = new ProcessedStore();
		const item = { downloadUrl: PDF_URL };
		await runAction({ node, parameters, items: [item], responses: [pdf], processed, workflowId: 'wf-sign-2' });
		const again = await runAction({ node, parameters, items: [item], responses: [pdf], processed, workflowId: 'wf-sign-2' });
		expect(again.output).toHaveLength(1);
		const on = { ...parameters, downloadOptions: { skipAlreadyProcessed: true, outputSkippedItems: true } };
		await runAction({ node, parameters: on, items: [item], responses: [pdf], processed, workflowId: 'wf-sign-3' });
		const skipped = await runAction({ node, parameters: on, items: [item], processed, workflowId: 'wf-sign-3' });
		expect(skipped.output.map((i) => i.json)).toEqual([{ ...item, alreadyProcessed: true }]);
	});
});

describe('PDF-Sign node', () => {
	test('Continue On Fail: a failed item becomes an error item paired with it, the others go on', async () => {
		const items = [{ downloadUrl: '' }, { downloadUrl: PDF_URL }];
		const { output } = await runAction({ node, parameters: { resource: 'pdf', operation: 'download' }, items, responses: [pdf], continueOnFail: true });
		expect(output[0]).toEqual({ json: { error: 'Download URL is empty', message: expect.stringMatching(/Set Download URL/) }, pairedItem: { item: 0 } });
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[1].binary?.data).toBeDefined();
	});

	test('an operation the node does not have fails clearly', async () => {
		const { error } = await runActionError({ node, parameters: { resource: 'pdf', operation: 'sign' } });
		expect(error.message).toBe('Unsupported operation pdf/sign');
	});
});
