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
	acknowledgeCallback,
	callbackSecret,
	executeFunctionsFor,
	newWaitNonce,
	pollUntilDeadline,
	rawBodyOf,
	readWaitSettings,
	rejectCallback,
	resumeUrlOf,
	resumeWith,
	timedOutJson,
	waitForCallback,
	waitNonceOf,
	waitOrPoll,
	waitProperties,
	withWaitNonce,
	type WaitSettings,
} from '../../../../core/actions/wait';
import { verifySignature } from '../../../../core/delivery/verify';
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
	const credentials = await ctx.getCredentials('pdfGorillaApi');
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	if (!apiKey) throw new NodeOperationError(ctx.getNode(), 'The PDF Gorilla credential has no API key');
	return callbackSecret(apiKey, SECRET_SCOPE, executionId, ctx.getNode().id, nonce);
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

/** PDF Gorilla's callback to the resume URL: verified with this wait's secret, then the PDF. */
export async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const nonce = waitNonceOf(this);
	if (!nonce) return rejectCallback(this, 401);
	// Nothing before the signature check may end the wait: an unverified request only gets an answer.
	const secret = await secretFor(this, this.getExecutionId(), nonce).catch((error: unknown) => {
		this.logger.warn(`PDF Gorilla Generate and Wait: cannot check a callback: ${(error as Error).message}`);
		return undefined;
	});
	if (secret === undefined) return rejectCallback(this, 503);
	const body = rawBodyOf(this);
	const signature = this.getHeaderData()['x-pdfg-signature'];
	if (!verifySignature({ algorithm: 'sha256', encoding: 'hex' }, typeof signature === 'string' ? signature : undefined, body, [secret])) {
		return rejectCallback(this, 401);
	}
	let payload: unknown;
	try {
		payload = JSON.parse(body.toString('utf8'));
	} catch {
		return rejectCallback(this, 400);
	}
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return rejectCallback(this, 400);
	const recognised = pdfGorilla.delivery.recognise({ payload: payload as IDataObject, headers: {}, parameters: {} });
	if (!recognised.ok) return rejectCallback(this, 400);
	acknowledgeCallback(this);

	const [event] = recognised.event.items;
	// Only the job this wait started (the waiting node's item names it), not another job signed
	// for an earlier wait of the same node in this execution (a loop).
	if (event.jobId !== String(this.evaluateExpression('{{ $json.jobId }}', 0) ?? '')) return rejectCallback(this, 401);
	const ctx = executeFunctionsFor(this);
	const job: IDataObject = {
		jobId: event.jobId,
		status: event.status,
		expiresAt: event.expiresAt,
		error: event.errorCode || event.errorMessage ? { code: event.errorCode, message: event.errorMessage } : null,
		timestamp: event.timestamp,
	};
	return await resumeWith(
		this,
		async () => {
			const settings = readDownloadSettings(ctx, 0);
			const connection = await connect(ctx, pdfGorilla, settings);
			return await finishedJobItem(ctx, connection, settings, job, (event.downloadUrl as string | null) ?? undefined, 0);
		},
		job,
	);
}
