/** ReportFlow action node, every operation: request shapes, AppKey/SecretKey, file lists, ZIPs, generation, polling, errors. */
import { ReportFlow } from '../../../nodes/ReportFlow/ReportFlow.node';
import { PDF_BYTES, ZIP_BYTES } from '../fetch/fakeExecute';
import { ProcessedStore, json, runAction, runActionError, shape } from './runAction';

jest.mock('n8n-workflow', () => jest.requireActual<{ mockSleep: () => object }>('./runAction').mockSleep());

const node = new ReportFlow();
const API = 'https://api.re-port-flow.com/v1';
const CREDENTIALS = { environment: 'production', apiKey: 'rf-app-SECRET', secretKey: 'rf-secret-SECRET' };
const AUTH = ['AppKey', 'SecretKey'];
const KEYS = { AppKey: 'rf-app-SECRET', SecretKey: 'rf-secret-SECRET' };
const pdf = { status: 200, headers: { 'content-type': 'application/pdf' }, body: PDF_BYTES };
const zip = { status: 200, headers: { 'content-type': 'application/zip' }, body: ZIP_BYTES };
const DESIGNS = { designs: [{ id: 'design_123', name: 'Invoice', latestVersion: 4 }] };

describe('ReportFlow → File → Download File', () => {
	const parameters = { resource: 'file', operation: 'download' };
	const event = { requestId: 'req-1', fileId: 'file-1', fileName: 'invoice-1.pdf', deliveryKey: 'reportFlow:req-1/file-1' };

	test('GET /file/download/{requestId}/{fileId} with AppKey and SecretKey; the name from the trigger', async () => {
		const { output, requests } = await runAction({ node, parameters, items: [event], credentials: CREDENTIALS, responses: [pdf] });
		expect(requests.map((r) => shape(r, AUTH))).toEqual([{ via: 'auth', method: 'GET', url: `${API}/file/download/req-1/file-1`, body: undefined, headers: KEYS }]);
		expect(output).toEqual([expect.objectContaining({ json: expect.objectContaining({ ...event, download: expect.objectContaining({ fileName: 'invoice-1.pdf' }) }), pairedItem: { item: 0 } })]);
	});

	test('no SecretKey header when the credential has none; the workspace host from the credential', async () => {
		const { requests } = await runAction({ node, parameters, items: [event], credentials: { environment: 'workspace', workspaceId: 'acme', apiKey: 'k' }, responses: [pdf] });
		expect(shape(requests[0], AUTH)).toMatchObject({ url: 'https://acme.re-port-flow.com/v1/file/download/req-1/file-1', headers: { AppKey: 'k' } });
	});

	test('a files list (One Item per File off) gives one item per file, each deduplicated on its own', async () => {
		const processed = new ProcessedStore();
		const item = { requestId: 'req-1', deliveryKey: 'reportFlow:req-1', files: [{ fileId: 'f-1', fileName: 'a.pdf' }, { fileId: 'f-2', fileName: 'b.pdf', uuid: 'req-2' }] };
		const { output, requests } = await runAction({ node, parameters: { ...parameters, fileId: '' }, items: [item], credentials: CREDENTIALS, responses: [pdf, pdf], processed, workflowId: 'wf-rf' });
		expect(requests.map((r) => r.options.url)).toEqual([`${API}/file/download/req-1/f-1`, `${API}/file/download/req-2/f-2`]);
		expect(output.map((o) => [o.json.fileIndex, o.json.requestId, o.json.fileId, (o.json.download as { fileName: string }).fileName, o.json.files])).toEqual([
			[0, 'req-1', 'f-1', 'a.pdf', undefined],
			[1, 'req-2', 'f-2', 'b.pdf', undefined],
		]);
		expect(output.every((o) => o.pairedItem && (o.pairedItem as { item: number }).item === 0)).toBe(true);
		const again = await runAction({ node, parameters: { ...parameters, fileId: '', downloadOptions: { outputSkippedItems: true } }, items: [item], credentials: CREDENTIALS, processed, workflowId: 'wf-rf' });
		expect(again.requests).toHaveLength(0);
		expect(again.output.map((o) => [o.json.fileId, o.json.alreadyProcessed])).toEqual([
			['f-1', true],
			['f-2', true],
		]);
	});

	test('IDs that would steer the request elsewhere are refused before any request; file names from events are cleaned', async () => {
		const { error, requests } = await runActionError({ node, parameters, items: [{ ...event, fileId: '../../designs' }], credentials: CREDENTIALS });
		expect(error.message).toMatch(/File ID/);
		expect(requests).toHaveLength(0);
		const { output } = await runAction({ node, parameters, items: [{ ...event, fileName: '../../etc/passwd' }], credentials: CREDENTIALS, responses: [pdf] });
		expect((output[0].json.download as { fileName: string }).fileName).not.toContain('/');
	});

	test('a 404 is a NodeApiError naming ReportFlow, the status and what to do', async () => {
		const { error } = await runActionError({ node, parameters, items: [event], credentials: CREDENTIALS, responses: [json({ message: 'not found' }, 404)] });
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(/^ReportFlow answered HTTP 404/);
		expect(error.description).toMatch(/the file is not ready yet/);
		expect(JSON.stringify(error)).not.toMatch(/rf-(app|secret)-SECRET/);
	});
});

