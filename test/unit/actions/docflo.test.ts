/**
 * Docflo "Extract Fields": the webhook page's example payload (plain values) and the same
 * document in the REST API's form (`{type, value, confidence, content?, changedOn?, changedBy?}`
 * per API-NOTES.md) give the same clean items; plus nested objects, lists, line items,
 * missing values and odd field names. And "Get Many": the undocumented list shapes and paging.
 */
import { Readable } from 'node:stream';

import { mock } from 'jest-mock-extended';
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import { Docflo } from '../../../nodes/Docflo/Docflo.node';
import { DEFAULT_EXTRACT_OPTIONS, extractFields, locateDocument, type ExtractOptions, type LocatedDocument } from '../../../nodes/Docflo/actions/extract';
import { DOCFLO_DOCUMENT_PROCESSED } from '../delivery/providerVectors';
import { json, runAction, runActionError, shape } from './runAction';

jest.mock('n8n-workflow', () => jest.requireActual<{ mockSleep: () => object }>('./runAction').mockSleep());

/** The webhook page's example, parsed: `{event, tenantId, timestamp, doc: {_id, type, status, …, fields}}`. */
const WEBHOOK = JSON.parse(DOCFLO_DOCUMENT_PROCESSED) as IDataObject & { doc: IDataObject & { fields: IDataObject } };

/** The same document as the REST API would return it. */
const API_DOCUMENT: IDataObject = {
	_id: 'document-id',
	type: 'invoice',
	status: 'ANALYZED',
	createdAt: '2025-03-10T17:50:00.000Z',
	updatedAt: '2025-03-10T17:53:46.000Z',
	fields: {
		InvoiceId: { type: 'string', value: 'INV-2025-001', confidence: 0.99, content: 'INV-2025-001' },
		VendorName: { type: 'string', value: 'Acme Corporation', confidence: 0.97 },
		InvoiceDate: { type: 'date', value: '2025-03-01', confidence: 0.95, content: 'March 1, 2025' },
		InvoiceTotal: { type: 'currency', value: { Amount: 1500.0, CurrencyCode: 'USD' }, confidence: 0.93, content: '$1,500.00' },
		Items: {
			type: 'array',
			value: [{ Description: 'Professional Services', Quantity: 10, UnitPrice: 150.0, Amount: 1500.0 }],
			confidence: 0.9,
			changedOn: '2025-03-10T17:55:00.000Z',
			changedBy: 'reviewer@example.com',
		},
	},
};

/** What the Docflo Trigger outputs for the example (nodes/Docflo/descriptor.ts). */
const TRIGGER_ITEM: IDataObject = {
	event: 'document.processed',
	tenantId: 'your-tenant-id',
	timestamp: '2025-03-10T17:53:46.000Z',
	documentId: 'document-id',
	documentType: 'invoice',
	documentStatus: 'ANALYZED',
	createdAt: '2025-03-10T17:50:00.000Z',
	updatedAt: '2025-03-10T17:53:46.000Z',
	fields: WEBHOOK.doc.fields,
	payload: WEBHOOK,
};

const INFO = { documentId: 'document-id', documentType: 'invoice', documentStatus: 'ANALYZED' };
const LINE = { Description: 'Professional Services', Quantity: 10, UnitPrice: 150, Amount: 1500 };

function extract(item: IDataObject, options: Partial<ExtractOptions> = {}): IDataObject[] {
	const document = locateDocument(item);
	if (!document) throw new Error('no document found');
	return extractFields(document, { ...DEFAULT_EXTRACT_OPTIONS, ...options });
}

const doc = (fields: IDataObject): LocatedDocument => ({ info: { documentId: 'd1', documentType: 'invoice', documentStatus: 'ANALYZED' }, fields });

