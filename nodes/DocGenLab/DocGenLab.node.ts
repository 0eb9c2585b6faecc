import { createHash } from 'crypto';
import {
	NodeOperationError,
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { forEachItem, requiredId, requiredString, safeId } from '../../core/actions/execute';
import { parseJsonParameter } from '../../core/actions/json';
import { withFile } from '../../core/actions/output';
import { apiCall, connect, connectTo, eventLinkCall, type ServiceConnection } from '../../core/actions/policy';
import { pollProperties, pollUntil, readPollSettings } from '../../core/actions/poll';
import { claimFor, onceFor, skippedItem } from '../../core/actions/processed';
import { NO_DOWNLOAD_SETTINGS, downloadProperties, readDownloadSettings, type DownloadSettings } from '../../core/actions/properties';
import { downloadToBinary, type DownloadOptions, type DownloadedFile } from '../../core/fetch/download';
import { requestJson, type HttpCall } from '../../core/fetch/transport';
import { WAIT_WEBHOOKS } from '../../core/actions/wait';
import * as generateAndWait from './actions/document/generateAndWait';
import { DOCGENLAB_API_BASE_URL, docGenLab } from './descriptor';

/** GET /documents/{id}: status goes queued → rendering → ready | failed. */
export interface DocGenLabDocument extends IDataObject {
	id: string;
	status: string;
}

export type FileType = 'pdf' | 'docx';
export type OutputFormat = FileType | 'both';

const FINAL_STATES = ['ready', 'failed'];
const DOCX_MIME_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * How a storage host refuses a signed link that has expired or is not valid (Google Cloud
 * Storage: 400 ExpiredToken, 403 AccessDenied, 404 NoSuchKey): the cue to use the API instead.
 */
const LINK_REFUSED_STATUSES = [400, 401, 403, 404, 410];

const DOCUMENT_OPERATIONS = { resource: ['document'] };

export class DocGenLab implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DocGenLab',
		name: 'docGenLab',
		icon: { light: 'file:docgenlab.svg', dark: 'file:docgenlab.dark.svg' },
		group: ['transform'],
		version: 1,
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
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Document', value: 'document' },
					{ name: 'Template', value: 'template' },
				],
				default: 'document',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: DOCUMENT_OPERATIONS },
				options: [
					{
						name: 'Download',
						value: 'download',
						action: 'Download a document',
						description: 'Download a finished document from the link in the event, or through the API when the link has expired',
					},
					{
						name: 'Generate',
						value: 'generate',
						action: 'Generate a document',
						description: 'Start rendering a template into a PDF or Word document, and optionally wait for it and download it',
					},
					{ ...generateAndWait.option },
					{ name: 'Get', value: 'get', action: 'Get a document', description: 'Get a document\'s status' },
				],
				default: 'download',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['template'] } },
				options: [{ name: 'Get Many', value: 'getAll', action: 'Get many templates', description: 'List the organisation\'s templates' }],
				default: 'getAll',
			},

			// Document → Download / Get
			{
				displayName: 'Document ID',
				name: 'documentId',
				type: 'string',
				default: '={{ $json.jobId }}',
				required: true,
				displayOptions: { show: { ...DOCUMENT_OPERATIONS, operation: ['get'] } },
				description: 'The document to get. The default reads it from a DocGenLab Trigger\'s output (its job_id); after Generate use its ID.',
			},
			{
				displayName: 'Download URL',
				name: 'downloadUrl',
				type: 'string',
				default: '={{ $json.downloadUrl }}',
				displayOptions: { show: { ...DOCUMENT_OPERATIONS, operation: ['download'] } },
				description:
					'The signed link from the event (valid for 24 hours, no credential needed). The default reads it from a DocGenLab Trigger\'s output.',
			},
			{
				displayName: 'Fall Back to API',
				name: 'apiFallback',
				type: 'boolean',
				default: true,
				displayOptions: { show: { ...DOCUMENT_OPERATIONS, operation: ['download'] } },
				description:
					'Whether to download the document by its ID through the DocGenLab API, with the credential\'s API key, when the link is missing or has expired. Turn off to download from the link alone, without a credential.',
			},
			{
				displayName: 'Document ID',
				name: 'documentId',
				type: 'string',
				default: '={{ $json.jobId }}',
				displayOptions: { show: { ...DOCUMENT_OPERATIONS, operation: ['download'] } },
				description:
					'The document to download when the link cannot be used. The default reads it from a DocGenLab Trigger\'s output (its job_id).',
			},
			{
				displayName: 'File Type',
				name: 'fileType',
				type: 'options',
				options: [
					{ name: 'PDF', value: 'pdf' },
					{ name: 'Word (DOCX)', value: 'docx' },
				],
				default: 'pdf',
				displayOptions: { show: { ...DOCUMENT_OPERATIONS, operation: ['download'] } },
				description: 'The file to download. A PDF is checked to really be a PDF.',
			},

			// Document → Generate
			{
				displayName: 'Template ID',
				name: 'templateId',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. template-xyz',
				displayOptions: { show: { ...DOCUMENT_OPERATIONS, operation: ['generate'] } },
			},
			{
				displayName: 'Input Data (JSON)',
				name: 'inputJson',
				type: 'json',
				default: '{}',
				required: true,
				displayOptions: { show: { ...DOCUMENT_OPERATIONS, operation: ['generate'] } },
				description: 'The values the template fills in (sent as input_json)',
			},
			{
				displayName: 'Output Format',
				name: 'outputFormat',
				type: 'options',
				options: [
					{ name: 'Both', value: 'both', description: 'A PDF and a Word document' },
					{ name: 'PDF', value: 'pdf' },
					{ name: 'Word (DOCX)', value: 'docx' },
				],
				default: 'pdf',
				displayOptions: { show: { ...DOCUMENT_OPERATIONS, operation: ['generate'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { ...DOCUMENT_OPERATIONS, operation: ['generate'] } },
				options: [
					{
						displayName: 'Idempotency Key',
						name: 'idempotencyKey',
						type: 'string',
						default: '',
						description:
							'Requests with the same key create only one document (sent as X-Idempotency-Key). Leave empty to derive one from this execution, node, run and item, so a retry of this node, or of a request whose answer got lost, returns the document already started instead of rendering it twice. Set your own, e.g. an order number, to also avoid duplicates across executions.',
					},
					{
						displayName: 'Webhook URL',
						name: 'webhookUrl',
						type: 'string',
						default: '',
						placeholder: 'e.g. the Production URL of a DocGenLab Trigger',
						description:
							'Where DocGenLab posts the result of this document instead of the organisation\'s webhook (public https)',
					},
				],
			},
			...pollProperties({ ...DOCUMENT_OPERATIONS, operation: ['generate'] }),
			{
				displayName: 'Download Result',
				name: 'downloadResult',
				type: 'boolean',
				default: true,
				displayOptions: { show: { ...DOCUMENT_OPERATIONS, operation: ['generate'], waitForCompletion: [true] } },
				description:
					'Whether to download the document once it is ready. With Output Format Both, the Word file goes into a second field named like the first plus "_docx".',
			},

			...downloadProperties({ ...DOCUMENT_OPERATIONS, operation: ['download'] }),
			...downloadProperties({ ...DOCUMENT_OPERATIONS, operation: ['generate'], waitForCompletion: [true], downloadResult: [true] }),

			// Template → Get Many
			{
				displayName: 'Return All',
				name: 'returnAll',
				type: 'boolean',
				default: false,
				displayOptions: { show: { resource: ['template'], operation: ['getAll'] } },
				description: 'Whether to return all results or only up to a given limit',
			},
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 50,
				displayOptions: { show: { resource: ['template'], operation: ['getAll'], returnAll: [false] } },
				description: 'Max number of results to return',
			},
			...generateAndWait.properties,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		if (resource === 'document' && operation === 'generateAndWait') return await generateAndWait.execute.call(this);
		return await forEachItem(this, async (itemIndex, item) => {
			if (resource === 'document' && operation === 'download') return await downloadOperation(this, item, itemIndex);
			if (resource === 'document' && operation === 'generate') return await generateOperation(this, itemIndex);
			if (resource === 'document' && operation === 'get') {
				const connection = await connect(this, docGenLab, NO_DOWNLOAD_SETTINGS);
				const documentId = requiredId(this, 'documentId', 'Document ID', itemIndex);
				return [{ json: await getDocument(this, connection, documentId, itemIndex), pairedItem: { item: itemIndex } }];
			}
			if (resource === 'template' && operation === 'getAll') {
				const connection = await connect(this, docGenLab, NO_DOWNLOAD_SETTINGS);
				const { body } = await requestJson<unknown>(this, apiCall(connection, { method: 'GET', path: '/templates/' }, itemIndex));
				const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
				const templates = listOf(body);
				const limited = returnAll ? templates : templates.slice(0, Math.max(1, this.getNodeParameter('limit', itemIndex, 50) as number));
				return limited.map((template) => ({ json: template, pairedItem: { item: itemIndex } }));
			}
			throw new NodeOperationError(this.getNode(), `Unsupported operation ${resource}/${operation}`, { itemIndex });
		});
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await generateAndWait.webhook.call(this);
	}
}

