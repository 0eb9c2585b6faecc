import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { forEachItem } from '../../core/actions/execute';
import { apiCall, connect, type ServiceConnection } from '../../core/actions/policy';
import { NO_DOWNLOAD_SETTINGS } from '../../core/actions/properties';
import { requestJson } from '../../core/fetch/transport';
import { docflo } from './descriptor';
import { extractFields, isPlainObject, locateDocument, type ExtractOptions } from './fields';

const LIST_PATH = '/docs/v1/document';
const DEFAULT_PAGE_SIZE = 50;

export class Docflo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Docflo',
		name: 'docflo',
		icon: { light: 'file:docflo.svg', dark: 'file:docflo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Turn the fields Docflo extracted from a document into clean items, and search documents',
		defaults: { name: 'Docflo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'docfloApi', required: true, displayOptions: { show: { operation: ['getMany'] } } }],
		properties: [
			{
				displayName:
					'Docflo sends a document\'s extracted data, not a file. Getting a single document by ID and downloading the original file are not documented by Docflo, so this node does not offer them.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Document', value: 'document' }],
				default: 'document',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['document'] } },
				options: [
					{
						name: 'Extract Fields',
						value: 'extractFields',
						action: 'Extract the fields of a document',
						description:
							'Turn the fields of a Docflo document (from a Docflo Trigger or Get Many) into clean items for a spreadsheet, without calling Docflo',
					},
					{
						name: 'Get Many',
						value: 'getMany',
						action: 'Get many documents',
						description: 'Search the documents in your Docflo tenant',
					},
				],
				default: 'extractFields',
			},

			// Extract Fields
			{
				displayName: 'Split Line Items',
				name: 'splitLineItems',
				type: 'boolean',
				default: false,
				displayOptions: { show: { operation: ['extractFields'] } },
				description:
					'Whether to output one item per line item (e.g. each entry of an invoice\'s Items), each with the document\'s header fields such as InvoiceId. A document without line items gives one item.',
			},
			{
				displayName: 'Line Items Field',
				name: 'lineItemsField',
				type: 'string',
				default: '',
				placeholder: 'e.g. Items',
				displayOptions: { show: { operation: ['extractFields'], splitLineItems: [true] } },
				description: 'The field holding the list to split. Leave empty to use Items, or else the first field holding a list.',
			},
			{
				displayName: 'Options',
				name: 'extractOptions',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { operation: ['extractFields'] } },
				options: [
					{
						displayName: 'Confidence',
						name: 'confidence',
						type: 'options',
						default: 'columns',
						options: [
							{
								name: 'As Columns',
								value: 'columns',
								description: 'A column next to the values per field, e.g. InvoiceId_confidence: 0.99',
							},
							{
								name: 'As One Object',
								value: 'object',
								description: 'All under confidence, e.g. confidence: { InvoiceId: 0.99 }',
							},
							{ name: 'Leave Out', value: 'none' },
						],
						description:
							'How to output how sure Docflo is of each value (0 to 1). Only documents from the Docflo API carry it; webhook events hold plain values.',
					},
					{
						displayName: 'Document Field',
						name: 'documentField',
						type: 'string',
						default: '',
						placeholder: 'e.g. body.doc',
						description:
							'Where the document is in the input item, in dot notation. Leave empty to find it: the Docflo Trigger\'s output, a document from Get Many, a webhook body (doc) or a Webhook node\'s output (body.doc).',
					},
					{
						displayName: 'Nested Values',
						name: 'nestedValues',
						type: 'options',
						default: 'flatten',
						options: [
							{
								name: 'Flatten',
								value: 'flatten',
								description: 'One column per part, e.g. InvoiceTotal.Amount and InvoiceTotal.CurrencyCode',
							},
							{ name: 'Keep as Objects', value: 'keep', description: 'One value holding its parts, e.g. InvoiceTotal: { Amount, CurrencyCode }' },
						],
						description: 'How to output values made of several parts, such as an amount with its currency',
					},
				],
			},

			// Get Many
			{
				displayName: 'Return All',
				name: 'returnAll',
				type: 'boolean',
				default: false,
				displayOptions: { show: { operation: ['getMany'] } },
				description: 'Whether to return all results or only up to a given limit',
			},
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 50,
				displayOptions: { show: { operation: ['getMany'], returnAll: [false] } },
				description: 'Max number of results to return',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				displayOptions: { show: { operation: ['getMany'] } },
				options: [
					{
						displayName: 'Created After',
						name: 'createdFrom',
						type: 'dateTime',
						default: '',
						description: 'Only documents created at or after this time',
					},
					{
						displayName: 'Created Before',
						name: 'createdTo',
						type: 'dateTime',
						default: '',
						description: 'Only documents created at or before this time',
					},
					{
						displayName: 'Search',
						name: 'search',
						type: 'string',
						default: '',
						description: 'Text to search the documents for',
					},
					{
						displayName: 'Source',
						name: 'source',
						type: 'string',
						default: '',
						placeholder: 'e.g. email',
						description: 'Only documents that arrived this way',
					},
					{
						displayName: 'Status',
						name: 'status',
						type: 'string',
						default: '',
						placeholder: 'e.g. ANALYZED',
						description: 'Only documents in this status',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'string',
						default: '',
						placeholder: 'e.g. invoice',
						description: 'Only documents of this type',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'listOptions',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { operation: ['getMany'] } },
				options: [
					{
						displayName: 'Additional Query Parameters',
						name: 'additionalQuery',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						default: {},
						description: 'Other query parameters Docflo accepts; they are sent as given',
						options: [
							{
								displayName: 'Parameter',
								name: 'parameter',
								values: [
									{ displayName: 'Name', name: 'name', type: 'string', default: '' },
									{ displayName: 'Value', name: 'value', type: 'string', default: '' },
								],
							},
						],
					},
					{
						displayName: 'Page Size',
						name: 'pageSize',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_PAGE_SIZE,
						description: 'How many documents to ask for per request (top). Lower it if Docflo refuses the size.',
					},
					{
						displayName: 'Sort By',
						name: 'sortBy',
						type: 'string',
						default: '',
						placeholder: 'e.g. createdAt',
						description: 'The document property to sort by',
					},
					{
						displayName: 'Sort Order',
						name: 'sortOrder',
						type: 'options',
						default: 'desc',
						options: [
							{ name: 'Ascending', value: 'asc' },
							{ name: 'Descending', value: 'desc' },
						],
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		return await forEachItem(this, async (itemIndex, item) => {
			if (operation === 'extractFields') {
				const { options, documentField: path } = readExtractOptions(this, itemIndex);
				const document = locateDocument(item.json, path);
				if (!document) {
					throw new NodeOperationError(this.getNode(), 'The input item holds no Docflo document', {
						itemIndex,
						description: path
							? `Nothing with a "fields" object was found at "${path}". Check the Document Field option.`
							: 'Connect this node to a Docflo Trigger or to Get Many, or set the Document Field option to where the document (with its "fields") is in the item.',
					});
				}
				return extractFields(document, options).map((json) => ({ json, pairedItem: { item: itemIndex } }));
			}
			if (operation === 'getMany') {
				const connection = await connect(this, docflo, NO_DOWNLOAD_SETTINGS);
				const documents = await getMany(this, connection, itemIndex);
				return documents.map((json) => ({ json, pairedItem: { item: itemIndex } }));
			}
			throw new NodeOperationError(this.getNode(), `Unsupported operation ${operation}`, { itemIndex });
		});
	}
}

function readExtractOptions(ctx: IExecuteFunctions, itemIndex: number): { options: ExtractOptions; documentField?: string } {
	const options = ctx.getNodeParameter('extractOptions', itemIndex, {}) as { confidence?: string; nestedValues?: string; documentField?: string };
	const splitLineItems = ctx.getNodeParameter('splitLineItems', itemIndex, false) as boolean;
	return {
		options: {
			nestedValues: options.nestedValues === 'keep' ? 'keep' : 'flatten',
			confidence: options.confidence === 'object' || options.confidence === 'none' ? options.confidence : 'columns',
			splitLineItems,
			lineItemsField: splitLineItems ? String(ctx.getNodeParameter('lineItemsField', itemIndex, '') ?? '').trim() || undefined : undefined,
		},
		documentField: typeof options.documentField === 'string' ? options.documentField.trim() || undefined : undefined,
	};
}

/** A filter value as query text: trimmed strings, ISO dates (a dateTime field or a Luxon/Date from an expression). */
function queryText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
	if (typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return ((value as { toISO: () => string | null }).toISO() ?? undefined) || undefined;
	}
	const text = String(value).trim();
	return text === '' ? undefined : text;
}

