import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { forEachItem } from '../../../../core/actions/execute';
import { limitProperties } from '../../../../core/actions/list';
import { connect } from '../../../../core/actions/policy';
import { NO_DOWNLOAD_SETTINGS } from '../../../../core/actions/properties';
import { docflo } from '../../descriptor';
import { DEFAULT_PAGE_SIZE, listDocuments } from '../documentList';

export const option: INodePropertyOptions = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many documents',
	description: 'Search the documents in your Docflo tenant',
};

const show = { operation: ['getMany'] };

export const properties: INodeProperties[] = [
	...limitProperties(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show },
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
		displayOptions: { show },
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
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const connection = await connect(this, docflo, NO_DOWNLOAD_SETTINGS);
		const documents = await listDocuments(this, connection, itemIndex);
		return documents.map((json) => ({ json, pairedItem: { item: itemIndex } }));
	});
}
