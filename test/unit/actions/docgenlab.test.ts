/** DocGenLab action node, every operation: request shapes, the API key, links and the API fallback, idempotency, polling, errors. */
import { DocGenLab } from '../../../nodes/DocGenLab/DocGenLab.node';
import { PDF_BYTES, ZIP_BYTES } from '../fetch/fakeExecute';
import { ProcessedStore, json, runAction, runActionError, shape } from './runAction';

jest.mock('n8n-workflow', () => jest.requireActual<{ mockSleep: () => object }>('./runAction').mockSleep());

const node = new DocGenLab();
const API = 'https://api.docgenlab.com/api/v1';
const CREDENTIALS = { apiKey: 'dgl-key-SECRET', baseUrl: '' };
const LINK = 'https://storage.googleapis.com/docgenlab/doc-1.pdf?X-Goog-Signature=abc';
const pdf = { status: 200, headers: { 'content-type': 'application/pdf' }, body: PDF_BYTES };
/** A DOCX is a ZIP container; storage often sends it as application/octet-stream. */
const docx = { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: ZIP_BYTES };
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('DocGenLab → Document → Download', () => {
	const parameters = { resource: 'document', operation: 'download' };
	const event = { jobId: 'doc-1', status: 'completed', downloadUrl: LINK, deliveryKey: 'docGenLab:doc-1' };

	test('the signed link from the event, without the API key', async () => {
		const { output, requests } = await runAction({ node, parameters, items: [event], credentials: CREDENTIALS, responses: [pdf] });
		expect(requests.map((r) => shape(r, ['X-API-Key']))).toEqual([{ via: 'plain', method: 'GET', url: LINK, body: undefined, headers: {} }]);
		expect(output[0].json).toMatchObject({ ...event, download: { mimeType: 'application/pdf', bytes: PDF_BYTES.length } });
	});

	test.each([400, 401, 403, 404, 410])('a refused link (%i) falls back to GET /documents/{id}/download with the key', async (status) => {
		const { output, requests } = await runAction({ node, parameters, items: [event], credentials: CREDENTIALS, responses: [{ status }, pdf] });
		expect(requests.map((r) => shape(r, ['X-API-Key']))).toEqual([
			{ via: 'plain', method: 'GET', url: LINK, body: undefined, headers: {} },
			{ via: 'auth', method: 'GET', url: `${API}/documents/doc-1/download?format=pdf`, body: undefined, headers: { 'X-API-Key': 'dgl-key-SECRET' } },
		]);
		expect(output[0].binary?.data).toBeDefined();
	});

	test('Fall Back to API off: no credential is read, and a refused link says how to get the file', async () => {
		const { error, requests } = await runActionError({ node, parameters: { ...parameters, apiFallback: false }, items: [event], responses: [{ status: 403 }] });
		expect(requests).toHaveLength(1);
		expect(error.message).toBe('DocGenLab: the download link was refused (HTTP 403); it has expired or is not valid');
		expect(error.description).toMatch(/Turn on Fall Back to API/);
		const ok = await runAction({ node, parameters: { ...parameters, apiFallback: false }, items: [event], responses: [pdf] });
		expect(ok.credentialTypesRead).toEqual([]);
	});

	test('no link and no ID, or no link without the fallback, fail before any request', async () => {
		const none = await runActionError({ node, parameters, items: [{}], credentials: CREDENTIALS });
		expect(none.error.message).toBe('DocGenLab: Download URL and Document ID are both empty');
		const noLink = await runActionError({ node, parameters: { ...parameters, apiFallback: false }, items: [{ jobId: 'doc-1' }] });
		expect(noLink.error.message).toBe('DocGenLab: there is no download link');
		expect([...none.requests, ...noLink.requests]).toHaveLength(0);
	});

	test('File Type Word: the DOCX through the API, typed as Word; deduplicated apart from the PDF', async () => {
		const processed = new ProcessedStore();
		const item = { jobId: 'doc-1', deliveryKey: 'docGenLab:doc-1' };
		const word = await runAction({ node, parameters: { ...parameters, fileType: 'docx' }, items: [item], credentials: CREDENTIALS, responses: [docx], processed, workflowId: 'wf-dgl' });
		expect(word.requests[0].options.url).toBe(`${API}/documents/doc-1/download`);
		expect(word.requests[0].options.qs).toEqual({ format: 'docx' });
		expect(word.output[0].json.download).toMatchObject({ mimeType: DOCX_MIME });
		const pdfToo = await runAction({ node, parameters, items: [item], credentials: CREDENTIALS, responses: [pdf], processed, workflowId: 'wf-dgl' });
		expect(pdfToo.output).toHaveLength(1);
		const again = await runAction({ node, parameters: { ...parameters, fileType: 'docx' }, items: [item], credentials: CREDENTIALS, processed, workflowId: 'wf-dgl' });
		expect(again.output).toEqual([]);
	});

	test('Skip Already Processed keys a link by its path: a second delivery with a new signature is skipped', async () => {
		const processed = new ProcessedStore();
		const linkOnly = { downloadUrl: LINK, deliveryKey: 'docGenLab:x' };
		await runAction({ node, parameters, items: [linkOnly], credentials: CREDENTIALS, responses: [pdf], processed, workflowId: 'wf-dgl-2' });
		const resigned = { ...linkOnly, downloadUrl: LINK.replace('abc', 'def') };
		const again = await runAction({ node, parameters, items: [resigned], credentials: CREDENTIALS, processed, workflowId: 'wf-dgl-2' });
		expect(again.output).toEqual([]);
		expect(again.hints).toEqual([expect.stringMatching(/Skipped the document/)]);
	});
});