function listQuery(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = ctx.getNodeParameter('listOptions', itemIndex, {}) as IDataObject & {
		additionalQuery?: { parameter?: Array<{ name?: string; value?: string }> };
	};
	const qs: IDataObject = {};
	for (const parameter of options.additionalQuery?.parameter ?? []) {
		const name = parameter.name?.trim();
		if (name) qs[name] = parameter.value ?? '';
	}
	for (const name of ['type', 'status', 'source', 'search', 'createdFrom', 'createdTo']) {
		const text = queryText(filters[name]);
		if (text !== undefined) qs[name] = text;
	}
	const sortBy = queryText(options.sortBy);
	if (sortBy !== undefined) qs.sortBy = sortBy;
	// Only sent with Sort Order chosen, so Docflo's own default applies otherwise.
	const sortOrder = queryText(options.sortOrder);
	if (sortOrder !== undefined) qs.sortOrder = sortOrder;
	return qs;
}

interface Page {
	documents: IDataObject[];
	total?: number;
}

/**
 * Docflo does not document the list response's shape. Accepted: a bare array of documents, or
 * an object with the array under data, items, value, documents or results (and a total count
 * under total, totalCount or count when it has one).
 */
function pageOf(body: unknown): Page | undefined {
	if (Array.isArray(body)) return { documents: body.filter(isPlainObject) };
	if (!isPlainObject(body)) return undefined;
	for (const key of ['data', 'items', 'value', 'documents', 'results']) {
		const list = body[key];
		if (Array.isArray(list)) {
			const total = [body.total, body.totalCount, body.count].find((n): n is number => typeof n === 'number' && Number.isFinite(n));
			return { documents: list.filter(isPlainObject), total };
		}
	}
	return undefined;
}