describe('Extract Fields: the webhook example (plain values)', () => {
	test('default: flattened names, lists kept, no confidence (plain values have none)', () => {
		expect(extract(TRIGGER_ITEM)).toStrictEqual([
			{
				...INFO,
				InvoiceId: 'INV-2025-001',
				VendorName: 'Acme Corporation',
				InvoiceDate: '2025-03-01',
				'InvoiceTotal.Amount': 1500,
				'InvoiceTotal.CurrencyCode': 'USD',
				Items: [LINE],
			},
		]);
	});

	test('the trigger item, the raw webhook body, a Webhook node output and the bare doc give the same result', () => {
		const expected = extract(TRIGGER_ITEM);
		expect(extract(WEBHOOK)).toStrictEqual(expected);
		expect(extract({ headers: {}, body: WEBHOOK })).toStrictEqual(expected);
		expect(extract(WEBHOOK.doc)).toStrictEqual(expected);
	});

	test('Keep as Objects', () => {
		expect(extract(TRIGGER_ITEM, { nestedValues: 'keep' })).toStrictEqual([
			{ ...INFO, InvoiceId: 'INV-2025-001', VendorName: 'Acme Corporation', InvoiceDate: '2025-03-01', InvoiceTotal: { Amount: 1500, CurrencyCode: 'USD' }, Items: [LINE] },
		]);
	});

	test('Split Line Items: one item per line with the header fields', () => {
		const twoLines = { ...TRIGGER_ITEM, fields: { ...WEBHOOK.doc.fields, Items: [LINE, { Description: 'Travel', Quantity: 1, UnitPrice: 80, Amount: 80 }] } };
		expect(extract(twoLines, { splitLineItems: true })).toStrictEqual([
			{
				...INFO,
				InvoiceId: 'INV-2025-001',
				VendorName: 'Acme Corporation',
				InvoiceDate: '2025-03-01',
				'InvoiceTotal.Amount': 1500,
				'InvoiceTotal.CurrencyCode': 'USD',
				lineNumber: 1,
				'Items.Description': 'Professional Services',
				'Items.Quantity': 10,
				'Items.UnitPrice': 150,
				'Items.Amount': 1500,
			},
			expect.objectContaining({ lineNumber: 2, InvoiceId: 'INV-2025-001', 'Items.Description': 'Travel', 'Items.Amount': 80 }),
		]);
		expect(extract(twoLines, { splitLineItems: true, nestedValues: 'keep' })[1]).toMatchObject({ lineNumber: 2, Items: { Description: 'Travel', Amount: 80 } });
	});
});

describe('Extract Fields: the REST API form {type, value, confidence, …}', () => {
	test('values are unwrapped; confidence as <name>_confidence columns after the values (default)', () => {
		const [item] = extract(API_DOCUMENT);
		expect(item).toStrictEqual({
			...INFO,
			InvoiceId: 'INV-2025-001',
			VendorName: 'Acme Corporation',
			InvoiceDate: '2025-03-01',
			'InvoiceTotal.Amount': 1500,
			'InvoiceTotal.CurrencyCode': 'USD',
			Items: [LINE],
			InvoiceId_confidence: 0.99,
			VendorName_confidence: 0.97,
			InvoiceDate_confidence: 0.95,
			InvoiceTotal_confidence: 0.93,
			Items_confidence: 0.9,
		});
		// content, changedOn and changedBy are not values.
		expect(JSON.stringify(item)).not.toMatch(/March 1|reviewer|\$1,500/);
	});

	test('confidence as one object, or left out; values equal the webhook form', () => {
		const [grouped] = extract(API_DOCUMENT, { confidence: 'object' });
		expect(grouped.confidence).toStrictEqual({ InvoiceId: 0.99, VendorName: 0.97, InvoiceDate: 0.95, InvoiceTotal: 0.93, Items: 0.9 });
		const [bare] = extract(API_DOCUMENT, { confidence: 'none' });
		expect(bare).toStrictEqual(extract(TRIGGER_ITEM)[0]);
	});

	test('split line items from a typed list: the list\'s confidence goes with every line', () => {
		const items = extract(API_DOCUMENT, { splitLineItems: true });
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ lineNumber: 1, 'Items.Description': 'Professional Services', Items_confidence: 0.9, InvoiceId_confidence: 0.99 });
	});

	test('typed values inside nested objects and line items (Azure style) keep their own confidence', () => {
		const fields = {
			InvoiceTotal: { type: 'object', value: { Amount: { type: 'number', value: 12.5, confidence: 0.8 }, CurrencyCode: 'EUR' }, confidence: 0.7 },
			Items: {
				type: 'array',
				confidence: 0.6,
				value: [
					{ type: 'object', confidence: 0.5, value: { Description: { type: 'string', value: 'Pen', confidence: 0.4 }, Amount: { type: 'number', value: 2, confidence: null } } },
				],
			},
		};
		expect(extractFields(doc(fields))[0]).toStrictEqual({
			documentId: 'd1',
			documentType: 'invoice',
			documentStatus: 'ANALYZED',
			'InvoiceTotal.Amount': 12.5,
			'InvoiceTotal.CurrencyCode': 'EUR',
			Items: [{ Description: 'Pen', Amount: 2 }],
			InvoiceTotal_confidence: 0.7,
			'InvoiceTotal.Amount_confidence': 0.8,
			// Confidences inside an unsplit list have no column of their own.
			Items_confidence: 0.6,
		});
		expect(extractFields(doc(fields), { ...DEFAULT_EXTRACT_OPTIONS, splitLineItems: true })[0]).toStrictEqual({
			documentId: 'd1',
			documentType: 'invoice',
			documentStatus: 'ANALYZED',
			'InvoiceTotal.Amount': 12.5,
			'InvoiceTotal.CurrencyCode': 'EUR',
			lineNumber: 1,
			'Items.Description': 'Pen',
			'Items.Amount': 2,
			InvoiceTotal_confidence: 0.7,
			'InvoiceTotal.Amount_confidence': 0.8,
			Items_confidence: 0.6,
			line_confidence: 0.5,
			'Items.Description_confidence': 0.4,
			'Items.Amount_confidence': null,
		});
	});
});