describe('ReportFlow → File → Download All as ZIP', () => {
	const parameters = { resource: 'file', operation: 'downloadZip' };

	test('GET /file/download/{requestId}: one ZIP for the items that share a request, without their per-file fields', async () => {
		const items = [
			{ requestId: 'req-1', fileId: 'f-1', fileName: 'a.pdf', fileIndex: 0, event: 'file.completed' },
			{ requestId: 'req-1', fileId: 'f-2', fileName: 'b.pdf', fileIndex: 1, event: 'file.completed' },
		];
		const { output, requests } = await runAction({ node, parameters, items, credentials: CREDENTIALS, responses: [zip] });
		expect(requests.map((r) => shape(r, AUTH))).toEqual([{ via: 'auth', method: 'GET', url: `${API}/file/download/req-1`, body: undefined, headers: KEYS }]);
		expect(output).toHaveLength(1);
		expect(output[0].json).toEqual({ requestId: 'req-1', event: 'file.completed', download: expect.objectContaining({ fileName: 'req-1.zip', mimeType: 'application/zip' }) });
	});

	test('the request IDs of a files list; a missing Request ID says so', async () => {
		const { requests } = await runAction({ node, parameters: { ...parameters, requestId: '' }, items: [{ files: [{ fileId: 'a', requestId: 'r-1' }, { fileId: 'b', requestId: 'r-2' }] }], credentials: CREDENTIALS, responses: [zip, zip] });
		expect(requests.map((r) => r.options.url)).toEqual([`${API}/file/download/r-1`, `${API}/file/download/r-2`]);
		const { error } = await runActionError({ node, parameters, items: [{}], credentials: CREDENTIALS });
		expect(error.message).toBe('Request ID is empty');
	});

	test('something that is not a ZIP is refused', async () => {
		const { error } = await runActionError({ node, parameters, items: [{ requestId: 'req-1' }], credentials: CREDENTIALS, responses: [pdf] });
		expect(error.message).toBe('ReportFlow: the file from ReportFlow is not a ZIP archive (it starts with "%PDF")');
		expect(error.name).toBe('NodeOperationError');
	});
});

