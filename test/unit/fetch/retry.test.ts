import {
	classifyError,
	classifyStatus,
	DEFAULT_RETRY_POLICY,
	describeHttpFailure,
	type FailureDescription,
	nextDelayMs,
	parseRateLimitReset,
	parseRetryAfter,
	type RetryOptions,
	type RetryPolicy,
	withRetries,
} from '../../../core/fetch/retry';

const NOW = Date.UTC(2026, 3, 6, 10, 0, 0);

function errorWith(properties: Record<string, unknown>, message = 'request failed'): Error {
	return Object.assign(new Error(message), properties);
}

describe('DEFAULT_RETRY_POLICY', () => {
	it('allows 4 attempts, 500 ms base, 10 s max delay and a 60 s budget, and cannot be mutated', () => {
		expect(DEFAULT_RETRY_POLICY).toEqual({ maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, maxTotalMs: 60_000 });
		expect(Object.isFrozen(DEFAULT_RETRY_POLICY)).toBe(true);
	});
});

describe('classifyStatus', () => {
	it.each([408, 425, 429, 500, 502, 503, 504, 507, 509, 520, 599])('retries %i', (status) => {
		expect(classifyStatus(status)).toBe('retryable');
	});

	it.each([
		[400, 'bad request'],
		[401, 'bad credentials'],
		[403, 'quota or plan'],
		[404, 'not found'],
		[409, 'conflict'],
		[410, 'gone'],
		[413, 'too large'],
		[422, 'validation'],
		[501, 'not implemented'],
		[505, 'HTTP version not supported'],
		[506, 'variant also negotiates'],
		[508, 'loop detected'],
		[510, 'not extended'],
		[511, 'proxy authentication required'],
		[200, 'success is no failure'],
		[302, 'redirects are no failure'],
		[600, 'out of range'],
	])('does not retry %i (%s)', (status) => {
		expect(classifyStatus(status)).toBe('fatal');
	});
});

