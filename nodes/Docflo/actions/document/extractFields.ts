import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';

import { forEachItem } from '../../../../core/actions/execute';
import { extractFields, locateDocument, type ExtractOptions } from '../extract';

export const option: INodePropertyOptions = {
	name: 'Extract Fields',
	value: 'extractFields',
	action: 'Extract the fields of a document',
	description: 'Turn the fields of a Docflo document (from a Docflo Trigger or Get Many) into clean items for a spreadsheet, without calling Docflo',
};

const show = { operation: ['extractFields'] };

const confidenceOption: INodeProperties = {
	displayName: 'Confidence',
	name: 'confidence',
	type: 'options',
	default: 'columns',
	options: [
		{ name: 'As Columns', value: 'columns', description: 'A column next to the values per field, e.g. InvoiceId_confidence: 0.99' },
		{ name: 'As One Object', value: 'object', description: 'All under confidence, e.g. confidence: { InvoiceId: 0.99 }' },
		{ name: 'Leave Out', value: 'none' },
	],
	description: 'How to output how sure Docflo is of each value (0 to 1). Only documents from the Docflo API carry it; webhook events hold plain values.',
};

const nestedValuesOption: INodeProperties = {
	displayName: 'Nested Values',
	name: 'nestedValues',
	type: 'options',
	default: 'flatten',
	options: [
		{ name: 'Flatten', value: 'flatten', description: 'One column per part, e.g. InvoiceTotal.Amount and InvoiceTotal.CurrencyCode' },
		{ name: 'Keep as Objects', value: 'keep', description: 'One value holding its parts, e.g. InvoiceTotal: { Amount, CurrencyCode }' },
	],
	description: 'How to output values made of several parts, such as an amount with its currency',
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Split Line Items',
		name: 'splitLineItems',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description:
			'Whether to output one item per line item (e.g. each entry of an invoice\'s Items), each with the document\'s header fields such as InvoiceId. A document without line items gives one item.',
	},
	{
		displayName: 'Line Items Field',
		name: 'lineItemsField',
		type: 'string',
		default: '',
		placeholder: 'e.g. Items',
		displayOptions: { show: { ...show, splitLineItems: [true] } },
		description: 'The field holding the list to split. Leave empty to use Items, or else the first field holding a list.',
	},
	{
		displayName: 'Options',
		name: 'extractOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			confidenceOption,
			{
				displayName: 'Document Field',
				name: 'documentField',
				type: 'string',
				default: '',
				placeholder: 'e.g. body.doc',
				description:
					'Where the document is in the input item, in dot notation. Leave empty to find it: the Docflo Trigger\'s output, a document from Get Many, a webhook body (doc) or a Webhook node\'s output (body.doc).',
			},
			nestedValuesOption,
		],
	},
];

/** Works on the input alone: Docflo is not called, and no credential is needed. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex, item) => {
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
	});
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