describe('Extract Fields: edge cases', () => {
	test('missing and empty values stay as null columns', () => {
		const [item] = extractFields(
			doc({
				Empty: null,
				NoValue: { type: 'string', confidence: 0 },
				NullValue: { type: 'string', value: null, confidence: null },
				EmptyObject: {},
				Nested: { Inner: undefined },
			}),
		);
		expect(item).toStrictEqual({
			documentId: 'd1',
			documentType: 'invoice',
			documentStatus: 'ANALYZED',
			Empty: null,
			NoValue: null,
			NullValue: null,
			EmptyObject: null,
			'Nested.Inner': null,
			NoValue_confidence: 0,
			NullValue_confidence: null,
		});
	});

	test('a document without fields (document.created) gives its id, type and status', () => {
		expect(extract({ _id: 'new-doc', type: 'receipt', status: 'CREATED' })).toStrictEqual([{ documentId: 'new-doc', documentType: 'receipt', documentStatus: 'CREATED' }]);
		expect(extract({ ...TRIGGER_ITEM, fields: {} }, { splitLineItems: true })).toStrictEqual([INFO]);
	});

	test('data that merely has type/value keys is not mistaken for a typed value', () => {
		const [item] = extractFields(doc({ Tax: { type: 'VAT', value: 20 } }));
		expect(item).toMatchObject({ 'Tax.type': 'VAT', 'Tax.value': 20 });
		expect(item).not.toHaveProperty('Tax_confidence');
	});

	test('lists: primitives kept, objects in lists flattened, Split without line items keeps one item', () => {
		const fields = { Tags: ['a', 'b'], Rows: [{ Price: { Amount: 1, Currency: 'USD' } }], Single: 'x' };
		expect(extractFields(doc(fields))[0]).toMatchObject({ Tags: ['a', 'b'], Rows: [{ 'Price.Amount': 1, 'Price.Currency': 'USD' }], Single: 'x' });
		// Not "Items": the first field holding a list of objects is split.
		const split = extractFields(doc(fields), { ...DEFAULT_EXTRACT_OPTIONS, splitLineItems: true });
		expect(split).toStrictEqual([expect.objectContaining({ Tags: ['a', 'b'], lineNumber: 1, 'Rows.Price.Amount': 1, 'Rows.Price.Currency': 'USD' })]);
		expect(extractFields(doc({ Items: [], Total: 3 }), { ...DEFAULT_EXTRACT_OPTIONS, splitLineItems: true })).toStrictEqual([
			{ documentId: 'd1', documentType: 'invoice', documentStatus: 'ANALYZED', Total: 3 },
		]);
		// A named field that is not a list: nothing to split, the field stays.
		expect(extractFields(doc({ Items: 'n/a' }), { ...DEFAULT_EXTRACT_OPTIONS, splitLineItems: true, lineItemsField: 'Items' })).toHaveLength(1);
		// Line items of primitives.
		expect(extractFields(doc({ Codes: ['A', 'B'] }), { ...DEFAULT_EXTRACT_OPTIONS, splitLineItems: true, lineItemsField: 'Codes' })).toStrictEqual([
			expect.objectContaining({ lineNumber: 1, Codes: 'A' }),
			expect.objectContaining({ lineNumber: 2, Codes: 'B' }),
		]);
	});

	test('weird keys: dots, spaces, empty, __proto__, names already used — nothing lost or polluted', () => {
		const fields = JSON.parse(
			'{"__proto__": {"polluted": true}, "constructor": "c", "Invoice Number": "1", "": "blank", "A.B": "literal", "A": {"B": "nested"}, "documentId": "field", "x_confidence": 5, "x": {"type":"string","value":"v","confidence":0.5}}',
		) as IDataObject;
		const [item] = extractFields(doc(fields));
		expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
		expect(({} as IDataObject).polluted).toBeUndefined();
		expect(item['__proto__.polluted']).toBe(true);
		const [kept] = extractFields(doc(fields), { ...DEFAULT_EXTRACT_OPTIONS, nestedValues: 'keep' });
		expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
		expect(Object.prototype.hasOwnProperty.call(kept, '__proto__')).toBe(true);
		expect(JSON.stringify(kept)).toContain('"__proto__":{"polluted":true}');
		expect(item).toMatchObject({
			constructor: 'c',
			'Invoice Number': '1',
			'': 'blank',
			'A.B': 'literal',
			'A.B_2': 'nested',
			documentId: 'd1',
			documentId_2: 'field',
			x: 'v',
			x_confidence: 5,
			x_confidence_2: 0.5,
		});
		// JSON round trip (what n8n stores) keeps every column.
		expect(Object.keys(JSON.parse(JSON.stringify(item)) as IDataObject)).toEqual(Object.keys(item));
	});

	test('items that hold no document are not guessed at', () => {
		expect(locateDocument({ name: 'x' })).toBeUndefined();
		expect(locateDocument({ _id: 'mongo-id' })).toBeUndefined();
		expect(locateDocument({ fields: 'text' })).toBeUndefined();
		expect(locateDocument({ data: { document: WEBHOOK.doc } }, 'data.document')?.info).toStrictEqual(INFO);
		expect(locateDocument(TRIGGER_ITEM, 'nowhere')).toBeUndefined();
	});
});