describe('classifyError', () => {
	it.each([
		'ECONNRESET',
		'ECONNREFUSED',
		'ECONNABORTED',
		'ETIMEDOUT',
		'ESOCKETTIMEDOUT',
		'EPIPE',
		'EAI_AGAIN',
		'EHOSTUNREACH',
		'ENETUNREACH',
		'ERR_STREAM_PREMATURE_CLOSE',
		'UND_ERR_SOCKET',
		'UND_ERR_HEADERS_TIMEOUT',
	])('retries the network error code %s', (code) => {
		expect(classifyError(errorWith({ code }))).toBe('retryable');
	});

	it.each(['ENOTFOUND', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_INVALID_URL'])(
		'does not retry the permanent error code %s',
		(code) => {
			expect(classifyError(errorWith({ code }))).toBe('fatal');
		},
	);

	it('retries a body cut mid-stream (Node: code ECONNRESET, message "aborted")', () => {
		expect(classifyError(errorWith({ code: 'ECONNRESET' }, 'aborted'))).toBe('retryable');
	});

	it.each(['aborted', 'socket hang up', 'terminated'])('retries a code-less error with the message %j', (message) => {
		expect(classifyError(new Error(message))).toBe('retryable');
	});

	it('retries an axios timeout (code ECONNABORTED, no response)', () => {
		expect(classifyError(errorWith({ code: 'ECONNABORTED', isAxiosError: true }, 'timeout of 30000ms exceeded'))).toBe('retryable');
	});

	it('retries an AbortSignal.timeout() firing (name TimeoutError)', () => {
		expect(classifyError(errorWith({ name: 'TimeoutError' }, 'The operation was aborted due to timeout'))).toBe('retryable');
	});

	it.each([
		['a Node AbortError', errorWith({ name: 'AbortError', code: 'ABORT_ERR' }, 'The operation was aborted')],
		['a DOMException-style AbortError', errorWith({ name: 'AbortError' }, 'This operation was aborted')],
		['an axios cancellation', errorWith({ code: 'ERR_CANCELED' }, 'canceled')],
	])('never retries a cancellation: %s', (_description, error) => {
		expect(classifyError(error)).toBe('fatal');
	});

	it('never retries when a cancellation is nested under a retryable error', () => {
		const error = errorWith({ code: 'ECONNRESET', cause: errorWith({ name: 'AbortError', code: 'ABORT_ERR' }) });
		expect(classifyError(error)).toBe('fatal');
	});

	it.each([
		['an axios response status', { response: { status: 503 } }, 'retryable'],
		['an axios response status that is permanent', { response: { status: 404 } }, 'fatal'],
		['a status property', { status: 429 }, 'retryable'],
		['a statusCode property', { statusCode: 502 }, 'retryable'],
		["n8n's string httpCode", { httpCode: '504' }, 'retryable'],
		["n8n's string httpCode that is permanent", { httpCode: '401' }, 'fatal'],
	])('classifies by %s', (_description, properties, expected) => {
		expect(classifyError(errorWith(properties))).toBe(expected);
	});

	it('prefers the HTTP status over the axios code on the same error', () => {
		expect(classifyError(errorWith({ code: 'ERR_BAD_REQUEST', response: { status: 429 } }))).toBe('retryable');
	});

	it('finds a retryable code in a nested cause', () => {
		const error = new Error('Download failed', { cause: new Error('fetch failed', { cause: errorWith({ code: 'UND_ERR_SOCKET' }) }) });
		expect(classifyError(error)).toBe('retryable');
	});

	it('lets the outermost decisive error win', () => {
		const error = errorWith({ httpCode: '404', cause: errorWith({ code: 'ECONNRESET' }) });
		expect(classifyError(error)).toBe('fatal');
	});

	it('survives a cause cycle', () => {
		const outer = errorWith({});
		const inner = errorWith({ cause: outer });
		(outer as Error & { cause?: unknown }).cause = inner;
		expect(classifyError(outer)).toBe('fatal');
	});

	it.each([
		['a plain Error', new Error('boom')],
		['a TypeError from a bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
		['a string', 'ECONNRESET'],
		['undefined', undefined],
		['null', null],
	])('does not retry an unrecognised failure: %s', (_description, error) => {
		expect(classifyError(error)).toBe('fatal');
	});
});

describe('parseRetryAfter', () => {
	it.each([
		['120', 120_000],
		['0', 0],
		[' 5 ', 5_000],
		['1.5', 1_500],
		['-5', 0],
	])('reads delta-seconds %j as %i ms', (value, expected) => {
		expect(parseRetryAfter(value, NOW)).toBe(expected);
	});

	it('reads an HTTP-date relative to now', () => {
		expect(parseRetryAfter('Mon, 06 Apr 2026 10:00:30 GMT', NOW)).toBe(30_000);
	});

	it('returns 0 for an HTTP-date in the past', () => {
		expect(parseRetryAfter('Mon, 06 Apr 2026 09:59:00 GMT', NOW)).toBe(0);
	});

	it.each([undefined, '', '   ', 'soon', 'garbage', '12abc', '1e3', '--1'])('returns undefined for the unreadable value %j', (value) => {
		expect(parseRetryAfter(value, NOW)).toBeUndefined();
	});

	it('returns absurdly large values as a finite number for the caller to bound', () => {
		const delay = parseRetryAfter('9'.repeat(400), NOW);
		expect(delay).toBe(Number.MAX_SAFE_INTEGER);
	});
});

describe('parseRateLimitReset', () => {
	it('reads a value above 1e12 as an epoch in milliseconds', () => {
		expect(parseRateLimitReset(String(NOW + 12_345), NOW)).toBe(12_345);
	});

	it('reads a value between 1e9 and 1e12 as an epoch in seconds', () => {
		expect(parseRateLimitReset(String(NOW / 1000 + 30), NOW)).toBe(30_000);
	});

	it('reads a small value as a delta in milliseconds', () => {
		expect(parseRateLimitReset('2500', NOW)).toBe(2_500);
	});

	it('returns 0 for an epoch in the past', () => {
		expect(parseRateLimitReset(String(NOW - 5_000), NOW)).toBe(0);
	});

	it('reads an ISO date such as the error body resetAt', () => {
		expect(parseRateLimitReset('2026-04-06T10:01:00.000Z', NOW)).toBe(60_000);
	});

	it.each([undefined, '', 'later', '-5'])('returns undefined for the unreadable value %j', (value) => {
		expect(parseRateLimitReset(value, NOW)).toBeUndefined();
	});
});

describe('nextDelayMs', () => {
	const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 500, maxDelayMs: 10_000, maxTotalMs: 60_000 };

	it.each([
		[1, 500],
		[2, 1_000],
		[3, 2_000],
		[5, 8_000],
		[6, 10_000],
		[50, 10_000],
	])('after attempt %i waits at most %i ms (random = 1)', (attempt, ceiling) => {
		expect(nextDelayMs(attempt, policy, undefined, () => 1)).toBe(ceiling);
	});

	it.each([1, 3, 50])('after attempt %i waits 0 ms with random = 0 (full jitter)', (attempt) => {
		expect(nextDelayMs(attempt, policy, undefined, () => 0)).toBe(0);
	});

	it('picks a point inside the window proportionally to random', () => {
		expect(nextDelayMs(3, policy, undefined, () => 0.25)).toBe(500);
	});

	it('stays within [0, ceiling] for any random value, even out-of-range ones', () => {
		for (const value of [-1, 0, 0.3, 0.999, 1, 2]) {
			const delay = nextDelayMs(2, policy, undefined, () => value);
			expect(delay).toBeGreaterThanOrEqual(0);
			expect(delay).toBeLessThanOrEqual(1_000);
		}
	});

	it('uses Retry-After as a floor over the jittered backoff', () => {
		expect(nextDelayMs(1, policy, 3_000, () => 1)).toBe(3_000);
		expect(nextDelayMs(6, policy, 3_000, () => 1)).toBe(10_000);
	});

	it('honours a Retry-After above maxDelayMs (the budget bounds it, not the backoff cap)', () => {
		expect(nextDelayMs(1, policy, 30_000, () => 0)).toBe(30_000);
	});

	it('uses Math.random by default and stays within bounds', () => {
		const delay = nextDelayMs(2, policy, undefined);
		expect(delay).toBeGreaterThanOrEqual(0);
		expect(delay).toBeLessThanOrEqual(1_000);
	});
});

describe('withRetries', () => {
	const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, maxTotalMs: 60_000 };
	const retryable: FailureDescription = { kind: 'retryable' };

	/** A fake clock that only moves when the loop sleeps, plus a record of every sleep. */
	function harness(overrides: Partial<RetryOptions> = {}) {
		let clock = NOW;
		const sleeps: number[] = [];
		const options: RetryOptions = {
			policy,
			describe: () => retryable,
			sleep: async (ms) => {
				sleeps.push(ms);
				clock += ms;
			},
			now: () => clock,
			random: () => 1,
			...overrides,
		};
		return { options, sleeps, advance: (ms: number) => (clock += ms) };
	}

	it('returns the first success without sleeping', async () => {
		const { options, sleeps } = harness();
		const operation = jest.fn(async (attempt: number) => `ok on ${attempt}`);
		await expect(withRetries(operation, options)).resolves.toBe('ok on 1');
		expect(operation).toHaveBeenCalledTimes(1);
		expect(sleeps).toEqual([]);
	});

	it('retries retryable failures with growing backoff until the operation succeeds', async () => {
		const { options, sleeps } = harness();
		const operation = jest.fn(async (attempt: number) => {
			if (attempt < 3) throw new Error(`fail ${attempt}`);
			return 'done';
		});
		await expect(withRetries(operation, options)).resolves.toBe('done');
		expect(operation.mock.calls.map(([attempt]) => attempt)).toEqual([1, 2, 3]);
		expect(sleeps).toEqual([500, 1_000]);
	});

	it('stops after maxAttempts and rethrows the last error unchanged', async () => {
		const { options, sleeps } = harness();
		const errors = [1, 2, 3, 4, 5].map((attempt) => new Error(`fail ${attempt}`));
		const operation = jest.fn(async (attempt: number) => {
			throw errors[attempt - 1];
		});
		const thrown = await withRetries(operation, options).catch((error: unknown) => error);
		expect(thrown).toBe(errors[3]);
		expect(operation).toHaveBeenCalledTimes(4);
		expect(sleeps).toHaveLength(3);
	});

	it('stops immediately on a fatal failure', async () => {
		const fatal = new Error('401 Unauthorized');
		const { options, sleeps } = harness({ describe: () => ({ kind: 'fatal' }) });
		const operation = jest.fn(async () => {
			throw fatal;
		});
		await expect(withRetries(operation, options)).rejects.toBe(fatal);
		expect(operation).toHaveBeenCalledTimes(1);
		expect(sleeps).toEqual([]);
	});

	it('captures a synchronous throw from the operation like a rejection', async () => {
		const { options } = harness({ describe: () => ({ kind: 'fatal' }) });
		const failure = new Error('sync');
		const operation = ((): Promise<never> => {
			throw failure;
		}) as (attempt: number) => Promise<never>;
		await expect(withRetries(operation, options)).rejects.toBe(failure);
	});

	it('always makes at least one attempt even with maxAttempts 0', async () => {
		const { options } = harness({ policy: { ...policy, maxAttempts: 0 } });
		const operation = jest.fn(async () => 'ok');
		await expect(withRetries(operation, options)).resolves.toBe('ok');
	});

	it('gives up when the total budget is used up, even with attempts left', async () => {
		const { options, advance } = harness({ policy: { ...policy, maxAttempts: 10, maxTotalMs: 5_000 } });
		const operation = jest.fn(async () => {
			advance(3_000); // each attempt itself takes 3 s
			throw new Error('slow failure');
		});
		const onGiveUp = jest.fn();
		await expect(withRetries(operation, { ...options, onGiveUp })).rejects.toThrow('slow failure');
		// 3 s attempt + 0.5 s wait + 3 s attempt = 6.5 s > 5 s budget
		expect(operation).toHaveBeenCalledTimes(2);
		expect(onGiveUp).toHaveBeenCalledWith(expect.objectContaining({ attempt: 2, reason: 'budget' }));
	});

	it('shortens a backoff that would overrun the budget to end exactly at it', async () => {
		const { options, sleeps, advance } = harness({ policy: { ...policy, maxTotalMs: 1_200 } });
		const operation = jest.fn(async (attempt: number) => {
			if (attempt === 1) advance(1_000);
			throw new Error('fail');
		});
		await expect(withRetries(operation, options)).rejects.toThrow('fail');
		expect(sleeps).toEqual([200]);
		expect(operation).toHaveBeenCalledTimes(2);
	});

	it('waits as long as Retry-After asks when it fits the budget', async () => {
		const { options, sleeps } = harness({ describe: () => ({ kind: 'retryable', retryAfterMs: 20_000 }), random: () => 0 });
		let calls = 0;
		await withRetries(async () => {
			calls++;
			if (calls === 1) throw new Error('429');
			return 'ok';
		}, options);
		expect(sleeps).toEqual([20_000]);
	});

	it('does not retry when Retry-After exceeds the remaining budget, and reports the wait', async () => {
		const rateLimited = new Error('429 Too Many Requests');
		const onGiveUp = jest.fn();
		const onRetry = jest.fn();
		const { options, sleeps } = harness({ describe: () => ({ kind: 'retryable', retryAfterMs: 120_000 }), onGiveUp, onRetry });
		const operation = jest.fn(async () => {
			throw rateLimited;
		});
		await expect(withRetries(operation, options)).rejects.toBe(rateLimited);
		expect(operation).toHaveBeenCalledTimes(1);
		expect(sleeps).toEqual([]);
		expect(onRetry).not.toHaveBeenCalled();
		expect(onGiveUp).toHaveBeenCalledWith({ attempt: 1, reason: 'budget', retryAfterMs: 120_000, error: rateLimited });
	});

	it('calls onRetry before each wait with the attempt, the delay and the error', async () => {
		const onRetry = jest.fn();
		const { options } = harness({ onRetry });
		const errors = [new Error('first'), new Error('second')];
		await withRetries(async (attempt) => {
			if (attempt <= 2) throw errors[attempt - 1];
			return 'ok';
		}, options);
		expect(onRetry.mock.calls).toEqual([
			[{ attempt: 1, delayMs: 500, error: errors[0] }],
			[{ attempt: 2, delayMs: 1_000, error: errors[1] }],
		]);
	});

	it('reports the reason for giving up: fatal and maxAttempts', async () => {
		const fatalGiveUp = jest.fn();
		await withRetries(async () => Promise.reject(new Error('x')), {
			...harness({ describe: () => ({ kind: 'fatal' }) }).options,
			onGiveUp: fatalGiveUp,
		}).catch(() => undefined);
		expect(fatalGiveUp).toHaveBeenCalledWith(expect.objectContaining({ attempt: 1, reason: 'fatal' }));

		const exhaustedGiveUp = jest.fn();
		await withRetries(async () => Promise.reject(new Error('x')), { ...harness().options, onGiveUp: exhaustedGiveUp }).catch(() => undefined);
		expect(exhaustedGiveUp).toHaveBeenCalledWith(expect.objectContaining({ attempt: 4, reason: 'maxAttempts' }));
	});

	it('passes each failure to describe', async () => {
		const describe = jest.fn((): FailureDescription => ({ kind: 'fatal' }));
		const failure = new Error('x');
		await withRetries(async () => Promise.reject(failure), { ...harness().options, describe }).catch(() => undefined);
		expect(describe).toHaveBeenCalledWith(failure);
	});
});

