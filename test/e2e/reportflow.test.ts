/**
 * ReportFlow end to end in real n8n: trigger → Download File delivers byte-identical PDFs,
 * one item per file (also fanned out from the trigger's files list), through both API forms
 * (the webhook page's workspace host with AppKey + SecretKey, and the current host with one
 * key); Download All as ZIP; sync and async generation, single and multiple; the templates;
 * and the documented faults (503s, a reset mid-body, 429 with Retry-After, a wrong key) each
 * end as documented, with Continue On Fail turning a failure into an error item.
 */
import { versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, triggerNode, PACKAGE, type NodeSpec } from '../harness/workflows';
import { pdfSpecSha256, sendWebhook, type RecordedRequest } from '../providers';
import { crc32 } from '../providers/zip';
import { errorOf, itemsOf, jsonOf, nextExecution, sha256, useStack, startedFlow as startFlow } from './support';

const SECRET_KEY = 'sk_test_reportflow_e2e_7d3a9c1e5b2f8046';
const WRONG_KEY = 'ak_wrong_e2e_0123456789abcdef';

type Credentials = Record<string, { id: string; name: string }>;

/**
 * Names and bytes of a ZIP's entries, read from its central directory (stored entries only, as
 * the fake writes them), each entry's local header and CRC-32 checked as `unzip -t` would. (The
 * fake's ZIP writer itself is checked against the real unzip in test/unit/providers/zip.test.ts.)
 */
function zipEntries(zip: Buffer): Map<string, Buffer> {
	const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
	if (eocd < 0) throw new Error('no end of central directory: not a complete ZIP');
	const count = zip.readUInt16LE(eocd + 10);
	let offset = zip.readUInt32LE(eocd + 16);
	const entries = new Map<string, Buffer>();
	for (let i = 0; i < count; i++) {
		if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`central directory entry ${i} is damaged`);
		const crc = zip.readUInt32LE(offset + 16);
		const size = zip.readUInt32LE(offset + 20);
		const nameLength = zip.readUInt16LE(offset + 28);
		const extra = zip.readUInt16LE(offset + 30);
		const comment = zip.readUInt16LE(offset + 32);
		const local = zip.readUInt32LE(offset + 42);
		const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
		if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`the local header of ${name} is damaged`);
		const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
		const data = zip.subarray(dataStart, dataStart + size);
		if (data.length !== size || crc32(data) !== crc) throw new Error(`${name} does not match its CRC-32 or size`);
		entries.set(name, data);
		offset += 46 + nameLength + extra + comment;
	}
	return entries;
}

/** A complete ZIP holding exactly `names`, every entry intact. */
function expectValidZip(zip: Buffer, names: string[]): Map<string, Buffer> {
	const entries = zipEntries(zip);
	expect([...entries.keys()].sort()).toEqual([...names].sort());
	return entries;
}

