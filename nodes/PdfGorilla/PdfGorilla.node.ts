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
import { VISIBLE_DEFAULTS_VERSION, beforeVersion, fromVersion, nodeIsAtLeast } from '../../core/actions/versions';
import { WAIT_WEBHOOKS } from '../../core/actions/wait';
import { fileProperties, jobIdProperty, templateProperties } from './actions/fields';
import { job } from './actions/job';
import { pdf, pdfBeforeVersion2 } from './actions/pdf';
import * as download from './actions/pdf/download';
import * as generateAndWait from './actions/pdf/generateAndWait';
import * as generateAsync from './actions/pdf/generateAsync';

/** From version 2 every operation is under PDF; version 1 nodes keep Job (Download, Get) and PDF. */
const SHAPE: ActionNodeShape = { resources: [pdf], defaultResource: 'pdf' };
const VERSION_1_SHAPE: ActionNodeShape = { resources: [job, pdfBeforeVersion2], defaultResource: 'job' };

const shapeOf = (ctx: IExecuteFunctions | IWebhookFunctions) => (nodeIsAtLeast(ctx, VISIBLE_DEFAULTS_VERSION) ? SHAPE : VERSION_1_SHAPE);

export class PdfGorilla implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PDF Gorilla',
		name: 'pdfGorilla',
		icon: { light: 'file:pdfgorilla.svg', dark: 'file:pdfgorilla.dark.svg' },
		group: ['transform'],
		// 2: Skip Files Already Downloaded in view, every operation under PDF (see core/actions/versions.ts).
		version: [1, VISIBLE_DEFAULTS_VERSION],
		defaultVersion: VISIBLE_DEFAULTS_VERSION,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Generate PDFs from PDF Gorilla templates and download them',
		defaults: { name: 'PDF Gorilla' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pdfGorillaApi', required: true }],
		// The resume webhook of Generate and Wait (nothing is registered with PDF Gorilla).
		webhooks: WAIT_WEBHOOKS,
		properties: [
			...resourceProperties(VERSION_1_SHAPE, beforeVersion(VISIBLE_DEFAULTS_VERSION)),
			...resourceProperties(SHAPE, fromVersion(VISIBLE_DEFAULTS_VERSION)),
			jobIdProperty,
			...download.properties,
			...templateProperties,
			...generateAsync.properties,
			...fileProperties,
			...generateAndWait.properties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeExecute(this, shapeOf(this));
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await routeWebhook(this, shapeOf(this));
	}
}
