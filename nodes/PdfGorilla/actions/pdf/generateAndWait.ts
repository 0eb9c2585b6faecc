/**
 * PDF → Generate and Wait: generate-async with this execution's resume URL and a signing
 * secret for this wait alone; PDF Gorilla's signed callback resumes the execution and the node
 * outputs the PDF. Polls the job instead when PDF Gorilla could not call n8n back.
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

import { safeId } from '../../../../core/actions/execute';
import { parseJsonParameter } from '../../../../core/actions/json';
import { withFile } from '../../../../core/actions/output';
import { apiCall, connect, type ServiceConnection } from '../../../../core/actions/policy';
import { downloadProperties, readDownloadSettings, type DownloadSettings } from '../../../../core/actions/properties';
import {
	answerCallback,
	callbackSecret,
	currentWaitJob,
	newWaitNonce,
	pollUntilDeadline,
	rawBodyOf,
	readWaitSettings,
	rejectWith,
	resumeUrlOf,
	timedOutJson,
	waitForCallback,
	waitNonceOf,
	waitOrPoll,
	waitProperties,
	withWaitNonce,
	type CallbackVerdict,
	type WaitSettings,
} from '../../../../core/actions/wait';
import { verifySignature } from '../../../../core/delivery/verify';
import { isPlainObject } from '../../../../core/values';
import { requestJson } from '../../../../core/fetch/transport';
import { downloadJob, getJob } from '../jobs';
import { pdfGorilla } from '../../descriptor';

const SHOW = { resource: ['pdf'], operation: ['generateAndWait'] };
const FINAL_STATES = ['completed', 'failed', 'canceled', 'expired'];
/** Binds the derived secret to this operation, so no other use of the API key shares it. */
const SECRET_SCOPE = 'pdfGorilla:pdf:generateAndWait';

export const option: INodePropertyOptions = {
	name: 'Generate and Wait',
	value: 'generateAndWait',
	action: 'Generate a PDF and wait for it',
	description: 'Start a render job, wait for PDF Gorilla\'s signed callback and output the PDF',
};

export const properties: INodeProperties[] = [...waitProperties(SHOW, 'PDF Gorilla'), ...downloadProperties(SHOW)];

interface StartedJob extends IDataObject {
	jobId: string;
	status: string;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await waitOrPoll(
		this,
		'PDF Gorilla',
		"the job's status",
		async () => await startAndWait(this),
		async (itemIndex) => await startAndPoll(this, itemIndex),
		{ scope: SECRET_SCOPE, proofKey: async () => await apiKeyOf(this), finish: async (record) => await finishResumed(this, record) },
	);
}

async function startJob(ctx: IExecuteFunctions, connection: ServiceConnection, itemIndex: number, callback?: { url: string; secret: string }): Promise<StartedJob> {
	const templateId = safeId(ctx, String(ctx.getNodeParameter('templateId', itemIndex, '')).trim(), 'Template ID', itemIndex);
	const body: IDataObject = { data: parseJsonParameter(ctx, 'data', itemIndex) };
	if (callback) {
		body.webhookUrl = callback.url;
		body.webhookSecret = callback.secret;
	}
	const { body: started } = await requestJson<StartedJob>(
		ctx,
		apiCall(connection, { method: 'POST', path: `/templates/${encodeURIComponent(templateId)}/generate-async`, body }, itemIndex),
	);
	safeId(ctx, String(started.jobId), 'Job ID', itemIndex);
	return { jobId: String(started.jobId), status: String(started.status) };
}

async function startAndWait(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const wait = readWaitSettings(ctx, 0);
	const settings = readDownloadSettings(ctx, 0);
	const connection = await connect(ctx, pdfGorilla, settings);
	const nonce = newWaitNonce();
	const secret = await secretFor(ctx, ctx.getExecutionId(), nonce);
	const job = await startJob(ctx, connection, 0, { url: withWaitNonce(resumeUrlOf(ctx), nonce), secret });
	return await waitForCallback(ctx, wait, 'PDF Gorilla', job, `job ${job.jobId}`);
}

async function secretFor(ctx: IExecuteFunctions | IWebhookFunctions, executionId: string, nonce: string): Promise<string> {
	return callbackSecret(await apiKeyOf(ctx), SECRET_SCOPE, executionId, ctx.getNode().id, nonce);
}

async function apiKeyOf(ctx: IExecuteFunctions | IWebhookFunctions): Promise<string> {
	const credentials = await ctx.getCredentials('pdfGorillaApi');
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	if (!apiKey) throw new NodeOperationError(ctx.getNode(), 'The PDF Gorilla credential has no API key');
	return apiKey;
}

