import {
	NodeOperationError,
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { forEachItem, requiredString } from '../../core/actions/execute';
import { parseJsonParameter } from '../../core/actions/json';
import { withFile } from '../../core/actions/output';
import { apiCall, connect, connectTo, eventLinkCall, type ServiceConnection } from '../../core/actions/policy';
import { claimFor, onceFor, skippedItem } from '../../core/actions/processed';
import { NO_DOWNLOAD_SETTINGS, downloadProperties, readDownloadSettings, type DownloadSettings } from '../../core/actions/properties';
import { downloadToBinary, type DownloadedFile } from '../../core/fetch/download';
import { requestJson } from '../../core/fetch/transport';
import { PDF_SIGN_API_BASE_URL, pdfSign } from './descriptor';

/** POST /generate-pdf-preview answers {success, pdf_url, generation_id, file_size}. */
interface PreviewAnswer extends IDataObject {
	success?: boolean;
	pdf_url?: string;
	generation_id?: string;
	file_size?: number;
}

/** Public storage URLs: https://api.pdf-sign.com/storage/v1/object/public/pdfs/<storage_path>. */
const PUBLIC_STORAGE_PREFIX = '/storage/v1/object/public/pdfs/';

export class PdfSign implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PDF-Sign',
		name: 'pdfSign',
		icon: { light: 'file:pdfsign.svg', dark: 'file:pdfsign.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Generate PDFs from PDF-Sign templates and download generated ones',
		defaults: { name: 'PDF-Sign' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// The PDF's URL is public: Download needs no credential, only Generate does.
		credentials: [{ name: 'pdfSignApi', required: true, displayOptions: { show: { operation: ['generate'] } } }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'PDF', value: 'pdf' }],
				default: 'pdf',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['pdf'] } },
				options: [
					{
						name: 'Download',
						value: 'download',
						action: 'Download a PDF',
						description: 'Download a generated PDF from its public URL, checking it has the size PDF-Sign announced',
					},
					{
						name: 'Generate',
						value: 'generate',
						action: 'Generate a PDF',
						description: 'Fill a template with variables; returns the PDF\'s URL and downloads the PDF',
					},
				],
				default: 'download',
			},

			// Download
			{
				displayName: 'Download URL',
				name: 'downloadUrl',
				type: 'string',
				default: '={{ $json.downloadUrl }}',
				required: true,
				displayOptions: { show: { resource: ['pdf'], operation: ['download'] } },
				description: 'The PDF\'s public URL (pdf_url). The default reads it from a PDF-Sign Trigger\'s output or from Generate.',
			},
			{
				displayName: 'Expected Size (Bytes)',
				name: 'fileSize',
				type: 'string',
				default: '={{ $json.fileSize }}',
				displayOptions: { show: { resource: ['pdf'], operation: ['download'] } },
				description:
					'The size PDF-Sign announced (file_size). A download of another size fails instead of passing on a broken or different file. Leave empty to skip the check.',
			},

			// Generate
			{
				displayName: 'Template ID',
				name: 'templateId',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000',
				displayOptions: { show: { resource: ['pdf'], operation: ['generate'] } },
			},
			{
				displayName: 'Variables (JSON)',
				name: 'variables',
				type: 'json',
				default: '{}',
				displayOptions: { show: { resource: ['pdf'], operation: ['generate'] } },
				description: 'The values the template fills in, e.g. {"clientName": "John Doe", "invoiceNumber": "INV-2024-001"}',
			},
			{
				displayName: 'Download PDF',
				name: 'downloadPdf',
				type: 'boolean',
				default: true,
				displayOptions: { show: { resource: ['pdf'], operation: ['generate'] } },
				description: 'Whether to download the generated PDF at once; otherwise only its URL is returned',
			},

			...downloadProperties({ resource: ['pdf'], operation: ['download'] }),
			...downloadProperties({ resource: ['pdf'], operation: ['generate'], downloadPdf: [true] }),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		return await forEachItem(this, async (itemIndex, item) => {
			if (resource === 'pdf' && operation === 'download') {
				const settings = readDownloadSettings(this, itemIndex);
				const url = requiredString(this, 'downloadUrl', 'Download URL', itemIndex);
				const expectedBytes = readExpectedBytes(this, itemIndex);
				// No credential: the URL is public, and the API's own origin gets no special treatment.
				const connection = connectTo(pdfSign, PDF_SIGN_API_BASE_URL, settings);
				const claim = claimFor(this, settings, item, `pdfSign:file:${storagePathOf(url)}`);
				const file = await onceFor(this, claim, async () => await downloadPdf(this, connection, url, expectedBytes, settings, itemIndex));
				return file ? [withFile(item.json, file, settings.binaryPropertyName)] : skippedItem(this, item, settings, 'the PDF');
			}
			if (resource === 'pdf' && operation === 'generate') return await generate(this, itemIndex);
			throw new NodeOperationError(this.getNode(), `Unsupported operation ${resource}/${operation}`, { itemIndex });
		});
	}
}

