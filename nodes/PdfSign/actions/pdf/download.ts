import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';

import { forEachItem, requiredString } from '../../../../core/actions/execute';
import { downloadOnce } from '../../../../core/actions/output';
import { connectTo } from '../../../../core/actions/policy';
import { readDownloadSettings } from '../../../../core/actions/properties';
import { PDF_SIGN_API_BASE_URL, pdfSign } from '../../descriptor';
import { downloadPdf, storagePathOf } from '../files';

export const option: INodePropertyOptions = {
	name: 'Download',
	value: 'download',
	action: 'Download a PDF',
	description: 'Download a generated PDF from its public URL, checking it has the size PDF-Sign announced',
};

const show = { resource: ['pdf'], operation: ['download'] };

export const properties: INodeProperties[] = [
	{
		displayName: 'Download URL',
		name: 'downloadUrl',
		type: 'string',
		default: '={{ $json.downloadUrl }}',
		required: true,
		displayOptions: { show },
		description: 'The PDF\'s public URL (pdf_url). The default reads it from a PDF-Sign Trigger\'s output or from Generate.',
	},
	{
		displayName: 'Expected Size (Bytes)',
		name: 'fileSize',
		type: 'string',
		default: '={{ $json.fileSize }}',
		displayOptions: { show },
		description:
			'The size PDF-Sign announced (file_size). A download of another size fails instead of passing on a broken or different file. Leave empty to skip the check.',
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex, item) => {
		const settings = readDownloadSettings(this, itemIndex);
		const url = requiredString(this, 'downloadUrl', 'Download URL', itemIndex);
		const expectedBytes = readExpectedBytes(this, itemIndex);
		// No credential: the URL is public, and the API's own origin gets no special treatment.
		const connection = connectTo(pdfSign, PDF_SIGN_API_BASE_URL, settings);
		return await downloadOnce(this, item, settings, { key: `pdfSign:file:${storagePathOf(url)}`, what: 'the PDF' }, async () =>
			await downloadPdf(this, connection, url, expectedBytes, settings, itemIndex),
		);
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
