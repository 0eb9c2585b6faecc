/**
 * Generate and Wait: an action starts a job, hands the service this execution's resume URL
 * and waits with n8n's own wait-and-resume mechanism (the one the Wait node and the "send and
 * wait" operations use). The service's callback arrives at the node's `webhook()`, which
 * verifies it and returns the node's output; n8n then continues the execution.
 *
 * What n8n does around it (2.41.1 and 1.123.81, read from their waiting-webhooks and
 * workflow-execute code) decides the shape of this module:
 * - A callback that `webhook()` answers itself with `noWebhookResponse` and no `workflowData`
 *   leaves the execution waiting, untouched in the database. Throwing from `webhook()` would
 *   resume the execution with an error, so rejections never throw.
 * - After a resume the node does not run again: n8n marks it disabled and passes on what
 *   `webhook()` returned, so the download happens inside `webhook()`.
 * - When the wait times out, n8n likewise continues without running the node and passes on
 *   the waiting node's execution data: the node puts its "timed out" items there beforehand.
 * - A second callback after the resume meets a running or finished execution and gets n8n's
 *   409; the execution is not changed.
 */
import { createHmac, randomBytes } from 'crypto';
import {
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INode,
	type INodeProperties,
	type IWebhookDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { whyUnreachableFromInternet } from '../delivery/reachability';
import { forEachItem } from './execute';

/** The query parameter that carries a wait's nonce on the callback URL the service gets. */
export const WAIT_NONCE_PARAMETER = 'n8nWaitNonce';

const NONCE_PATTERN = /^[0-9a-f]{32}$/;

/** Defaults for every Generate and Wait operation: a render rarely takes minutes. */
export const DEFAULT_MAX_WAIT_SECONDS = 900;

export interface WaitSettings {
	maxWaitMs: number;
}

/**
 * The webhook a waiting operation declares. Its path is empty: the resume URL is
 * /webhook-waiting/<executionId> (with n8n 2.x's token), exactly what the service calls.
 */
export const WAIT_WEBHOOKS: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: '',
		restartWebhook: true,
	},
];

/** "Max Wait Time" and the explanation of webhook vs polling, for an operation's properties. */
export function waitProperties(show: Record<string, string[]>, service: string): INodeProperties[] {
	return [
		{
			displayName: `The node starts the job, gives ${service} this execution's resume URL and waits without using resources; ${service}'s callback resumes it and the node outputs the file. When n8n's URL is not public https (localhost, a private address) or with several input items, the node checks the job's status instead.`,
			name: 'generateAndWaitNotice',
			type: 'notice',
			default: '',
			displayOptions: { show },
		},
		{
			displayName: 'Max Wait Time (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_WAIT_SECONDS,
			displayOptions: { show },
			description:
				'Give up waiting after this long. The node then outputs the job with timedOut: true and no file (the job itself goes on), so an If node can route it.',
		},
	];
}

export function readWaitSettings(ctx: IExecuteFunctions, itemIndex: number): WaitSettings {
	const seconds = ctx.getNodeParameter('maxWaitSeconds', itemIndex, DEFAULT_MAX_WAIT_SECONDS) as number;
	return { maxWaitMs: Math.max(1, Number(seconds) || DEFAULT_MAX_WAIT_SECONDS) * 1000 };
}

/** This execution's resume URL, as `$execution.resumeUrl` gives it (with n8n 2.x's token). */
export function resumeUrlOf(ctx: IExecuteFunctions): string {
	return String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0));
}

/**
 * Why a service could not call this URL back, or undefined when it looks public. The services
 * accept public https URLs only ("Must use https://", "no localhost"), so anything else makes
 * the operation poll instead of sending a URL the service would refuse.
 */
export function unreachableReason(rawUrl: string): string | undefined {
	const why = whyUnreachableFromInternet(rawUrl);
	return why && `n8n's resume URL cannot be called from the internet: ${why}`;
}

/**
 * Why this run cannot wait for a callback and polls instead, or undefined when it can: one
 * execution resumes only once (so one input item), an AI agent's tool cannot put the agent's
 * execution to wait, and the service must be able to reach n8n.
 */
