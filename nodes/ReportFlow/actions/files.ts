/** What ReportFlow's file operations share: where files are downloaded from and what they are called. */
import type { IDataObject } from 'n8n-workflow';

import { sanitizeFileName } from '../../../core/fetch/download';

/** A file a download operation should fetch: from the node's fields, or from an item's files list. */
export interface FileRef {
	requestId: string;
	fileId: string;
	fileName?: string;
}

/** The files list of a trigger item (One Item per File off) or of a Start Generation result. */
export function listedFiles(json: IDataObject, fallbackRequestId: string): FileRef[] | undefined {
	if (!Array.isArray(json.files)) return undefined;
	const files: FileRef[] = [];
	for (const entry of json.files as unknown[]) {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
		const file = entry as IDataObject;
		const fileId = typeof file.fileId === 'string' ? file.fileId : '';
		// The webhook page calls the request ID `uuid`; the trigger and the current API `requestId`.
		const own = typeof file.requestId === 'string' ? file.requestId : typeof file.uuid === 'string' ? file.uuid : '';
		const requestId = own || fallbackRequestId;
		if (!fileId || !requestId) return undefined;
		files.push({ requestId, fileId, fileName: typeof file.fileName === 'string' ? file.fileName : undefined });
	}
	return files.length ? files : undefined;
}

/** One file, or with no file ID the request's ZIP. Both IDs are checked by the caller (safeId). */
export function downloadPath(requestId: string, fileId?: string): string {
	return `/file/download/${encodeURIComponent(requestId)}${fileId === undefined ? '' : `/${encodeURIComponent(fileId)}`}`;
}

/** File names from events are not trusted: no paths, no control characters. */
export function safeName(name: string | undefined, fallback: string): string {
	return (name ? sanitizeFileName(name) : '') || fallback;
}

/** The name ReportFlow gives a generated file: the requested one plus .pdf. */
export function pdfName(fileName: string): string {
	return sanitizeFileName(/\.pdf$/i.test(fileName) ? fileName : `${fileName}.pdf`) || 'document.pdf';
}

/** A request's ZIP, named after the request. */
export function zipName(requestId: string | undefined): string {
	return `${safeName(requestId, 'reportflow')}.zip`;
}
