import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { forEachItem, requiredId, safeId } from '../../core/actions/execute';
import { parseJsonParameter } from '../../core/actions/json';
import { apiCall, connect, eventLinkCall, fileCall, type ServiceConnection } from '../../core/actions/policy';
import { pollProperties, pollUntil, readPollSettings } from '../../core/actions/poll';
import { withFile } from '../../core/actions/output';
import { claimFor, onceFor, skippedItem } from '../../core/actions/processed';
import { NO_DOWNLOAD_SETTINGS, downloadProperties, readDownloadSettings, type DownloadSettings } from '../../core/actions/properties';
import { downloadToBinary, type DownloadedFile } from '../../core/fetch/download';
import { requestJson } from '../../core/fetch/transport';
import { WAIT_WEBHOOKS } from '../../core/actions/wait';
import * as generateAndWait from './actions/pdf/generateAndWait';
import { pdfGorilla } from './descriptor';

interface Job extends IDataObject {
	jobId: string;
	status: string;
	downloadUrl?: string | null;
	expiresAt?: string | null;
	error?: IDataObject | null;
}

const FINAL_STATES = ['completed', 'failed', 'canceled', 'expired'];

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
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Job', value: 'job' },
					{ name: 'PDF', value: 'pdf' },
				],
				default: 'job',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['job'] } },
				options: [
					{
						name: 'Download File',
						value: 'download',
						action: 'Download the PDF of a finished job',
						description: 'Download the PDF of a completed job, fetching a fresh link when the event\'s one has expired',
					},
					{ name: 'Get', value: 'get', action: 'Get a job', description: 'Get a job\'s status, fresh download URL and error' },
				],
				default: 'download',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['pdf'] } },
				options: [
					{ name: 'Generate', value: 'generate', action: 'Generate a PDF', description: 'Render a template and return the PDF (synchronous)' },
					{
						name: 'Generate (Async)',
						value: 'generateAsync',
						action: 'Start an async PDF job',
						description: 'Start a render job; PDF Gorilla calls a PDF Gorilla Trigger when it is done, or the node waits for it',
					},
					{ ...generateAndWait.option },
				],
				default: 'generate',
			},
			{
				displayName: 'Job ID',
				name: 'jobId',
				type: 'string',
				default: '={{ $json.jobId }}',
				required: true,
				displayOptions: { show: { resource: ['job'] } },
				description: 'The job to use. The default reads it from a PDF Gorilla Trigger\'s output.',
			},
			{
				displayName: 'Download URL',
				name: 'downloadUrl',
				type: 'string',
				default: '={{ $json.downloadUrl }}',
				displayOptions: { show: { resource: ['job'], operation: ['download'] } },
				description:
					'The short-lived link from the event. Tried first; when it is missing or has expired, the node asks the API for a fresh one.',
			},
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
			{
				displayName: 'Webhook URL',
				name: 'webhookUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. the Production URL of a PDF Gorilla Trigger',
				displayOptions: { show: { resource: ['pdf'], operation: ['generateAsync'] } },
				description:
					'Where PDF Gorilla posts the result (public https). It is signed with the credential\'s Webhook Secret, so a PDF Gorilla Trigger using the same credential accepts it. Leave empty to only wait for completion.',
			},
			...pollProperties({ resource: ['pdf'], operation: ['generateAsync'] }),
			{
				displayName: 'Download Result',
				name: 'downloadResult',
				type: 'boolean',
				default: true,
				displayOptions: { show: { resource: ['pdf'], operation: ['generateAsync'], waitForCompletion: [true] } },
				description: 'Whether to download the PDF once the job has completed',
			},
			...downloadProperties({ operation: ['download', 'generate', 'generateAsync'] }),
			...generateAndWait.properties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		if (resource === 'pdf' && operation === 'generateAndWait') return await generateAndWait.execute.call(this);
		return await forEachItem(this, async (itemIndex, item) => {
			const settings = operation === 'get' ? undefined : readDownloadSettings(this, itemIndex);
			const connection = await connect(this, pdfGorilla, settings ?? NO_DOWNLOAD_SETTINGS);
			if (resource === 'job' && operation === 'get') {
				const jobId = requiredId(this, 'jobId', 'Job ID', itemIndex);
				return [{ json: await getJob(this, connection, jobId, itemIndex), pairedItem: { item: itemIndex } }];
			}
			if (resource === 'job' && operation === 'download') {
				const jobId = requiredId(this, 'jobId', 'Job ID', itemIndex);
				const eventUrl = (this.getNodeParameter('downloadUrl', itemIndex, '') as string | null)?.trim() || undefined;
				const file = await onceFor(this, claimFor(this, settings!, item, `pdfGorilla:job:${jobId}`), async () =>
					await downloadJob(this, connection, jobId, eventUrl, settings!, itemIndex),
				);
				return file ? [withFile(item.json, file, settings!.binaryPropertyName)] : skippedItem(this, item, settings!, `job ${jobId}`);
			}
			if (resource === 'pdf' && operation === 'generate') {
				const file = await downloadToBinary(
					this,
					{
						...apiCall(connection, { method: 'POST', path: templatePath(this, itemIndex, ''), body: { data: parseJsonParameter(this, 'data', itemIndex) } }, itemIndex, {
							timeoutMs: settings!.timeoutMs,
						}),
					},
					{ expectedFormat: 'pdf', maxBytes: settings!.maxBytes, totalTimeoutMs: settings!.totalTimeoutMs, fileName: settings!.fileName },
				);
				return [withFile({}, file, settings!.binaryPropertyName)];
			}
			if (resource === 'pdf' && operation === 'generateAsync') {
				return await generateAsync(this, connection, settings!, itemIndex);
			}
			throw new NodeOperationError(this.getNode(), `Unsupported operation ${resource}/${operation}`, { itemIndex });
		});
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await generateAndWait.webhook.call(this);
	}
}

