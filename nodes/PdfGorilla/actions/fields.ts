/** Parameters several PDF Gorilla operations share, each shown for all of them. */
import type { INodeProperties } from 'n8n-workflow';

import { downloadProperties } from '../../../core/actions/properties';

/** Job → Download File and Get. */
export const jobIdProperty: INodeProperties = {
	displayName: 'Job ID',
	name: 'jobId',
	type: 'string',
	default: '={{ $json.jobId }}',
	required: true,
	displayOptions: { show: { resource: ['job'] } },
	description: 'The job to use. The default reads it from a PDF Gorilla Trigger\'s output.',
};

/** PDF → Generate and Generate (Async). */
export const templateProperties: INodeProperties[] = [
	{
		displayName: 'Template ID',
		name: 'templateId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { resource: ['pdf'] } },
	},
	{
		displayName: 'Data (JSON)',
		name: 'data',
		type: 'json',
		default: '{}',
		required: true,
		displayOptions: { show: { resource: ['pdf'] } },
		description: 'The values for the template (at most 256 KB, nesting 12, arrays of 1000)',
	},
];

/** Every operation that produces a file. */
export const fileProperties: INodeProperties[] = downloadProperties({ operation: ['download', 'generate', 'generateAsync'] });
