import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { forEachItem } from '../../../../core/actions/execute';
import { connect } from '../../../../core/actions/policy';
import { NO_DOWNLOAD_SETTINGS } from '../../../../core/actions/properties';
import { reportFlow } from '../../descriptor';
import { fetchDesigns } from '../designs';

export const option: INodePropertyOptions = {
	name: 'Get Many',
	value: 'list',
	action: 'Get many templates',
	description: 'Get the templates of the workspace, one item each',
};

export const properties: INodeProperties[] = [];

/** GET /file/designs: the whole list in one answer. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const connection = await connect(this, reportFlow, NO_DOWNLOAD_SETTINGS);
		return (await fetchDesigns(this, connection, itemIndex)).map((design) => ({ json: design, pairedItem: { item: itemIndex } }));
	});
}
