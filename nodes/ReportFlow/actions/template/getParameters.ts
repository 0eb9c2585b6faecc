import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { forEachItem, requiredId } from '../../../../core/actions/execute';
import { isPlainObject } from '../../../../core/values';
import { apiCall, connect } from '../../../../core/actions/policy';
import { NO_DOWNLOAD_SETTINGS } from '../../../../core/actions/properties';
import { requestJson } from '../../../../core/fetch/transport';
import { reportFlow } from '../../descriptor';

export const option: INodePropertyOptions = {
	name: 'Get Parameters',
	value: 'getParameters',
	action: 'Get the parameters of a template',
	description: 'Get the values a template expects, to fill in Generate',
};

/** Template ID and Version are shared with Generate (see ../fields.ts). */
export const properties: INodeProperties[] = [];

/** GET /file/design/parameter/{designId}; without a version ReportFlow describes the latest one. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const connection = await connect(this, reportFlow, NO_DOWNLOAD_SETTINGS);
		const designId = requiredId(this, 'designId', 'Template ID', itemIndex);
		const version = Number(this.getNodeParameter('version', itemIndex, 0));
		const { body } = await requestJson<unknown>(
			this,
			apiCall(
				connection,
				{ method: 'GET', path: `/file/design/parameter/${encodeURIComponent(designId)}`, qs: version >= 1 ? { version: Math.floor(version) } : undefined },
				itemIndex,
			),
		);
		const json: IDataObject = isPlainObject(body) ? body : { designId, parameters: body as IDataObject[] };
		return [{ json, pairedItem: { item: itemIndex } }];
	});
}
