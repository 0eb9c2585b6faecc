import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { resourceProperties, routeExecute, type ActionNodeShape } from '../../core/actions/router';
import { fileProperties, jobIdProperty, templateProperties } from './actions/fields';
import { job } from './actions/job';
import * as download from './actions/job/download';
import { pdf } from './actions/pdf';
import * as generateAsync from './actions/pdf/generateAsync';

const SHAPE: ActionNodeShape = { resources: [job, pdf], defaultResource: 'job' };

export class PdfGorilla implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PDF Gorilla',
		name: 'pdfGorilla',
		icon: { light: 'file:pdfgorilla.svg', dark: 'file:pdfgorilla.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Render PDFs from PDF Gorilla templates and download finished jobs',
		defaults: { name: 'PDF Gorilla' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pdfGorillaApi', required: true }],
		properties: [
			...resourceProperties(SHAPE),
			jobIdProperty,
			...download.properties,
			...templateProperties,
			...generateAsync.properties,
			...fileProperties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeExecute(this, SHAPE);
	}
}
