/**
 * The one way the action nodes talk HTTP: every hop checked against the service's URL
 * policy, redirects followed by hand within those rules, the API credential attached only
 * to the API's own base URL, transient failures retried with backoff, and every failure
 * turned into an error that names the service, the status and what to do.
 */
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type JsonObject,
} from 'n8n-workflow';

import { classifyError, classifyStatus, parseRateLimitReset, parseRetryAfter, withRetries, type FailureDescription, type RetryPolicy } from './retry';
import { redactDetail } from './redact';
import { checkConnectedAddress, checkRedirect, checkUrl, redactUrl, type UrlPolicy } from './urlPolicy';

const MAX_REDIRECTS = 5;
const ERROR_BODY_LIMIT = 8 * 1024;

/** The service's API: where its credential may be sent. */
/** Action runs, and the editor's list searches (resource locators), call the same way. */
export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface ApiAccess {
	/** n8n credential type whose `authenticate` block signs requests. */
	credentialType: string;
	/** Scheme, host and port of the API base URL. */
	origin: string;
	/**
	 * Path of the API base URL ('' for the whole origin). The credential goes only to URLs under
	 * it: PDF-Sign, for one, serves its public files from the API's own host on another path.
	 */
	basePath: string;
}

/** Whether a URL is under the API base URL, where the credential (and trust in its address) belongs. */
export function isApiUrl(url: URL, api: ApiAccess | undefined): boolean {
	if (!api?.origin || url.origin !== api.origin) return false;
	return api.basePath === '' || url.pathname === api.basePath || url.pathname.startsWith(`${api.basePath}/`);
}

export interface HttpCall {
	/** The service's own spelling, for messages. */
	service: string;
	method: IHttpRequestMethods;
	url: string;
	policy: UrlPolicy;
	api?: ApiAccess;
	headers?: Record<string, string>;
	body?: IDataObject | IDataObject[];
	qs?: IDataObject;
	timeoutMs: number;
	retry: RetryPolicy;
	/**
	 * `transient` (GET and other idempotent calls): 408, 429, 5xx and dropped connections.
	 * `declined` (calls that may start work, e.g. a generation): only when the service said it
	 * did not take the request (429, 503), so a retry cannot produce a second document.
	 */
	retryOn: 'transient' | 'declined';
	itemIndex: number;
}

/** A streamed response body as n8n's HTTP helper hands it over (Node's IncomingMessage). */
export interface ResponseStream {
	on(event: 'data', listener: (chunk: Buffer) => void): unknown;
	on(event: string, listener: (...args: unknown[]) => void): unknown;
	pause(): unknown;
	resume(): unknown;
	destroy(error?: Error): unknown;
	socket?: { remoteAddress?: string } | null;
	[Symbol.asyncIterator](): AsyncIterator<Buffer>;
}

export interface OpenResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: ResponseStream;
	/** Where the response finally came from, after redirects. */
	url: URL;
}

/** An HTTP status we give up on, carried to the place that words the error. */
export class HttpStatusFailure extends Error {
	constructor(
		readonly status: number,
		public detail: string | undefined,
		readonly retryAfterMs: number | undefined,
		readonly url: string,
	) {
		super(`HTTP ${status}`);
	}
}

/** A refusal of ours (URL policy, size, type): never retried. */
export class PolicyFailure extends Error {}

/** A transfer that ended early or was cut: retried like a dropped connection. */
export class TransferFailure extends Error {
	readonly code = 'ECONNRESET';
}

/** Runs `read` on a successful response, retrying the whole exchange on transient failures. */
export async function withResponse<T>(
	ctx: RequestContext,
	call: HttpCall,
	read: (response: OpenResponse) => Promise<T>,
): Promise<T> {
	let attempts = 0;
	try {
		return await withRetries(
			async () => {
				attempts++;
				const response = await open(ctx, call);
				return await read(response);
			},
			{
				policy: call.retry,
				describe: (error) => describeFailure(error, call.retryOn),
				sleep: async (ms) => await sleep(ms),
				now: () => Date.now(),
				onRetry: ({ attempt, delayMs, error }) =>
					ctx.logger.info(`${call.service}: attempt ${attempt} failed (${shortReason(error)}), retrying in ${Math.round(delayMs)} ms`, {
						url: redactUrl(call.url),
					}),
			},
		);
	} catch (error) {
		if (error instanceof HttpStatusFailure && error.detail) {
			// Truncated already; now masked with the credential's own values too, in case the
			// service echoed the key it refused.
			error.detail = redactDetail(error.detail, await credentialValues(ctx, call));
		}
		throw toNodeError(ctx, call, error, attempts);
	}
}

