/**
 * Generate and Wait: an action starts a job, hands the service this execution's resume URL
 * and waits with n8n's own wait-and-resume mechanism (the one the Wait node and the "send and
 * wait" operations use). The service's callback arrives at the node's `webhook()`, which
 * decides whether it is this wait's genuine callback and, if so, resumes the execution; the
 * node's `execute()` then runs once more and finishes the job (download or error).
 *
 * What n8n does around it (2.41.1 and 1.123.81, read from their waiting-webhooks.js,
 * webhook-helpers.js and workflow-execute.js) decides the shape of this module:
 * - A callback that `webhook()` answers itself with `noWebhookResponse` and no `workflowData`
 *   leaves the execution waiting, untouched in the database.
 * - A `webhook()` that throws (before or after answering) does not end the wait cleanly: n8n
 *   resets the run data, records the error and still runs the children with `[{ json: {} }]`.
 *   So nothing here may throw: every check is made before anything is written, and an
 *   unexpected failure is answered 503 (the service retries; the execution keeps waiting).
 * - After a webhook resume n8n marks the node disabled and passes on what `webhook()` returned,
 *   without running `execute()`. The only way to make a failed job the node's own error
 *   (On Error applies, no child gets an item) is to let `execute()` run on the resumed run:
 *   see `runExecuteOnResume`.
 * - When the wait times out, n8n continues without running the node and passes on the waiting
 *   node's input: the node puts its "timed out" items there beforehand.
 * - A callback after the resume meets a running or finished execution and gets n8n's 409.
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
import { safeEqual } from '../delivery/verify';
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
			displayName: `Waits without using resources until ${service} calls back, then outputs the file. On a local n8n URL, or with several input items, it checks the status instead.`,
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

/** Why a callback does not end the wait. The execution keeps waiting; `reason` goes to n8n's log only. */
export interface CallbackRejection {
	status: 400 | 401 | 409 | 503;
	reason: string;
}

/** A callback this wait accepts: the job as the signed callback or the API reports it. */
export interface CallbackAcceptance {
	record: IDataObject;
	/** The credential's API key, which the resume proof is keyed with. */
	proofKey: string;
}

export type CallbackVerdict = { reject: CallbackRejection } | { accept: CallbackAcceptance };

export function rejectWith(status: CallbackRejection['status'], reason: string): CallbackVerdict {
	return { reject: { status, reason } };
}

/** What a refused sender learns: the status, nothing about the setup or the job. */
const PUBLIC_REJECTION: Record<CallbackRejection['status'], string> = { 400: 'Bad request', 401: 'Unauthorized', 409: 'Conflict', 503: 'Service unavailable' };

/**
 * A resume webhook's whole answer. `decide` makes every check (nonce, signature, "is this the
 * job of the wait now in progress", the API's confirmation) and writes nothing; only then is
 * exactly one answer written, and nothing after it can throw. A `decide` that fails
 * unexpectedly is answered 503, so the service retries and the execution keeps waiting.
 * Accepted: the execution resumes with the resume item, and `execute()` finishes the job.
 */
export async function answerCallback(ctx: IWebhookFunctions, service: string, scope: string, decide: () => Promise<CallbackVerdict>): Promise<IWebhookResponseData> {
	let verdict: CallbackVerdict;
	try {
		verdict = await decide();
	} catch (error) {
		verdict = rejectWith(503, `the callback could not be checked: ${(error as Error).message}`);
	}
	let item: INodeExecutionData | undefined;
	if ('accept' in verdict) {
		item = resumeItem(ctx, scope, verdict.accept);
		if (!runExecuteOnResume(ctx)) {
			ctx.logger.error(`${service} Generate and Wait: this n8n resumes nodes in a way the package does not know, so the callback is refused and the wait ends at Max Wait Time`);
			verdict = rejectWith(503, 'cannot resume this execution');
		}
	}
	const response = ctx.getResponseObject();
	if ('reject' in verdict) {
		const { status, reason } = verdict.reject;
		ctx.logger.warn(`${service} Generate and Wait refused a callback (${status}): ${reason}`, { node: ctx.getNode().name, clientIp: ctx.getRequestObject().ip });
		// Every service retries a 5xx on its own schedule; the header only says when we expect to be ready.
		if (status === 503) response.setHeader('Retry-After', '30');
		response.status(status).json({ message: PUBLIC_REJECTION[status] });
		return { noWebhookResponse: true };
	}
	response.status(200).json({ received: true });
	return { noWebhookResponse: true, workflowData: [[item!]] };
}

/**
 * n8n marks a node that its webhook resumed as disabled, which passes the webhook's items on
 * without calling `execute()` (waiting-webhooks.js `disableNode`, in 1.123 and 2.41), and
 * gives a webhook no way to end the execution with the node's error (a throwing `webhook()`
 * runs the children with an empty item). The webhook context holds the execution stack entry
 * that n8n persists and runs next (webhook-context.js: the first entry of the waiting
 * execution's nodeExecutionStack); enabling its node again makes n8n call `execute()` with the
 * items `webhook()` returned, so a failed job is the node's error under its On Error setting.
 * This is the package's one use of n8n internals: the e2e tests on both versions fail if n8n
 * changes it, and where the entry is not found the callback is refused (503), never resumed
 * without `execute()`.
 */
