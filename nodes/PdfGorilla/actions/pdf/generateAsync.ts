import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { forEachItem, safeId } from '../../../../core/actions/execute';
import { parseJsonParameter } from '../../../../core/actions/json';
import { withFile } from '../../../../core/actions/output';
import { apiCall, connect, type ServiceConnection } from '../../../../core/actions/policy';
import { pollUntil, readPollSettings, waitProperties } from '../../../../core/actions/poll';
import { readDownloadSettings, type DownloadSettings } from '../../../../core/actions/properties';
import { requestJson } from '../../../../core/fetch/transport';
import { pdfGorilla } from '../../descriptor';
import { FINAL_STATES, downloadJob, getJob, templatePath, type Job } from '../jobs';

export const option: INodePropertyOptions = {
	name: 'Start Generation',
	value: 'generateAsync',
	action: 'Start generating a PDF',
	description: 'Return at once; a PDF Gorilla Trigger continues when the PDF is ready, or the node waits for it',
};

const show = { resource: ['pdf'], operation: ['generateAsync'] };

export const properties: INodeProperties[] = [
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. the Production URL of a PDF Gorilla Trigger',
		displayOptions: { show },
		description:
			'Where PDF Gorilla posts the result (public https). It is signed with the credential\'s Webhook Secret, so a PDF Gorilla Trigger using the same credential accepts it. Leave empty to only wait for completion.',
	},
	...waitProperties(show, 'Whether to download the PDF once the job has completed'),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const settings = readDownloadSettings(this, itemIndex);
		const connection = await connect(this, pdfGorilla, settings);
		return await generateAsync(this, connection, settings, itemIndex);
	});
}

/** The webhook URL goes with the credential's secret, which PDF Gorilla requires and the trigger verifies with. */
async function requestBody(ctx: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body: IDataObject = { data: parseJsonParameter(ctx, 'data', itemIndex) };
	const webhookUrl = (ctx.getNodeParameter('webhookUrl', itemIndex, '') as string).trim();
	if (!webhookUrl) return body;
	const credentials = await ctx.getCredentials('pdfGorillaApi');
	const secret = typeof credentials.webhookSecret === 'string' ? credentials.webhookSecret : '';
	if (!secret) {
		throw new NodeOperationError(ctx.getNode(), 'Set a Webhook Secret in the PDF Gorilla credential to use a Webhook URL', {
			itemIndex,
			description: 'PDF Gorilla requires webhookSecret whenever webhookUrl is set, and the trigger verifies deliveries with it.',
		});
	}
	return { ...body, webhookUrl, webhookSecret: secret };
}

async function generateAsync(ctx: IExecuteFunctions, connection: ServiceConnection, settings: DownloadSettings, itemIndex: number): Promise<INodeExecutionData[]> {
	const body = await requestBody(ctx, itemIndex);
	const { body: started } = await requestJson<Job>(ctx, apiCall(connection, { method: 'POST', path: templatePath(ctx, itemIndex, '-async'), body }, itemIndex));
	const poll = readPollSettings(ctx, itemIndex);
	if (!poll) return [{ json: started, pairedItem: { item: itemIndex } }];
	const jobId = safeId(ctx, String(started.jobId), 'Job ID', itemIndex);
	const job = await pollUntil(ctx, 'PDF Gorilla', `job ${jobId}`, poll, itemIndex, async () => {
		const current = await getJob(ctx, connection, jobId, itemIndex);
		return FINAL_STATES.includes(current.status) ? current : undefined;
	});
	if (job.status !== 'completed' || !(ctx.getNodeParameter('downloadResult', itemIndex, true) as boolean)) return [{ json: job, pairedItem: { item: itemIndex } }];
	const file = await downloadJob(ctx, connection, jobId, job.downloadUrl ?? undefined, settings, itemIndex);
	return [withFile(job, file, settings.binaryPropertyName)];
}
