/** What DocGenLab's document operations share: the document resource and its download endpoint. */
import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiCall, type ServiceConnection } from '../../../core/actions/policy';
import type { DownloadSettings } from '../../../core/actions/properties';
import type { DownloadOptions } from '../../../core/fetch/download';
import { requestJson, type HttpCall } from '../../../core/fetch/transport';

/** GET /documents/{id}: status goes queued → rendering → ready | failed. */
export interface DocGenLabDocument extends IDataObject {
	id: string;
	status: string;
}

export type FileType = 'pdf' | 'docx';
export type OutputFormat = FileType | 'both';

export const FINAL_STATES = ['ready', 'failed'];
const DOCX_MIME_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export async function getDocument(ctx: IExecuteFunctions, connection: ServiceConnection, documentId: string, itemIndex: number): Promise<DocGenLabDocument> {
	const { body } = await requestJson<DocGenLabDocument>(
		ctx,
		apiCall(connection, { method: 'GET', path: `/documents/${encodeURIComponent(documentId)}` }, itemIndex),
	);
	return body;
}

/** GET /documents/{id}/download?format=pdf|docx, with the API key. */
export function apiDownloadCall(connection: ServiceConnection, documentId: string, fileType: FileType, settings: DownloadSettings, itemIndex: number): HttpCall {
	return apiCall(
		connection,
		{ method: 'GET', path: `/documents/${encodeURIComponent(documentId)}/download`, qs: { format: fileType } },
		itemIndex,
		{ timeoutMs: settings.timeoutMs },
	);
}

/** A PDF is checked to really be one; a Word file gets its MIME type when the server sends none. */
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
