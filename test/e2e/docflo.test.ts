/**
 * Docflo end to end in real n8n: a signed event through the Docflo Trigger into Extract Fields
 * gives clean spreadsheet items (one per document, or one per line item); Get Many searches the
 * fake Docflo API with the documented query parameters and pages with skip/top (both list
 * shapes the fake can answer with); a wrong API key fails naming Docflo and 401 without the key
 * in the execution; two 503s are retried to a success.
 */
import { versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, triggerNode, PACKAGE, type NodeSpec } from '../harness/workflows';
import { DOCFLO_EXAMPLE_DOCUMENT, sendWebhook } from '../providers';
import { errorOf, itemsOf, jsonOf, nextExecution, useStack, startedFlow as startFlow } from './support';

const SIGNING_SECRET = 'docflo-action-e2e-signing-secret-7c6b5a49';
const WRONG_KEY = 'dfl_wrong_e2e_key_5d4c3b2a19f8e7d6';

type Credentials = Record<string, { id: string; name: string }>;

function docfloNode(name: string, parameters: Record<string, unknown>, credentials?: Credentials): NodeSpec {
	return { name, type: `${PACKAGE}.docflo`, typeVersion: 1, parameters: { resource: 'document', ...parameters }, credentials };
}

describe.each(versionsUnderTest())('Docflo actions on n8n %s', (version) => {
	const stack = useStack(version);
	let api: Credentials;
	let wrongApi: Credentials;
	let webhookCredential: Credentials;

	beforeAll(async () => {
		const { n8n, fake } = stack;
		const create = async (name: string, type: string, data: Record<string, unknown>): Promise<Credentials> => await n8n.createNodeCredential({ name, type, data });
		api = await create('Docflo (fake)', 'docfloApi', { ...fake.credentials.docflo, baseUrl: fake.baseUrl('docflo') });
		wrongApi = await create('Docflo (wrong key)', 'docfloApi', { tenantId: fake.credentials.docflo.tenantId, apiKey: WRONG_KEY, baseUrl: fake.baseUrl('docflo') });
		webhookCredential = await create('Docflo webhook (fake)', 'docfloWebhookApi', { signingSecret: SIGNING_SECRET, incomingAuthentication: 'none' });
		// Five invoices of 2026 for paging, created a day apart, plus one receipt the type filter leaves out.
		for (let i = 1; i <= 5; i++) {
			fake.docflo.addDocument({ _id: `inv-2026-${i}`, type: 'invoice', status: 'ANALYZED', source: 'email', createdAt: `2026-01-0${i}T08:00:00.000Z` });
		}
		fake.docflo.addDocument({ _id: 'rcpt-2026-1', type: 'receipt', status: 'ANALYZED', source: 'email', createdAt: '2026-01-03T09:00:00.000Z' });
	});

	/** A workflow started by n8n's Webhook node, then `nodes` in a row; `run()` returns the next execution. */
	async function startedFlow(name: string, nodes: NodeSpec[]) {
		return await startFlow(stack.n8n, name, nodes);
	}

	const listRequests = () => stack.fake.requests({ service: 'docflo', path: '/docflo/docs/v1/document' });

	test('Docflo Trigger (signed) → Extract Fields: one clean item per document, or one per line item with the header fields', async () => {
		const { fake, n8n } = stack;
		const hook = newWebhookId();
		const spec = linearWorkflow('Docflo trigger → extract', [
			triggerNode('docfloTrigger', hook, {}, webhookCredential),
			docfloNode('Extract', { operation: 'extractFields' }),
			docfloNode('Extract Lines', { operation: 'extractFields', splitLineItems: true, extractOptions: { nestedValues: 'keep' } }),
		]);
		// Both extract nodes read the trigger's item.
		spec.connections = { Trigger: { main: [[{ node: 'Extract', type: 'main', index: 0 }, { node: 'Extract Lines', type: 'main', index: 0 }]] } };
		const workflowId = await n8n.createWorkflow(spec);
		const url = n8n.webhookUrl(hook);
		await n8n.waitForWebhook(url);

		const example = fake.examplePayloads.docflo.event('document.processed');
		const lines = [
			{ Description: 'Professional Services', Quantity: 10, UnitPrice: 150, Amount: 1500 },
			{ Description: 'Travel', Quantity: 1, UnitPrice: 80, Amount: 80 },
		];
		const payload = { ...example, doc: { ...example.doc, fields: { ...example.doc.fields, Items: lines } } };
		expect((await sendWebhook('docflo', url, payload, { secret: SIGNING_SECRET })).status).toBe(200);
		const execution = await nextExecution(n8n, workflowId, 0);
		expect(errorOf(execution)).toBeUndefined();

		const header = { documentId: 'document-id', documentType: 'invoice', documentStatus: 'ANALYZED', InvoiceId: 'INV-2025-001', VendorName: 'Acme Corporation', InvoiceDate: '2025-03-01' };
		expect(jsonOf(execution, 'Extract')).toEqual([{ ...header, 'InvoiceTotal.Amount': 1500, 'InvoiceTotal.CurrencyCode': 'USD', Items: lines }]);
		expect(jsonOf(execution, 'Extract Lines')).toEqual(
			lines.map((line, i) => ({ ...header, InvoiceTotal: { Amount: 1500, CurrencyCode: 'USD' }, lineNumber: i + 1, Items: line })),
		);
		expect(itemsOf(execution, 'Extract Lines').map((item) => (item as { pairedItem?: unknown }).pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
	});

	test('Get Many: filters and sorting as query parameters, Return All across pages, then Extract Fields with confidence columns', async () => {
		const { fake } = stack;
		const flow = await startedFlow('Docflo get many', [
			docfloNode(
				'Get Many',
				{
					operation: 'getMany',
					returnAll: true,
					filters: { type: 'invoice', status: 'ANALYZED', source: 'email', createdFrom: '2026-01-01T00:00:00.000Z', createdTo: '2026-12-31T23:59:59.000Z' },
					listOptions: { pageSize: 2, sortBy: 'createdAt', sortOrder: 'asc' },
				},
				api,
			),
			docfloNode('Extract', { operation: 'extractFields' }),
		]);
		for (const shape of ['object', 'array'] as const) {
			fake.docflo.settings.listShape = shape;
			fake.clearRequests();
			const execution = await flow.run();
			expect(errorOf(execution)).toBeUndefined();
			expect(jsonOf(execution, 'Get Many').map((d) => d._id)).toEqual(['inv-2026-1', 'inv-2026-2', 'inv-2026-3', 'inv-2026-4', 'inv-2026-5']);
			expect(jsonOf(execution, 'Get Many')[0]).toMatchObject({ type: 'invoice', fields: { InvoiceId: { type: 'string', value: 'INV-2025-001', confidence: 0.99 } } });
			const requests = listRequests();
			expect(requests.map((r) => [r.query.skip, r.query.top])).toEqual([
				['0', '2'],
				['2', '2'],
				['4', '2'],
			]);
			for (const r of requests) {
				expect(r.query).toMatchObject({ type: 'invoice', status: 'ANALYZED', source: 'email', createdFrom: '2026-01-01T00:00:00.000Z', createdTo: '2026-12-31T23:59:59.000Z', sortBy: 'createdAt', sortOrder: 'asc' });
				expect(r.headers['x-tenant-id']).toBe(fake.credentials.docflo.tenantId);
				expect(r.headers.apikey).toBe(fake.credentials.docflo.apiKey);
			}
			const extracted = jsonOf(execution, 'Extract');
			expect(extracted).toHaveLength(5);
			expect(extracted[4]).toEqual({
				documentId: 'inv-2026-5',
				documentType: 'invoice',
				documentStatus: 'ANALYZED',
				InvoiceId: 'INV-2025-001',
				VendorName: 'Acme Corporation',
				InvoiceDate: '2025-03-01',
				'InvoiceTotal.Amount': 1500,
				'InvoiceTotal.CurrencyCode': 'USD',
				Items: DOCFLO_EXAMPLE_DOCUMENT.fields.Items.value,
				InvoiceId_confidence: 0.99,
				VendorName_confidence: 0.97,
				InvoiceDate_confidence: 0.95,
				InvoiceTotal_confidence: 0.93,
				Items_confidence: 0.9,
			});
		}
		fake.docflo.settings.listShape = 'object';
	});

	test('Get Many with a Limit and a search stops without fetching more', async () => {
		const { fake } = stack;
		const flow = await startedFlow('Docflo get many limit', [
			docfloNode('Get Many', { operation: 'getMany', returnAll: false, limit: 3, filters: { search: 'inv-2026' }, listOptions: { pageSize: 2, sortBy: 'createdAt', sortOrder: 'asc' } }, api),
		]);
		fake.clearRequests();
		const execution = await flow.run();
		expect(errorOf(execution)).toBeUndefined();
		expect(jsonOf(execution, 'Get Many').map((d) => d._id)).toEqual(['inv-2026-1', 'inv-2026-2', 'inv-2026-3']);
		expect(listRequests().map((r) => [r.query.search, r.query.skip, r.query.top])).toEqual([
			['inv-2026', '0', '2'],
			['inv-2026', '2', '1'],
		]);
	});

	test('a wrong API key fails the node with an error naming Docflo and 401, and the key is nowhere in the execution', async () => {
		const { fake } = stack;
		const flow = await startedFlow('Docflo wrong key', [docfloNode('Get Many', { operation: 'getMany', returnAll: true }, wrongApi)]);
		fake.clearRequests();
		const execution = await flow.run();
		expect(execution.status).toBe('error');
		expect(errorOf(execution)).toMatch(/^Docflo answered HTTP 401/);
		expect(errorOf(execution)).toMatch(/Check the API key in the credential/);
		// Not retried: a 401 will not change.
		expect(listRequests()).toHaveLength(1);
		expect(listRequests()[0].headers.apikey).toBe(WRONG_KEY);
		const stored = JSON.stringify(execution);
		expect(stored).not.toContain(WRONG_KEY);
		expect(stored).not.toContain(fake.credentials.docflo.apiKey);
	});

	test('two 503s then 200 are retried to a success', async () => {
		const { fake } = stack;
		const flow = await startedFlow('Docflo 503', [docfloNode('Get Many', { operation: 'getMany', returnAll: false, limit: 2 }, api)]);
		fake.faults.add({ service: 'docflo', pathPrefix: '/docs/v1/document' }, { status: 503, times: 2 });
		fake.clearRequests();
		const execution = await flow.run();
		expect(errorOf(execution)).toBeUndefined();
		expect(execution.status).toBe('success');
		expect(jsonOf(execution, 'Get Many')).toHaveLength(2);
		expect(listRequests().map((r) => r.status)).toEqual([503, 503, 200]);
	});
});
