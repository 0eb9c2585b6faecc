import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { forEachItem, requiredId } from '../../../../core/actions/execute';
import { connect } from '../../../../core/actions/policy';
import { NO_DOWNLOAD_SETTINGS } from '../../../../core/actions/properties';
import { docGenLab } from '../../descriptor';
import { getDocument } from '../documents';

export const option: INodePropertyOptions = {
	name: 'Get',
	value: 'get',
	action: 'Get the status of a document',
	description: 'Get a document\'s status, and its error if it failed',
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Document ID',
		name: 'documentId',
		type: 'string',
		default: '={{ $json.jobId }}',
		required: true,
		displayOptions: { show: { resource: ['document'], operation: ['get'] } },
		description: 'The document to get. The default reads it from a DocGenLab Trigger\'s output (its job_id); after Generate use its ID.',
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const connection = await connect(this, docGenLab, NO_DOWNLOAD_SETTINGS);
		const documentId = requiredId(this, 'documentId', 'Document ID', itemIndex);
		return [{ json: await getDocument(this, connection, documentId, itemIndex), pairedItem: { item: itemIndex } }];
	});
}