/** The node's execute() in a mocked context; Docflo's API answers from `pages`. */
async function runNode(parameters: IDataObject, answer: (qs: IDataObject) => unknown, input: IDataObject[] = [{}]) {
	const httpRequestWithAuthentication = jest.fn();
	const ctx = mock<IExecuteFunctions>({
		helpers: mock<IExecuteFunctions['helpers']>({
			httpRequestWithAuthentication: httpRequestWithAuthentication as unknown as IExecuteFunctions['helpers']['httpRequestWithAuthentication'],
		}),
		logger: { info: jest.fn(), warn: jest.fn(), error: jest.fn(), debug: jest.fn(), verbose: jest.fn() } as unknown as IExecuteFunctions['logger'],
	});
	const calls: IDataObject[] = [];
	const defaults: IDataObject = { resource: 'document', operation: 'getMany', returnAll: false, limit: 50, filters: {}, listOptions: {}, extractOptions: {}, splitLineItems: false, lineItemsField: '' };
	ctx.getInputData.mockReturnValue(input.map((json) => ({ json })));
	ctx.getNode.mockReturnValue(mock<INode>({ name: 'Docflo', type: 'n8n-nodes-pdf-webhooks.docflo' }));
	ctx.getNodeParameter.mockImplementation(((name: string, _index: number, fallback?: unknown) => {
		const all = { ...defaults, ...parameters };
		return name in all ? all[name] : fallback;
	}) as IExecuteFunctions['getNodeParameter']);
	ctx.continueOnFail.mockReturnValue(false);
	ctx.getCredentials.mockResolvedValue({ tenantId: 't', apiKey: 'k', baseUrl: 'https://api.docflo.ai/' });
	httpRequestWithAuthentication.mockImplementation(async (_type: string, options: { url: string; qs?: IDataObject }) => {
		expect(options.url).toBe('https://api.docflo.ai/docs/v1/document');
		calls.push(options.qs ?? {});
		const body = Readable.from([Buffer.from(JSON.stringify(answer(options.qs ?? {})))]);
		return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
	});
	const [output] = (await new Docflo().execute.call(ctx)) as INodeExecutionData[][];
	return { output, calls };
}