describe('describeHttpFailure', () => {
	it('takes the wait from the Retry-After header of an axios-style error', () => {
		const error = errorWith({ response: { status: 503, headers: { 'retry-after': '7' } } });
		expect(describeHttpFailure(error, NOW)).toEqual({ kind: 'retryable', retryAfterMs: 7_000 });
	});

	it('finds headers case-insensitively and in a nested cause', () => {
		const error = new Error('wrapped', { cause: errorWith({ response: { status: 429, headers: { 'Retry-After': '2' } } }) });
		expect(describeHttpFailure(error, NOW)).toEqual({ kind: 'retryable', retryAfterMs: 2_000 });
	});

	it("falls back to the service's rate-limit reset header on a 429", () => {
		const error = errorWith({ response: { status: 429, headers: { 'x-ratelimit-reset': String(NOW + 4_000) } } });
		expect(describeHttpFailure(error, NOW, 'x-ratelimit-reset')).toEqual({ kind: 'retryable', retryAfterMs: 4_000 });
	});

	it('reads no rate-limit reset header the service does not name', () => {
		const error = errorWith({ response: { status: 429, headers: { 'x-ratelimit-reset': String(NOW + 4_000) } } });
		expect(describeHttpFailure(error, NOW)).toEqual({ kind: 'retryable' });
	});

	it('ignores the rate-limit reset header on responses other than 429', () => {
		const error = errorWith({ response: { status: 503, headers: { 'x-ratelimit-reset': String(NOW + 4_000) } } });
		expect(describeHttpFailure(error, NOW, 'x-ratelimit-reset')).toEqual({ kind: 'retryable' });
	});

	it('returns no wait for a fatal failure', () => {
		const error = errorWith({ response: { status: 401, headers: { 'retry-after': '7' } } });
		expect(describeHttpFailure(error, NOW)).toEqual({ kind: 'fatal' });
	});
});
