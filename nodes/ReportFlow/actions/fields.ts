/** Parameters several ReportFlow operations share, each shown for all of them. */
import type { INodeProperties } from 'n8n-workflow';

import { beforeLocators, templateLocator } from '../../../core/actions/locator';
import { downloadProperties } from '../../../core/actions/properties';
import { reportFlow } from '../descriptor';

/** File → Generate and Start Generation. */
export const GENERATE = { resource: ['file'], operation: ['generate', 'generateAsync'] };

/** File → Download and Download All as ZIP. */
export const requestIdProperty: INodeProperties = {
	displayName: 'Request ID',
	name: 'requestId',
	type: 'string',
	default: '={{ $json.requestId }}',
	required: true,
	displayOptions: { show: { resource: ['file'], operation: ['download', 'downloadZip'] } },
	description:
		'The generation request the files belong to (called uuid on ReportFlow\'s webhook page). The default reads it from a ReportFlow Trigger\'s or a Generate (Async) output.',
};

const TEMPLATE_OPERATIONS = { operation: ['generate', 'generateAsync', 'getParameters'] };

/** File → Generate, Generate (Async) and Template → Get Parameters. */
export const templateProperties: INodeProperties[] = [
	beforeLocators({
		displayName: 'Template ID',
		name: 'designId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. design_123',
		displayOptions: { show: TEMPLATE_OPERATIONS },
		description: 'The template (design) to use. Template → List shows the IDs of your workspace.',
	}),
	templateLocator({
		displayName: 'Template',
		name: 'designId',
		searchListMethod: 'searchDesigns',
		placeholder: 'e.g. design_123',
		description: 'The template (design) to use: pick it from your workspace\'s list, or enter its ID',
		show: TEMPLATE_OPERATIONS,
	}),
	{
		displayName: 'Template Version',
		name: 'version',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		displayOptions: { show: { operation: ['generate', 'generateAsync', 'getParameters'] } },
		description: 'Which version of the template to use. 0 uses its latest version.',
	},
];

/** The files to generate: one from fields, or a JSON list (File → Generate and Generate (Async)). */
export const contentProperties: INodeProperties[] = [
	{
		displayName: 'Files to Generate',
		name: 'contentSource',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: GENERATE },
		options: [
			{
				name: 'From a JSON List',
				value: 'json',
				description: 'Several files in one request: they come back as one ZIP (one entry: a PDF)',
			},
			{ name: 'One File From the Fields Below', value: 'fields' },
		],
		default: 'fields',
	},
	{
		displayName: 'File Name',
		name: 'contentFileName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. invoice-1001',
		displayOptions: { show: { ...GENERATE, contentSource: ['fields'] } },
		description: 'Name of the generated PDF; ReportFlow adds .pdf. It must not contain / \\ : * ? " &lt; &gt; |.',
	},
	{
		displayName: 'Template Values (JSON)',
		name: 'params',
		type: 'json',
		default: '{}',
		displayOptions: { show: { ...GENERATE, contentSource: ['fields'] } },
		description: 'The values to fill into the template. Template → Get Parameters shows which ones it expects.',
	},
	{
		displayName: 'File Options',
		name: 'contentOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { ...GENERATE, contentSource: ['fields'] } },
		options: [
			{
				displayName: 'Passcode Protected',
				name: 'passcodeEnabled',
				type: 'boolean',
				default: false,
				description: 'Whether the shared link asks for a passcode',
			},
			{
				displayName: 'Passthrough (JSON)',
				name: 'passthrough',
				type: 'json',
				default: '{}',
				description: 'Your own data (e.g. a record ID), returned with the file so you can match it to its source',
			},
			{
				displayName: 'Share With',
				name: 'shareType',
				type: 'options',
				options: [
					{ name: 'Anyone With the Link', value: '03' },
					{ name: 'Invited People', value: '02' },
					{ name: 'Workspace Members', value: '01' },
				],
				default: '01',
				description: 'Who can open the file\'s share link in ReportFlow',
			},
		],
	},
	{
		displayName: 'Files (JSON)',
		name: 'contents',
		type: 'json',
		default: '[\n  { "fileName": "invoice-1", "params": {} },\n  { "fileName": "invoice-2", "params": {} }\n]',
		required: true,
		displayOptions: { show: { ...GENERATE, contentSource: ['json'] } },
		description:
			'A list with one entry per file: fileName, params, and optionally shareType ("01" workspace, "02" invited people, "03" anyone with the link), passcodeEnabled and passthrough. File names must be unique.',
	},
];

/** Every File operation produces a file. */
export const fileProperties: INodeProperties[] = downloadProperties(
	{ resource: ['file'], operation: ['download', 'downloadZip', 'generate', 'generateAsync'] },
	['download', 'downloadZip'],
	reportFlow.displayName,
);