/** The event's signed link first; GET /documents/{id}/download with the API key when it is missing or refused. */
async function downloadOperation(ctx: IExecuteFunctions, item: INodeExecutionData, itemIndex: number): Promise<INodeExecutionData[]> {
	const settings = readDownloadSettings(ctx, itemIndex);
	const apiFallback = ctx.getNodeParameter('apiFallback', itemIndex, true) as boolean;
	const fileType = ctx.getNodeParameter('fileType', itemIndex, 'pdf') as FileType;
	const link = optionalString(ctx, 'downloadUrl', itemIndex);
	const givenId = optionalString(ctx, 'documentId', itemIndex);
	const documentId = givenId === undefined ? undefined : safeId(ctx, givenId, 'Document ID', itemIndex);
	if (!link && !apiFallback) {
		throw new NodeOperationError(ctx.getNode(), 'DocGenLab: there is no download link', {
			itemIndex,
			description:
				'DocGenLab sends a link only for completed documents (check the event\'s status). To download by document ID instead, turn on Fall Back to API and select a DocGenLab API credential.',
		});
	}
	if (!link && !documentId) {
		throw new NodeOperationError(ctx.getNode(), 'DocGenLab: Download URL and Document ID are both empty', {
			itemIndex,
			description: 'Connect this node to a DocGenLab Trigger, or set the link or the document ID.',
		});
	}
	// Without the fallback no credential is read: the link is signed and the API is never called.
	const connection = apiFallback ? await connect(ctx, docGenLab, settings) : connectTo(docGenLab, DOCGENLAB_API_BASE_URL, settings);
	const identity = documentId ?? linkPath(link!);
	const claim = claimFor(ctx, settings, item, `docGenLab:document:${identity}${fileType === 'pdf' ? '' : `:${fileType}`}`);
	const file = await onceFor(ctx, claim, async () => await downloadDocument(ctx, connection, { link, documentId, apiFallback, fileType }, settings, itemIndex));
	return file ? [withFile(item.json, file, settings.binaryPropertyName)] : skippedItem(ctx, item, settings, 'the document');
}

