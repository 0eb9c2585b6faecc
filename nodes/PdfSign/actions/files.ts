/** What PDF-Sign's Download and Generate share: the public URL of a generated PDF. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { eventLinkCall, type ServiceConnection } from '../../../core/actions/policy';
import type { DownloadSettings } from '../../../core/actions/properties';
import { downloadToBinary, type DownloadedFile } from '../../../core/fetch/download';

/** Public storage URLs: https://api.pdf-sign.com/storage/v1/object/public/pdfs/<storage_path>. */
const PUBLIC_STORAGE_PREFIX = '/storage/v1/object/public/pdfs/';

/** The URL is public: it is fetched without the API key, under the full URL policy. */
export async function downloadPdf(
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
		maxBytes: settings.maxBytes,
		totalTimeoutMs: settings.totalTimeoutMs,
		fileName: settings.fileName,
	});
}

/** The storage path from a public URL, or the URL's path for other URLs (the query string may change between deliveries). */
export function storagePathOf(url: string): string {
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