async function startAndPoll(ctx: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const wait: WaitSettings = readWaitSettings(ctx, itemIndex);
	const settings = readDownloadSettings(ctx, itemIndex);
	const connection = await connect(ctx, pdfGorilla, settings);
	const started = await startJob(ctx, connection, itemIndex);
	const job = await pollUntilDeadline(Date.now() + wait.maxWaitMs, async () => {
		const current = await getJob(ctx, connection, started.jobId, itemIndex);
		return FINAL_STATES.includes(current.status) ? current : undefined;
	});
	if (!job) return [{ json: timedOutJson('PDF Gorilla', started, `job ${started.jobId}`, wait.maxWaitMs) }];
	return [await finishedJobItem(ctx, connection, settings, { ...job }, job.downloadUrl ?? undefined, itemIndex)];
}

/** A completed job with its PDF; a failed, canceled or expired one as a clear error. */
async function finishedJobItem(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	settings: DownloadSettings,
	job: IDataObject,
	downloadUrl: string | undefined,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const jobId = String(job.jobId);
	if (job.status !== 'completed') {
		const error = (job.error ?? {}) as IDataObject;
		throw new NodeOperationError(ctx.getNode(), `PDF Gorilla job ${jobId} ended ${String(job.status)}, so there is no PDF`, {
			itemIndex,
			description: [error.code, error.message].filter((part) => typeof part === 'string' && part).join(': ') || undefined,
		});
	}
	const file = await downloadJob(ctx, connection, jobId, downloadUrl, settings, itemIndex);
	return withFile(job, file, settings.binaryPropertyName);
}

/** The resumed run: the job the signed callback reported, with its PDF, or the node's error. */
async function finishResumed(ctx: IExecuteFunctions, record: IDataObject): Promise<INodeExecutionData> {
	const { downloadUrl, ...job } = record;
	const settings = readDownloadSettings(ctx, 0);
	const connection = await connect(ctx, pdfGorilla, settings);
	return await finishedJobItem(ctx, connection, settings, job, typeof downloadUrl === 'string' ? downloadUrl : undefined, 0);
}

/**
 * PDF Gorilla's callback to the resume URL. It resumes the execution only when it carries this
 * wait's nonce, is signed with this wait's secret and names the job this wait started (not
 * one of an earlier wait of the same node in a loop, which its own secret signed).
 */
export async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	return await answerCallback(this, 'PDF Gorilla', SECRET_SCOPE, async () => await decideCallback(this));
}

async function decideCallback(ctx: IWebhookFunctions): Promise<CallbackVerdict> {
	const nonce = waitNonceOf(ctx);
	if (!nonce) return rejectWith(401, 'the callback URL has no valid wait nonce');
	let apiKey: string;
	try {
		apiKey = await apiKeyOf(ctx);
	} catch (error) {
		return rejectWith(503, `the callback cannot be checked: ${(error as Error).message}`);
	}
	const body = rawBodyOf(ctx);
	const signature = ctx.getHeaderData()['x-pdfg-signature'];
	const secret = callbackSecret(apiKey, SECRET_SCOPE, ctx.getExecutionId(), ctx.getNode().id, nonce);
	if (!verifySignature({ algorithm: 'sha256', encoding: 'hex' }, typeof signature === 'string' ? signature : undefined, body, [secret])) {
		return rejectWith(401, 'missing or invalid x-pdfg-signature for this wait');
	}
	let payload: unknown;
	try {
		payload = JSON.parse(body.toString('utf8'));
	} catch {
		return rejectWith(400, 'the signed body is not JSON');
	}
	if (!isPlainObject(payload)) return rejectWith(400, 'the signed body is not a JSON object');
	const recognised = pdfGorilla.delivery.recognise({ payload, headers: {}, parameters: {} });
	if (!recognised.ok) return rejectWith(400, `not a PDF Gorilla job callback: ${recognised.message}`);
	const [event] = recognised.event.items;
	if (event.jobId !== currentWaitJob(ctx, 'jobId')) return rejectWith(401, 'the callback is about another job than the one this wait started');
	const record: IDataObject = {
		jobId: event.jobId,
		status: event.status,
		expiresAt: event.expiresAt,
		error: event.errorCode || event.errorMessage ? { code: event.errorCode, message: event.errorMessage } : null,
		timestamp: event.timestamp,
		downloadUrl: event.downloadUrl ?? null,
	};
	return { accept: { record, proofKey: apiKey } };
}