async function downloadDocument(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	source: { link?: string; documentId?: string; apiFallback: boolean; fileType: FileType },
	settings: DownloadSettings,
	itemIndex: number,
): Promise<DownloadedFile> {
	const options = fileOptions(source.fileType, settings);
	if (source.link) {
		const attempt = await downloadToBinary(ctx, eventLinkCall(connection, source.link, itemIndex, settings.timeoutMs), options).then(
			(file) => ({ file }),
			(error: unknown) => ({ error }),
		);
		if ('file' in attempt) return attempt.file;
		const status = Number((attempt.error as { httpCode?: string }).httpCode);
		if (!LINK_REFUSED_STATUSES.includes(status)) throw attempt.error;
		if (!source.apiFallback || !source.documentId) {
			throw new NodeOperationError(ctx.getNode(), `DocGenLab: the download link was refused (HTTP ${status}); it has expired or is not valid`, {
				itemIndex,
				description: source.apiFallback
					? 'Links work for 24 hours. Set Document ID so the node can download the document through the API instead.'
					: 'Links work for 24 hours. Turn on Fall Back to API and select a DocGenLab API credential to download the document by its ID instead.',
			});
		}
		ctx.logger.info(`DocGenLab: the download link of document ${source.documentId} answered ${status}; downloading it through the API`);
	}
	return await downloadToBinary(ctx, apiDownloadCall(connection, source.documentId!, source.fileType, settings, itemIndex), options);
}

