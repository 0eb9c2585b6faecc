import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { forEachItem } from '../../../../core/actions/execute';
import { apiCall, connect } from '../../../../core/actions/policy';
import { NO_DOWNLOAD_SETTINGS } from '../../../../core/actions/properties';
import { requestJson } from '../../../../core/fetch/transport';
import { docGenLab } from '../../descriptor';

export const option: INodePropertyOptions = { name: 'Get Many', value: 'getAll', action: 'Get many templates', description: 'List the organisation\'s templates' };

const show = { resource: ['template'], operation: ['getAll'] };

export const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		displayOptions: { show: { ...show, returnAll: [false] } },
		description: 'Max number of results to return',
	},
];

/** GET /templates/ has no paging: the whole list comes in one answer, cut to the limit here. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const connection = await connect(this, docGenLab, NO_DOWNLOAD_SETTINGS);
		const { body } = await requestJson<unknown>(this, apiCall(connection, { method: 'GET', path: '/templates/' }, itemIndex));
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const templates = listOf(body);
		const limited = returnAll ? templates : templates.slice(0, Math.max(1, this.getNodeParameter('limit', itemIndex, 50) as number));
		return limited.map((template) => ({ json: template, pairedItem: { item: itemIndex } }));
	});
}

/** GET /templates/ answers an array; an object wrapping one is accepted too. */
function listOf(body: unknown): IDataObject[] {
	if (Array.isArray(body)) return body as IDataObject[];
	if (body && typeof body === 'object') {
		for (const key of ['templates', 'items', 'data']) {
			const value = (body as IDataObject)[key];
			if (Array.isArray(value)) return value as IDataObject[];
		}
		return [body as IDataObject];
	}
	return [];
}
