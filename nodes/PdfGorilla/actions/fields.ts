/** Parameters several PDF Gorilla operations share, each shown for all of them. */
import type { INodeProperties } from 'n8n-workflow';

import { downloadProperties } from '../../../core/actions/properties';
import { pdfGorilla } from '../descriptor';

/** Download and Get. */
export const jobIdProperty: INodeProperties = {
	displayName: 'Job ID',
	name: 'jobId',
	type: 'string',
	default: '={{ $json.jobId }}',
	required: true,
	displayOptions: { show: { operation: ['download', 'get'] } },
	description: 'The job to use. The default reads it from a PDF Gorilla Trigger\'s output.',
};

/** Every operation that renders a template. */
const GENERATING = { resource: ['pdf'], operation: ['generate', 'generateAsync', 'generateAndWait'] };

/** Generate, Start Generation and Generate and Wait. */
export const templateProperties: INodeProperties[] = [
	{
		displayName: 'Template ID',
		name: 'templateId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: GENERATING },
	},
	{
		displayName: 'Data (JSON)',
		name: 'data',
		type: 'json',
		default: '{}',
		required: true,
		displayOptions: { show: GENERATING },
		description: 'The values for the template (at most 256 KB, nesting 12, arrays of 1000)',
	},
];

/** Every operation that produces a file. */
export const fileProperties: INodeProperties[] = downloadProperties({ operation: ['download', 'generate', 'generateAsync'] }, ['download'], pdfGorilla.displayName);
