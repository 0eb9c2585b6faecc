/**
 * Document → Generate and Wait: POST /documents/ with this execution's resume URL as
 * webhook_url; DocGenLab's callback resumes the execution. DocGenLab does not sign its
 * callbacks, so the node believes none: it asks GET /documents/{id} for the document it
 * started and outputs (and downloads) what the API says, never a link from the callback.
 * Polls the document instead when DocGenLab could not call n8n back.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { requiredString, safeId } from '../../../../core/actions/execute';
import { parseJsonParameter } from '../../../../core/actions/json';
import { withFile } from '../../../../core/actions/output';
import { apiCall, connect, type ServiceConnection } from '../../../../core/actions/policy';
import { downloadProperties, readDownloadSettings, type DownloadSettings } from '../../../../core/actions/properties';
import {
	acknowledgeCallback,
	executeFunctionsFor,
	pollUntilDeadline,
	rawBodyOf,
	readWaitSettings,
	rejectCallback,
	resumeUrlOf,
	resumeWith,
	timedOutJson,
	waitForCallback,
	waitOrPoll,
	waitProperties,
} from '../../../../core/actions/wait';
import { isSafeId } from '../../../../core/ids';
import { requestJson } from '../../../../core/fetch/transport';
import { downloadToBinary } from '../../../../core/fetch/download';
import {
	apiDownloadCall,
	derivedIdempotencyKey,
	fileOptions,
	getDocument,
	type DocGenLabDocument,
	type FileType,
	type OutputFormat,
} from '../documents';
import { docGenLab } from '../../descriptor';
import { generationProperties } from '../templates';

const SHOW = { resource: ['document'], operation: ['generateAndWait'] };
const FINAL_STATES = ['ready', 'failed'];

export const option: INodePropertyOptions = {
	name: 'Generate and Wait',
	value: 'generateAndWait',
	action: 'Generate a document and wait for it',
	description: 'Start rendering a template, wait for DocGenLab\'s callback (confirmed with the API) and output the file',
};

export const properties: INodeProperties[] = [
	...generationProperties(SHOW, 'With Both, the Word file goes into a second field named like the first plus "_docx"'),
	...waitProperties(SHOW, 'DocGenLab'),
	...downloadProperties(SHOW),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await waitOrPoll(
		this,
		'DocGenLab',
		"the document's status",
		async () => await startAndWait(this),
		async (itemIndex) => await startAndPoll(this, itemIndex),
	);
}

async function startAndWait(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const wait = readWaitSettings(ctx, 0);
	const connection = await connect(ctx, docGenLab, readDownloadSettings(ctx, 0));
	const started = await startDocument(ctx, connection, 0, resumeUrlOf(ctx));
	return await waitForCallback(ctx, wait, 'DocGenLab', documentJson(started), `document ${started.id}`);
}

async function startAndPoll(ctx: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const wait = readWaitSettings(ctx, itemIndex);
	const settings = readDownloadSettings(ctx, itemIndex);
	const connection = await connect(ctx, docGenLab, settings);
	const started = await startDocument(ctx, connection, itemIndex);
	const finished = await pollUntilDeadline(Date.now() + wait.maxWaitMs, async () => {
		const current = await getDocument(ctx, connection, started.id, itemIndex);
		return FINAL_STATES.includes(current.status) ? current : undefined;
	});
	if (!finished) return [{ json: timedOutJson('DocGenLab', documentJson(started), `document ${started.id}`, wait.maxWaitMs) }];
	return [await finishedDocumentItem(ctx, connection, settings, finished, itemIndex)];
}

/** What the node shows for a document: the API's fields, with the ID also as documentId. */
function documentJson(document: DocGenLabDocument): IDataObject {
	return { ...document, documentId: document.id };
}

