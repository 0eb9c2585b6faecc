import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { forEachItem, optionalString, requiredString, safeId } from '../../../../core/actions/execute';
import { downloadOnce, withFile } from '../../../../core/actions/output';
import { apiCall, connect, type ServiceConnection } from '../../../../core/actions/policy';
import { claimFor, onceFor, skippedItem } from '../../../../core/actions/processed';
import { readDownloadSettings, type DownloadSettings } from '../../../../core/actions/properties';
import { downloadToBinary, type DownloadedFile } from '../../../../core/fetch/download';
import { reportFlow } from '../../descriptor';
import { downloadPath, listedFiles, safeName, type FileRef } from '../files';

export const option: INodePropertyOptions = {
	name: 'Download',
	value: 'download',
	action: 'Download a file',
	description: 'Download one generated PDF, e.g. for each file a ReportFlow Trigger reports',
};

const show = { resource: ['file'], operation: ['download'] };

/** The Request ID is shared with Download All as ZIP (see ../fields.ts). */
export const properties: INodeProperties[] = [
	{
		displayName: 'File ID',
		name: 'fileId',
		type: 'string',
		default: '={{ $json.fileId }}',
		displayOptions: { show },
		description:
			'The file to download; the default reads it from a ReportFlow Trigger\'s output. When it is empty and the input item has a files list (a trigger with One Item per File turned off, or a Start Generation result for several files), every listed file is downloaded and output as its own item.',
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '={{ $json.fileName }}',
		displayOptions: { show },
		description: 'Name for the downloaded file; the default takes the one from the trigger. When empty, the file ID plus .pdf is used.',
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex, item) => {
		const settings = readDownloadSettings(this, itemIndex);
		const connection = await connect(this, reportFlow, settings);
		const target = { connection, item, settings, itemIndex };
		const fileId = optionalString(this, 'fileId', itemIndex);
		const listed = fileId ? undefined : listedFiles(item.json, optionalString(this, 'requestId', itemIndex));
		if (listed) return await downloadListed(this, target, listed);
		const ref: FileRef = {
			requestId: requiredString(this, 'requestId', 'Request ID', itemIndex),
			fileId: requiredString(this, 'fileId', 'File ID', itemIndex),
			fileName: optionalString(this, 'fileName', itemIndex) || undefined,
		};
		checkIds(this, ref, itemIndex);
		return await downloadOnce(this, item, settings, { key: claimKey(ref), what: `file ${ref.fileId}` }, async () => await fetchFile(this, target, ref));
	});
}

interface Target {
	connection: ServiceConnection;
	item: INodeExecutionData;
	settings: DownloadSettings;
	itemIndex: number;
}

function checkIds(ctx: IExecuteFunctions, ref: FileRef, itemIndex: number): void {
	safeId(ctx, ref.requestId, 'Request ID', itemIndex);
	safeId(ctx, ref.fileId, 'File ID', itemIndex);
}

function claimKey(ref: FileRef): string {
	return `reportFlow:file:${ref.requestId}/${ref.fileId}`;
}

async function fetchFile(ctx: IExecuteFunctions, target: Target, ref: FileRef): Promise<DownloadedFile> {
	const { connection, settings, itemIndex } = target;
	return await downloadToBinary(
		ctx,
		apiCall(connection, { method: 'GET', path: downloadPath(ref.requestId, ref.fileId) }, itemIndex, { timeoutMs: settings.timeoutMs }),
		{ expectedFormat: 'pdf', maxBytes: settings.maxBytes, totalTimeoutMs: settings.totalTimeoutMs, fileName: settings.fileName ?? safeName(ref.fileName, `${ref.fileId}.pdf`) },
	);
}

/** One item per listed file, shaped like the trigger's one-item-per-file output. */
async function downloadListed(ctx: IExecuteFunctions, target: Target, listed: FileRef[]): Promise<INodeExecutionData[]> {
	const { item, settings, itemIndex } = target;
	const common: IDataObject = { ...item.json };
	delete common.files;
	const output: INodeExecutionData[] = [];
	for (const [fileIndex, ref] of listed.entries()) {
		checkIds(ctx, ref, itemIndex);
		const file = await onceFor(ctx, claimFor(ctx, settings, item, claimKey(ref)), async () => await fetchFile(ctx, target, ref));
		const entry = (item.json.files as IDataObject[])[fileIndex];
		const json: IDataObject = { ...common, fileIndex, ...entry, requestId: ref.requestId, fileId: ref.fileId };
		const results = file ? [withFile(json, file, settings.binaryPropertyName)] : skippedItem(ctx, { json }, settings, `file ${ref.fileId}`);
		for (const result of results) output.push({ ...result, pairedItem: { item: itemIndex } });
	}
	return output;
}