/** The credential's string values (keys, secrets) of an authenticated call, to mask them in errors. */
async function credentialValues(ctx: RequestContext, call: HttpCall): Promise<string[]> {
	if (!call.api?.credentialType) return [];
	try {
		const data = await ctx.getCredentials(call.api.credentialType);
		return Object.values(data).filter((value): value is string => typeof value === 'string' && value.length >= 6);
	} catch {
		return [];
	}
}

/** One exchange: policy checks, redirects by hand, and the response stream on a 2xx. */
async function open(ctx: RequestContext, call: HttpCall): Promise<OpenResponse> {
	const first = checkUrl(call.url, policyFor(call, call.url));
	if (!first.ok) throw new PolicyFailure(first.reason);
	let url = first.url;
	let method = call.method;
	let body = call.body;
	let headers = call.headers ?? {};
	for (let hop = 0; ; hop++) {
		const policy = policyFor(call, url);
		const checkedByN8n = await checkBeforeConnecting(ctx, url, policy);
		const authenticated = isApiUrl(url, call.api);
		const options: IHttpRequestOptions = {
			method,
			url: url.toString(),
			qs: hop === 0 ? call.qs : undefined,
			body,
			json: body !== undefined,
			headers: {
				// An uncompressed body stays n8n 1.x's IncomingMessage, whose socket tells us where we connected.
				'accept-encoding': 'identity',
				...headers,
			},
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: call.timeoutMs,
		};
		const response = (authenticated
			? await ctx.helpers.httpRequestWithAuthentication.call(ctx, call.api!.credentialType, options)
			: await ctx.helpers.httpRequest(options)) as { statusCode: number; headers: OpenResponse['headers']; body: ResponseStream };

		// n8n 2.x hands the body over through a wrapper stream without the socket; there its egress
		// filter (which honours the admin's N8N_SSRF_* settings) is the check, and it already ran.
		const refused = checkedByN8n ? undefined : checkConnectedAddress(response.body?.socket?.remoteAddress, policy);
		if (refused) {
			response.body?.destroy();
			throw new PolicyFailure(refused);
		}

		const status = response.statusCode;
		if (status >= 300 && status < 400 && status !== 304) {
			response.body?.destroy();
			if (hop >= MAX_REDIRECTS) throw new PolicyFailure(`${call.service} redirected more than ${MAX_REDIRECTS} times`);
			const location = firstHeader(response.headers.location);
			if (!location) throw new PolicyFailure(`${call.service} sent a redirect without a Location header (${redactUrl(url)})`);
			const target = resolveLocation(location, url);
			if (!target) throw new PolicyFailure(`${call.service} redirected to an invalid URL (from ${redactUrl(url)})`);
			const next = checkRedirect(location, url, policyFor(call, target));
			if (!next.ok) throw new PolicyFailure(`Refused a redirect from ${redactUrl(url)}: ${next.reason}`);
			// 303 and the historical 301/302 POST→GET rewrite; 307/308 keep method and body.
			if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
				method = 'GET';
				body = undefined;
			}
			if (next.url.origin !== url.origin) {
				// A request body (e.g. a webhook secret in a generation call) never follows to another host.
				if (body !== undefined) throw new PolicyFailure(`Refused to send the request body on to another host (${redactUrl(next.url)})`);
				headers = {};
			}
			url = next.url;
			continue;
		}
		if (status < 200 || status >= 300) {
			const detail = await readErrorDetail(response.body);
			throw new HttpStatusFailure(status, detail, retryAfterOf(response.headers, status), redactUrl(url));
		}
		return { statusCode: status, headers: response.headers, body: response.body, url };
	}
}

/**
 * The API base URL comes from the credential, which an n8n admin configured: a self-hosted
 * service on a private network works there without Allow Private Network. URLs that come
 * from events (anyone can POST an event) get the full policy.
 */
