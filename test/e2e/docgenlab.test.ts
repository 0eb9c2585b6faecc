/**
 * DocGenLab end to end in real n8n: trigger → Download delivers byte-identical PDFs from the
 * signed link (no credential needed), an expired link falls back to the API download with the
 * key going only to the API, Generate waits and downloads, and the documented faults (503s, a
 * reset mid-body, 429 with Retry-After, a wrong key, a private address) end as documented.
 *
 * The fake serves its signed storage links from the API's own origin, so "the key never
 * reaches the storage route" is checked where an origin comparison alone would not protect it.
 */
import { versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, triggerNode, PACKAGE, type NodeSpec } from '../harness/workflows';
import { pdfSpecSha256, sendWebhook } from '../providers';
import { errorOf, itemsOf, jsonOf, nextExecution, sha256, useStack, startedFlow } from './support';

const WRONG_KEY = 'dgl_wrong_0000000000000000000000';

describe.each(versionsUnderTest())('DocGenLab actions on n8n %s', (version) => {
	const stack = useStack(version);
	let credential: Record<string, { id: string; name: string }>;
	let wrongCredential: Record<string, { id: string; name: string }>;
	let apiHost: string;

	beforeAll(async () => {
		const { n8n, fake } = stack;
		apiHost = `127.0.0.1:${fake.port}`;
		const id = await n8n.createCredential({
			name: 'DocGenLab (fake)',
			type: 'docGenLabApi',
			data: { apiKey: fake.credentials.docgenlab.apiKey, baseUrl: fake.baseUrl('docgenlab') },
		});
		credential = { docGenLabApi: { id, name: 'DocGenLab (fake)' } };
		const wrongId = await n8n.createCredential({
			name: 'DocGenLab (wrong key)',
			type: 'docGenLabApi',
			data: { apiKey: WRONG_KEY, baseUrl: fake.baseUrl('docgenlab') },
		});
		wrongCredential = { docGenLabApi: { id: wrongId, name: 'DocGenLab (wrong key)' } };
	});

	const allowLocal = () => ({ allowPrivateNetwork: true });

	/** DocGenLab Trigger → Download, with the given parameters. */
	async function downloadFlow(name: string, parameters: Record<string, unknown>, withCredential = true, triggerOptions: Record<string, unknown> = {}) {
		const hook = newWebhookId();
		const workflowId = await stack.n8n.createWorkflow(
			linearWorkflow(name, [
				triggerNode('docGenLabTrigger', hook, { options: triggerOptions }),
				{
					name: 'Download',
					type: `${PACKAGE}.docGenLab`,
					typeVersion: 1,
					parameters: { resource: 'document', operation: 'download', ...parameters },
					credentials: withCredential ? credential : undefined,
				},
			]),
		);
		const url = stack.n8n.webhookUrl(hook);
		await stack.n8n.waitForWebhook(url);
		let seen = 0;
		return {
			workflowId,
			url,
			async deliver(payload: unknown) {
				const res = await sendWebhook('docgenlab', url, payload);
				expect(res.status).toBe(200);
				const execution = await nextExecution(stack.n8n, workflowId, seen);
				seen++;
				return execution;
			},
		};
	}

	/** n8n's Webhook node → the given nodes; posts `body` and returns the execution. */
	async function runWithStart(name: string, nodes: NodeSpec[], body: unknown) {
		return await (await startedFlow(stack.n8n, name, nodes)).run(body);
	}

	function action(name: string, parameters: Record<string, unknown>, extra: Partial<NodeSpec> & { onError?: string } = {}): NodeSpec {
		return { name, type: `${PACKAGE}.docGenLab`, typeVersion: 1, parameters, credentials: credential, ...extra };
	}

	const storageRequests = () => stack.fake.requests({ service: 'docgenlab', path: '/storage/docgenlab/' });
	const apiRequests = () => stack.fake.requests({ service: 'docgenlab', path: '/docgenlab/api/v1/' });

	test('trigger → download delivers the byte-identical PDF from the signed link; the API key never goes to the storage route', async () => {
		const { fake, n8n } = stack;
		const flow = await downloadFlow('DocGenLab download', { downloadOptions: allowLocal() });
		const doc = fake.docgenlab.createDocument({ status: 'ready', sizeBytes: 300_000, title: 'Invoice e2e' });
		fake.clearRequests();
		const execution = await flow.deliver(fake.docgenlab.webhookPayload(doc.id));
		expect(errorOf(execution)).toBeUndefined();
		const [item] = itemsOf(execution, 'Download');
		expect(item.json).toMatchObject({ jobId: doc.id, status: 'completed', download: { bytes: 300_000, mimeType: 'application/pdf' } });
		expect(item.binary!.data).toMatchObject({ fileName: `document_${doc.id}.pdf`, mimeType: 'application/pdf' });
		expect(sha256(await n8n.binaryBytes(item.binary!.data))).toBe(await pdfSpecSha256(doc.pdf));
		// Same origin as the API, yet no key: a signed link needs none.
		expect(storageRequests()).toHaveLength(1);
		expect(storageRequests()[0].headers['x-api-key']).toBeUndefined();
		expect(apiRequests()).toHaveLength(0);
	});

	test('without Fall Back to API the node needs no credential at all', async () => {
		const { fake, n8n } = stack;
		const flow = await downloadFlow('DocGenLab download without credential', { apiFallback: false, downloadOptions: { ...allowLocal(), additionalAllowedHosts: apiHost } }, false);
		const doc = fake.docgenlab.createDocument({ status: 'ready', sizeBytes: 20_000 });
		const execution = await flow.deliver(fake.docgenlab.webhookPayload(doc.id));
		expect(errorOf(execution)).toBeUndefined();
		expect(sha256(await n8n.binaryBytes(itemsOf(execution, 'Download')[0].binary!.data))).toBe(await pdfSpecSha256(doc.pdf));

		// An expired link then ends with what to do, not a silent API call.
		const old = fake.docgenlab.createDocument({ status: 'ready' });
		fake.clearRequests();
		const expired = await flow.deliver({ ...fake.docgenlab.webhookPayload(old.id), download_url: fake.docgenlab.signedUrl(old.id, { ttlMs: -1000 }) });
		expect(expired.status).toBe('error');
		expect(errorOf(expired)).toMatch(/DocGenLab: the download link was refused \(HTTP 400\); it has expired .*Turn on Fall Back to API/);
		expect(apiRequests()).toHaveLength(0);
	});

	test('an expired signed link falls back to GET /documents/{id}/download, with the key only on the API', async () => {
		const { fake, n8n } = stack;
		const flow = await downloadFlow('DocGenLab expired link', { downloadOptions: allowLocal() });
		const doc = fake.docgenlab.createDocument({ status: 'ready', sizeBytes: 120_000 });
		const payload = { ...fake.docgenlab.webhookPayload(doc.id), download_url: fake.docgenlab.signedUrl(doc.id, { ttlMs: -1000 }) };
		fake.clearRequests();
		const execution = await flow.deliver(payload);
		expect(errorOf(execution)).toBeUndefined();
		expect(storageRequests().map((r) => r.status)).toEqual([400]);
		expect(storageRequests()[0].headers['x-api-key']).toBeUndefined();
		const api = apiRequests();
		expect(api.map((r) => r.url)).toEqual([`/docgenlab/api/v1/documents/${doc.id}/download?format=pdf`]);
		expect(api[0].headers['x-api-key']).toBe(fake.credentials.docgenlab.apiKey);
		const [item] = itemsOf(execution, 'Download');
		expect(item.json).toMatchObject({ download: { source: expect.stringContaining(`/documents/${doc.id}/download`) } });
		expect(sha256(await n8n.binaryBytes(item.binary!.data))).toBe(await pdfSpecSha256(doc.pdf));

		// A failed document has no link: straight to the API, whose refusal names the failure.
		fake.clearRequests();
		const failed = await flow.deliver(fake.examplePayloads.docgenlab.failed({ job_id: 'dgl-e2e-failed' }));
		expect(failed.status).toBe('error');
		expect(errorOf(failed)).toMatch(/DocGenLab answered HTTP 409: Document generation failed/);
		expect(storageRequests()).toHaveLength(0);
	});

	test('two 503s then 200, and a connection reset mid-body, are retried to a complete file', async () => {
		const { fake, n8n } = stack;
		const flow = await downloadFlow('DocGenLab transient faults', { downloadOptions: allowLocal() });
		const doc = fake.docgenlab.createDocument({ status: 'ready', sizeBytes: 400_000 });
		fake.faults.add({ service: 'docgenlab', pathPrefix: '/storage/docgenlab/' }, { status: 503, times: 2 });
		fake.faults.add({ service: 'docgenlab', pathPrefix: '/storage/docgenlab/' }, { resetMidBody: true });
		fake.clearRequests();
		const execution = await flow.deliver(fake.docgenlab.webhookPayload(doc.id));
		expect(errorOf(execution)).toBeUndefined();
		expect(storageRequests()).toHaveLength(4);
		expect(apiRequests()).toHaveLength(0);
		expect(sha256(await n8n.binaryBytes(itemsOf(execution, 'Download')[0].binary!.data))).toBe(await pdfSpecSha256(doc.pdf));
	});

	test('a private address is refused with Allow Private Network off, and not worked around through the API', async () => {
		const { fake } = stack;
		const flow = await downloadFlow('DocGenLab strict', {});
		const doc = fake.docgenlab.createDocument({ status: 'ready' });
		fake.clearRequests();
		const execution = await flow.deliver(fake.docgenlab.webhookPayload(doc.id));
		expect(execution.status).toBe('error');
		expect(errorOf(execution)).toMatch(/^DocGenLab: .*Allow Private Network/);
		expect(apiRequests()).toHaveLength(0);
		expect(itemsOf(execution, 'Download')).toHaveLength(0);
	});

	test('Skip Already Processed downloads a document once even when the trigger lets a repeat through', async () => {
		const { fake } = stack;
		const flow = await downloadFlow('DocGenLab skip processed', { downloadOptions: { ...allowLocal(), skipAlreadyProcessed: true } }, true, { deduplicate: false });
		const payload = fake.docgenlab.webhookPayload(fake.docgenlab.createDocument({ status: 'ready' }).id);
		for (let i = 0; i < 2; i++) expect((await sendWebhook('docgenlab', flow.url, payload)).status).toBe(200);
		const executions = await stack.n8n.waitForExecutions(flow.workflowId, 2, { includeData: true });
		expect(executions.map((e) => itemsOf(e, 'Download').length).sort()).toEqual([0, 1]);
	});

	test('Generate waits for the document and downloads it; the idempotency key is derived per item', async () => {
		const { fake, n8n } = stack;
		fake.clearRequests();
		const execution = await runWithStart(
			'DocGenLab generate',
			[
				action('Generate', {
					resource: 'document',
					operation: 'generate',
					templateId: 'template-xyz',
					inputJson: '={{ JSON.stringify($json.body) }}',
					waitForCompletion: true,
					maxWaitSeconds: 60,
				}),
				action('Both', {
					resource: 'document',
					operation: 'generate',
					templateId: 'template-contract',
					inputJson: '{"customer": "ACME"}',
					outputFormat: 'both',
					waitForCompletion: true,
				}),
				action('Started', {
					resource: 'document',
					operation: 'generate',
					templateId: 'template-xyz',
					inputJson: '{}',
					options: { idempotencyKey: 'order-4711' },
				}),
				action('Get', { resource: 'document', operation: 'get', documentId: '={{ $json.id }}' }),
				action('Templates', { resource: 'template', operation: 'getAll', returnAll: true }),
			],
			{ customer: 'Jane Roe', total: 99.5 },
		);
		expect(errorOf(execution)).toBeUndefined();

		const [generated] = itemsOf(execution, 'Generate');
		expect(generated.json).toMatchObject({ template_id: 'template-xyz', status: 'ready', download: { mimeType: 'application/pdf' } });
		const doc = fake.docgenlab.documents.get(generated.json.id as string)!;
		expect(doc.input_json).toEqual({ customer: 'Jane Roe', total: 99.5 });
		expect(sha256(await n8n.binaryBytes(generated.binary!.data))).toBe(await pdfSpecSha256(doc.pdf));

		const [both] = itemsOf(execution, 'Both');
		expect(Object.keys(both.binary!).sort()).toEqual(['data', 'data_docx']);
		expect(both.binary!.data_docx).toMatchObject({ mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
		expect(both.json).toMatchObject({ downloadDocx: { field: 'data_docx' } });

		const creates = fake.requests({ service: 'docgenlab', method: 'POST', path: '/docgenlab/api/v1/documents/' });
		expect(creates).toHaveLength(3);
		const keys = creates.map((r) => r.headers['x-idempotency-key']);
		expect(keys[0]).toMatch(/^n8n-[0-9a-f]{40}$/);
		expect(keys[1]).toMatch(/^n8n-[0-9a-f]{40}$/);
		expect(keys[0]).not.toBe(keys[1]);
		expect(keys[2]).toBe('order-4711');
		expect(JSON.parse(creates[0].body.toString())).toEqual({ template_id: 'template-xyz', input_json: { customer: 'Jane Roe', total: 99.5 }, output_format: 'pdf' });

		const started = jsonOf(execution, 'Started')[0];
		expect(started).toMatchObject({ id: expect.any(String), status: 'queued' });
		expect(jsonOf(execution, 'Get')[0]).toMatchObject({ id: started.id, status: expect.stringMatching(/queued|rendering|ready/) });
		expect(jsonOf(execution, 'Templates').map((t) => t.id)).toEqual(['template-xyz', 'template-contract']);

		// The same key again: DocGenLab returns the document already started, no second one.
		const again = await runWithStart(
			'DocGenLab same key',
			[action('Started', { resource: 'document', operation: 'generate', templateId: 'template-xyz', inputJson: '{}', options: { idempotencyKey: 'order-4711' } })],
			{},
		);
		expect(jsonOf(again, 'Started')[0].id).toBe(started.id);
	});

	test('n8n\'s Retry On Fail repeats Generate with the same derived key, so DocGenLab renders the document once', async () => {
		const { fake } = stack;
		const before = fake.docgenlab.documents.size;
		// The first try's status check fails after the document was created; n8n retries the node.
		fake.faults.add({ service: 'docgenlab', method: 'GET', regex: /\/documents\/[^/]+$/ }, { status: 404 });
		fake.clearRequests();
		const execution = await runWithStart(
			'DocGenLab retry on fail',
			[
				action(
					'Generate',
					{ resource: 'document', operation: 'generate', templateId: 'template-xyz', inputJson: '{}', waitForCompletion: true },
					{ retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } as Partial<NodeSpec>,
				),
			],
			{},
		);
		expect(errorOf(execution)).toBeUndefined();
		const creates = fake.requests({ service: 'docgenlab', method: 'POST', path: '/docgenlab/api/v1/documents/' });
		expect(creates).toHaveLength(2);
		expect(creates[1].headers['x-idempotency-key']).toBe(creates[0].headers['x-idempotency-key']);
		expect(fake.docgenlab.documents.size).toBe(before + 1);
		expect(jsonOf(execution, 'Generate')[0]).toMatchObject({ status: 'ready', download: { mimeType: 'application/pdf' } });
	});

	test('429 with Retry-After is waited out; a wrong API key ends in a 401 naming DocGenLab without the key; Continue On Fail yields an error item', async () => {
		const { fake } = stack;
		fake.faults.add({ service: 'docgenlab', method: 'POST', pathPrefix: '/documents/' }, { status: 429, retryAfter: 1 });
		fake.clearRequests();
		const limited = await runWithStart(
			'DocGenLab rate limited',
			[action('Generate', { resource: 'document', operation: 'generate', templateId: 'template-xyz', inputJson: '{}' })],
			{},
		);
		expect(errorOf(limited)).toBeUndefined();
		const creates = fake.requests({ service: 'docgenlab', method: 'POST', path: '/docgenlab/api/v1/documents/' });
		expect(creates.map((r) => r.status)).toEqual([429, 201]);
		// A lower bound: the node waited out Retry-After (1 s) before sending again.
		expect(creates[1].time.getTime() - creates[0].time.getTime()).toBeGreaterThanOrEqual(900);
		expect(creates[1].headers['x-idempotency-key']).toBe(creates[0].headers['x-idempotency-key']);

		const unauthorized = await runWithStart(
			'DocGenLab wrong key',
			[action('Get', { resource: 'document', operation: 'get', documentId: 'abc-123-def-456' }, { credentials: wrongCredential })],
			{},
		);
		expect(unauthorized.status).toBe('error');
		expect(errorOf(unauthorized)).toMatch(/^DocGenLab answered HTTP 401: Invalid API key/);
		expect(JSON.stringify(unauthorized.data)).not.toContain(WRONG_KEY);

		const continued = await runWithStart(
			'DocGenLab continue on fail',
			[action('Get', { resource: 'document', operation: 'get', documentId: 'no-such-document' }, { onError: 'continueRegularOutput' })],
			{},
		);
		expect(continued.status).toBe('success');
		expect(itemsOf(continued, 'Get')).toEqual([
			expect.objectContaining({ json: expect.objectContaining({ error: 'DocGenLab answered HTTP 404: Document not found', message: expect.any(String) }), pairedItem: { item: 0 } }),
		]);
	});
});