export function runExecuteOnResume(ctx: IWebhookFunctions): boolean {
	const entry = (ctx as unknown as { executeData?: { node?: { name?: unknown; disabled?: boolean } } }).executeData;
	const node = entry?.node;
	if (!node || node.name !== ctx.getNode().name) return false;
	node.disabled = false;
	return true;
}

/** The input item of the resumed run: the accepted record (as JSON text) and its proof. */
export const RESUME_FIELD = 'generateAndWaitResume';

/**
 * Binds a resume record to this execution, this node and the credential, so that an input
 * item made upstream (for example from a webhook body) cannot pose as a resume and make the
 * node output some other job's file instead of generating one.
 */
function resumeProof(key: string, scope: string, executionId: string, nodeId: string, recordText: string): string {
	return createHmac('sha256', key).update(JSON.stringify(['n8n-generate-and-wait-resume', scope, executionId, nodeId, recordText])).digest('hex');
}

function resumeItem(ctx: IWebhookFunctions, scope: string, accepted: CallbackAcceptance): INodeExecutionData {
	const record = JSON.stringify(accepted.record);
	const proof = resumeProof(accepted.proofKey, scope, ctx.getExecutionId(), ctx.getNode().id, record);
	return { json: { [RESUME_FIELD]: { record, proof } }, pairedItem: { item: 0 } };
}

/**
 * In `execute()`: the record this node's webhook accepted when this is the resumed run, or
 * undefined for a fresh run. A record that does not verify (made upstream, for another
 * execution or with another API key) is an error rather than a reason to start a new job.
 */
export async function resumedRecord(ctx: IExecuteFunctions, scope: string, proofKey: () => Promise<string>): Promise<IDataObject | undefined> {
	const items = ctx.getInputData();
	if (!items.some((item) => Object.prototype.hasOwnProperty.call(item.json, RESUME_FIELD))) return undefined;
	const carried = items.length === 1 ? (items[0].json[RESUME_FIELD] as { record?: unknown; proof?: unknown } | null) : null;
	const record = carried?.record;
	const proof = carried?.proof;
	if (typeof record === 'string' && typeof proof === 'string') {
		const expected = resumeProof(await proofKey(), scope, ctx.getExecutionId(), ctx.getNode().id, record);
		if (safeEqual(proof, expected)) return JSON.parse(record) as IDataObject;
	}
	throw new NodeOperationError(ctx.getNode(), `The input carries a "${RESUME_FIELD}" field that this node did not make for this execution`, {
		description: 'Generate and Wait puts that field on its own input when its callback resumes the execution. Remove the field from the items you pass in.',
	});
}

/**
 * What n8n passes on if the wait times out (n8n continues without running the node again):
 * set as this node's execution data before waiting. A webhook resume replaces it.
 */
export function setTimedOutOutput(ctx: IExecuteFunctions, items: INodeExecutionData[]): void {
	const executeData = ctx.getExecuteData();
	executeData.data = { main: [items] };
}

/** How a service's Generate and Wait finishes on the resumed run. */
export interface ResumeHandling {
	/** Binds the resume proof to this operation (as the callback secret's scope does). */
	scope: string;
	/** The credential's API key, read in `execute()`. */
	proofKey: () => Promise<string>;
	/** The output for the accepted record: the job with its file, or a thrown error naming the job. */
	finish: (record: IDataObject) => Promise<INodeExecutionData>;
}

/**
 * The execute() every Generate and Wait shares. On the run that a callback resumed, finish the
 * job (`resume.finish`: download, or the node's error for a failed job). Otherwise wait for the
 * service's callback when it can reach n8n (`startAndWait`, one item), or poll each item
 * (`startAndPoll`) and say why in the log and the output pane. `checked` names what is polled:
 * "the job's status".
 */
export async function waitOrPoll(
	ctx: IExecuteFunctions,
	service: string,
	checked: string,
	startAndWait: () => Promise<INodeExecutionData[][]>,
	startAndPoll: (itemIndex: number) => Promise<INodeExecutionData[]>,
	resume: ResumeHandling,
): Promise<INodeExecutionData[][]> {
	const record = await resumedRecord(ctx, resume.scope, resume.proofKey);
	if (record) return await forEachItem(ctx, async () => [await resume.finish(record)]);
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
 * In `webhook()`: the job or document the wait now in progress started, as the waiting node's
 * input item names it (`setTimedOutOutput` put it there for this wait; in a loop, the second
 * wait's item names the second job).
 */
export function currentWaitJob(ctx: IWebhookFunctions, field: 'jobId' | 'documentId'): string {
	const value: unknown = ctx.evaluateExpression(`{{ $json.${field} }}`, 0);
	return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
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