async function startDocument(ctx: IExecuteFunctions, connection: ServiceConnection, itemIndex: number, webhookUrl?: string): Promise<DocGenLabDocument> {
	const body: IDataObject = {
		template_id: requiredString(ctx, 'templateId', 'Template ID', itemIndex),
		input_json: parseJsonParameter(ctx, 'inputJson', itemIndex),
		output_format: ctx.getNodeParameter('outputFormat', itemIndex, 'pdf') as OutputFormat,
	};
	if (webhookUrl) body.webhook_url = webhookUrl;
	const call = apiCall(connection, { method: 'POST', path: '/documents/', body, headers: { 'X-Idempotency-Key': derivedIdempotencyKey(ctx, itemIndex) } }, itemIndex);
	// With the key, a repeated request returns the document already started (see Generate).
	const { body: started } = await requestJson<DocGenLabDocument>(ctx, { ...call, retryOn: 'transient' });
	safeId(ctx, String(started.id), 'Document ID', itemIndex);
	return { ...started, id: String(started.id) };
}

/** A ready document with its file(s); a failed one as a clear error. */
async function finishedDocumentItem(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	settings: DownloadSettings,
	document: DocGenLabDocument,
	itemIndex: number,
): Promise<INodeExecutionData> {
	if (document.status !== 'ready') {
		throw new NodeOperationError(ctx.getNode(), `DocGenLab document ${document.id} ended ${document.status}, so there is no file`, {
			itemIndex,
			description: typeof document.error_message === 'string' ? document.error_message : undefined,
		});
	}
	const json = documentJson(document);
	const outputFormat = ctx.getNodeParameter('outputFormat', itemIndex, 'pdf') as OutputFormat;
	const download = async (type: FileType) =>
		await downloadToBinary(ctx, apiDownloadCall(connection, document.id, type, settings, itemIndex), {
			...fileOptions(type, settings),
			fileName: type === 'docx' ? settings.fileName?.replace(/(\.pdf)?$/i, '.docx') : settings.fileName,
		});
	if (outputFormat !== 'both') return withFile(json, await download(outputFormat), settings.binaryPropertyName);
	const output = withFile(json, await download('pdf'), settings.binaryPropertyName);
	const docx = await download('docx');
	const field = `${settings.binaryPropertyName}_docx`;
	output.binary![field] = docx.binary;
	output.json.downloadDocx = { fileName: docx.fileName, mimeType: docx.mimeType, bytes: docx.bytes, source: docx.sourceUrl, field };
	return output;
}

/**
 * DocGenLab's callback to the resume URL. Only a callback for the document this wait started
 * is looked at, and only the API's answer counts: a callback for a document the API does not
 * report as finished leaves the execution waiting.
 */
export async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	// The waiting node's data (its timed-out item) names the document it started.
	const expected = String(this.evaluateExpression('{{ $json.documentId }}', 0) ?? '');
	if (!isSafeId(expected)) return rejectCallback(this, 409);
	let payload: unknown;
	try {
		payload = JSON.parse(rawBodyOf(this).toString('utf8'));
	} catch {
		return rejectCallback(this, 400);
	}
	const named = typeof payload === 'object' && payload !== null ? (payload as IDataObject).job_id : undefined;
	if (named !== expected) return rejectCallback(this, 401);

	const ctx = executeFunctionsFor(this);
	let settings: DownloadSettings;
	let connection: ServiceConnection;
	let document: DocGenLabDocument;
	try {
		settings = readDownloadSettings(ctx, 0);
		connection = await connect(ctx, docGenLab, settings);
		document = (await requestJson<DocGenLabDocument>(ctx, apiCall(connection, { method: 'GET', path: `/documents/${encodeURIComponent(expected)}` }, 0))).body;
	} catch (error) {
		this.logger.warn(`DocGenLab Generate and Wait: could not confirm document ${expected} with the API: ${(error as Error).message}`);
		return rejectCallback(this, 503);
	}
	if (String(document.id) !== expected || !FINAL_STATES.includes(document.status)) return rejectCallback(this, 409);
	acknowledgeCallback(this);
	return await resumeWith(this, async () => await finishedDocumentItem(ctx, connection, settings, { ...document, id: expected }, 0), documentJson(document));
}
