import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { LOCATOR_VERSION } from '../../core/actions/locator';
import { VISIBLE_DEFAULTS_VERSION } from '../../core/actions/versions';
import { resourceProperties, routeExecute, type ActionNodeShape } from '../../core/actions/router';
import { contentProperties, fileProperties, requestIdProperty, templateProperties } from './actions/fields';
import { file } from './actions/file';
import * as download from './actions/file/download';
import * as downloadZip from './actions/file/downloadZip';
import * as generateAsync from './actions/file/generateAsync';
import { template } from './actions/template';
import { searchDesigns } from './methods/listSearch';

const SHAPE: ActionNodeShape = { resources: [file, template], defaultResource: 'file' };

export class ReportFlow implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ReportFlow',
		name: 'reportFlow',
		icon: { light: 'file:reportflow.svg', dark: 'file:reportflow.dark.svg' },
		group: ['transform'],
		// 1.1: the Template parameter is a picker (From List / By ID); version 1 nodes keep their text field.
		// 2: Skip Files Already Downloaded in view (see core/actions/versions.ts).
		version: [1, LOCATOR_VERSION, VISIBLE_DEFAULTS_VERSION],
		defaultVersion: VISIBLE_DEFAULTS_VERSION,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Generate PDFs from ReportFlow templates and download the files of finished requests',
		defaults: { name: 'ReportFlow' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'reportFlowApi', required: true }],
		properties: [
			...resourceProperties(SHAPE),
			requestIdProperty,
			...download.properties,
			...downloadZip.properties,
			...templateProperties,
			...contentProperties,
			...generateAsync.properties,
			...fileProperties,
		],
	};

	methods = { listSearch: { searchDesigns } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeExecute(this, SHAPE);
	}
}
