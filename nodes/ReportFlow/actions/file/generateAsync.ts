import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { safeId, settle } from '../../../../core/actions/execute';
import { isPlainObject } from '../../../../core/values';
import { withFile } from '../../../../core/actions/output';
import { apiCall, type ServiceConnection } from '../../../../core/actions/policy';
import { pollUntil, readPollSettings, waitProperties, type PollSettings } from '../../../../core/actions/poll';
import type { DownloadSettings } from '../../../../core/actions/properties';
import { downloadToBinary, type DownloadedFile } from '../../../../core/fetch/download';
import { requestJson, withResponse } from '../../../../core/fetch/transport';
import { downloadPath, pdfName, zipName } from '../files';
import { describeResult, forEachGeneration, generationBody, generationPath, type GenerationRequest } from '../generation';

export const option: INodePropertyOptions = {
	name: 'Start Generation',
	value: 'generateAsync',
	action: 'Start generating a PDF',
	description: 'Return at once; a ReportFlow Trigger continues when the files are ready, or the node waits for them',
};

const show = { resource: ['file'], operation: ['generateAsync'] };

/** Template and files are shared with Generate (see ../fields.ts). */
export const properties: INodeProperties[] = [
	...waitProperties(show, 'Whether to download the result once it is ready: the PDF, or a ZIP for several files'),
];

interface Started {
	request: GenerationRequest;
	json: IDataObject;
	requestId: string;
	/** Only for a single file: its own download; several files are waited for as the request's ZIP. */
	fileId?: string;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachGeneration(this, async ({ request, connection, settings, itemIndex }) => {
		const { body: started } = await requestJson<IDataObject>(
			this,
			apiCall(connection, { method: 'POST', path: generationPath('async', request), body: generationBody(request) }, itemIndex),
		);
		const files = Array.isArray(started.files) ? started.files.filter(isPlainObject) : undefined;
		const json = describeResult(request, started, files);
		const poll = readPollSettings(this, itemIndex);
		if (!poll) return [{ json, pairedItem: { item: itemIndex } }];
		return await waitForFiles(this, connection, toWaitFor(this, request, json, itemIndex), { poll, settings }, itemIndex);
	});
}

function toWaitFor(ctx: IExecuteFunctions, request: GenerationRequest, json: IDataObject, itemIndex: number): Started {
	const requestId = typeof json.requestId === 'string' ? json.requestId : '';
	const single = request.contents.length === 1;
	const fileId = single && typeof json.fileId === 'string' ? json.fileId : undefined;
	if (requestId) safeId(ctx, requestId, 'Request ID', itemIndex);
	if (fileId) safeId(ctx, fileId, 'File ID', itemIndex);
	if (!requestId || (single && !fileId)) {
		throw new NodeOperationError(ctx.getNode(), 'ReportFlow accepted the generation but its answer has no request ID or file ID to wait for', {
			itemIndex,
			description: 'Turn off Wait for Completion and use a ReportFlow Trigger to continue when the files are ready.',
		});
	}
	return { request, json, requestId, fileId };
}

/**
 * ReportFlow has no job-status endpoint: the download answers 404 until the files are ready,
 * so the node polls the download itself. When the result is wanted, the poll that succeeds
 * is the download (streamed straight into n8n); otherwise its body is discarded.
 */
async function waitForFiles(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	started: Started,
	wait: { poll: PollSettings; settings: DownloadSettings },
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { request, json, requestId, fileId } = started;
	const { poll, settings } = wait;
	const call = apiCall(connection, { method: 'GET', path: downloadPath(requestId, fileId) }, itemIndex, { timeoutMs: settings.timeoutMs });
	const single = fileId !== undefined;
	const fileName = settings.fileName ?? (single ? pdfName(String(json.fileName ?? request.contents[0].fileName)) : zipName(requestId));
	const options = { expectedFormat: single ? ('pdf' as const) : ('zip' as const), maxBytes: settings.maxBytes, totalTimeoutMs: settings.totalTimeoutMs, fileName };
	const downloadResult = ctx.getNodeParameter('downloadResult', itemIndex, true) as boolean;
	const result = await pollUntil(ctx, 'ReportFlow', `request ${requestId}`, poll, itemIndex, async () =>
		downloadResult
			? await unlessNotReady(downloadToBinary(ctx, call, options).then((file) => ({ file })))
			: await unlessNotReady(
					withResponse<{ file?: DownloadedFile }>(ctx, call, async (response) => {
						response.body.destroy();
						return {};
					}),
				),
	);
	const ready = { ...json, ready: true };
	return [result.file ? { ...withFile(ready, result.file, settings.binaryPropertyName), pairedItem: { item: itemIndex } } : { json: ready, pairedItem: { item: itemIndex } }];
}

/** The value, or undefined when ReportFlow answered 404 (the files are not ready yet). */
async function unlessNotReady<T>(attempt: Promise<T>): Promise<T | undefined> {
	const outcome = await settle(attempt);
	if ('value' in outcome) return outcome.value;
	if ((outcome.error as { httpCode?: string }).httpCode === '404') return undefined;
	throw outcome.error;
}