export function whyPoll(ctx: IExecuteFunctions): string | undefined {
	if (ctx.getInputData().length !== 1) return 'there are several input items, and one execution resumes only once';
	if (ctx.getNode().type.endsWith('Tool')) return 'the node runs as an AI agent\'s tool, which cannot wait for a callback';
	return unreachableReason(resumeUrlOf(ctx));
}

/** A fresh random value for one wait; it travels on the callback URL, it is not secret. */
export function newWaitNonce(): string {
	return randomBytes(16).toString('hex');
}

export function withWaitNonce(resumeUrl: string, nonce: string): string {
	const url = new URL(resumeUrl);
	url.searchParams.set(WAIT_NONCE_PARAMETER, nonce);
	return url.toString();
}

/** The nonce on a callback, when well-formed. */
export function waitNonceOf(ctx: IWebhookFunctions): string | undefined {
	const value = (ctx.getQueryData() as IDataObject)[WAIT_NONCE_PARAMETER];
	return typeof value === 'string' && NONCE_PATTERN.test(value) ? value : undefined;
}

/**
 * The signing secret for one wait: HMAC-SHA256 of the execution, the node and the wait's
 * random nonce, keyed with a credential secret. It is fresh for every wait, yet stored
 * nowhere (not in the execution's data, which users can open, nor in static data, which a
 * resumed execution cannot read back): the node computes it again in `webhook()`, in whichever
 * process receives the callback, after a restart too.
 */
export function callbackSecret(key: string, scope: string, executionId: string, nodeId: string, nonce: string): string {
	return createHmac('sha256', key).update(JSON.stringify(['n8n-generate-and-wait', scope, executionId, nodeId, nonce])).digest('hex');
}

/** The raw body of a callback, as the service signed it. */
export function rawBodyOf(ctx: IWebhookFunctions): Buffer {
	const request = ctx.getRequestObject() as { rawBody?: Buffer | string };
	if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
	if (typeof request.rawBody === 'string') return Buffer.from(request.rawBody, 'utf8');
	return Buffer.from(JSON.stringify(ctx.getBodyData() ?? {}), 'utf8');
}

/**
 * Answers a callback that must not resume the execution; the execution keeps waiting. The
 * body says nothing about why, as for the triggers.
 */
export function rejectCallback(ctx: IWebhookFunctions, status: 400 | 401 | 409 | 503): IWebhookResponseData {
	const messages = { 400: 'Bad request', 401: 'Unauthorized', 409: 'Conflict', 503: 'Service unavailable' };
	ctx.getResponseObject().status(status).json({ message: messages[status] });
	return { noWebhookResponse: true };
}

/**
 * Answers an accepted callback at once, before the download: the services expect a 2xx within
 * seconds and retry otherwise.
 */
export function acknowledgeCallback(ctx: IWebhookFunctions): void {
	ctx.getResponseObject().status(200).json({ received: true });
}

/**
 * What n8n passes on if the wait times out (n8n continues without running the node again):
 * set as this node's execution data before waiting. A webhook resume replaces it.
 */
export function setTimedOutOutput(ctx: IExecuteFunctions, items: INodeExecutionData[]): void {
	const executeData = ctx.getExecuteData();
	executeData.data = { main: [items] };
}

/**
 * The execute() every Generate and Wait shares: wait for the service's callback when it can
 * reach n8n (`startAndWait`, one item), otherwise poll each item (`startAndPoll`) and say why
 * in the log and the output pane. `checked` names what is polled: "the job's status".
 */
