/**
 * PDF-Sign end to end in real n8n: trigger → Download (no credential) delivers byte-identical
 * PDFs checked against the announced file_size; a size mismatch fails naming it; Generate returns
 * the URL and the downloaded file; the documented faults (503s, a reset mid-body, 429 with
 * Retry-After, a wrong key, a private address) end as documented.
 *
 * Like the real service (api.pdf-sign.com/functions/v1 and api.pdf-sign.com/storage/…), the
 * fake serves the public files from the API's own origin: the key must still not go there.
 */
import { versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, triggerNode, PACKAGE, type NodeSpec } from '../harness/workflows';
import { pdfSpecSha256, sendWebhook } from '../providers';
import { errorOf, itemsOf, jsonOf, nextExecution, sha256, useStack, startedFlow } from './support';

const SECRET = 'whsec_pdfsign_actions_e2e_1a2b3c4d5e6f';
const WRONG_KEY = 'pdfsign_00000000-0000-4000-8000-000000000000';

describe.each(versionsUnderTest())('PDF-Sign actions on n8n %s', (version) => {
	const stack = useStack(version);
	let apiCredential: Record<string, { id: string; name: string }>;
	let wrongCredential: Record<string, { id: string; name: string }>;
	let webhookCredential: Record<string, { id: string; name: string }>;

	beforeAll(async () => {
		const { n8n, fake } = stack;
		const create = async (name: string, type: string, data: Record<string, unknown>) => await n8n.createNodeCredential({ name, type, data });
		apiCredential = await create('PDF-Sign (fake)', 'pdfSignApi', { apiKey: fake.credentials.pdfsign.apiKey, baseUrl: fake.baseUrl('pdfsign') });
		wrongCredential = await create('PDF-Sign (wrong key)', 'pdfSignApi', { apiKey: WRONG_KEY, baseUrl: fake.baseUrl('pdfsign') });
		webhookCredential = await create('PDF-Sign webhook (fake)', 'pdfSignWebhookApi', { webhookSecret: SECRET });
	});

	/** The fake's host:port, which a credential-less download must be told about. */
	const allowFake = () => ({ allowPrivateNetwork: true, additionalAllowedHosts: `127.0.0.1:${stack.fake.port}` });

	/** PDF-Sign Trigger → Download (no credential on the action). */
	async function downloadFlow(name: string, downloadOptions: Record<string, unknown>, triggerOptions: Record<string, unknown> = {}) {
		const hook = newWebhookId();
		const workflowId = await stack.n8n.createWorkflow(
			linearWorkflow(name, [
				triggerNode('pdfSignTrigger', hook, { options: triggerOptions }, webhookCredential),
				{ name: 'Download', type: `${PACKAGE}.pdfSign`, typeVersion: 1, parameters: { resource: 'pdf', operation: 'download', downloadOptions } },
			]),
		);
		const url = stack.n8n.webhookUrl(hook);
		await stack.n8n.waitForWebhook(url);
		let seen = 0;
		return {
			workflowId,
			url,
			async deliver(payload: unknown) {
				const res = await sendWebhook('pdfsign', url, payload, { secret: SECRET });
				expect(res.status).toBe(200);
				const execution = await nextExecution(stack.n8n, workflowId, seen);
				seen++;
				return execution;
			},
		};
	}

	/** n8n's Webhook node → the given nodes; posts `body` and returns the execution. */
	async function runWithStart(name: string, nodes: NodeSpec[], body: unknown = {}) {
		return await (await startedFlow(stack.n8n, name, nodes)).run(body);
	}

	function generateNode(name: string, parameters: Record<string, unknown>, extra: Partial<NodeSpec> & { onError?: string } = {}): NodeSpec {
		return {
			name,
			type: `${PACKAGE}.pdfSign`,
			typeVersion: 1,
			parameters: { resource: 'pdf', operation: 'generate', templateId: '550e8400-e29b-41d4-a716-446655440000', ...parameters },
			credentials: apiCredential,
			...extra,
		};
	}

	const storageRequests = () => stack.fake.requests({ service: 'pdfsign', path: '/pdfsign/storage/' });
	const generateRequests = () => stack.fake.requests({ service: 'pdfsign', path: '/pdfsign/functions/v1/generate-pdf-preview' });

	test('trigger → download delivers the byte-identical PDF of the announced size, without any credential', async () => {
		const { fake, n8n } = stack;
		const flow = await downloadFlow('PDF-Sign download', allowFake());
		const payload = fake.examplePayloads.pdfsign.generated({ data: { storage_path: 'user-id/template-id/e2e-1.pdf' } }, { sizeBytes: 250_000 });
		fake.clearRequests();
		const execution = await flow.deliver(payload);
		expect(errorOf(execution)).toBeUndefined();
		const [item] = itemsOf(execution, 'Download');
		expect(item.json).toMatchObject({ event: 'pdf.generated', storagePath: 'user-id/template-id/e2e-1.pdf', fileSize: 250_000, download: { bytes: 250_000 } });
		expect(item.binary!.data).toMatchObject({ fileName: 'e2e-1.pdf', mimeType: 'application/pdf' });
		const file = fake.pdfsign.files.get('user-id/template-id/e2e-1.pdf')!;
		expect(sha256(await n8n.binaryBytes(item.binary!.data))).toBe(await pdfSpecSha256(file.pdf));
		expect(storageRequests()).toHaveLength(1);
		expect(storageRequests()[0].headers['x-api-key']).toBeUndefined();
	});

	test('a file whose size differs from the announced file_size fails naming the mismatch, without retrying', async () => {
		const { fake } = stack;
		const flow = await downloadFlow('PDF-Sign size mismatch', allowFake());
		const payload = fake.examplePayloads.pdfsign.generated({ data: { storage_path: 'user-id/template-id/e2e-2.pdf' } }, { sizeBytes: 40_000 });
		(payload.data as Record<string, unknown>).file_size = 40_001;
		fake.clearRequests();
		const execution = await flow.deliver(payload);
		expect(execution.status).toBe('error');
		expect(errorOf(execution)).toMatch(/^PDF-Sign: the file does not have the announced size: received 40000 bytes but PDF-Sign announced 40001/);
		expect(storageRequests()).toHaveLength(1);
		expect(itemsOf(execution, 'Download')).toHaveLength(0);
	});

	test('two 503s then 200, and a connection reset mid-body, are retried to a complete file', async () => {
		const { fake, n8n } = stack;
		const flow = await downloadFlow('PDF-Sign transient faults', allowFake());
		const payload = fake.examplePayloads.pdfsign.generated({ data: { storage_path: 'user-id/template-id/e2e-3.pdf' } }, { sizeBytes: 400_000 });
		fake.faults.add({ service: 'pdfsign', pathPrefix: '/pdfsign/storage/' }, { status: 503, times: 2 });
		fake.faults.add({ service: 'pdfsign', pathPrefix: '/pdfsign/storage/' }, { resetMidBody: true });
		fake.clearRequests();
		const execution = await flow.deliver(payload);
		expect(errorOf(execution)).toBeUndefined();
		expect(storageRequests()).toHaveLength(4);
		const file = fake.pdfsign.files.get('user-id/template-id/e2e-3.pdf')!;
		expect(sha256(await n8n.binaryBytes(itemsOf(execution, 'Download')[0].binary!.data))).toBe(await pdfSpecSha256(file.pdf));
	});

	test('a private address is refused with Allow Private Network off', async () => {
		const { fake } = stack;
		const flow = await downloadFlow('PDF-Sign strict', { additionalAllowedHosts: `127.0.0.1:${fake.port}` });
		fake.clearRequests();
		const execution = await flow.deliver(fake.examplePayloads.pdfsign.generated({ data: { storage_path: 'user-id/template-id/e2e-4.pdf' } }));
		expect(execution.status).toBe('error');
		expect(errorOf(execution)).toMatch(/^PDF-Sign: .*Allow Private Network/);
		expect(itemsOf(execution, 'Download')).toHaveLength(0);
	});

	test('Skip Already Processed downloads a file once even when the trigger lets a repeat through', async () => {
		const { fake } = stack;
		const flow = await downloadFlow('PDF-Sign skip processed', { ...allowFake(), skipAlreadyProcessed: true }, { deduplicate: false });
		const payload = fake.examplePayloads.pdfsign.generated({ data: { storage_path: 'user-id/template-id/e2e-5.pdf' } });
		for (let i = 0; i < 2; i++) expect((await sendWebhook('pdfsign', flow.url, payload, { secret: SECRET })).status).toBe(200);
		const executions = await stack.n8n.waitForExecutions(flow.workflowId, 2, { includeData: true });
		expect(executions.map((e) => itemsOf(e, 'Download').length).sort()).toEqual([0, 1]);
	});

	test('Generate returns the URL and the downloaded PDF; without downloading, a credential-less Download picks it up', async () => {
		const { fake, n8n } = stack;
		fake.clearRequests();
		const execution = await runWithStart(
			'PDF-Sign generate',
			[
				generateNode('Generate', { variables: '={{ JSON.stringify($json.body) }}', downloadOptions: { allowPrivateNetwork: true } }),
				generateNode('URL Only', { variables: '{"clientName": "Jane Roe"}', downloadPdf: false }),
				{ name: 'Download', type: `${PACKAGE}.pdfSign`, typeVersion: 1, parameters: { resource: 'pdf', operation: 'download', downloadOptions: allowFake() } },
			],
			{ clientName: 'John Doe', invoiceNumber: 'INV-2024-001' },
		);
		expect(errorOf(execution)).toBeUndefined();

		const [generated] = itemsOf(execution, 'Generate');
		expect(generated.json).toMatchObject({
			success: true,
			generationId: expect.any(String),
			templateId: '550e8400-e29b-41d4-a716-446655440000',
			downloadUrl: expect.stringContaining('/pdfsign/storage/v1/object/public/pdfs/user-id/'),
			storagePath: expect.stringMatching(/^user-id\/550e8400-e29b-41d4-a716-446655440000\/\d+\.pdf$/),
			fileSize: expect.any(Number),
			download: { mimeType: 'application/pdf' },
		});
		const file = fake.pdfsign.files.get(generated.json.storagePath as string)!;
		expect(file.variables).toEqual({ clientName: 'John Doe', invoiceNumber: 'INV-2024-001' });
		const bytes = await n8n.binaryBytes(generated.binary!.data);
		expect(bytes.length).toBe(generated.json.fileSize);
		expect(sha256(bytes)).toBe(await pdfSpecSha256(file.pdf));

		const [urlOnly] = jsonOf(execution, 'URL Only');
		expect(urlOnly).toMatchObject({ downloadUrl: expect.any(String), fileSize: expect.any(Number) });
		expect(urlOnly.download).toBeUndefined();
		const [downloaded] = itemsOf(execution, 'Download');
		expect(downloaded.json).toMatchObject({ storagePath: urlOnly.storagePath, download: { bytes: urlOnly.fileSize } });

		const generations = generateRequests();
		expect(generations).toHaveLength(2);
		for (const r of generations) expect(r.headers['x-api-key']).toBe(fake.credentials.pdfsign.apiKey);
		expect(JSON.parse(generations[0].body.toString())).toEqual({
			templateId: '550e8400-e29b-41d4-a716-446655440000',
			variables: { clientName: 'John Doe', invoiceNumber: 'INV-2024-001' },
		});
		// The storage shares the API's origin; the key still stays on the API.
		expect(storageRequests()).toHaveLength(2);
		for (const r of storageRequests()) expect(r.headers['x-api-key']).toBeUndefined();
	});

	test('429 with Retry-After is waited out; a wrong API key ends in a 401 naming PDF-Sign without the key; Continue On Fail yields an error item', async () => {
		const { fake } = stack;
		fake.faults.add({ service: 'pdfsign', pathPrefix: '/generate-pdf-preview' }, { status: 429, retryAfter: 1 });
		fake.clearRequests();
		const limited = await runWithStart('PDF-Sign rate limited', [generateNode('Generate', { downloadPdf: false })]);
		expect(errorOf(limited)).toBeUndefined();
		const attempts = generateRequests();
		expect(attempts.map((r) => r.status)).toEqual([429, 200]);
		// A lower bound: the node waited out Retry-After (1 s) before sending again.
		expect(attempts[1].time.getTime() - attempts[0].time.getTime()).toBeGreaterThanOrEqual(900);

		const unauthorized = await runWithStart('PDF-Sign wrong key', [generateNode('Generate', { downloadPdf: false }, { credentials: wrongCredential })]);
		expect(unauthorized.status).toBe('error');
		expect(errorOf(unauthorized)).toMatch(/^PDF-Sign answered HTTP 401: Invalid API key/);
		expect(JSON.stringify(unauthorized.data)).not.toContain(WRONG_KEY);

		const continued = await runWithStart('PDF-Sign continue on fail', [
			generateNode('Generate', { templateId: 'no-such-template', downloadPdf: false }, { onError: 'continueRegularOutput' }),
		]);
		expect(continued.status).toBe('success');
		expect(itemsOf(continued, 'Generate')).toEqual([
			expect.objectContaining({
				json: expect.objectContaining({ error: expect.stringMatching(/^PDF-Sign answered HTTP 404: Template not found/), message: expect.any(String) }),
				pairedItem: { item: 0 },
			}),
		]);
	});
});
