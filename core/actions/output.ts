import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { DownloadedFile } from '../fetch/download';

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
