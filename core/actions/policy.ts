/**
 * Which hosts an action may fetch from and where its API key may go, from the service's
 * descriptor, the credential's base URL and the user's download options.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../fetch/retry';
import type { ApiAccess, HttpCall } from '../fetch/transport';
import type { UrlPolicy } from '../fetch/urlPolicy';
import type { ServiceDescriptor } from '../service';
import { withoutTrailingSlashes } from '../values';
import type { DownloadSettings } from './properties';

export function configuredBaseUrl(credentials: ICredentialDataDecryptedObject, fallback: string): string {
	const configured = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	return withoutTrailingSlashes(configured || fallback);
}

/** host[:port] of a URL as a UrlPolicy entry ('[::1]:8443' for IPv6). */
function hostEntry(url: URL): string {
	return url.port ? `${url.hostname}:${url.port}` : url.hostname;
}

export interface ServiceConnection {
	service: ServiceDescriptor;
	baseUrl: string;
	api: ApiAccess;
	policy: UrlPolicy;
}

/** Reads the API credential (once per item, or once per list search) and derives the API origin and the URL policy. */
export async function connect(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	service: ServiceDescriptor,
	settings: Pick<DownloadSettings, 'allowPrivateNetwork' | 'additionalAllowedHosts'>,
): Promise<ServiceConnection> {
	const credentials = await ctx.getCredentials(service.api.credentialType);
	const baseUrl = service.api.baseUrl(credentials);
	return connectTo(service, baseUrl, settings);
}

/** For URLs that need no credential (signed or public links). */
export function connectTo(
	service: ServiceDescriptor,
	baseUrl: string,
	settings: Pick<DownloadSettings, 'allowPrivateNetwork' | 'additionalAllowedHosts'>,
): ServiceConnection {
	let origin = '';
	let basePath = '';
	const allowedHosts = [...service.download.allowedHosts, ...settings.additionalAllowedHosts];
	try {
		const parsed = new URL(baseUrl);
		origin = parsed.origin;
		basePath = withoutTrailingSlashes(parsed.pathname);
		allowedHosts.push(hostEntry(parsed));
	} catch {
		// An unusable base URL allows no extra host; API calls then fail the URL check with a clear message.
	}
	return {
		service,
		baseUrl,
		api: { credentialType: service.api.credentialType, origin, basePath },
		policy: { allowedHosts, allowPrivateNetwork: settings.allowPrivateNetwork },
	};
}

export const API_TIMEOUT_MS = 30_000;

/** A call to the service's own API (credential attached), retried as its method allows. */
export function apiCall(
	connection: ServiceConnection,
	request: Pick<HttpCall, 'method' | 'body' | 'qs' | 'headers'> & { path: string },
	itemIndex: number,
	overrides: { timeoutMs?: number; retry?: RetryPolicy } = {},
): HttpCall {
	return {
		service: connection.service.displayName,
		method: request.method,
		url: `${connection.baseUrl}${request.path}`,
		body: request.body,
		qs: request.qs,
		headers: request.headers,
		policy: connection.policy,
		api: connection.api,
		timeoutMs: overrides.timeoutMs ?? API_TIMEOUT_MS,
		retry: overrides.retry ?? DEFAULT_RETRY_POLICY,
		retryOn: request.method === 'GET' || request.method === 'HEAD' ? 'transient' : 'declined',
		itemIndex,
		conventions: connection.service.api,
	};
}

/** A GET of a file URL from an API answer; the credential goes along only to URLs under the API base URL. */
export function fileCall(connection: ServiceConnection, url: string, itemIndex: number, timeoutMs: number): HttpCall {
	return {
		service: connection.service.displayName,
		method: 'GET',
		url,
		policy: connection.policy,
		api: connection.api,
		timeoutMs,
		retry: DEFAULT_RETRY_POLICY,
		retryOn: 'transient',
		itemIndex,
		conventions: connection.service.api,
	};
}

/**
 * A GET of a link taken from an event (signed or public): it never carries the API key, even
 * when it points under the API's own address, and gets the full URL policy.
 */
export function eventLinkCall(connection: ServiceConnection, url: string, itemIndex: number, timeoutMs: number): HttpCall {
	return { ...fileCall(connection, url, itemIndex, timeoutMs), api: undefined };
}