function templatePath(ctx: IExecuteFunctions, itemIndex: number, suffix: string): string {
	return `/templates/${encodeURIComponent(requiredId(ctx, 'templateId', 'Template ID', itemIndex))}/generate${suffix}`;
}

export async function getJob(ctx: IExecuteFunctions, connection: ServiceConnection, jobId: string, itemIndex: number): Promise<Job> {
	const { body } = await requestJson<Job>(ctx, apiCall(connection, { method: 'GET', path: `/jobs/${encodeURIComponent(jobId)}` }, itemIndex));
	return body;
}

/** The event's link first; a fresh one from GET /jobs/{id} when it is missing or has expired. */
export async function downloadJob(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	jobId: string,
	eventUrl: string | undefined,
	settings: DownloadSettings,
	itemIndex: number,
): Promise<DownloadedFile> {
	const options = { expectedFormat: 'pdf' as const, maxBytes: settings.maxBytes, totalTimeoutMs: settings.totalTimeoutMs, fileName: settings.fileName ?? `${jobId}.pdf` };
	if (eventUrl) {
		// The event's link never carries the API key, even when it points under the API's own base
		// URL: a link from an event is only as trustworthy as the event. A link that needs the key
		// is refused (401/403) and the node fetches the job's own fresh link from the API below.
		const attempt = await downloadToBinary(ctx, eventLinkCall(connection, eventUrl, itemIndex, settings.timeoutMs), options).then(
			(file) => ({ file }),
			(error: unknown) => ({ error }),
		);
		if ('file' in attempt) return attempt.file;
		// "Links in the webhook expire after a few minutes": 401/403/404/410 mean fetch a new one.
		const status = Number((attempt.error as { httpCode?: string }).httpCode);
		if (![401, 403, 404, 410].includes(status)) throw attempt.error;
		ctx.logger.info(`PDF Gorilla: the event's download link for job ${jobId} answered ${status}; fetching a fresh one`);
	}
	const job = await getJob(ctx, connection, jobId, itemIndex);
	if (job.status !== 'completed' || !job.downloadUrl) {
		throw new NodeOperationError(ctx.getNode(), `PDF Gorilla job ${jobId} is ${job.status}, so there is no PDF to download`, {
			itemIndex,
			description: job.error && typeof job.error === 'object' ? `${job.error.code ?? ''} ${job.error.message ?? ''}`.trim() : undefined,
		});
	}
	return await downloadToBinary(ctx, fileCall(connection, job.downloadUrl, itemIndex, settings.timeoutMs), options);
}

async function generateAsync(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	settings: DownloadSettings,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const body: IDataObject = { data: parseJsonParameter(ctx, 'data', itemIndex) };
	const webhookUrl = (ctx.getNodeParameter('webhookUrl', itemIndex, '') as string).trim();
	if (webhookUrl) {
		const credentials = await ctx.getCredentials('pdfGorillaApi');
		const secret = typeof credentials.webhookSecret === 'string' ? credentials.webhookSecret : '';
		if (!secret) {
			throw new NodeOperationError(ctx.getNode(), 'Set a Webhook Secret in the PDF Gorilla credential to use a Webhook URL', {
				itemIndex,
				description: 'PDF Gorilla requires webhookSecret whenever webhookUrl is set, and the trigger verifies deliveries with it.',
			});
		}
		body.webhookUrl = webhookUrl;
		body.webhookSecret = secret;
	}
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
