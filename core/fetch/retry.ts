/**
 * Retry decisions for downloads and API calls: which failures are worth another attempt,
 * how long to wait, and a loop that respects both an attempt limit and a time budget.
 * Time and randomness are injected so the loop is testable and free of timers (n8n Cloud
 * forbids setTimeout in community nodes; callers pass n8n-workflow's `sleep`).
 */
import { headerValue } from '../values';
import { parseRateLimitReset, parseRetryAfter } from './waitHeaders';

export { parseRateLimitReset, parseRetryAfter };

export interface RetryPolicy {
	/** Including the first attempt. */
	maxAttempts: number;
	baseDelayMs: number;
	/** Cap for our own backoff; a server's Retry-After may ask for more (bounded by maxTotalMs). */
	maxDelayMs: number;
	/** Wall-clock budget from the first attempt; no retry is started that would sleep past it. */
	maxTotalMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
	maxAttempts: 4,
	baseDelayMs: 500,
	maxDelayMs: 10_000,
	maxTotalMs: 60_000,
});

export type FailureKind = 'retryable' | 'fatal';

export interface FailureDescription {
	kind: FailureKind;
	/** How long the server asked us to wait, when it said so. */
	retryAfterMs?: number;
}

export type GiveUpReason = 'fatal' | 'maxAttempts' | 'budget';

export interface RetryOptions {
	policy: RetryPolicy;
	describe: (error: unknown) => FailureDescription;
	sleep: (ms: number) => Promise<void>;
	now: () => number;
	random?: () => number;
	onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
	/**
	 * Called once before the last error is rethrown. With reason 'budget' and a
	 * retryAfterMs, the caller can tell the user when the service will accept a new try.
	 */
	onGiveUp?: (info: {
		attempt: number;
		reason: GiveUpReason;
		retryAfterMs?: number;
		error: unknown;
	}) => void;
}

/**
 * 408, 425, 429 and most 5xx are worth retrying. 501, 505, 506, 508, 510 and 511 describe
 * server or proxy configuration that will not change within seconds, so they are fatal,
 * as is every other status (other 4xx: our request is wrong; 1xx-3xx: not a failure).
 */
export function classifyStatus(status: number): FailureKind {
	if (status === 408 || status === 425 || status === 429) return 'retryable';
	if (status >= 500 && status <= 599) {
		return FATAL_SERVER_STATUSES.has(status) ? 'fatal' : 'retryable';
	}
	return 'fatal';
}

const FATAL_SERVER_STATUSES: ReadonlySet<number> = new Set([501, 505, 506, 508, 510, 511]);

/**
 * Network error codes that describe a passing condition: a connection dropped or cut
 * mid-body, a timeout, a refused connection during a deploy, a temporary DNS failure.
 * ENOTFOUND is deliberately absent: resolvers report temporary trouble as EAI_AGAIN, so
 * ENOTFOUND means the name does not exist and will not start existing within a minute.
 */
const RETRYABLE_ERROR_CODES: ReadonlySet<string> = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED', // axios timeout (without transitional.clarifyTimeoutError)
	'ETIMEDOUT', // socket timeout, and axios timeout with clarifyTimeoutError
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
	'ERR_STREAM_PREMATURE_CLOSE', // response stream ended before the body was complete
	'ERR_NETWORK', // axios: request failed without a response
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

/** Cancellation means the user or n8n stopped the execution: never retry it. */
const CANCELLATION_CODES: ReadonlySet<string> = new Set(['ABORT_ERR', 'ERR_CANCELED']);

/** Messages Node uses for a body cut mid-stream when no code is set. */
const RETRYABLE_MESSAGES: ReadonlySet<string> = new Set(['aborted', 'socket hang up', 'terminated']);

const MAX_CAUSE_DEPTH = 8;

/**
 * Classifies a thrown error by HTTP status (axios `response.status`, `status`,
 * `statusCode`, or n8n's string `httpCode`), by network error code, or by the messages
 * Node uses for a cut connection; nested `cause`s are searched outermost first.
 * Cancellation anywhere in the chain, and anything unrecognised (a bug, a validation
 * error), is fatal: retrying those only delays the real message.
 */
export function classifyError(error: unknown): FailureKind {
	const chain = causeChain(error);
	if (chain.some(isCancellation)) return 'fatal';
	for (const link of chain) {
		const kind = classifySingleError(link);
		if (kind !== undefined) return kind;
	}
	return 'fatal';
}

function classifySingleError(error: Record<string, unknown>): FailureKind | undefined {
	const status = statusOf(error);
	if (status !== undefined) return classifyStatus(status);
	const code = typeof error.code === 'string' ? error.code : undefined;
	if (code !== undefined && RETRYABLE_ERROR_CODES.has(code)) return 'retryable';
	// An AbortSignal.timeout() firing is a timeout, not a cancellation.
	if (error.name === 'TimeoutError') return 'retryable';
	if (code === undefined && typeof error.message === 'string' && RETRYABLE_MESSAGES.has(error.message)) {
		return 'retryable';
	}
	// A known code that is not retryable (ENOTFOUND, certificate errors) is decisive too.
	return code !== undefined ? 'fatal' : undefined;
}