async function generate(ctx: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const settings = (ctx.getNodeParameter('downloadPdf', itemIndex, true) as boolean) ? readDownloadSettings(ctx, itemIndex) : undefined;
	const connection = await connect(ctx, pdfSign, settings ?? NO_DOWNLOAD_SETTINGS);
	const templateId = requiredString(ctx, 'templateId', 'Template ID', itemIndex);
	const variables = parseJsonParameter(ctx, 'variables', itemIndex);
	// Every call counts against the monthly quota, so only a declined one (429, 503) is retried.
	const { body } = await requestJson<PreviewAnswer>(
		ctx,
		apiCall(connection, { method: 'POST', path: '/generate-pdf-preview', body: { templateId, variables } }, itemIndex),
	);
	if (body.success === false || typeof body.pdf_url !== 'string' || !body.pdf_url) {
		throw new NodeOperationError(ctx.getNode(), 'PDF-Sign answered without a PDF URL', {
			itemIndex,
			description: typeof body.error === 'string' ? body.error : 'The answer had no pdf_url.',
		});
	}
	const fileSize = typeof body.file_size === 'number' ? body.file_size : null;
	// The same field names as the PDF-Sign Trigger's, so a later PDF-Sign Download works on either.
	const json: IDataObject = {
		success: body.success ?? true,
		generationId: body.generation_id ?? null,
		templateId,
		downloadUrl: body.pdf_url,
		storagePath: storagePathOf(body.pdf_url),
		fileSize,
	};
	if (!settings) return [{ json, pairedItem: { item: itemIndex } }];
	const file = await downloadPdf(ctx, connection, body.pdf_url, fileSize ?? undefined, settings, itemIndex);
	return [withFile(json, file, settings.binaryPropertyName)];
}

async function downloadPdf(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	url: string,
	expectedBytes: number | undefined,
	settings: DownloadSettings,
	itemIndex: number,
): Promise<DownloadedFile> {
	return await downloadToBinary(ctx, eventLinkCall(connection, url, itemIndex, settings.timeoutMs), {
		expectedFormat: 'pdf',
		expectedBytes,
		maxBytes: settings.maxBytes, totalTimeoutMs: settings.totalTimeoutMs,
		fileName: settings.fileName,
	});
}


function readExpectedBytes(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	const value = ctx.getNodeParameter('fileSize', itemIndex, '') as unknown;
	if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return undefined;
	const bytes = typeof value === 'number' ? value : Number(String(value).trim());
	if (!Number.isInteger(bytes) || bytes < 0) {
		throw new NodeOperationError(ctx.getNode(), 'Expected Size must be a whole number of bytes', {
			itemIndex,
			description: 'Leave it empty to skip the size check.',
		});
	}
	return bytes > 0 ? bytes : undefined;
}

/** The storage path from a public URL, or the URL's path for other URLs (the query string may change between deliveries). */
function storagePathOf(url: string): string {
	let path: string;
	try {
		path = new URL(url).pathname;
	} catch {
		return url;
	}
	const at = path.indexOf(PUBLIC_STORAGE_PREFIX);
	if (at === -1) return path;
	const storagePath = path.slice(at + PUBLIC_STORAGE_PREFIX.length);
	try {
		return decodeURIComponent(storagePath);
	} catch {
		return storagePath;
	}
}
