import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { resourceProperties, routeExecute, type ActionNodeShape } from '../../core/actions/router';
import { document } from './actions/document';
import * as download from './actions/document/download';

const SHAPE: ActionNodeShape = { resources: [document], defaultResource: 'document' };

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
		properties: [...resourceProperties(SHAPE), ...download.properties],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeExecute(this, SHAPE);
	}
}
