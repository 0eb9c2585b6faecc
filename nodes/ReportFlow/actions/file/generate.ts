import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { isPlainObject } from '../../../../core/values';
import { withFile } from '../../../../core/actions/output';
import { apiCall } from '../../../../core/actions/policy';
import { downloadToBinary, fileNameFromDisposition } from '../../../../core/fetch/download';
import { firstHeader } from '../../../../core/fetch/transport';
import { pdfName, zipName } from '../files';
import { describeResult, forEachGeneration, generationBody, generationPath } from '../generation';

/**
 * ReportFlow answers a sync generation that takes longer than 120 s with a 504 that says so;
 * waiting a little longer than that shows its message instead of our own timeout.
 */
const SYNC_GENERATION_TIMEOUT_MS = 130_000;

export const option: INodePropertyOptions = {
	name: 'Generate',
	value: 'generate',
	action: 'Generate a PDF',
	description: 'Fill a template and return the PDF, or a ZIP for several files',
};

/** Template and files are shared with Start Generation (see ../fields.ts). */
export const properties: INodeProperties[] = [];

/** POST /file/sync/single|multiple answers with the PDF (or the ZIP), described in its headers. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachGeneration(this, async ({ request, connection, settings, itemIndex }) => {
		const single = request.contents.length === 1;
		const file = await downloadToBinary(
			this,
			apiCall(connection, { method: 'POST', path: generationPath('sync', request), body: generationBody(request) }, itemIndex, {
				timeoutMs: Math.max(settings.timeoutMs, SYNC_GENERATION_TIMEOUT_MS),
			}),
			{
				expectedFormat: single ? 'pdf' : 'zip',
				maxBytes: settings.maxBytes,
				totalTimeoutMs: settings.totalTimeoutMs,
				fileName: settings.fileName ?? (single ? pdfName(request.contents[0].fileName) : undefined),
			},
		);
		const requestId = firstHeader(file.headers['request-id']);
		if (!single && !settings.fileName && !fileNameFromDisposition(firstHeader(file.headers['content-disposition']))) {
			// Otherwise the name would be the last segment of /file/sync/multiple.
			file.fileName = zipName(requestId);
			file.binary.fileName = file.fileName;
		}
		const json = describeResult(
			request,
			{ requestId: requestId ?? null, fileUrl: firstHeader(file.headers['file-url']) ?? null },
			parseFileMapping(this, firstHeader(file.headers['x-file-mapping'])),
		);
		return [{ ...withFile(json, file, settings.binaryPropertyName), pairedItem: { item: itemIndex } }];
	});
}

/** X-File-Mapping: a URL-encoded JSON array of {fileId, fileName, share, passthrough}. */
function parseFileMapping(ctx: IExecuteFunctions, header: string | undefined): IDataObject[] | undefined {
	if (!header) return undefined;
	try {
		const parsed = JSON.parse(decodeURIComponent(header)) as unknown;
		if (Array.isArray(parsed)) return parsed.filter(isPlainObject);
	} catch {
		// Reported below; the file itself is fine.
	}
	ctx.logger.warn('ReportFlow: the X-File-Mapping header could not be read', { header: header.slice(0, 200) });
	return undefined;
}
