import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';

import { forEachItem, optionalString, safeId } from '../../../../core/actions/execute';
import { downloadFromEventLink } from '../../../../core/actions/link';
import { downloadOnce } from '../../../../core/actions/output';
import { connect, connectTo, type ServiceConnection } from '../../../../core/actions/policy';
import { readDownloadSettings, type DownloadSettings } from '../../../../core/actions/properties';
import { downloadToBinary, type DownloadedFile } from '../../../../core/fetch/download';
import { DOCGENLAB_API_BASE_URL, docGenLab } from '../../descriptor';
import { apiDownloadCall, fileOptions, type FileType } from '../documents';

/**
 * How a storage host refuses a signed link that has expired or is not valid (Google Cloud
 * Storage: 400 ExpiredToken, 403 AccessDenied, 404 NoSuchKey): the cue to use the API instead.
 */
const LINK_REFUSED_STATUSES = [400, 401, 403, 404, 410];

interface Source {
	link?: string;
	documentId?: string;
	apiFallback: boolean;
	fileType: FileType;
}

export const option: INodePropertyOptions = {
	name: 'Download',
	value: 'download',
	action: 'Download a document',
	description: 'Download a finished document from the link in the event, or through the API when the link has expired',
};

const show = { resource: ['document'], operation: ['download'] };

export const properties: INodeProperties[] = [
	{
		displayName: 'Download URL',
		name: 'downloadUrl',
		type: 'string',
		default: '={{ $json.downloadUrl }}',
		displayOptions: { show },
		description: 'The signed link from the event (valid for 24 hours, no credential needed). The default reads it from a DocGenLab Trigger\'s output.',
	},
	{
		displayName: 'Fall Back to API',
		name: 'apiFallback',
		type: 'boolean',
		default: true,
		displayOptions: { show },
		hint: 'When the link is missing or has expired, download by Document ID with the credential',
		description:
			'Whether to download the document by its ID through the DocGenLab API, with the credential\'s API key, when the link is missing or has expired. Turn off to download from the link alone, without a credential.',
	},
	{
		displayName: 'Document ID',
		name: 'documentId',
		type: 'string',
		default: '={{ $json.jobId }}',
		displayOptions: { show },
		description: 'The document to download when the link cannot be used. The default reads it from a DocGenLab Trigger\'s output (its job_id).',
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
		displayOptions: { show },
		description: 'The file to download. A PDF is checked to really be a PDF.',
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex, item) => await download(this, item, itemIndex));
}

/** The event's signed link first; GET /documents/{id}/download with the API key when it is missing or refused. */
async function download(ctx: IExecuteFunctions, item: INodeExecutionData, itemIndex: number): Promise<INodeExecutionData[]> {
	const settings = readDownloadSettings(ctx, itemIndex);
	const source = readSource(ctx, itemIndex);
	// Without the fallback no credential is read: the link is signed and the API is never called.
	const connection = source.apiFallback ? await connect(ctx, docGenLab, settings) : connectTo(docGenLab, DOCGENLAB_API_BASE_URL, settings);
	const identity = source.documentId ?? linkPath(source.link!);
	const key = `docGenLab:document:${identity}${source.fileType === 'pdf' ? '' : `:${source.fileType}`}`;
	return await downloadOnce(ctx, item, settings, { key, what: 'the document' }, async () =>
		await downloadDocument(ctx, connection, source, settings, itemIndex),
	);
}

function readSource(ctx: IExecuteFunctions, itemIndex: number): Source {
	const apiFallback = ctx.getNodeParameter('apiFallback', itemIndex, true) as boolean;
	const fileType = ctx.getNodeParameter('fileType', itemIndex, 'pdf') as FileType;
	const link = optionalString(ctx, 'downloadUrl', itemIndex) || undefined;
	const givenId = optionalString(ctx, 'documentId', itemIndex) || undefined;
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
	return { link, documentId, apiFallback, fileType };
}

async function downloadDocument(ctx: IExecuteFunctions, connection: ServiceConnection, source: Source, settings: DownloadSettings, itemIndex: number): Promise<DownloadedFile> {
	const options = fileOptions(source.fileType, settings);
	if (source.link) {
		const attempt = await downloadFromEventLink(
			ctx,
			connection,
			source.link,
			{ ...options, timeoutMs: settings.timeoutMs, refusedStatuses: LINK_REFUSED_STATUSES },
			itemIndex,
		);
		if ('file' in attempt) return attempt.file;
		const status = attempt.refusedWith;
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

/** The link's path (its query string holds the signature, which changes between deliveries). */
function linkPath(link: string): string {
	try {
		return new URL(link).pathname;
	} catch {
		return link;
	}
}