const DOCS = Array.from({ length: 7 }, (_, i) => ({ _id: `doc-${i + 1}`, type: 'invoice', status: 'ANALYZED', fields: { N: i + 1 } }));
const slice = (qs: IDataObject) => DOCS.slice(Number(qs.skip), Number(qs.skip) + Number(qs.top));

describe('Get Many', () => {
	test.each([
		['a bare array', (qs: IDataObject) => slice(qs)],
		['{data}', (qs: IDataObject) => ({ data: slice(qs), total: DOCS.length })],
		['{items}', (qs: IDataObject) => ({ items: slice(qs) })],
		['{value}', (qs: IDataObject) => ({ value: slice(qs) })],
		['{documents}', (qs: IDataObject) => ({ documents: slice(qs) })],
	])('Return All pages with skip/top until a short page: %s', async (_shape, answer) => {
		const { output, calls } = await runNode({ returnAll: true, listOptions: { pageSize: 3 }, filters: { type: 'invoice', status: ' ' } }, answer);
		expect(output.map((i) => i.json._id)).toEqual(DOCS.map((d) => d._id));
		expect(output.every((i) => JSON.stringify(i.pairedItem) === '{"item":0}')).toBe(true);
		expect(calls).toEqual([
			{ type: 'invoice', skip: 0, top: 3 },
			{ type: 'invoice', skip: 3, top: 3 },
			{ type: 'invoice', skip: 6, top: 3 },
		]);
	});

	test('a page exactly full then an empty page ends; a total lets a capped page size go on', async () => {
		const six = DOCS.slice(0, 6);
		const { output, calls } = await runNode({ returnAll: true, listOptions: { pageSize: 3 } }, (qs) => six.slice(Number(qs.skip), Number(qs.skip) + 3));
		expect(output).toHaveLength(6);
		expect(calls.map((c) => c.skip)).toEqual([0, 3, 6]);
		// The server silently returns 2 although 5 were asked for; its total says there is more.
		const capped = await runNode({ returnAll: true, listOptions: { pageSize: 5 } }, (qs) => ({ data: DOCS.slice(Number(qs.skip), Number(qs.skip) + 2), total: 7 }));
		expect(capped.output).toHaveLength(7);
		expect(capped.calls.map((c) => c.skip)).toEqual([0, 2, 4, 6]);
	});

	test('Limit stops early and asks for no more than needed', async () => {
		const { output, calls } = await runNode({ limit: 4, listOptions: { pageSize: 3 } }, (qs) => ({ data: slice(qs) }));
		expect(output.map((i) => i.json._id)).toEqual(['doc-1', 'doc-2', 'doc-3', 'doc-4']);
		expect(calls.map((c) => [c.skip, c.top])).toEqual([
			[0, 3],
			[3, 1],
		]);
	});

	test('filters, sorting and extra parameters become the documented query', async () => {
		const { calls } = await runNode(
			{
				filters: { type: 'invoice', status: 'APPROVED', source: 'email', search: 'Acme', createdFrom: '2025-03-01T00:00:00', createdTo: new Date('2025-03-31T00:00:00Z') },
				listOptions: { sortBy: 'createdAt', sortOrder: 'asc', additionalQuery: { parameter: [{ name: 'vendor', value: 'x' }, { name: 'top', value: '999' }] } },
			},
			() => [],
		);
		expect(calls).toEqual([
			{
				vendor: 'x',
				type: 'invoice',
				status: 'APPROVED',
				source: 'email',
				search: 'Acme',
				createdFrom: '2025-03-01T00:00:00',
				createdTo: '2025-03-31T00:00:00.000Z',
				sortBy: 'createdAt',
				sortOrder: 'asc',
				skip: 0,
				top: 50,
			},
		]);
	});

	test('an unknown list shape and a server that ignores skip fail with a clear message', async () => {
		await expect(runNode({}, () => ({ rows: [] }))).rejects.toThrow(/Docflo answered the document list in a form this node does not recognise/);
		await expect(runNode({ returnAll: true, listOptions: { pageSize: 2 } }, () => DOCS.slice(0, 2))).rejects.toThrow(/Docflo returned the same documents again for skip=2/);
	});
});

