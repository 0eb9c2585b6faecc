import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { forEachItem, requiredId } from '../../core/actions/execute';
import { withFile } from '../../core/actions/output';
import { connect, fileCall } from '../../core/actions/policy';
import { downloadProperties, readDownloadSettings } from '../../core/actions/properties';
import { downloadToBinary } from '../../core/fetch/download';
import { sampleDocs } from './descriptor';

export class SampleDocs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sample Docs',
		name: 'sampleDocs',
		icon: 'file:sampledocs.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Download Sample Docs documents',
		defaults: { name: 'Sample Docs' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sampleDocsApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Document', value: 'document' }],
				default: 'document',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['document'] } },
				options: [{ name: 'Download', value: 'download', action: 'Download a document', description: 'Download a document\'s PDF' }],
				default: 'download',
			},
			{
				displayName: 'Document ID',
				name: 'documentId',
				type: 'string',
				default: '={{ $json.documentId }}',
				required: true,
				displayOptions: { show: { resource: ['document'], operation: ['download'] } },
			},
			...downloadProperties({ resource: ['document'], operation: ['download'] }),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await forEachItem(this, async (itemIndex, item) => {
			const settings = readDownloadSettings(this, itemIndex);
			const documentId = requiredId(this, 'documentId', 'Document ID', itemIndex);
			const connection = await connect(this, sampleDocs, settings);
			const url = `${connection.baseUrl}/documents/${encodeURIComponent(documentId)}/file`;
			const file = await downloadToBinary(this, fileCall(connection, url, itemIndex, settings.timeoutMs), {
				expectedFormat: 'pdf',
				maxBytes: settings.maxBytes,
				totalTimeoutMs: settings.totalTimeoutMs,
				fileName: settings.fileName,
			});
			return [withFile(item.json, file, settings.binaryPropertyName)];
		});
	}
}
