/**
 * The one way the action nodes talk HTTP: every hop checked against the service's URL
 * policy, redirects followed by hand within those rules, the API credential attached only
 * to the API's own base URL, transient failures retried with backoff, and every failure
 * turned into an error that names the service, the status and what to do.
 */
import {
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
} from 'n8n-workflow';

import { describeFailure, readErrorDetail, retryAfterOf, shortReason, toNodeError } from './failures';
import { HttpStatusFailure, PolicyFailure, firstHeader, isApiUrl, type HttpCall, type OpenResponse } from './http';
import { redactDetail } from './redact';
import { withRetries } from './retry';
import { checkConnectedAddress, checkRedirect, checkUrl, redactUrl, type UrlPolicy } from './urlPolicy';

// The vocabulary lives in http.ts; the action nodes import it from here, with the calls.
export { HttpStatusFailure, PolicyFailure, TransferFailure, firstHeader, isApiUrl } from './http';
export type { ApiAccess, HttpCall, OpenResponse, ResponseStream } from './http';

const MAX_REDIRECTS = 5;

/** Action runs, and the editor's list searches (resource locators), call the same way. */
export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

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
			error.detail = redactDetail(error.detail, await credentialValues(ctx, call), call.conventions?.keyPrefixes);
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

/** Where one request of an exchange goes, and with what; redirects change it. */
interface Hop {
	url: URL;
	method: IHttpRequestMethods;
	body: HttpCall['body'];
	headers: Record<string, string>;
}

/** One exchange: policy checks, redirects by hand, and the response stream on a 2xx. */
async function open(ctx: RequestContext, call: HttpCall): Promise<OpenResponse> {
	const first = checkUrl(call.url, policyFor(call, call.url));
	if (!first.ok) throw new PolicyFailure(first.reason);
	let hop: Hop = { url: first.url, method: call.method, body: call.body, headers: call.headers ?? {} };
	for (let redirects = 0; ; redirects++) {
		const policy = policyFor(call, hop.url);
		const checkedByN8n = await checkBeforeConnecting(ctx, hop.url, policy);
		const response = await send(ctx, call, hop, redirects === 0);

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
			if (redirects >= MAX_REDIRECTS) throw new PolicyFailure(`${call.service} redirected more than ${MAX_REDIRECTS} times`);
			hop = redirected(call, hop, status, firstHeader(response.headers.location));
			continue;
		}
		if (status < 200 || status >= 300) {
			const detail = await readErrorDetail(response.body, call.conventions?.keyPrefixes);
			throw new HttpStatusFailure(status, detail, retryAfterOf(response.headers, status, call.conventions?.rateLimitResetHeader), redactUrl(hop.url));
		}
		return { statusCode: status, headers: response.headers, body: response.body, url: hop.url };
	}
}

/** One request, with the credential when it goes to the API; statuses and redirects are left to the caller. */
async function send(ctx: RequestContext, call: HttpCall, hop: Hop, isFirst: boolean): Promise<Omit<OpenResponse, 'url'>> {
	const options: IHttpRequestOptions = {
		method: hop.method,
		url: hop.url.toString(),
		qs: isFirst ? call.qs : undefined,
		body: hop.body,
		json: hop.body !== undefined,
		headers: {
			// An uncompressed body stays n8n 1.x's IncomingMessage, whose socket tells us where we connected.
			'accept-encoding': 'identity',
			...hop.headers,
		},
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: call.timeoutMs,
	};
	return (isApiUrl(hop.url, call.api)
		? await ctx.helpers.httpRequestWithAuthentication.call(ctx, call.api!.credentialType, options)
		: await ctx.helpers.httpRequest(options)) as Omit<OpenResponse, 'url'>;
}

/** The next hop of a redirect, checked against the policy; a body and headers never follow to another host. */
function redirected(call: HttpCall, hop: Hop, status: number, location: string | undefined): Hop {
	const { url } = hop;
	if (!location) throw new PolicyFailure(`${call.service} sent a redirect without a Location header (${redactUrl(url)})`);
	const target = resolveLocation(location, url);
	if (!target) throw new PolicyFailure(`${call.service} redirected to an invalid URL (from ${redactUrl(url)})`);
	const next = checkRedirect(location, url, policyFor(call, target));
	if (!next.ok) throw new PolicyFailure(`Refused a redirect from ${redactUrl(url)}: ${next.reason}`);
	let { method, body, headers } = hop;
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
	return { url: next.url, method, body, headers };
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