describe('Extract Fields in the node', () => {
	test('every output item is paired with its input item; an item without a document fails clearly', async () => {
		const { output, calls } = await runNode({ operation: 'extractFields', splitLineItems: true }, () => [], [TRIGGER_ITEM, WEBHOOK]);
		expect(calls).toHaveLength(0);
		expect(output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[1].json).toMatchObject({ ...INFO, lineNumber: 1, 'Items.Amount': 1500 });
		await expect(runNode({ operation: 'extractFields' }, () => [], [{ hello: 'world' }])).rejects.toThrow(/The input item holds no Docflo document/);
	});
});

describe('Get Many: the request as Docflo receives it', () => {
	const node = new Docflo();
	const CREDENTIALS = { tenantId: 'tenant-1', apiKey: 'docflo-key-SECRET', baseUrl: 'https://api.docflo.ai/' };

	test('GET /docs/v1/document with the tenant and API key headers', async () => {
		const { output, requests, credentialTypesRead } = await runAction({
			node,
			parameters: { resource: 'document', operation: 'getMany', limit: 2 },
			credentials: CREDENTIALS,
			responses: [json({ data: DOCS.slice(0, 2), total: 7 })],
		});
		expect(credentialTypesRead).toEqual(['docfloApi']);
		expect(requests.map((r) => shape(r, ['x-tenant-id', 'apiKey']))).toEqual([
			{
				via: 'auth',
				method: 'GET',
				url: 'https://api.docflo.ai/docs/v1/document?skip=0&top=2',
				body: undefined,
				headers: { 'x-tenant-id': 'tenant-1', apiKey: 'docflo-key-SECRET' },
			},
		]);
		expect(output.map((i) => i.json._id)).toEqual(['doc-1', 'doc-2']);
	});

	test('a 401 is a NodeApiError naming Docflo, the status and what to do, without the key; a 503 is retried', async () => {
		const { error } = await runActionError({ node, parameters: { resource: 'document', operation: 'getMany' }, credentials: CREDENTIALS, responses: [json({ message: 'Unauthorized' }, 401)] });
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(/^Docflo answered HTTP 401/);
		expect(error.description).toMatch(/Check the API key in the credential/);
		expect(JSON.stringify(error)).not.toContain('docflo-key-SECRET');
		const retried = await runAction({ node, parameters: { resource: 'document', operation: 'getMany' }, credentials: CREDENTIALS, responses: [json({}, 503), json([])] });
		expect(retried.requests).toHaveLength(2);
	});

	test('Extract Fields reads no credential and sends nothing', async () => {
		const { output, requests, credentialTypesRead } = await runAction({ node, parameters: { resource: 'document', operation: 'extractFields' }, items: [WEBHOOK] });
		expect(requests).toHaveLength(0);
		expect(credentialTypesRead).toEqual([]);
		expect(output[0].json).toMatchObject({ ...INFO, InvoiceId: 'INV-2025-001' });
	});

	test('Continue On Fail: an item without a document becomes an error item, the others go on', async () => {
		const { output } = await runAction({ node, parameters: { resource: 'document', operation: 'extractFields' }, items: [{ hello: 'world' }, WEBHOOK], continueOnFail: true });
		expect(output[0]).toEqual({ json: { error: 'The input item holds no Docflo document', message: expect.stringMatching(/Connect this node/) }, pairedItem: { item: 0 } });
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});
});
