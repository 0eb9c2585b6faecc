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
	answerCallback,
	currentWaitJob,
	pollUntilDeadline,
	rawBodyOf,
	readWaitSettings,
	rejectWith,
	resumeUrlOf,
	timedOutJson,
	waitForCallback,
	waitOrPoll,
	waitProperties,
	type CallbackVerdict,
} from '../../../../core/actions/wait';
import { isSafeId } from '../../../../core/ids';
import { senderGroup } from '../../../../core/ip';
import { isPlainObject } from '../../../../core/values';
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
import { docGenLab, lookUpDocument } from '../../descriptor';
import { DOCGENLAB_API_FIELDS } from '../../../../credentials/DocGenLabApi.credentials';
import { generationProperties } from '../templates';

const SHOW = { resource: ['document'], operation: ['generateAndWait'] };
const FINAL_STATES = ['ready', 'failed'];
/** Binds the resume proof to this operation. */
const RESUME_SCOPE = 'docGenLab:document:generateAndWait';
/**
 * API calls a minute for checking callbacks, per API key and n8n process, fairly shared between
 * senders: a third of DocGenLab's 60, beside Confirm With API's default 20.
 */
export const CALLBACK_CHECKS_PER_MINUTE = 20;

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
		{ scope: RESUME_SCOPE, proofKey: async () => await apiKeyOf(this), finish: async (record) => await finishResumed(this, record as DocGenLabDocument) },
	);
}

async function apiKeyOf(ctx: IExecuteFunctions): Promise<string> {
	const credentials = await ctx.getCredentials('docGenLabApi');
	return String(credentials[DOCGENLAB_API_FIELDS.apiKey] ?? '');
}

/** The resumed run: the document the API confirmed, with its file(s), or the node's error. */
async function finishResumed(ctx: IExecuteFunctions, document: DocGenLabDocument): Promise<INodeExecutionData> {
	const settings = readDownloadSettings(ctx, 0);
	const connection = await connect(ctx, docGenLab, settings);
	return await finishedDocumentItem(ctx, connection, settings, document, 0);
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
 * DocGenLab's callback to the resume URL. Only a callback for the document this wait started is
 * looked at, and only the API's answer counts (DocGenLab does not sign): a callback for a
 * document the API does not report as finished leaves the execution waiting. The API calls
 * come from a budget fairly shared between senders, so whoever holds the resume URL cannot use
 * up DocGenLab's rate limit.
 */
export async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	return await answerCallback(this, 'DocGenLab', RESUME_SCOPE, async () => await decideCallback(this));
}

async function decideCallback(ctx: IWebhookFunctions): Promise<CallbackVerdict> {
	// The waiting node's data (its timed-out item) names the document this wait started.
	const expected = currentWaitJob(ctx, 'documentId');
	if (!isSafeId(expected)) return rejectWith(409, 'the waiting node names no DocGenLab document');
	let payload: unknown;
	try {
		payload = JSON.parse(rawBodyOf(ctx).toString('utf8'));
	} catch {
		return rejectWith(400, 'the body is not JSON');
	}
	const named = isPlainObject(payload) ? payload.job_id : undefined;
	if (named !== expected) return rejectWith(401, 'the callback names another document than the one this wait started');
	const sender = senderGroup(ctx.getRequestObject().ip);
	const lookup = await lookUpDocument.call(ctx, expected, { pool: 'Generate and Wait', callsPerMinute: CALLBACK_CHECKS_PER_MINUTE, sender });
	if (lookup.outcome !== 'found') return rejectWith(lookup.outcome === 'missing' ? 409 : 503, `DocGenLab did not confirm the document: ${lookup.message}`);
	const document = lookup.document as DocGenLabDocument;
	if (!FINAL_STATES.includes(document.status)) return rejectWith(409, 'the API does not report the document as finished yet');
	return { accept: { record: { ...document, id: expected }, proofKey: lookup.apiKey } };
}
