import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { forEachItem, requiredId } from '../../../../core/actions/execute';
import { connect } from '../../../../core/actions/policy';
import { NO_DOWNLOAD_SETTINGS } from '../../../../core/actions/properties';
import { pdfGorilla } from '../../descriptor';
import { getJob } from '../jobs';

export const option: INodePropertyOptions = {
	name: 'Get',
	value: 'get',
	action: 'Get the status of a PDF',
	description: 'Get a render\'s status, a fresh download URL and its error',
};

/** Only the Job ID, which Download shares (see ../fields.ts). */
export const properties: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const connection = await connect(this, pdfGorilla, NO_DOWNLOAD_SETTINGS);
		const jobId = requiredId(this, 'jobId', 'Job ID', itemIndex);
		return [{ json: await getJob(this, connection, jobId, itemIndex), pairedItem: { item: itemIndex } }];
	});
}
