import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { forEachItem, requiredString } from '../../../../core/actions/execute';
import { parseJsonParameter } from '../../../../core/actions/json';
import { withFile } from '../../../../core/actions/output';
import { apiCall, connect } from '../../../../core/actions/policy';
import { NO_DOWNLOAD_SETTINGS, readDownloadSettings } from '../../../../core/actions/properties';
import { requestJson } from '../../../../core/fetch/transport';
import { pdfSign } from '../../descriptor';
import { downloadPdf, storagePathOf } from '../files';

/** POST /generate-pdf-preview answers {success, pdf_url, generation_id, file_size}. */
interface PreviewAnswer extends IDataObject {
	success?: boolean;
	pdf_url?: string;
	generation_id?: string;
	file_size?: number;
}

export const option: INodePropertyOptions = {
	name: 'Generate',
	value: 'generate',
	action: 'Generate a PDF',
	description: 'Fill a template with variables; returns the PDF\'s URL and downloads the PDF',
};

const show = { resource: ['pdf'], operation: ['generate'] };

export const properties: INodeProperties[] = [
	{
		displayName: 'Template ID',
		name: 'templateId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000',
		displayOptions: { show },
	},
	{
		displayName: 'Variables (JSON)',
		name: 'variables',
		type: 'json',
		default: '{}',
		displayOptions: { show },
		description: 'The values the template fills in, e.g. {"clientName": "John Doe", "invoiceNumber": "INV-2024-001"}',
	},
	{
		displayName: 'Download PDF',
		name: 'downloadPdf',
		type: 'boolean',
		default: true,
		displayOptions: { show },
		description: 'Whether to download the generated PDF at once; otherwise only its URL is returned',
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => await generate(this, itemIndex));
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
