import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { forEachItem, optionalString, requiredId } from '../../../../core/actions/execute';
import { downloadOnce } from '../../../../core/actions/output';
import { connect } from '../../../../core/actions/policy';
import { readDownloadSettings } from '../../../../core/actions/properties';
import { pdfGorilla } from '../../descriptor';
import { downloadJob } from '../jobs';

export const option: INodePropertyOptions = {
	name: 'Download',
	value: 'download',
	action: 'Download a PDF',
	description: 'Download a rendered PDF, getting a fresh link when the event\'s one has expired',
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Download URL',
		name: 'downloadUrl',
		type: 'string',
		default: '={{ $json.downloadUrl }}',
		displayOptions: { show: { operation: ['download'] } },
		description: 'The short-lived link from the event. Tried first; when it is missing or has expired, the node asks the API for a fresh one.',
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex, item) => {
		const settings = readDownloadSettings(this, itemIndex);
		const connection = await connect(this, pdfGorilla, settings);
		const jobId = requiredId(this, 'jobId', 'Job ID', itemIndex);
		const eventUrl = optionalString(this, 'downloadUrl', itemIndex) || undefined;
		return await downloadOnce(this, item, settings, { key: `pdfGorilla:job:${jobId}`, what: `job ${jobId}` }, async () =>
			await downloadJob(this, connection, jobId, eventUrl, settings, itemIndex),
		);
	});
}