async function generateOperation(ctx: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const poll = readPollSettings(ctx, itemIndex);
	const settings = poll && (ctx.getNodeParameter('downloadResult', itemIndex, true) as boolean) ? readDownloadSettings(ctx, itemIndex) : undefined;
	const connection = await connect(ctx, docGenLab, settings ?? NO_DOWNLOAD_SETTINGS);
	const outputFormat = ctx.getNodeParameter('outputFormat', itemIndex, 'pdf') as OutputFormat;
	const options = ctx.getNodeParameter('options', itemIndex, {}) as { idempotencyKey?: string; webhookUrl?: string };
	const body: IDataObject = {
		template_id: requiredString(ctx, 'templateId', 'Template ID', itemIndex),
		input_json: parseJsonParameter(ctx, 'inputJson', itemIndex),
		output_format: outputFormat,
	};
	const webhookUrl = options.webhookUrl?.trim();
	if (webhookUrl) body.webhook_url = webhookUrl;
	const idempotencyKey = options.idempotencyKey?.trim() || derivedIdempotencyKey(ctx, itemIndex);
	const call = apiCall(connection, { method: 'POST', path: '/documents/', body, headers: { 'X-Idempotency-Key': idempotencyKey } }, itemIndex);
	// With the key, DocGenLab answers a repeated request with the document it already started,
	// so a dropped connection or a 5xx is retried like a read, not only a declined request.
	const { body: started } = await requestJson<DocGenLabDocument>(ctx, { ...call, retryOn: 'transient' });
	if (!poll) return [{ json: started, pairedItem: { item: itemIndex } }];

	const documentId = safeId(ctx, String(started.id), 'Document ID', itemIndex);
	const finished = await pollUntil(ctx, 'DocGenLab', `document ${documentId}`, poll, itemIndex, async () => {
		const current = await getDocument(ctx, connection, documentId, itemIndex);
		return FINAL_STATES.includes(current.status) ? current : undefined;
	});
	const json: IDataObject = { ...started, ...finished };
	if (finished.status !== 'ready' || !settings) return [{ json, pairedItem: { item: itemIndex } }];

	const download = async (type: FileType, options: DownloadOptions) =>
		await downloadToBinary(ctx, apiDownloadCall(connection, documentId, type, settings, itemIndex), options);
	if (outputFormat !== 'both') return [withFile(json, await download(outputFormat, fileOptions(outputFormat, settings)), settings.binaryPropertyName)];
	// One after the other: gentle on the 60 requests a minute an organisation has by default.
	const output = withFile(json, await download('pdf', fileOptions('pdf', settings)), settings.binaryPropertyName);
	const docx = await download('docx', { ...fileOptions('docx', settings), fileName: settings.fileName?.replace(/(\.pdf)?$/i, '.docx') });
	const field = `${settings.binaryPropertyName}_docx`;
	output.binary![field] = docx.binary;
	output.json.downloadDocx = { fileName: docx.fileName, mimeType: docx.mimeType, bytes: docx.bytes, source: docx.sourceUrl, field };
	return [output];
}

export async function getDocument(ctx: IExecuteFunctions, connection: ServiceConnection, documentId: string, itemIndex: number): Promise<DocGenLabDocument> {
	const { body } = await requestJson<DocGenLabDocument>(
		ctx,
		apiCall(connection, { method: 'GET', path: `/documents/${encodeURIComponent(documentId)}` }, itemIndex),
	);
	return body;
}

export function apiDownloadCall(connection: ServiceConnection, documentId: string, fileType: FileType, settings: DownloadSettings, itemIndex: number): HttpCall {
	return apiCall(
		connection,
		{ method: 'GET', path: `/documents/${encodeURIComponent(documentId)}/download`, qs: { format: fileType } },
		itemIndex,
		{ timeoutMs: settings.timeoutMs },
	);
}


export function fileOptions(fileType: FileType, settings: DownloadSettings): DownloadOptions {
	return fileType === 'pdf'
		? { expectedFormat: 'pdf', maxBytes: settings.maxBytes, totalTimeoutMs: settings.totalTimeoutMs, fileName: settings.fileName }
		: { maxBytes: settings.maxBytes, totalTimeoutMs: settings.totalTimeoutMs, fileName: settings.fileName, fallbackMimeType: DOCX_MIME_TYPE };
}

/**
 * The same for every attempt at this item in this run of the node (n8n's Retry On Fail
 * included), different for other items, runs (loops), nodes and executions.
 */
export function derivedIdempotencyKey(ctx: IExecuteFunctions, itemIndex: number): string {
	const node = ctx.getNode();
	const runIndex = ctx.evaluateExpression('{{ $runIndex }}', itemIndex) as number;
	const parts = [ctx.getWorkflow().id ?? '', ctx.getExecutionId() ?? '', node.id ?? node.name, runIndex, itemIndex];
	return `n8n-${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 40)}`;
}

function optionalString(ctx: IExecuteFunctions, name: string, itemIndex: number): string | undefined {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	return text || undefined;
}

/** The link's path (its query string holds the signature, which changes between deliveries). */
function linkPath(link: string): string {
	try {
		return new URL(link).pathname;
	} catch {
		return link;
	}
}

/** GET /templates/ answers an array; an object wrapping one is accepted too. */
function listOf(body: unknown): IDataObject[] {
	if (Array.isArray(body)) return body as IDataObject[];
	if (body && typeof body === 'object') {
		for (const key of ['templates', 'items', 'data']) {
			const value = (body as IDataObject)[key];
			if (Array.isArray(value)) return value as IDataObject[];
		}
		return [body as IDataObject];
	}
	return [];
}