function policyFor(call: HttpCall, target: string | URL): UrlPolicy {
	let url: URL;
	try {
		url = new URL(target);
	} catch {
		return call.policy;
	}
	return isApiUrl(url, call.api) ? { ...call.policy, allowPrivateNetwork: true } : call.policy;
}

/**
 * n8n 2.x offers its egress filter, which resolves the host name and checks every address
 * before we connect; n8n 1.x does not, and there the connected-address check after connect
 * is the guard (the request line has then reached the address, but no credential has).
 * True when n8n's filter made the decision.
 */
async function checkBeforeConnecting(ctx: RequestContext, url: URL, policy: UrlPolicy): Promise<boolean> {
	if (policy.allowPrivateNetwork) return false;
	const helpers = ctx.helpers as IExecuteFunctions['helpers'] & {
		getSecureEgressFilter?: (mode: 'enforced') => { validateUrl(url: URL): Promise<{ ok: boolean; error?: Error }> };
	};
	if (typeof helpers.getSecureEgressFilter !== 'function') return false;
	const verdict = await helpers.getSecureEgressFilter('enforced').validateUrl(url);
	if (!verdict.ok) {
		throw new PolicyFailure(
			`${redactUrl(url)} resolves to an address that is not on the public internet. If this is a self-hosted service on your own network, turn on Allow Private Network.`,
		);
	}
	return true;
}

function resolveLocation(location: string, base: URL): URL | undefined {
	try {
		return new URL(location, base);
	} catch {
		return undefined;
	}
}

/** A system error code anywhere in the cause chain (n8n wraps network errors on authenticated calls). */
function networkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function describeFailure(error: unknown, retryOn: HttpCall['retryOn']): FailureDescription {
	if (error instanceof PolicyFailure) return { kind: 'fatal' };
	if (error instanceof HttpStatusFailure) {
		if (retryOn === 'declined' && error.status !== 429 && error.status !== 503) return { kind: 'fatal' };
		return { kind: classifyStatus(error.status), retryAfterMs: error.retryAfterMs };
	}
	if (retryOn === 'declined') {
		// The request may have been processed; only a refused connection is safe to repeat.
		return { kind: networkCode(error) === 'ECONNREFUSED' ? 'retryable' : 'fatal' };
	}
	return { kind: classifyError(error) };
}

function retryAfterOf(headers: OpenResponse['headers'], status: number): number | undefined {
	const now = Date.now();
	return (
		parseRetryAfter(firstHeader(headers['retry-after']), now) ??
		(status === 429 ? parseRateLimitReset(firstHeader(headers['x-ratelimit-reset']), now) : undefined)
	);
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

/** The service's own explanation, from the usual error shapes: {message}, {error, hint}, {detail}. */
async function readErrorDetail(stream: ResponseStream | undefined): Promise<string | undefined> {
	if (!stream) return undefined;
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of stream) {
			chunks.push(chunk);
			size += chunk.length;
			if (size >= ERROR_BODY_LIMIT) break;
		}
	} catch {
		// A body we cannot read adds nothing to the status.
	} finally {
		stream.destroy();
	}
	const text = Buffer.concat(chunks).toString('utf8').slice(0, ERROR_BODY_LIMIT);
	if (!text.trim()) return undefined;
	try {
		const parsed = JSON.parse(text) as Record<string, unknown>;
		const parts = [parsed.message, parsed.error, parsed.detail, parsed.hint, parsed.code]
			.flat()
			.filter((part): part is string => typeof part === 'string' && part.length > 0);
		const unique = [...new Set(parts)];
		if (unique.length) return redactDetail(unique.join(' — '));
	} catch {
		// Not JSON: an HTML or XML error page says little that is useful.
	}
	return /^\s*</.test(text) ? undefined : redactDetail(text.trim());
}

/**
 * In words, not codes: n8n replaces any error message that contains a system error code
 * (ECONNRESET, ETIMEDOUT, …) with a generic sentence that would hide which service failed.
 */
