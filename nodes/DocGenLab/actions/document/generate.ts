import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { forEachItem, requiredString, safeId } from '../../../../core/actions/execute';
import { parseJsonParameter } from '../../../../core/actions/json';
import { withFile } from '../../../../core/actions/output';
import { apiCall, connect, type ServiceConnection } from '../../../../core/actions/policy';
import { pollUntil, readPollSettings, waitProperties } from '../../../../core/actions/poll';
import { NO_DOWNLOAD_SETTINGS, readDownloadSettings, type DownloadSettings } from '../../../../core/actions/properties';
import { downloadToBinary } from '../../../../core/fetch/download';
import { requestJson } from '../../../../core/fetch/transport';
import { docGenLab } from '../../descriptor';
import { FINAL_STATES, apiDownloadCall, derivedIdempotencyKey, fileOptions, getDocument, type DocGenLabDocument, type FileType, type OutputFormat } from '../documents';
import { generationProperties } from '../templates';

export const option: INodePropertyOptions = {
	name: 'Start Generation',
	value: 'generate',
	action: 'Start generating a document',
	description: 'Return at once; a DocGenLab Trigger continues when the document is ready, or the node waits for it',
};

const show = { resource: ['document'], operation: ['generate'] };

export const properties: INodeProperties[] = [
	...generationProperties(show),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'Requests with the same key create only one document (sent as X-Idempotency-Key). Leave empty to derive one from this execution, node, run and item, so a retry of this node, or of a request whose answer got lost, returns the document already started instead of rendering it twice. Set your own, e.g. an order number, to also avoid duplicates across executions.',
			},
			{
				displayName: 'Webhook URL',
				name: 'webhookUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. the Production URL of a DocGenLab Trigger',
				description: 'Where DocGenLab posts the result of this document instead of the organisation\'s webhook (public https)',
			},
		],
	},
	...waitProperties(show, 'Whether to download the document once it is ready. With Output Format Both, the Word file goes into a second field named like the first plus "_docx".'),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => await generate(this, itemIndex));
}

async function generate(ctx: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const poll = readPollSettings(ctx, itemIndex);
	const settings = poll && (ctx.getNodeParameter('downloadResult', itemIndex, true) as boolean) ? readDownloadSettings(ctx, itemIndex) : undefined;
	const connection = await connect(ctx, docGenLab, settings ?? NO_DOWNLOAD_SETTINGS);
	const outputFormat = ctx.getNodeParameter('outputFormat', itemIndex, 'pdf') as OutputFormat;
	const started = await start(ctx, connection, outputFormat, itemIndex);
	if (!poll) return [{ json: started, pairedItem: { item: itemIndex } }];

	const documentId = safeId(ctx, String(started.id), 'Document ID', itemIndex);
	const finished = await pollUntil(ctx, 'DocGenLab', `document ${documentId}`, poll, itemIndex, async () => {
		const current = await getDocument(ctx, connection, documentId, itemIndex);
		return FINAL_STATES.includes(current.status) ? current : undefined;
	});
	const json: IDataObject = { ...started, ...finished };
	if (finished.status !== 'ready' || !settings) return [{ json, pairedItem: { item: itemIndex } }];
	return [await downloadResult(ctx, connection, { json, documentId, outputFormat }, settings, itemIndex)];
}

/** POST /documents/ with an idempotency key. */
async function start(ctx: IExecuteFunctions, connection: ServiceConnection, outputFormat: OutputFormat, itemIndex: number): Promise<DocGenLabDocument> {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as { idempotencyKey?: string; webhookUrl?: string };
	const body: IDataObject = {
		template_id: requiredString(ctx, 'templateId', 'Template ID', itemIndex),
		input_json: parseJsonParameter(ctx, 'inputJson', itemIndex),
		output_format: outputFormat,
	};
	const webhookUrl = options.webhookUrl?.trim();
	if (webhookUrl) body.webhook_url = webhookUrl;
	const idempotencyKey = options.idempotencyKey?.trim() || derivedIdempotencyKey(ctx, itemIndex);
	const call = apiCall(connection, { method: 'POST', path: '/documents/', body, headers: { 'X-Idempotency-Key': idempotencyKey } }, itemIndex);
	// With the key, DocGenLab answers a repeated request with the document it already started,
	// so a dropped connection or a 5xx is retried like a read, not only a declined request.
	const { body: started } = await requestJson<DocGenLabDocument>(ctx, { ...call, retryOn: 'transient' });
	return started;
}

/** The finished document; with Output Format Both, the Word file in a second field. */
async function downloadResult(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	result: { json: IDataObject; documentId: string; outputFormat: OutputFormat },
	settings: DownloadSettings,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const download = async (type: FileType, fileName = settings.fileName) =>
		await downloadToBinary(ctx, apiDownloadCall(connection, result.documentId, type, settings, itemIndex), { ...fileOptions(type, settings), fileName });
	if (result.outputFormat !== 'both') return withFile(result.json, await download(result.outputFormat), settings.binaryPropertyName);
	// One after the other: gentle on the 60 requests a minute an organisation has by default.
	const output = withFile(result.json, await download('pdf'), settings.binaryPropertyName);
	const docx = await download('docx', settings.fileName?.replace(/(\.pdf)?$/i, '.docx'));
	const field = `${settings.binaryPropertyName}_docx`;
	output.binary![field] = docx.binary;
	output.json.downloadDocx = { fileName: docx.fileName, mimeType: docx.mimeType, bytes: docx.bytes, source: docx.sourceUrl, field };
	return output;
}
