import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { DownloadedFile } from '../fetch/download';
import { claimFor, onceFor, skippedItem } from './processed';
import type { DownloadSettings } from './properties';

/**
 * The input item's fields (so the recipient and subject from the event stay at hand for the
 * email node), a `download` summary, and the file under the chosen binary field.
 */
export function withFile(json: IDataObject, file: DownloadedFile, binaryPropertyName: string): INodeExecutionData {
	return {
		json: { ...json, download: { fileName: file.fileName, mimeType: file.mimeType, bytes: file.bytes, source: file.sourceUrl } },
		binary: { [binaryPropertyName]: file.binary },
	};
}

/**
 * A download that skips a file this workflow already downloaded (Skip Files Already Downloaded): the item with its file, or, when this workflow
 * already processed `key`, what a skipped item becomes (see skippedItem). `what` names the
 * file in the note users see.
 */
export async function downloadOnce(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	settings: DownloadSettings,
	claim: { key: string; what: string },
	download: () => Promise<DownloadedFile>,
): Promise<INodeExecutionData[]> {
	const file = await onceFor(ctx, claimFor(ctx, settings, item, claim.key), download);
	return file ? [withFile(item.json, file, settings.binaryPropertyName)] : skippedItem(ctx, item, settings, claim.what);
}