describe('DocGenLab → Document → Generate', () => {
	const parameters = { resource: 'document', operation: 'generate', templateId: 'template-xyz', inputJson: '{"name": "Ada"}' };
	const queued = { id: 'doc-1', status: 'queued' };

	test('POST /documents/ with the template, the input and a derived idempotency key', async () => {
		const { output, requests } = await runAction({ node, parameters, credentials: CREDENTIALS, responses: [json(queued, 201)] });
		expect(requests.map((r) => shape(r, ['X-API-Key']))).toEqual([
			{
				via: 'auth',
				method: 'POST',
				url: `${API}/documents/`,
				body: { template_id: 'template-xyz', input_json: { name: 'Ada' }, output_format: 'pdf' },
				headers: { 'X-API-Key': 'dgl-key-SECRET' },
			},
		]);
		expect(requests[0].options.headers?.['X-Idempotency-Key']).toMatch(/^n8n-[0-9a-f]{40}$/);
		expect(output).toEqual([{ json: queued, pairedItem: { item: 0 } }]);
	});

	test('the derived key is the same for a retry of the item, different for another item; a given key and webhook URL are sent', async () => {
		const twice = await runAction({ node, parameters, items: [{}, {}], credentials: CREDENTIALS, executionId: 'exec-7', workflowId: 'wf-7', responses: [json(queued), json(queued)] });
		const again = await runAction({ node, parameters, items: [{}], credentials: CREDENTIALS, executionId: 'exec-7', workflowId: 'wf-7', responses: [json(queued)] });
		const keys = [...twice.requests, ...again.requests].map((r) => r.options.headers?.['X-Idempotency-Key']);
		expect(keys[0]).not.toBe(keys[1]);
		expect(keys[2]).toBe(keys[0]);
		const given = await runAction({
			node,
			parameters: { ...parameters, options: { idempotencyKey: ' order-1001 ', webhookUrl: 'https://n8n.example.com/webhook/x' } },
			credentials: CREDENTIALS,
			responses: [json(queued)],
		});
		expect(given.requests[0].options.headers?.['X-Idempotency-Key']).toBe('order-1001');
		expect(given.requests[0].options.body).toMatchObject({ webhook_url: 'https://n8n.example.com/webhook/x' });
	});

	test('with the key, a 500 on the POST is retried like a read', async () => {
		const { requests } = await runAction({ node, parameters, credentials: CREDENTIALS, responses: [json({}, 500), json(queued)] });
		expect(requests).toHaveLength(2);
		expect(requests[1].options.headers?.['X-Idempotency-Key']).toBe(requests[0].options.headers?.['X-Idempotency-Key']);
	});

	test('Wait for Completion polls GET /documents/{id} until ready, then downloads through the API', async () => {
		const ready = { id: 'doc-1', status: 'ready', download_url: LINK };
		const { output, requests, sleeps } = await runAction({
			node,
			parameters: { ...parameters, waitForCompletion: true },
			credentials: CREDENTIALS,
			responses: [json(queued), json({ ...queued, status: 'rendering' }), json(ready), pdf],
		});
		expect(requests.map((r) => `${r.options.method} ${r.options.url}`)).toEqual([
			`POST ${API}/documents/`,
			`GET ${API}/documents/doc-1`,
			`GET ${API}/documents/doc-1`,
			`GET ${API}/documents/doc-1/download`,
		]);
		expect(sleeps).toEqual([1000]);
		expect(output[0].json).toMatchObject({ ...ready, download: { mimeType: 'application/pdf' } });
	});

	test('Output Format Both: the PDF, then the Word file in a second field', async () => {
		const ready = { id: 'doc-1', status: 'ready' };
		const { output, requests } = await runAction({
			node,
			parameters: { ...parameters, outputFormat: 'both', waitForCompletion: true, downloadOptions: { fileName: 'letter.pdf' } },
			credentials: CREDENTIALS,
			responses: [json(queued), json(ready), pdf, docx],
		});
		expect(requests.slice(2).map((r) => r.options.qs)).toEqual([{ format: 'pdf' }, { format: 'docx' }]);
		expect(Object.keys(output[0].binary ?? {})).toEqual(['data', 'data_docx']);
		expect(output[0].json.downloadDocx).toMatchObject({ fileName: 'letter.docx', mimeType: DOCX_MIME, field: 'data_docx' });
	});

	test('a failed document is output without a download; Max Wait Time gives up with advice', async () => {
		const failed = { id: 'doc-1', status: 'failed', error: 'bad template' };
		const first = await runAction({ node, parameters: { ...parameters, waitForCompletion: true }, credentials: CREDENTIALS, responses: [json(queued), json(failed)] });
		expect(first.output).toEqual([{ json: failed, pairedItem: { item: 0 } }]);
		const rendering = json({ ...queued, status: 'rendering' });
		const { error } = await runActionError({
			node,
			parameters: { ...parameters, waitForCompletion: true, maxWaitSeconds: 2 },
			credentials: CREDENTIALS,
			responses: [json(queued), rendering, rendering, rendering],
		});
		expect(error.message).toBe('DocGenLab: document doc-1 did not finish within 2 s');
	});

	test('a 422 is a NodeApiError with DocGenLab\'s message and no secret', async () => {
		const { error } = await runActionError({ node, parameters, credentials: CREDENTIALS, responses: [json({ detail: 'template_id not found' }, 422)] });
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(/^DocGenLab answered HTTP 422/);
		expect(error.message).toMatch(/template_id not found/);
		expect(JSON.stringify(error)).not.toContain('dgl-key-SECRET');
	});
});

