/**
 * How a call failed, and how that reads for the user: which failures are worth another
 * attempt, the service's own explanation, and the NodeApiError / NodeOperationError that
 * names the service, the status and what to do, without codes n8n would reword or secrets.
 */
import { NodeApiError, NodeOperationError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import { HttpStatusFailure, PolicyFailure, TransferFailure, firstHeader, type HttpCall, type OpenResponse, type ResponseStream } from './http';
import { redactDetail } from './redact';
import { classifyError, classifyStatus, type FailureDescription } from './retry';
import { redactUrl } from './urlPolicy';
import { parseRateLimitReset, parseRetryAfter } from './waitHeaders';

const ERROR_BODY_LIMIT = 8 * 1024;

/** A system error code anywhere in the cause chain (n8n wraps network errors on authenticated calls). */
export function networkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

export function describeFailure(error: unknown, retryOn: HttpCall['retryOn']): FailureDescription {
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

export function retryAfterOf(headers: OpenResponse['headers'], status: number, rateLimitResetHeader: string | undefined): number | undefined {
	const now = Date.now();
	return (
		parseRetryAfter(firstHeader(headers['retry-after']), now) ??
		(status === 429 && rateLimitResetHeader ? parseRateLimitReset(firstHeader(headers[rateLimitResetHeader]), now) : undefined)
	);
}

/** The service's own explanation, from the usual error shapes: {message}, {error, hint}, {detail}. */
export async function readErrorDetail(stream: ResponseStream | undefined, keyPrefixes: readonly string[] = []): Promise<string | undefined> {
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
		if (unique.length) return redactDetail(unique.join(' — '), [], keyPrefixes);
	} catch {
		// Not JSON: an HTML or XML error page says little that is useful.
	}
	return /^\s*</.test(text) ? undefined : redactDetail(text.trim(), [], keyPrefixes);
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

export function shortReason(error: unknown): string {
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
export function toNodeError(ctx: Pick<IExecuteFunctions, 'getNode'>, call: HttpCall, error: unknown, attempts: number): Error {
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