describe('ReportFlow → File → Generate', () => {
	const parameters = { resource: 'file', operation: 'generate', designId: 'design_123', contentFileName: 'invoice-1', params: '{"companyName": "A"}' };
	const generated = (headers: Record<string, string> = {}) => ({ status: 200, headers: { 'content-type': 'application/pdf', 'request-id': 'req-9', 'file-url': 'https://app.re-port-flow.com/f/x', ...headers }, body: PDF_BYTES });
	const mapping = encodeURIComponent(JSON.stringify([{ fileId: 'file-9', fileName: 'invoice-1', share: 'https://s/x', passthrough: { orderId: 7 } }]));

	test('asks for the latest version once per execution, then POST /file/sync/single with one content', async () => {
		const { output, requests } = await runAction({
			node,
			parameters: { ...parameters, contentOptions: { shareType: '03', passthrough: '{"orderId": 7}' } },
			items: [{}, {}],
			credentials: CREDENTIALS,
			responses: [json(DESIGNS), generated({ 'x-file-mapping': mapping }), generated()],
		});
		expect(requests.map((r) => shape(r, AUTH))).toEqual([
			{ via: 'auth', method: 'GET', url: `${API}/file/designs`, body: undefined, headers: KEYS },
			{
				via: 'auth',
				method: 'POST',
				url: `${API}/file/sync/single`,
				body: { designId: 'design_123', version: 4, content: { fileName: 'invoice-1', params: { companyName: 'A' }, shareType: '03', passthrough: { orderId: 7 } } },
				headers: KEYS,
			},
			expect.objectContaining({ url: `${API}/file/sync/single` }),
		]);
		expect(output[0].json).toMatchObject({ designId: 'design_123', version: 4, requestId: 'req-9', fileId: 'file-9', fileName: 'invoice-1', share: 'https://s/x', passthrough: { orderId: 7 } });
		expect((output[0].json.download as { fileName: string }).fileName).toBe('invoice-1.pdf');
	});

	test('several files from a JSON list: POST /file/sync/multiple, a ZIP named after the request', async () => {
		const contents = JSON.stringify([{ fileName: 'a', params: {} }, { fileName: 'b', params: { x: 1 } }]);
		const { output, requests } = await runAction({
			node,
			parameters: { ...parameters, version: 2, contentSource: 'json', contents },
			credentials: CREDENTIALS,
			responses: [{ status: 200, headers: { 'content-type': 'application/zip', 'request-id': 'req-9' }, body: ZIP_BYTES }],
		});
		expect(shape(requests[0])).toEqual({ via: 'auth', method: 'POST', url: `${API}/file/sync/multiple`, body: { designId: 'design_123', version: 2, contents: [{ fileName: 'a', params: {} }, { fileName: 'b', params: { x: 1 } }] } });
		expect((output[0].json.download as { fileName: string }).fileName).toBe('req-9.zip');
	});

	test.each([
		['a forbidden character', [{ fileName: 'a/b' }], /contains "\/", which ReportFlow does not allow/],
		['two files with one name', [{ fileName: 'a' }, { fileName: 'a.pdf' }], /Files 1 and 2 are both named "a.pdf"/],
		['a share type ReportFlow lacks', [{ fileName: 'a', shareType: '04' }], /shareType of "a" must be "01", "02" or "03"/],
		['no file name', [{ params: {} }], /The file has no file name/],
		['an empty list', [], /Files \(JSON\) must be a list with at least one file/],
	])('%s is refused before any request', async (_case, list, message) => {
		const { error, requests } = await runActionError({ node, parameters: { ...parameters, version: 1, contentSource: 'json', contents: JSON.stringify(list) }, credentials: CREDENTIALS });
		expect(error.message).toMatch(message);
		expect(requests).toHaveLength(0);
	});

	test('a template the workspace lacks says how to find the ID', async () => {
		const { error } = await runActionError({ node, parameters: { ...parameters, designId: 'nope' }, credentials: CREDENTIALS, responses: [json(DESIGNS)] });
		expect(error.message).toBe('ReportFlow has no template with the ID nope in this workspace');
		expect(error.description).toMatch(/Template → List/);
	});

	test('ReportFlow\'s 504 for a slow generation comes through with its status; the POST is not sent twice', async () => {
		const { error, requests } = await runActionError({ node, parameters: { ...parameters, version: 1 }, credentials: CREDENTIALS, responses: [json({ message: 'timeout over 120 seconds' }, 504)] });
		expect(error.message).toMatch(/^ReportFlow answered HTTP 504/);
		expect(requests).toHaveLength(1);
	});
});