/** GET /docs/v1/document, page by page with skip and top, until a short page, the total, or the limit. */
async function getMany(ctx: IExecuteFunctions, connection: ServiceConnection, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : Math.max(1, ctx.getNodeParameter('limit', itemIndex, 50) as number);
	const options = ctx.getNodeParameter('listOptions', itemIndex, {}) as { pageSize?: number };
	const pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE));
	const query = listQuery(ctx, itemIndex);

	const documents: IDataObject[] = [];
	const seen = new Set<string>();
	let skip = 0;
	for (;;) {
		const top = Math.min(pageSize, limit - documents.length);
		const { body } = await requestJson<unknown>(ctx, apiCall(connection, { method: 'GET', path: LIST_PATH, qs: { ...query, skip, top } }, itemIndex));
		const page = pageOf(body);
		if (!page) {
			const keys = isPlainObject(body) ? Object.keys(body).slice(0, 10).join(', ') : typeof body;
			throw new NodeOperationError(ctx.getNode(), 'Docflo answered the document list in a form this node does not recognise', {
				itemIndex,
				description: `Expected a list of documents, or an object with one under data, items, value, documents or results; got: ${keys || 'an empty object'}.`,
			});
		}
		// Documents already returned (the list shifted while paging, or the server ignores skip) are left out.
		const fresh = page.documents.filter((doc) => {
			const id = [doc._id, doc.id, doc.documentId].find((v) => typeof v === 'string' || typeof v === 'number');
			const key = id === undefined ? `json:${JSON.stringify(doc)}` : `id:${String(id)}`;
			if (seen.has(key)) return false;
			seen.add(key);
			return true;
		});
		if (page.documents.length > 0 && fresh.length === 0) {
			throw new NodeOperationError(ctx.getNode(), `Docflo returned the same documents again for skip=${skip}`, {
				itemIndex,
				description: 'Docflo seems to ignore the skip parameter, so Return All would never end. Use a Limit instead.',
			});
		}
		documents.push(...fresh.slice(0, limit - documents.length));
		skip += page.documents.length;
		if (documents.length >= limit || page.documents.length === 0) break;
		// A short page is the last one, unless a total says the server just capped the page size.
		if (page.documents.length < top && !(page.total !== undefined && skip < page.total)) break;
		if (page.total !== undefined && skip >= page.total) break;
	}
	return documents;
}
