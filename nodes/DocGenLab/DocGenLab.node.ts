import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { LOCATOR_VERSION } from '../../core/actions/locator';
import { VISIBLE_DEFAULTS_VERSION } from '../../core/actions/versions';
import { downloadProperties } from '../../core/actions/properties';
import { resourceProperties, routeExecute, routeWebhook, type ActionNodeShape } from '../../core/actions/router';
import { WAIT_WEBHOOKS } from '../../core/actions/wait';
import { document } from './actions/document';
import { docGenLab } from './descriptor';
import * as download from './actions/document/download';
import * as generate from './actions/document/generate';
import * as generateAndWait from './actions/document/generateAndWait';
import * as get from './actions/document/get';
import { template } from './actions/template';
import * as getAll from './actions/template/getAll';
import { searchTemplates } from './methods/listSearch';

const SHAPE: ActionNodeShape = { resources: [document, template], defaultResource: 'document' };

export class DocGenLab implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DocGenLab',
		name: 'docGenLab',
		icon: { light: 'file:docgenlab.svg', dark: 'file:docgenlab.dark.svg' },
		group: ['transform'],
		// 1.1: the Template parameter is a picker (From List / By ID); version 1 nodes keep their text field.
		// 2: Skip Files Already Downloaded in view (see core/actions/versions.ts).
		version: [1, LOCATOR_VERSION, VISIBLE_DEFAULTS_VERSION],
		defaultVersion: VISIBLE_DEFAULTS_VERSION,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Generate documents from DocGenLab templates and download finished ones',
		defaults: { name: 'DocGenLab' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// n8n reads a node's credential through its one description, so Download's "no credential"
		// case is a parameter: with Fall Back to API off, the credential is hidden and never read.
		credentials: [{ name: 'docGenLabApi', required: true, displayOptions: { hide: { apiFallback: [false] } } }],
		// The resume webhook of Generate and Wait (nothing is registered with DocGenLab).
		webhooks: WAIT_WEBHOOKS,
		properties: [
			...resourceProperties(SHAPE),
			...get.properties,
			...download.properties,
			...generate.properties,
			...downloadProperties({ resource: ['document'], operation: ['download'] }, ['download'], docGenLab.displayName),
			...downloadProperties({ resource: ['document'], operation: ['generate'], waitForCompletion: [true], downloadResult: [true] }),
			...getAll.properties,
			...generateAndWait.properties,
		],
	};

	methods = { listSearch: { searchTemplates } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeExecute(this, SHAPE);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await routeWebhook(this, SHAPE);
	}
}