export async function waitOrPoll(
	ctx: IExecuteFunctions,
	service: string,
	checked: string,
	startAndWait: () => Promise<INodeExecutionData[][]>,
	startAndPoll: (itemIndex: number) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[][]> {
	const reason = whyPoll(ctx);
	if (reason === undefined) {
		try {
			return await startAndWait();
		} catch (error) {
			const failure = asNodeError(ctx.getNode(), error);
			if (!ctx.continueOnFail()) throw failure;
			return [[errorItem(failure)]];
		}
	}
	ctx.logger.info(`${service} Generate and Wait: checking ${checked} instead of waiting for a callback (${reason})`);
	if (typeof ctx.addExecutionHints === 'function') {
		ctx.addExecutionHints({ message: `Checked ${checked} instead of waiting for ${service}'s callback: ${reason}.`, location: 'outputPane' });
	}
	return await forEachItem(ctx, async (itemIndex) => await startAndPoll(itemIndex));
}

/**
 * Resumes the execution with the node's output. If making it fails, the execution resumes
 * with the failure as an item under On Error: Continue (with `jsonOnError`); otherwise the
 * error is thrown and n8n ends the execution with it.
 */
export async function resumeWith(ctx: IWebhookFunctions, output: () => Promise<INodeExecutionData>, jsonOnError: IDataObject): Promise<IWebhookResponseData> {
	try {
		const item = await output();
		return { noWebhookResponse: true, workflowData: [[{ ...item, pairedItem: { item: 0 } }]] };
	} catch (error) {
		const failure = asNodeError(ctx.getNode(), error);
		if (!continuesOnError(ctx.getNode())) throw failure;
		return { noWebhookResponse: true, workflowData: [[errorItem(failure, jsonOnError)]] };
	}
}

/**
 * Puts the execution to wait for at most `maxWaitMs` for the service's callback about `job`
 * (`what`: "job 123"). Meanwhile the node shows the job waiting; at the deadline n8n passes on
 * the job marked timed out.
 */
export async function waitForCallback(
	ctx: IExecuteFunctions,
	settings: WaitSettings,
	service: string,
	job: IDataObject,
	what: string,
): Promise<INodeExecutionData[][]> {
	const pairedItem = { item: 0 };
	setTimedOutOutput(ctx, [{ json: timedOutJson(service, job, what, settings.maxWaitMs), pairedItem }]);
	await ctx.putExecutionToWait(new Date(Date.now() + settings.maxWaitMs));
	return [[{ json: { ...job, waitingFor: 'callback' }, pairedItem }]];
}

/** The item for a job the node stopped waiting for. */
export function timedOutJson(service: string, job: IDataObject, what: string, maxWaitMs: number): IDataObject {
	return {
		...job,
		status: 'timedOut',
		timedOut: true,
		error: `${service}: ${what} did not finish within ${Math.round(maxWaitMs / 1000)} s`,
	};
}

/**
 * Polls `check` with backoff until it returns a value or `deadline` passes (then undefined).
 * The interval starts at 1 s and grows to 15 s: long renders cost few requests against the
 * service's rate limit.
 */
export async function pollUntilDeadline<T>(deadline: number, check: () => Promise<T | undefined>): Promise<T | undefined> {
	let interval = 1000;
	for (;;) {
		const result = await check();
		if (result !== undefined) return result;
		const remaining = deadline - Date.now();
		if (remaining <= 0) return undefined;
		await sleep(Math.min(interval, remaining));
		interval = Math.min(interval * 1.5, 15_000);
	}
}

/**
 * IExecuteFunctions for the core download code, over a webhook context: the download runs in
 * `webhook()` because n8n does not run the node again after a resume.
 */
export function executeFunctionsFor(ctx: IWebhookFunctions): IExecuteFunctions {
	const adapter = {
		logger: ctx.logger,
		helpers: ctx.helpers,
		getNode: () => ctx.getNode(),
		getCredentials: async (type: string) => await ctx.getCredentials(type),
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => ctx.getNodeParameter(name, fallback),
		getExecutionId: () => ctx.getExecutionId(),
		getWorkflow: () => ctx.getWorkflow(),
		getMode: () => ctx.getMode(),
		continueOnFail: () => false,
	};
	return adapter as unknown as IExecuteFunctions;
}

/** Whether the node is set to go on with an error item (Settings → On Error), read in webhook(). */
export function continuesOnError(node: INode): boolean {
	return node.continueOnFail === true || node.onError === 'continueRegularOutput' || node.onError === 'continueErrorOutput';
}

/** Errors from core are node errors already; anything else is wrapped so n8n shows it well. */
export function asNodeError(node: INode, error: unknown): Error {
	if (error instanceof NodeOperationError || (error as { name?: string } | undefined)?.name === 'NodeApiError') return error as Error;
	return new NodeOperationError(node, error as Error);
}

/** The item for a failure under On Error: Continue, as forEachItem makes it. */
export function errorItem(error: unknown, extra: IDataObject = {}): INodeExecutionData {
	const message = (error as Error).message ?? String(error);
	const description = (error as { description?: string | null }).description;
	return { json: { ...extra, error: message, message: description || message }, pairedItem: { item: 0 } };
}
