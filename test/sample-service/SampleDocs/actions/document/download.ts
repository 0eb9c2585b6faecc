import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { forEachItem, requiredId } from '../../../../core/actions/execute';
import { downloadOnce } from '../../../../core/actions/output';
import { connect, fileCall } from '../../../../core/actions/policy';
import { downloadProperties, readDownloadSettings } from '../../../../core/actions/properties';
import { downloadToBinary } from '../../../../core/fetch/download';
import { sampleDocs } from '../../descriptor';

const show = { resource: ['document'], operation: ['download'] };

export const option: INodePropertyOptions = { name: 'Download', value: 'download', action: 'Download a document', description: 'Download a document\'s PDF' };

export const properties: INodeProperties[] = [
	{ displayName: 'Document ID', name: 'documentId', type: 'string', default: '={{ $json.documentId }}', required: true, displayOptions: { show } },
	...downloadProperties(show),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex, item) => {
		const settings = readDownloadSettings(this, itemIndex);
		const documentId = requiredId(this, 'documentId', 'Document ID', itemIndex);
		const connection = await connect(this, sampleDocs, settings);
		const url = `${connection.baseUrl}/documents/${encodeURIComponent(documentId)}/file`;
		return await downloadOnce(this, item, settings, { key: `sampleDocs:document:${documentId}`, what: `document ${documentId}` }, async () =>
			await downloadToBinary(this, fileCall(connection, url, itemIndex, settings.timeoutMs), {
				expectedFormat: 'pdf',
				maxBytes: settings.maxBytes,
				totalTimeoutMs: settings.totalTimeoutMs,
				fileName: settings.fileName,
			}),
		);
	});
}