const NETWORK_FAILURES: Record<string, string> = {
	ECONNRESET: 'the connection was reset',
	ECONNREFUSED: 'the connection was refused',
	ECONNABORTED: 'the request timed out',
	ETIMEDOUT: 'the request timed out',
	ESOCKETTIMEDOUT: 'the request timed out',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be resolved right now',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	EPIPE: 'the connection was closed while sending',
	ERR_STREAM_PREMATURE_CLOSE: 'the connection closed before the end of the file',
	CERT_HAS_EXPIRED: 'the server\'s TLS certificate has expired',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'the server\'s TLS certificate is self-signed',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server\'s TLS certificate could not be verified',
	ERR_TLS_CERT_ALTNAME_INVALID: 'the server\'s TLS certificate is for another host name',
};

function shortReason(error: unknown): string {
	if (error instanceof HttpStatusFailure) return `HTTP ${error.status}`;
	if (error instanceof TransferFailure) return error.message;
	const code = networkCode(error);
	if (code && NETWORK_FAILURES[code]) return NETWORK_FAILURES[code];
	const message = (error as { message?: string } | undefined)?.message;
	if (message === 'aborted') return NETWORK_FAILURES.ECONNRESET;
	return code ? 'a network error' : 'an unexpected error';
}

const STATUS_ADVICE: Record<number, string> = {
	400: 'The request was refused as invalid; check the node\'s fields.',
	401: 'Check the API key in the credential.',
	403: 'The credential has no access to this, or the link has expired; check the plan and permissions, or fetch a fresh link.',
	404: 'Nothing exists at this address: the ID is wrong, the file is not ready yet, or its link has expired.',
	409: 'The resource is not in a state that allows this yet (e.g. still rendering).',
	410: 'The link has expired; fetch a fresh one.',
	412: 'The authentication headers did not arrive; check the credential.',
	413: 'The request is larger than the service accepts.',
	429: 'The service\'s rate limit was reached; spread the workload or try again later.',
};

function adviceFor(status: number): string {
	return STATUS_ADVICE[status] ?? (status >= 500 ? 'The service is failing; try again later.' : 'See the service\'s message above.');
}

/** Maps whatever stopped the call onto NodeApiError / NodeOperationError, without secrets. */
function toNodeError(ctx: RequestContext, call: HttpCall, error: unknown, attempts: number): Error {
	const node = ctx.getNode();
	const itemIndex = call.itemIndex;
	// Our own node code may throw NodeOperationError; n8n's NodeApiError here is a network failure
	// on an authenticated call and is worded like any other below.
	if (error instanceof NodeOperationError) return error;
	if (error instanceof PolicyFailure) {
		return new NodeOperationError(node, `${call.service}: ${error.message}`, { itemIndex });
	}
	const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
	if (error instanceof HttpStatusFailure) {
		const message = `${call.service} answered HTTP ${error.status}${tries}${error.detail ? `: ${error.detail}` : ''}`;
		const wait = error.retryAfterMs !== undefined ? ` The service asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s.` : '';
		return new NodeApiError(node, { message, httpCode: String(error.status) } as JsonObject, {
			message,
			description: `${adviceFor(error.status)}${wait} (${call.method} ${error.url})`,
			httpCode: String(error.status),
			itemIndex,
		});
	}
	// No HTTP answer to show: NodeApiError would swap our message for a generic one per error code.
	return new NodeOperationError(node, `${call.service} could not be reached or the transfer broke${tries}: ${shortReason(error)}`, {
		description: `Check the connection to ${redactUrl(call.url)} and try again; downloads that are cut off are retried automatically.`,
		itemIndex,
	});
}

const JSON_BODY_LIMIT = 10 * 1024 * 1024;

/** An API call whose answer is JSON (bounded in size), parsed. */
export async function requestJson<T = IDataObject>(ctx: RequestContext, call: HttpCall): Promise<{ status: number; headers: OpenResponse['headers']; body: T }> {
	return await withResponse(ctx, call, async (response) => {
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of response.body) {
			size += chunk.length;
			if (size > JSON_BODY_LIMIT) {
				response.body.destroy();
				throw new PolicyFailure(`the answer from ${call.service} is larger than ${JSON_BODY_LIMIT / (1024 * 1024)} MB`);
			}
			chunks.push(chunk);
		}
		const text = Buffer.concat(chunks).toString('utf8');
		const body = text.trim() ? parseJson(text) : {};
		if (body === undefined) throw new PolicyFailure(`${call.service} answered HTTP ${response.statusCode} with something that is not JSON`);
		return { status: response.statusCode, headers: response.headers, body: body as T };
	});
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}