function isCancellation(error: Record<string, unknown>): boolean {
	if (typeof error.code === 'string' && CANCELLATION_CODES.has(error.code)) return true;
	// Node sets name 'AbortError' with code 'ABORT_ERR'; a bare DOMException has only the name.
	return error.name === 'AbortError' && error.code === undefined;
}

function statusOf(error: Record<string, unknown>): number | undefined {
	const response = asRecord(error.response);
	const candidates = [response?.status, error.status, error.statusCode, error.httpCode];
	for (const candidate of candidates) {
		const status = typeof candidate === 'string' && /^\d{3}$/.test(candidate) ? Number(candidate) : candidate;
		if (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599) {
			return status;
		}
	}
	return undefined;
}

function causeChain(error: unknown): Array<Record<string, unknown>> {
	const chain: Array<Record<string, unknown>> = [];
	let current = asRecord(error);
	// The depth limit also protects against a cause cycle.
	while (current !== undefined && chain.length < MAX_CAUSE_DEPTH && !chain.includes(current)) {
		chain.push(current);
		current = asRecord(current.cause);
	}
	return chain;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
	return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/**
 * Full-jitter exponential backoff: a random wait in [0, min(maxDelayMs, baseDelayMs *
 * 2^(attempt-1))], spreading clients that failed together. A server's Retry-After is a
 * floor (never retry earlier than asked) and is not capped by maxDelayMs; withRetries
 * gives up instead when it does not fit the remaining budget. `attempt` is 1-based: the
 * attempt that just failed.
 */
export function nextDelayMs(
	attempt: number,
	policy: RetryPolicy,
	retryAfterMs: number | undefined,
	random: () => number = Math.random,
): number {
	const exponent = Math.max(0, attempt - 1);
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
	const fraction = Math.min(1, Math.max(0, random()));
	const jittered = Math.floor(fraction * Math.max(0, ceiling));
	return retryAfterMs === undefined ? jittered : Math.max(Math.max(0, retryAfterMs), jittered);
}

/**
 * Runs `operation(attempt)` until it resolves, `describe` calls a failure fatal,
 * maxAttempts is reached, or the next wait would end after maxTotalMs (measured with
 * `now()` from the start). A backoff that would overrun the budget is shortened to fit;
 * a server's Retry-After that would overrun it ends the loop, because retrying earlier
 * than asked only earns another 429. Rethrows the last error unchanged.
 */
export async function withRetries<T>(
	operation: (attempt: number) => Promise<T>,
	options: RetryOptions,
): Promise<T> {
	const { policy, describe, sleep, now, random, onRetry, onGiveUp } = options;
	const startedAt = now();
	const maxAttempts = Math.max(1, Math.floor(policy.maxAttempts));

	for (let attempt = 1; ; attempt++) {
		// Settled into a value rather than try/catch: the error is handed back to the caller,
		// which wraps it into NodeApiError, and a synchronous throw is captured as well.
		const outcome = await Promise.resolve()
			.then(async () => await operation(attempt))
			.then(
				(value) => ({ succeeded: true as const, value }),
				(error: unknown) => ({ succeeded: false as const, error }),
			);
		if (outcome.succeeded) return outcome.value;

		const { error } = outcome;
		const { kind, retryAfterMs } = describe(error);
		const remainingMs = policy.maxTotalMs - (now() - startedAt);
		const stopReason = whyStop(kind, attempt >= maxAttempts, remainingMs, retryAfterMs);
		if (stopReason !== undefined) {
			onGiveUp?.({ attempt, reason: stopReason, retryAfterMs, error });
			throw error;
		}
		const delayMs = Math.min(nextDelayMs(attempt, policy, retryAfterMs, random), remainingMs);

		onRetry?.({ attempt, delayMs, error });
		await sleep(delayMs);
	}
}

function whyStop(
	kind: FailureKind,
	attemptsUsedUp: boolean,
	remainingMs: number,
	retryAfterMs: number | undefined,
): GiveUpReason | undefined {
	if (kind === 'fatal') return 'fatal';
	if (attemptsUsedUp) return 'maxAttempts';
	if (remainingMs <= 0 || (retryAfterMs !== undefined && retryAfterMs > remainingMs)) return 'budget';
	return undefined;
}

/**
 * A ready-made `describe` for HTTP clients that throw axios-style errors: the kind from
 * classifyError and the wait from `Retry-After`, or on a 429 from the service's rate-limit
 * reset header, when it has one. Headers are looked up case-insensitively along the cause chain.
 */
export function describeHttpFailure(error: unknown, nowMs: number, rateLimitResetHeader?: string): FailureDescription {
	const kind = classifyError(error);
	if (kind === 'fatal') return { kind };
	for (const link of causeChain(error)) {
		const response = asRecord(link.response);
		const headers = asRecord(response?.headers) ?? asRecord(link.headers);
		if (headers === undefined) continue;
		const retryAfterMs =
			parseRetryAfter(headerValue(headers, 'retry-after'), nowMs) ??
			(statusOf(link) === 429 && rateLimitResetHeader
				? parseRateLimitReset(headerValue(headers, rateLimitResetHeader), nowMs)
				: undefined);
		if (retryAfterMs !== undefined) return { kind, retryAfterMs };
	}
	return { kind };
}
