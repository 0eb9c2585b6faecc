import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { downloadProperties } from '../../core/actions/properties';
import { resourceProperties, routeExecute, type ActionNodeShape } from '../../core/actions/router';
import { VISIBLE_DEFAULTS_VERSION } from '../../core/actions/versions';
import { pdf } from './actions/pdf';
import { pdfSign } from './descriptor';
import * as download from './actions/pdf/download';
import * as generate from './actions/pdf/generate';

const SHAPE: ActionNodeShape = { resources: [pdf], defaultResource: 'pdf' };

export class PdfSign implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PDF-Sign',
		name: 'pdfSign',
		icon: { light: 'file:pdfsign.svg', dark: 'file:pdfsign.dark.svg' },
		group: ['transform'],
		// 2: Skip Files Already Downloaded in view (see core/actions/versions.ts).
		version: [1, VISIBLE_DEFAULTS_VERSION],
		defaultVersion: VISIBLE_DEFAULTS_VERSION,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Generate PDFs from PDF-Sign templates and download generated ones',
		defaults: { name: 'PDF-Sign' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// The PDF's URL is public: Download needs no credential, only Generate does.
		credentials: [{ name: 'pdfSignApi', required: true, displayOptions: { show: { operation: ['generate'] } } }],
		properties: [
			...resourceProperties(SHAPE),
			...download.properties,
			...generate.properties,
			...downloadProperties({ resource: ['pdf'], operation: ['download'] }, ['download'], pdfSign.displayName),
			...downloadProperties({ resource: ['pdf'], operation: ['generate'], downloadPdf: [true] }),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeExecute(this, SHAPE);
	}
}
