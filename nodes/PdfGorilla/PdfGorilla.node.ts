import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { resourceProperties, routeExecute, routeWebhook, type ActionNodeShape } from '../../core/actions/router';
import { WAIT_WEBHOOKS } from '../../core/actions/wait';
import { fileProperties, jobIdProperty, templateProperties } from './actions/fields';
import { job } from './actions/job';
import * as download from './actions/job/download';
import { pdf } from './actions/pdf';
import * as generateAndWait from './actions/pdf/generateAndWait';
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
		// The resume webhook of Generate and Wait (nothing is registered with PDF Gorilla).
		webhooks: WAIT_WEBHOOKS,
		properties: [
			...resourceProperties(SHAPE),
			jobIdProperty,
			...download.properties,
			...templateProperties,
			...generateAsync.properties,
			...fileProperties,
			...generateAndWait.properties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeExecute(this, SHAPE);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await routeWebhook(this, SHAPE);
	}
}