describe('ReportFlow → File → Generate (Async)', () => {
	const parameters = { resource: 'file', operation: 'generateAsync', designId: 'design_123', version: 1, contentFileName: 'invoice-1', params: '{}' };
	const accepted = { requestId: 'req-5', files: [{ fileId: 'file-5', fileName: 'invoice-1' }] };

	test('POST /file/async/single; the answer with the single file\'s fields on top', async () => {
		const { output, requests } = await runAction({ node, parameters, credentials: CREDENTIALS, responses: [json(accepted)] });
		expect(shape(requests[0], AUTH)).toEqual({ via: 'auth', method: 'POST', url: `${API}/file/async/single`, body: { designId: 'design_123', version: 1, content: { fileName: 'invoice-1', params: {} } }, headers: KEYS });
		expect(output).toEqual([{ json: { designId: 'design_123', version: 1, ...accepted, fileId: 'file-5', fileName: 'invoice-1' }, pairedItem: { item: 0 } }]);
	});

	test('Wait for Completion polls the download until it stops answering 404, and that answer is the file', async () => {
		const { output, requests, sleeps } = await runAction({
			node,
			parameters: { ...parameters, waitForCompletion: true },
			credentials: CREDENTIALS,
			responses: [json(accepted), json({}, 404), json({}, 404), pdf],
		});
		expect(requests.map((r) => `${r.options.method} ${r.options.url}`)).toEqual([
			`POST ${API}/file/async/single`,
			`GET ${API}/file/download/req-5/file-5`,
			`GET ${API}/file/download/req-5/file-5`,
			`GET ${API}/file/download/req-5/file-5`,
		]);
		expect(sleeps).toEqual([1000, 1500]);
		expect(output[0].json).toMatchObject({ requestId: 'req-5', ready: true, download: { fileName: 'invoice-1.pdf' } });
	});

	test('Download Result off: ready without a file; other errors than 404 end the wait', async () => {
		const ready = await runAction({ node, parameters: { ...parameters, waitForCompletion: true, downloadResult: false }, credentials: CREDENTIALS, responses: [json(accepted), pdf] });
		expect(ready.output[0].binary).toBeUndefined();
		expect(ready.output[0].json.ready).toBe(true);
		const { error } = await runActionError({ node, parameters: { ...parameters, waitForCompletion: true }, credentials: CREDENTIALS, responses: [json(accepted), json({}, 403)] });
		expect(error.message).toMatch(/^ReportFlow answered HTTP 403/);
	});

	test('an answer without IDs to wait for says to use the trigger instead', async () => {
		const { error } = await runActionError({ node, parameters: { ...parameters, waitForCompletion: true }, credentials: CREDENTIALS, responses: [json({ status: 'accepted' })] });
		expect(error.message).toBe('ReportFlow accepted the generation but its answer has no request ID or file ID to wait for');
	});
});

describe('ReportFlow → Template', () => {
	test('List: GET /file/designs, one item per template', async () => {
		const { output, requests } = await runAction({ node, parameters: { resource: 'template', operation: 'list' }, credentials: CREDENTIALS, responses: [json(DESIGNS)] });
		expect(requests.map((r) => shape(r, AUTH))).toEqual([{ via: 'auth', method: 'GET', url: `${API}/file/designs`, body: undefined, headers: KEYS }]);
		expect(output).toEqual([{ json: DESIGNS.designs[0], pairedItem: { item: 0 } }]);
		const { error } = await runActionError({ node, parameters: { resource: 'template', operation: 'list' }, credentials: CREDENTIALS, responses: [json({ items: [] })] });
		expect(error.message).toBe('ReportFlow answered GET /file/designs without a designs list');
	});

	test('Get Parameters: GET /file/design/parameter/{id}, with the version only when one is set', async () => {
		const parameters = { resource: 'template', operation: 'getParameters', designId: 'design_123' };
		const latest = await runAction({ node, parameters, credentials: CREDENTIALS, responses: [json([{ key: 'companyName' }])] });
		expect(shape(latest.requests[0])).toMatchObject({ method: 'GET', url: `${API}/file/design/parameter/design_123` });
		expect(latest.output[0].json).toEqual({ designId: 'design_123', parameters: [{ key: 'companyName' }] });
		const v3 = await runAction({ node, parameters: { ...parameters, version: 3 }, credentials: CREDENTIALS, responses: [json({ parameters: [] })] });
		expect(shape(v3.requests[0]).url).toBe(`${API}/file/design/parameter/design_123?version=3`);
	});
});