describe.each(versionsUnderTest())('ReportFlow actions on n8n %s', (version) => {
	// URLs the fake hands out (File-URL, share links) say "localhost": another origin than the API.
	const stack = useStack(version, {
		fake: { publicHost: 'localhost', credentials: { reportflow: { secretKey: SECRET_KEY } }, reportflow: { asyncDelayMs: 1500 } },
	});
	/** The current form: one AppKey, api host. */
	let current: Credentials;
	/** The webhook page's older form: the workspace host with AppKey + SecretKey. */
	let workspace: Credentials;
	let wrongKey: Credentials;
	let apiHost: string;

	beforeAll(async () => {
		const { n8n, fake } = stack;
		// The API on 127.0.0.1, while the URLs the fake hands out say localhost.
		apiHost = new URL(fake.origin).host;
		const base = (url: string) => `${fake.origin}${new URL(url).pathname}`;
		const create = async (name: string, data: Record<string, unknown>): Promise<Credentials> => await n8n.createNodeCredential({ name, type: 'reportFlowApi', data });
		current = await create('ReportFlow (current)', { environment: 'custom', baseUrl: base(fake.baseUrl('reportflow')), apiKey: fake.credentials.reportflow.appKey });
		workspace = await create('ReportFlow (workspace)', {
			environment: 'custom',
			baseUrl: base(fake.reportflowWorkspaceBaseUrl(fake.credentials.reportflow.workspaceId)),
			apiKey: fake.credentials.reportflow.appKey,
			secretKey: SECRET_KEY,
		});
		wrongKey = await create('ReportFlow (wrong key)', { environment: 'custom', baseUrl: base(fake.baseUrl('reportflow')), apiKey: WRONG_KEY });
	});

	function reportFlowNode(name: string, parameters: Record<string, unknown>, credentials: Credentials, extra: { onError?: string } = {}): NodeSpec {
		const node: NodeSpec & { onError?: string } = { name, type: `${PACKAGE}.reportFlow`, typeVersion: 1, parameters, credentials, ...extra };
		return node;
	}

	/** A request with two ready files, as ReportFlow's file.completed event describes it. */
	function twoFileRequest() {
		const { fake } = stack;
		const first = fake.reportflow.registerFile({ fileName: 'invoice-1.pdf', sizeBytes: 240_000, title: 'Invoice 1', params: { email: 'a@example.com' } });
		const second = fake.reportflow.registerFile({
			requestId: first.requestId,
			fileName: 'invoice-2.pdf',
			sizeBytes: 130_000,
			title: 'Invoice 2',
			params: { email: 'b@example.com' },
		});
		return { requestId: first.requestId, files: [first, second], payload: fake.reportflow.webhookPayload(first.requestId) };
	}

	/** Trigger → one ReportFlow node. */
	async function triggerFlow(name: string, action: NodeSpec, triggerParameters: Record<string, unknown> = {}) {
		const hook = newWebhookId();
		const workflowId = await stack.n8n.createWorkflow(linearWorkflow(name, [triggerNode('reportFlowTrigger', hook, triggerParameters), action]));
		const url = stack.n8n.webhookUrl(hook);
		await stack.n8n.waitForWebhook(url);
		let seen = 0;
		return {
			workflowId,
			async deliver(payload: Record<string, unknown>) {
				const res = await sendWebhook('reportflow', url, payload);
				expect(res.status).toBe(200);
				const execution = await nextExecution(stack.n8n, workflowId, seen);
				seen++;
				return execution;
			},
		};
	}

	/** n8n's Webhook node as a start → the given nodes in a row. */
	async function startedFlow(name: string, nodes: NodeSpec[]) {
		return await startFlow(stack.n8n, name, nodes);
	}

	const download = (credentials: Credentials, downloadOptions: Record<string, unknown> = {}, extra: { onError?: string } = {}) =>
		reportFlowNode('Download', { resource: 'file', operation: 'download', downloadOptions }, credentials, extra);

	/** Every request that carried the key went to the API's own host and base path. */
	function expectKeysOnlyOnTheApi(requests: RecordedRequest[], basePath: string) {
		const keyed = requests.filter((r) => r.headers.appkey !== undefined || r.headers.secretkey !== undefined);
		expect(keyed.length).toBeGreaterThan(0);
		for (const r of keyed) {
			expect(r.host).toBe(apiHost);
			expect(r.path.startsWith(`${basePath}/`)).toBe(true);
		}
	}

	test('trigger → Download File (workspace host, AppKey + SecretKey): one execution, two byte-identical PDFs', async () => {
		const { fake, n8n } = stack;
		const flow = await triggerFlow('ReportFlow download (workspace form)', download(workspace));
		const request = twoFileRequest();
		fake.clearRequests();
		const execution = await flow.deliver(request.payload);
		expect(errorOf(execution)).toBeUndefined();
		expect(execution.status).toBe('success');
		expect(await n8n.executions(flow.workflowId)).toHaveLength(1);

		const items = itemsOf(execution, 'Download');
		expect(items).toHaveLength(2);
		for (const [index, file] of request.files.entries()) {
			const item = items[index];
			expect(item.json).toMatchObject({
				requestId: request.requestId,
				fileId: file.fileId,
				fileName: file.fileName,
				download: { fileName: file.fileName, mimeType: 'application/pdf', bytes: file.pdf.sizeBytes },
			});
			expect(item.binary!.data).toMatchObject({ fileName: file.fileName, mimeType: 'application/pdf' });
			expect(sha256(await n8n.binaryBytes(item.binary!.data))).toBe(await pdfSpecSha256(file.pdf));
		}

		const basePath = new URL(fake.reportflowWorkspaceBaseUrl(fake.credentials.reportflow.workspaceId)).pathname;
		const downloads = fake.requests({ service: 'reportflow', path: `${basePath}/file/download/` });
		expect(downloads.map((r) => r.path).sort()).toEqual(request.files.map((f) => `${basePath}/file/download/${f.requestId}/${f.fileId}`).sort());
		for (const r of downloads) {
			expect(r.headers.appkey).toBe(fake.credentials.reportflow.appKey);
			expect(r.headers.secretkey).toBe(SECRET_KEY);
			expect(r.status).toBe(200);
		}
		expectKeysOnlyOnTheApi(fake.requests(), basePath);
	});

	test('a trigger item with a files list fans out to one item per file; Skip Already Processed downloads each file once', async () => {
		const { fake, n8n } = stack;
		const flow = await triggerFlow('ReportFlow fan-out (current form)', download(current, { skipAlreadyProcessed: true }), {
			splitFiles: false,
			options: { deduplicate: false },
		});
		const request = twoFileRequest();
		fake.clearRequests();
		const first = await flow.deliver(request.payload);
		expect(errorOf(first)).toBeUndefined();
		expect(itemsOf(first, 'Trigger')).toHaveLength(1);
		const items = itemsOf(first, 'Download');
		expect(items.map((i) => i.json.fileId)).toEqual(request.files.map((f) => f.fileId));
		expect(items[1].json).toMatchObject({ fileIndex: 1, requestId: request.requestId, fileName: 'invoice-2.pdf', params: { email: 'b@example.com' } });
		expect(items[0].json.files).toBeUndefined();
		for (const [index, file] of request.files.entries()) {
			expect(sha256(await n8n.binaryBytes(items[index].binary!.data))).toBe(await pdfSpecSha256(file.pdf));
		}
		expectKeysOnlyOnTheApi(fake.requests(), new URL(fake.baseUrl('reportflow')).pathname);

		// The same event again (the trigger's own filter is off): nothing is downloaded twice.
		const again = await flow.deliver(request.payload);
		expect(errorOf(again)).toBeUndefined();
		expect(itemsOf(again, 'Download')).toHaveLength(0);
		expect(fake.requests({ service: 'reportflow', path: '/reportflow/v1/file/download/' })).toHaveLength(2);
	});

	test('Download All as ZIP: one valid ZIP with both files for the two items of one event', async () => {
		const { fake, n8n } = stack;
		const flow = await triggerFlow(
			'ReportFlow ZIP',
			reportFlowNode('Download', { resource: 'file', operation: 'downloadZip', downloadOptions: {} }, current),
		);
		const request = twoFileRequest();
		fake.clearRequests();
		const execution = await flow.deliver(request.payload);
		expect(errorOf(execution)).toBeUndefined();
		expect(itemsOf(execution, 'Trigger')).toHaveLength(2);
		const items = itemsOf(execution, 'Download');
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ requestId: request.requestId, download: { fileName: `${request.requestId}.zip`, mimeType: 'application/zip' } });
		expect(items[0].json.fileId).toBeUndefined();
		const zip = await n8n.binaryBytes(items[0].binary!.data);
		const entries = expectValidZip(zip, ['invoice-1.pdf', 'invoice-2.pdf']);
		for (const file of request.files) expect(sha256(entries.get(file.fileName)!)).toBe(await pdfSpecSha256(file.pdf));
		expect(fake.requests({ service: 'reportflow', path: '/reportflow/v1/file/download/' }).map((r) => r.path)).toEqual([
			`/reportflow/v1/file/download/${request.requestId}`,
		]);
	});

	test('Generate: one file → the PDF with File-URL, Request-Id and X-File-Mapping; a JSON list → one ZIP', async () => {
		const { fake, n8n } = stack;
		const flow = await startedFlow('ReportFlow generate', [
			reportFlowNode(
				'Generate',
				{
					resource: 'file',
					operation: 'generate',
					designId: 'design_123',
					contentFileName: '={{ $json.body.name }}',
					params: '={{ JSON.stringify($json.body.params) }}',
					contentOptions: { shareType: '03', passthrough: '{"orderId":"ORD-1001"}' },
				},
				current,
			),
			// The defaults read requestId and fileId from Generate's output.
			download(current),
			reportFlowNode(
				'Generate Several',
				{
					resource: 'file',
					operation: 'generate',
					designId: 'design_456',
					version: 2,
					contentSource: 'json',
					contents: JSON.stringify([
						{ fileName: 'quote-a', params: { customer: 'A' }, passthrough: 'a' },
						{ fileName: 'quote-b', params: { customer: 'B' }, shareType: '02', passcodeEnabled: true },
					]),
				},
				current,
			),
		]);
		fake.clearRequests();
		const execution = await flow.run({ name: 'invoice-1001', params: { companyName: 'Company A', amount: 50000 } });
		expect(errorOf(execution)).toBeUndefined();

		const [single] = itemsOf(execution, 'Generate');
		const syncCall = fake.requests({ service: 'reportflow', path: '/reportflow/v1/file/sync/single' });
		expect(syncCall).toHaveLength(1);
		expect(JSON.parse(syncCall[0].body.toString())).toEqual({
			designId: 'design_123',
			version: 5, // the latest, looked up with GET /file/designs
			content: { fileName: 'invoice-1001', params: { companyName: 'Company A', amount: 50000 }, shareType: '03', passthrough: { orderId: 'ORD-1001' } },
		});
		expect(fake.requests({ service: 'reportflow', path: '/reportflow/v1/file/designs' })).toHaveLength(1);
		const requestId = single.json.requestId as string;
		expect(requestId).toEqual(expect.any(String));
		expect(single.json).toMatchObject({
			designId: 'design_123',
			version: 5,
			fileUrl: fake.reportflow.downloadUrl(requestId, single.json.fileId as string),
			fileName: 'invoice-1001.pdf',
			passthrough: { orderId: 'ORD-1001' },
			share: { shareType: '03', url: expect.stringContaining('/reportflow/share/') },
			files: [{ fileId: single.json.fileId, fileName: 'invoice-1001.pdf', passthrough: { orderId: 'ORD-1001' } }],
			download: { fileName: 'invoice-1001.pdf', mimeType: 'application/pdf' },
		});
		const generated = await n8n.binaryBytes(single.binary!.data);
		expect(generated.subarray(0, 5).toString()).toBe('%PDF-');
		const stored = fake.reportflow.requests.get(requestId)!.files[0];
		expect(sha256(generated)).toBe(await pdfSpecSha256(stored.pdf));
		// Download File with its defaults fetched the same file again.
		expect(sha256(await n8n.binaryBytes(itemsOf(execution, 'Download')[0].binary!.data))).toBe(sha256(generated));

		const [several] = itemsOf(execution, 'Generate Several');
		const multipleCall = fake.requests({ service: 'reportflow', path: '/reportflow/v1/file/sync/multiple' });
		expect(JSON.parse(multipleCall[0].body.toString())).toMatchObject({ designId: 'design_456', version: 2, contents: [{ fileName: 'quote-a' }, { fileName: 'quote-b' }] });
		const zipRequestId = several.json.requestId as string;
		expect(several.json).toMatchObject({
			fileUrl: fake.reportflow.downloadUrl(zipRequestId),
			files: [
				{ fileName: 'quote-a.pdf', passthrough: 'a' },
				{ fileName: 'quote-b.pdf', share: { shareType: '02', passcodeEnabled: true } },
			],
			download: { fileName: `${zipRequestId}.zip`, mimeType: 'application/zip' },
		});
		expectValidZip(await n8n.binaryBytes(several.binary!.data), ['quote-a.pdf', 'quote-b.pdf']);
		expectKeysOnlyOnTheApi(fake.requests(), '/reportflow/v1');
	});

	test('file names are checked before anything is sent', async () => {
		const { fake } = stack;
		const generate = (name: string, contents: unknown[]) =>
			reportFlowNode(name, { resource: 'file', operation: 'generate', designId: 'design_123', version: 5, contentSource: 'json', contents: JSON.stringify(contents) }, current, {
				onError: 'continueRegularOutput',
			});
		const flow = await startedFlow('ReportFlow file names', [
			generate('Duplicate', [{ fileName: 'a', params: {} }, { fileName: 'a.pdf', params: {} }]),
			generate('Slash', [{ fileName: 'reports/a', params: {} }]),
		]);
		fake.clearRequests();
		const execution = await flow.run();
		expect(execution.status).toBe('success');
		expect(jsonOf(execution, 'Duplicate')[0].error).toMatch(/Files 1 and 2 are both named "a.pdf"/);
		expect(jsonOf(execution, 'Slash')[0].error).toMatch(/contains "\/", which ReportFlow does not allow/);
		expect(fake.requests({ service: 'reportflow' })).toHaveLength(0);
	});

	test('Generate (Async) with Wait for Completion polls the download until the files are ready', async () => {
		const { fake, n8n } = stack;
		const flow = await startedFlow('ReportFlow async', [
			reportFlowNode(
				'Async Single',
				{ resource: 'file', operation: 'generateAsync', designId: 'design_123', version: 5, contentFileName: 'async-1', params: '{"amount": 1}', waitForCompletion: true, maxWaitSeconds: 60 },
				current,
			),
			reportFlowNode(
				'Async Several',
				{
					resource: 'file',
					operation: 'generateAsync',
					designId: 'design_123',
					version: 5,
					contentSource: 'json',
					contents: '[{"fileName": "async-a", "params": {}}, {"fileName": "async-b", "params": {}}]',
					waitForCompletion: true,
					downloadResult: false,
				},
				current,
			),
			// File ID empty and a files list with the request ID on top: one item per file.
			download(current),
		]);
		fake.clearRequests();
		const execution = await flow.run();
		expect(errorOf(execution)).toBeUndefined();

		const [single] = itemsOf(execution, 'Async Single');
		const requestId = single.json.requestId as string;
		expect(single.json).toMatchObject({ ready: true, url: fake.reportflow.downloadUrl(requestId), fileName: 'async-1.pdf', download: { mimeType: 'application/pdf' } });
		expect(sha256(await n8n.binaryBytes(single.binary!.data))).toBe(await pdfSpecSha256(fake.reportflow.requests.get(requestId)!.files[0].pdf));
		const singlePolls = fake.requests({ service: 'reportflow', path: `/reportflow/v1/file/download/${requestId}/` }).map((r) => r.status);
		expect(singlePolls.length).toBeGreaterThan(1);
		expect(singlePolls.at(-1)).toBe(200);
		expect(singlePolls.slice(0, -1).every((s) => s === 404)).toBe(true);
		expect(fake.requests({ service: 'reportflow', path: '/reportflow/v1/file/async/single' })[0].status).toBe(202);

		const [several] = itemsOf(execution, 'Async Several');
		const severalId = several.json.requestId as string;
		expect(several.json).toMatchObject({ ready: true, files: [{ fileName: 'async-a.pdf' }, { fileName: 'async-b.pdf' }] });
		expect(several.binary).toBeUndefined();
		const zipPolls = fake.requests({ service: 'reportflow', path: `/reportflow/v1/file/download/${severalId}` }).filter((r) => r.path.endsWith(severalId));
		expect(zipPolls.at(-1)!.status).toBe(200);
		expect(zipPolls.slice(0, -1).every((r) => r.status === 404)).toBe(true);

		const downloaded = itemsOf(execution, 'Download');
		expect(downloaded.map((i) => i.json.fileName)).toEqual(['async-a.pdf', 'async-b.pdf']);
		for (const [index, file] of fake.reportflow.requests.get(severalId)!.files.entries()) {
			expect(sha256(await n8n.binaryBytes(downloaded[index].binary!.data))).toBe(await pdfSpecSha256(file.pdf));
		}
	});

	test('Template List gives one item per design; Get Parameters describes each version', async () => {
		const { fake } = stack;
		const flow = await startedFlow('ReportFlow templates', [
			reportFlowNode('List', { resource: 'template', operation: 'list' }, workspace),
			reportFlowNode('Parameters', { resource: 'template', operation: 'getParameters', designId: '={{ $json.id }}', version: '={{ $json.latestVersion }}' }, workspace),
		]);
		fake.clearRequests();
		const execution = await flow.run();
		expect(errorOf(execution)).toBeUndefined();
		expect(jsonOf(execution, 'List')).toEqual(
			fake.reportflow.designs.map(({ id, label, latestVersion, thumbnail, updatedAt }) => ({ id, label, latestVersion, thumbnail, updatedAt })),
		);
		expect(jsonOf(execution, 'Parameters')).toEqual(
			fake.reportflow.designs.map((d) => ({ designId: d.id, version: d.latestVersion, parameters: d.parameters })),
		);
		expect(fake.requests({ service: 'reportflow', path: /\/file\/design\/parameter\// }).map((r) => r.query.version)).toEqual(['5', '2']);
		expect(fake.requests({ withHeader: 'secretkey' })).toHaveLength(3);
	});

	test('two 503s then 200, and a connection reset mid-body, are retried to a complete file', async () => {
		const { fake, n8n } = stack;
		const flow = await triggerFlow('ReportFlow transient faults', download(current));
		const file = fake.reportflow.registerFile({ fileName: 'big.pdf', sizeBytes: 400_000 });
		const path = `/reportflow/v1/file/download/${file.requestId}/${file.fileId}`;
		fake.faults.add({ service: 'reportflow', pathPrefix: path }, { status: 503, times: 2 });
		fake.faults.add({ service: 'reportflow', pathPrefix: path }, { resetMidBody: true });
		fake.clearRequests();
		const execution = await flow.deliver(fake.reportflow.webhookPayload(file.requestId));
		expect(errorOf(execution)).toBeUndefined();
		expect(fake.requests({ service: 'reportflow', path }).map((r) => r.status)).toEqual([503, 503, 200, 200]);
		expect(sha256(await n8n.binaryBytes(itemsOf(execution, 'Download')[0].binary!.data))).toBe(await pdfSpecSha256(file.pdf));
	});

	test('a 429 with Retry-After is waited out before the next attempt', async () => {
		const { fake, n8n } = stack;
		const flow = await triggerFlow('ReportFlow rate limit', download(current));
		const file = fake.reportflow.registerFile({ fileName: 'limited.pdf' });
		const path = `/reportflow/v1/file/download/${file.requestId}/${file.fileId}`;
		fake.faults.add({ service: 'reportflow', pathPrefix: path }, { status: 429, retryAfter: 3 });
		fake.clearRequests();
		const execution = await flow.deliver(fake.reportflow.webhookPayload(file.requestId));
		expect(errorOf(execution)).toBeUndefined();
		const attempts = fake.requests({ service: 'reportflow', path });
		expect(attempts.map((r) => r.status)).toEqual([429, 200]);
		// A lower bound: the node waited out Retry-After (3 s) before sending again.
		expect(attempts[1].time.getTime() - attempts[0].time.getTime()).toBeGreaterThanOrEqual(2900);
		expect(sha256(await n8n.binaryBytes(itemsOf(execution, 'Download')[0].binary!.data))).toBe(await pdfSpecSha256(file.pdf));
	});

	test('a wrong key fails with a ReportFlow 401 and no secret in the execution; Continue On Fail outputs an error item', async () => {
		const { fake, n8n } = stack;
		const failing = await triggerFlow('ReportFlow wrong key', download(wrongKey));
		const request = twoFileRequest();
		const failed = await failing.deliver(request.payload);
		expect(failed.status).toBe('error');
		expect(errorOf(failed)).toMatch(/^ReportFlow answered HTTP 401: AppKeyが正しくありません/);
		expect(errorOf(failed)).toMatch(/Check the API key in the credential/);
		expect(itemsOf(failed, 'Download')).toHaveLength(0);
		const stored = JSON.stringify(await n8n.executions(failing.workflowId, { includeData: true }));
		for (const secret of [WRONG_KEY, fake.credentials.reportflow.appKey, SECRET_KEY]) expect(stored).not.toContain(secret);

		const tolerant = await triggerFlow('ReportFlow wrong key, continue', download(wrongKey, {}, { onError: 'continueRegularOutput' }));
		const continued = await tolerant.deliver(twoFileRequest().payload);
		expect(continued.status).toBe('success');
		const items = itemsOf(continued, 'Download');
		expect(items).toHaveLength(2);
		for (const item of items) {
			expect(item.json).toMatchObject({ error: expect.stringMatching(/^ReportFlow answered HTTP 401/), message: expect.any(String) });
			expect(item.binary).toBeUndefined();
		}
		expect(JSON.stringify(await n8n.executions(tolerant.workflowId, { includeData: true }))).not.toContain(WRONG_KEY);
	});
});
