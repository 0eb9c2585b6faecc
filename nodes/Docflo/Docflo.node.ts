import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { resourceProperties, routeExecute, type ActionNodeShape } from '../../core/actions/router';
import { document } from './actions/document';
import * as extractFields from './actions/document/extractFields';
import * as getMany from './actions/document/getMany';

const SHAPE: ActionNodeShape = { resources: [document], defaultResource: 'document' };

export class Docflo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Docflo',
		name: 'docflo',
		icon: { light: 'file:docflo.svg', dark: 'file:docflo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Turn the fields Docflo extracted from a document into clean items, and search documents',
		defaults: { name: 'Docflo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'docfloApi', required: true, displayOptions: { show: { operation: ['getMany'] } } }],
		properties: [
			...resourceProperties(SHAPE),
			...extractFields.properties,
			...getMany.properties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeExecute(this, SHAPE);
	}
}
