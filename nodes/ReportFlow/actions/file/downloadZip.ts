import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { forEachItem, optionalString, requiredString, safeId } from '../../../../core/actions/execute';
import { withFile } from '../../../../core/actions/output';
import { apiCall, connect, type ServiceConnection } from '../../../../core/actions/policy';
import { claimFor, onceFor, skippedItem } from '../../../../core/actions/processed';
import { readDownloadSettings, type DownloadSettings } from '../../../../core/actions/properties';
import { downloadToBinary } from '../../../../core/fetch/download';
import { reportFlow } from '../../descriptor';
import { downloadPath, listedFiles, zipName } from '../files';

/** Fields of a trigger item that describe one file; a ZIP of the whole request is not about that file. */
const PER_FILE_FIELDS = ['fileId', 'fileName', 'fileIndex', 'params', 'files'];

export const option: INodePropertyOptions = {
	name: 'Download All as ZIP',
	value: 'downloadZip',
	action: 'Download all files as a ZIP',
	description: 'Download every file of a generation request as one ZIP archive',
};

/** The Request ID is shared with Download (see ../fields.ts). */
export const properties: INodeProperties[] = [
	{
		displayName: 'Items that share a Request ID (like the trigger\'s one item per file) get one ZIP, on the first of them',
		name: 'zipNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['file'], operation: ['downloadZip'] } },
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	/** Request IDs whose ZIP this execution already produced. */
	const zipped = new Set<string>();
	return await forEachItem(this, async (itemIndex, item) => {
		const settings = readDownloadSettings(this, itemIndex);
		const connection = await connect(this, reportFlow, settings);
		return await downloadZips(this, { connection, item, settings, itemIndex }, zipped);
	});
}

async function downloadZips(
	ctx: IExecuteFunctions,
	target: { connection: ServiceConnection; item: INodeExecutionData; settings: DownloadSettings; itemIndex: number },
	zipped: Set<string>,
): Promise<INodeExecutionData[]> {
	const { connection, item, settings, itemIndex } = target;
	const given = optionalString(ctx, 'requestId', itemIndex);
	const requestIds = given ? [given] : [...new Set((listedFiles(item.json, '') ?? []).map((f) => f.requestId))];
	if (!requestIds.length) requiredString(ctx, 'requestId', 'Request ID', itemIndex);
	const common: IDataObject = { ...item.json };
	for (const field of PER_FILE_FIELDS) delete common[field];
	const output: INodeExecutionData[] = [];
	for (const requestId of requestIds) {
		safeId(ctx, requestId, 'Request ID', itemIndex);
		// The trigger's one-item-per-file output repeats the request ID: one ZIP is enough.
		if (zipped.has(requestId)) continue;
		const file = await onceFor(ctx, claimFor(ctx, settings, item, `reportFlow:zip:${requestId}`), async () =>
			await downloadToBinary(
				ctx,
				apiCall(connection, { method: 'GET', path: downloadPath(requestId) }, itemIndex, { timeoutMs: settings.timeoutMs }),
				{ expectedFormat: 'zip', maxBytes: settings.maxBytes, totalTimeoutMs: settings.totalTimeoutMs, fileName: settings.fileName ?? zipName(requestId) },
			),
		);
		zipped.add(requestId);
		const results = file
			? [withFile({ ...common, requestId }, file, settings.binaryPropertyName)]
			: skippedItem(ctx, { json: { ...common, requestId } }, settings, `the ZIP of request ${requestId}`);
		for (const result of results) output.push({ ...result, pairedItem: { item: itemIndex } });
	}
	return output;
}
