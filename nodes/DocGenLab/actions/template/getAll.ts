import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { forEachItem } from '../../../../core/actions/execute';
import { limitProperties, readLimit } from '../../../../core/actions/list';
import { apiCall, connect } from '../../../../core/actions/policy';
import { NO_DOWNLOAD_SETTINGS } from '../../../../core/actions/properties';
import { requestJson } from '../../../../core/fetch/transport';
import { docGenLab } from '../../descriptor';

export const option: INodePropertyOptions = { name: 'Get Many', value: 'getAll', action: 'Get many templates', description: 'List the organisation\'s templates' };

export const properties: INodeProperties[] = limitProperties({ resource: ['template'], operation: ['getAll'] });

/** GET /templates/ has no paging: the whole list comes in one answer, cut to the limit here. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const connection = await connect(this, docGenLab, NO_DOWNLOAD_SETTINGS);
		const { body } = await requestJson<unknown>(this, apiCall(connection, { method: 'GET', path: '/templates/' }, itemIndex));
		const limited = listOf(body).slice(0, readLimit(this, itemIndex));
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
