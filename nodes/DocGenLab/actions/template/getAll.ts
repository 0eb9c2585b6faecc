import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { forEachItem } from '../../../../core/actions/execute';
import { limitProperties, readLimit } from '../../../../core/actions/list';
import { apiCall, connect } from '../../../../core/actions/policy';
import { NO_DOWNLOAD_SETTINGS } from '../../../../core/actions/properties';
import { requestJson } from '../../../../core/fetch/transport';
import { docGenLab } from '../../descriptor';
import { TEMPLATES_PATH, templatesOf } from '../templates';

export const option: INodePropertyOptions = { name: 'Get Many', value: 'getAll', action: 'Get many templates', description: 'Get the organisation\'s templates, one item each' };

export const properties: INodeProperties[] = limitProperties({ resource: ['template'], operation: ['getAll'] });

/** GET /templates/ has no paging: the whole list comes in one answer, cut to the limit here. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const connection = await connect(this, docGenLab, NO_DOWNLOAD_SETTINGS);
		const { body } = await requestJson<unknown>(this, apiCall(connection, { method: 'GET', path: TEMPLATES_PATH }, itemIndex));
		const limited = templatesOf(body).slice(0, readLimit(this, itemIndex));
		return limited.map((template) => ({ json: template, pairedItem: { item: itemIndex } }));
	});
}