describe('DocGenLab → Document → Get', () => {
	test('GET /documents/{id} from the trigger\'s jobId', async () => {
		const doc = { id: 'doc-1', status: 'ready' };
		const { output, requests } = await runAction({ node, parameters: { resource: 'document', operation: 'get' }, items: [{ jobId: 'doc-1' }], credentials: CREDENTIALS, responses: [json(doc)] });
		expect(requests.map((r) => shape(r, ['X-API-Key']))).toEqual([{ via: 'auth', method: 'GET', url: `${API}/documents/doc-1`, body: undefined, headers: { 'X-API-Key': 'dgl-key-SECRET' } }]);
		expect(output).toEqual([{ json: doc, pairedItem: { item: 0 } }]);
	});

	test('an empty Document ID says where it comes from', async () => {
		const { error } = await runActionError({ node, parameters: { resource: 'document', operation: 'get' }, items: [{}], credentials: CREDENTIALS });
		expect(error.message).toBe('Document ID is empty');
	});
});

describe('DocGenLab → Template → Get Many', () => {
	const templates = Array.from({ length: 60 }, (_, i) => ({ id: `t-${i}`, name: `Template ${i}` }));

	test('GET /templates/, cut to the Limit; Return All returns every one; a wrapped list is accepted', async () => {
		const limited = await runAction({ node, parameters: { resource: 'template', operation: 'getAll' }, credentials: CREDENTIALS, responses: [json(templates)] });
		expect(limited.requests.map((r) => shape(r))).toEqual([{ via: 'auth', method: 'GET', url: `${API}/templates/`, body: undefined }]);
		expect(limited.output).toHaveLength(50);
		const all = await runAction({ node, parameters: { resource: 'template', operation: 'getAll', returnAll: true }, credentials: CREDENTIALS, responses: [json({ templates })] });
		expect(all.output.map((i) => i.json.id)).toEqual(templates.map((t) => t.id));
		const three = await runAction({ node, parameters: { resource: 'template', operation: 'getAll', limit: 3 }, credentials: CREDENTIALS, responses: [json({ data: templates })] });
		expect(three.output).toHaveLength(3);
	});

	test('a 401 names the credential', async () => {
		const { error } = await runActionError({ node, parameters: { resource: 'template', operation: 'getAll' }, credentials: CREDENTIALS, responses: [json({ detail: 'Invalid API key' }, 401)] });
		expect(error.message).toMatch(/^DocGenLab answered HTTP 401/);
		expect(error.description).toMatch(/Check the API key in the credential/);
	});
});
