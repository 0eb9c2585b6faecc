/**
 * The vocabulary of the HTTP path: one call as the action nodes describe it, the response it
 * opens, and the failures that end it (worded for the user in failures.ts).
 */
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import type { ApiConventions } from '../service';
import type { RetryPolicy } from './retry';
import type { UrlPolicy } from './urlPolicy';

/** The service's API: where its credential may be sent. */
export interface ApiAccess {
	/** n8n credential type whose `authenticate` block signs requests. */
	credentialType: string;
	/** Scheme, host and port of the API base URL. */
	origin: string;
	/**
	 * Path of the API base URL ('' for the whole origin). The credential goes only to URLs under
	 * it: a service may serve its public files from the API's own host on another path.
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
	/** The service's rate-limit header and key prefixes, from its descriptor (`api`). */
	conventions?: ApiConventions;
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

export function firstHeader(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}
