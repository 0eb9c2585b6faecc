/**
 * core/fetch/transport.ts against a mocked n8n: redirects by hand within the URL policy, the
 * credential only on the API origin, the connected-address and egress checks, retries (with
 * n8n-workflow's sleep recorded instead of waited), and the wording of every failure.
 */
import { NodeApiError, NodeOperationError, sleep, type JsonObject } from 'n8n-workflow';

import { requestJson, withResponse, type HttpCall, type OpenResponse } from '../../../core/fetch/transport';
import { pdfGorilla } from '../../../nodes/PdfGorilla/descriptor';
import {
	API_ORIGIN,
	CDN_HOST,
	createExecuteContext,
	FAST_RETRY,
	FILE_HOST,
	httpCall,
	N8N_REWORDED_CODES,
	networkError,
	NODE,
	rejectionOf,
	type ExecuteInit,
	type Scripted,
} from './fakeExecute';

jest.mock('n8n-workflow', () => ({
	...jest.requireActual<Record<string, unknown>>('n8n-workflow'),
	sleep: jest.fn(async () => undefined),
}));

const sleepMock = jest.mocked(sleep);

beforeEach(() => {
	sleepMock.mockClear();
});

const API_HOST = new URL(API_ORIGIN).hostname;
const PRIVATE_ADDRESS = '10.20.30.40';

function redirect(status: number, location: string): Scripted {
	return { status, headers: { location } };
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Scripted {
	return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** withResponse with a reader that drains the body and reports where it ended up. */
async function fetchFinal(responses: Scripted[], call: Partial<HttpCall> = {}, init: ExecuteInit = {}) {
	const env = createExecuteContext({ ...init, responses });
	const promise = withResponse(env.ctx, httpCall(call), async (response: OpenResponse) => {
		const chunks: Buffer[] = [];
		for await (const chunk of response.body) chunks.push(chunk);
		return { url: response.url.toString(), status: response.statusCode, body: Buffer.concat(chunks).toString('latin1') };
	});
	return { env, promise };
}

function expectWordedWithoutCodes(message: string): void {
	for (const code of N8N_REWORDED_CODES) expect(message.toUpperCase()).not.toContain(code);
}

describe('the request n8n is asked for', () => {
	it('streams, handles statuses and redirects itself, asks for an uncompressed body and passes qs, headers and timeout', async () => {
		const { env, promise } = await fetchFinal([{ status: 200, body: 'x' }], { headers: { 'x-trace': 't1' }, qs: { page: 2 }, timeoutMs: 7_000 });
		await promise;
		expect(env.requests[0].options).toEqual({
			method: 'GET',
			url: `https://${FILE_HOST}/jobs/42/report.pdf?signature=sig-SECRET-1`,
			qs: { page: 2 },
			body: undefined,
			json: false,
			headers: { 'accept-encoding': 'identity', 'x-trace': 't1' },
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: 7_000,
		});
	});

	it('sends a JSON body with json: true', async () => {
		const { env, promise } = await fetchFinal([{ status: 200 }], { method: 'POST', body: { data: { a: 1 } }, retryOn: 'declined' });
		await promise;
		expect(env.requests[0].options).toMatchObject({ method: 'POST', body: { data: { a: 1 } }, json: true });
	});

	it('refuses a URL outside the policy before any request', async () => {
		const { env, promise } = await fetchFinal([], { url: 'https://evil.example/file.pdf' });
		const error = await rejectionOf(promise);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^PDF Gorilla: The host 'evil\.example' is not one of the hosts/);
		expect(env.requests).toHaveLength(0);
	});
});

describe('redirects', () => {
	it('follows a relative Location against the current URL', async () => {
		const { env, promise } = await fetchFinal([redirect(302, '../files/final.pdf?sig=2'), { status: 200, body: 'done' }]);
		await expect(promise).resolves.toMatchObject({ url: `https://${FILE_HOST}/jobs/files/final.pdf?sig=2`, body: 'done' });
		expect(env.requests.map((r) => r.options.url)).toEqual([
			`https://${FILE_HOST}/jobs/42/report.pdf?signature=sig-SECRET-1`,
			`https://${FILE_HOST}/jobs/files/final.pdf?sig=2`,
		]);
		expect(env.requests[0].body?.destroyed).toBe(true);
	});

	it('follows an absolute Location to another allowed host, without the first hop\'s qs', async () => {
		const { env, promise } = await fetchFinal([redirect(301, `https://${CDN_HOST}/o/1.pdf`), { status: 200, body: 'cdn' }], { qs: { v: 1 } });
		await expect(promise).resolves.toMatchObject({ url: `https://${CDN_HOST}/o/1.pdf` });
		expect(env.requests[0].options.qs).toEqual({ v: 1 });
		expect(env.requests[1].options.qs).toBeUndefined();
	});

	it('refuses a redirect to a host outside the policy, without requesting it', async () => {
		const { env, promise } = await fetchFinal([redirect(302, 'https://attacker.example/steal')]);
		const error = await rejectionOf(promise);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('PDF Gorilla: Refused a redirect from');
		expect(error.message).toContain('attacker.example');
		expect(env.requests).toHaveLength(1);
		expect(sleepMock).not.toHaveBeenCalled();
	});

	it('refuses a redirect from https to plain http', async () => {
		const { env, promise } = await fetchFinal([redirect(302, `http://${CDN_HOST}/o/1.pdf`)], {
			policy: { allowedHosts: [FILE_HOST, CDN_HOST], allowPrivateNetwork: false, allowHttp: true },
		});
		expect((await rejectionOf(promise)).message).toMatch(/downgrades are refused/);
		expect(env.requests).toHaveLength(1);
	});

	it('refuses a redirect without Location', async () => {
		const { promise } = await fetchFinal([{ status: 302 }]);
		expect((await rejectionOf(promise)).message).toMatch(/sent a redirect without a Location header/);
	});

	// Regression (fixed in 0813c7f): the next hop's policy was chosen with `new URL(location, url)`
	// before checkRedirect ran, so an unparseable Location threw a TypeError that ended up worded as
	// "could not be reached … a network error" instead of "redirected to an invalid URL".
	test('words a redirect to an unparseable Location as such', async () => {
		const { promise } = await fetchFinal([redirect(302, 'https://[not-an-address/file.pdf')]);
		const error = await rejectionOf(promise);
		expect(error.message).toMatch(/redirected to an invalid URL/);
	});

	it('follows 5 redirects', async () => {
		const hops = [1, 2, 3, 4, 5].map((n) => redirect(302, `/hop/${n}`));
		const { env, promise } = await fetchFinal([...hops, { status: 200, body: 'end' }]);
		await expect(promise).resolves.toMatchObject({ url: `https://${FILE_HOST}/hop/5`, body: 'end' });
		expect(env.requests).toHaveLength(6);
	});

	it('refuses a 6th redirect', async () => {
		const hops = [1, 2, 3, 4, 5, 6].map((n) => redirect(307, `/hop/${n}`));
		const { env, promise } = await fetchFinal(hops);
		const error = await rejectionOf(promise);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('PDF Gorilla: PDF Gorilla redirected more than 5 times');
		expect(env.requests).toHaveLength(6);
		expect(env.remaining()).toBe(0);
	});

	it.each([
		[303, 'POST', 'GET'],
		[302, 'POST', 'GET'],
		[301, 'POST', 'GET'],
		[307, 'POST', 'POST'],
		[308, 'POST', 'POST'],
		[303, 'PUT', 'GET'],
		[302, 'PUT', 'PUT'],
	] as const)('%i after %s continues with %s', async (status, method, expected) => {
		const body = { data: { n: 1 } };
		const { env, promise } = await fetchFinal([redirect(status, '/result'), { status: 200 }], { method, body, retryOn: 'declined' });
		await promise;
		const second = env.requests[1].options;
		expect(second.method).toBe(expected);
		if (expected === 'GET') {
			expect(second.body).toBeUndefined();
			expect(second.json).toBe(false);
		} else {
			expect(second.body).toEqual(body);
			expect(second.json).toBe(true);
		}
	});

	it('treats 304 as a failure, not a redirect', async () => {
		const { env, promise } = await fetchFinal([{ status: 304, headers: { location: '/elsewhere' } }]);
		const error = await rejectionOf(promise);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('304');
		expect(env.requests).toHaveLength(1);
	});
});

describe('the credential goes only to the API origin', () => {
	it('authenticates on the API, not on the file host it redirects to, and again when sent back', async () => {
		const { env, promise } = await fetchFinal(
			[redirect(302, `https://${CDN_HOST}/signed/1.pdf?X-Sig=1`), redirect(302, `${API_ORIGIN}/v1/again`), { status: 200, body: 'ok' }],
			{ url: `${API_ORIGIN}/v1/jobs/42/download` },
		);
		await promise;
		expect(env.requests.map((r) => [r.via, new URL(r.options.url).host])).toEqual([
			['auth', API_HOST],
			['plain', CDN_HOST],
			['auth', API_HOST],
		]);
		expect(env.httpRequestWithAuthentication.mock.calls.map((c) => c[0])).toEqual(['pdfGorillaApi', 'pdfGorillaApi']);
		// Called with the context as `this`, as n8n's helper requires.
		expect(env.httpRequestWithAuthentication.mock.contexts[0]).toBe(env.ctx);
	});

	it('never authenticates a file URL off the API origin', async () => {
		const { env, promise } = await fetchFinal([{ status: 200 }]);
		await promise;
		expect(env.httpRequestWithAuthentication).not.toHaveBeenCalled();
		expect(env.httpRequest).toHaveBeenCalledTimes(1);
	});

	it('compares the whole origin: another port or scheme of the API host gets no credential', async () => {
		const { env, promise } = await fetchFinal([{ status: 200 }], {
			url: `https://${API_HOST}:8443/v1/x`,
			policy: { allowedHosts: [`${API_HOST}:8443`], allowPrivateNetwork: false },
		});
		await promise;
		expect(env.requests[0].via).toBe('plain');
	});

	it('sends no credential at all without an api', async () => {
		const { env, promise } = await fetchFinal([{ status: 200 }], { url: `${API_ORIGIN}/v1/x`, api: undefined });
		await promise;
		expect(env.requests[0].via).toBe('plain');
	});
});

describe('where the connection went', () => {
	it('refuses a file host that connected to a private address', async () => {
		const { env, promise } = await fetchFinal([{ status: 200, body: 'secret', remoteAddress: PRIVATE_ADDRESS }]);
		const error = await rejectionOf(promise);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(`PDF Gorilla: The download host resolved to ${PRIVATE_ADDRESS}`);
		expect(error.message).toContain('Allow Private Network');
		expect(env.requests[0].body?.destroyed).toBe(true);
		expect(env.requests).toHaveLength(1);
	});

	it('refuses when the address cannot be told (no socket)', async () => {
		const { promise } = await fetchFinal([{ status: 200, remoteAddress: null }]);
		expect((await rejectionOf(promise)).message).toMatch(/Could not determine which address/);
	});

	it('refuses a private address on a redirect hop, even before following it', async () => {
		const { env, promise } = await fetchFinal([redirect(302, `https://${CDN_HOST}/x`), { status: 200, remoteAddress: '127.0.0.1' }]);
		expect((await rejectionOf(promise)).message).toContain('resolved to 127.0.0.1');
		expect(env.requests).toHaveLength(2);
	});

	it('allows a private address with Allow Private Network', async () => {
		const { promise } = await fetchFinal([{ status: 200, body: 'lan', remoteAddress: '192.168.1.9' }], {
			policy: { allowedHosts: [FILE_HOST], allowPrivateNetwork: true },
		});
		await expect(promise).resolves.toMatchObject({ body: 'lan' });
	});

	it('allows a private address for the API origin (configured by an admin in the credential)', async () => {
		const { env, promise } = await fetchFinal([{ status: 200, body: 'api', remoteAddress: PRIVATE_ADDRESS }], { url: `${API_ORIGIN}/v1/jobs/1` });
		await expect(promise).resolves.toMatchObject({ body: 'api' });
		expect(env.requests[0].via).toBe('auth');
	});

	it('still refuses a private address for a file host the API redirects to', async () => {
		const { promise } = await fetchFinal(
			[redirect(302, `https://${CDN_HOST}/x.pdf`), { status: 200, remoteAddress: PRIVATE_ADDRESS }],
			{ url: `${API_ORIGIN}/v1/jobs/1/file` },
			{},
		);
		expect((await rejectionOf(promise)).message).toContain(`resolved to ${PRIVATE_ADDRESS}`);
	});
});

describe("n8n 2.x's egress filter", () => {
	it('is asked (enforced) about every file-host hop before connecting', async () => {
		const { env, promise } = await fetchFinal([redirect(302, `https://${CDN_HOST}/y.pdf`), { status: 200 }], {}, { egressFilter: () => ({ ok: true }) });
		await promise;
		expect(env.getSecureEgressFilter).toHaveBeenCalledWith('enforced');
		expect(env.validateUrl.mock.calls.map(([url]) => url.host)).toEqual([FILE_HOST, CDN_HOST]);
	});

	it('refuses before any request when it says no', async () => {
		const { env, promise } = await fetchFinal([{ status: 200 }], {}, { egressFilter: () => ({ ok: false, error: new Error('blocked 10.0.0.1') }) });
		const error = await rejectionOf(promise);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			`PDF Gorilla: https://${FILE_HOST}/jobs/42/report.pdf resolves to an address that is not on the public internet. If this is a self-hosted service on your own network, turn on Allow Private Network.`,
		);
		expect(error.message).not.toContain('sig-SECRET-1');
		expect(env.requests).toHaveLength(0);
		expect(sleepMock).not.toHaveBeenCalled();
	});

	it('is skipped with Allow Private Network', async () => {
		const { env, promise } = await fetchFinal([{ status: 200 }], { policy: { allowedHosts: [FILE_HOST], allowPrivateNetwork: true } }, { egressFilter: () => ({ ok: false }) });
		await promise;
		expect(env.getSecureEgressFilter).not.toHaveBeenCalled();
	});

	it('is skipped for the API origin', async () => {
		const { env, promise } = await fetchFinal([{ status: 200 }], { url: `${API_ORIGIN}/v1/x` }, { egressFilter: () => ({ ok: false }) });
		await promise;
		expect(env.validateUrl).not.toHaveBeenCalled();
	});

	it("decides alone: n8n 2.x's body has no socket, and an address it approved is not refused again", async () => {
		const noSocket = await fetchFinal([{ status: 200, body: 'v2', remoteAddress: null }], {}, { egressFilter: () => ({ ok: true }) });
		await expect(noSocket.promise).resolves.toMatchObject({ body: 'v2' });
		// e.g. a range the admin allowed with N8N_SSRF_ALLOWED_IP_RANGES
		const allowedByAdmin = await fetchFinal([{ status: 200, body: 'lan', remoteAddress: PRIVATE_ADDRESS }], {}, { egressFilter: () => ({ ok: true }) });
		await expect(allowedByAdmin.promise).resolves.toMatchObject({ body: 'lan' });
	});

	it('is not needed on n8n 1.x, where helpers has no getSecureEgressFilter', async () => {
		const { env, promise } = await fetchFinal([{ status: 200, body: 'v1' }]);
		expect('getSecureEgressFilter' in env.ctx.helpers).toBe(false);
		await expect(promise).resolves.toMatchObject({ body: 'v1' });
	});
});

describe('retries', () => {
	it('503, 503, 200 succeeds with 3 calls and 2 waits, logged with the service name', async () => {
		const { env, promise } = await fetchFinal([{ status: 503 }, { status: 503 }, { status: 200, body: 'third' }]);
		await expect(promise).resolves.toMatchObject({ body: 'third' });
		expect(env.requests).toHaveLength(3);
		expect(sleepMock).toHaveBeenCalledTimes(2);
		expect(env.logs).toHaveLength(2);
		expect(env.logs[0]).toMatch(/^PDF Gorilla: attempt 1 failed \(HTTP 503\), retrying in \d+ ms$/);
		expect(env.logger.info.mock.calls[0][1]).toEqual({ url: `https://${FILE_HOST}/jobs/42/report.pdf` });
	});

	it('gives up after maxAttempts, saying how many', async () => {
		const { env, promise } = await fetchFinal([{ status: 502 }, { status: 502 }, { status: 502 }]);
		const error = await rejectionOf(promise);
		expect(env.requests).toHaveLength(3);
		expect(error.message).toBe('PDF Gorilla answered HTTP 502 after 3 attempts');
	});

	it('does not retry a 404', async () => {
		const { env, promise } = await fetchFinal([{ status: 404 }]);
		const error = await rejectionOf(promise);
		expect(env.requests).toHaveLength(1);
		expect(sleepMock).not.toHaveBeenCalled();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('PDF Gorilla answered HTTP 404');
	});

	it('waits as long as a 429 Retry-After asks', async () => {
		const { env, promise } = await fetchFinal([{ status: 429, headers: { 'retry-after': '7' } }, { status: 200, body: 'later' }]);
		await expect(promise).resolves.toMatchObject({ body: 'later' });
		expect(env.requests).toHaveLength(2);
		expect(sleepMock).toHaveBeenCalledTimes(1);
		expect(sleepMock.mock.calls[0][0]).toBe(7_000);
	});

	it("waits for a 429's rate-limit reset header (ms), as the descriptor names it, when there is no Retry-After", async () => {
		const { promise } = await fetchFinal([{ status: 429, headers: { 'x-ratelimit-reset': '2500' } }, { status: 200 }], { conventions: pdfGorilla.api });
		await promise;
		expect(sleepMock.mock.calls[0][0]).toBe(2_500);
	});

	it('reads no rate-limit reset header when the service names none', async () => {
		const { promise } = await fetchFinal([{ status: 429, headers: { 'x-ratelimit-reset': '2500' } }, { status: 200 }], { conventions: undefined });
		await promise;
		expect(sleepMock.mock.calls[0][0]).toBeLessThanOrEqual(FAST_RETRY.maxDelayMs);
	});

	it('gives up at once when Retry-After is beyond the time budget, and tells the wait', async () => {
		const { env, promise } = await fetchFinal([{ status: 429, headers: { 'retry-after': '600' }, body: JSON.stringify({ message: 'Too many requests' }) }]);
		const error = await rejectionOf(promise);
		expect(env.requests).toHaveLength(1);
		expect(sleepMock).not.toHaveBeenCalled();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('PDF Gorilla answered HTTP 429: Too many requests');
		expect(error.description).toContain('The service asked to wait 600 s.');
		expect(error.description).toContain("rate limit");
	});

	it('retries a dropped connection on a GET', async () => {
		const { env, promise } = await fetchFinal([networkError('ECONNRESET', 'socket hang up'), { status: 200, body: 'back' }]);
		await expect(promise).resolves.toMatchObject({ body: 'back' });
		expect(env.requests).toHaveLength(2);
	});

	it('does not retry a host name that does not exist, and words it', async () => {
		const { env, promise } = await fetchFinal([networkError('ENOTFOUND', `getaddrinfo ENOTFOUND ${FILE_HOST}`)]);
		const error = await rejectionOf(promise);
		expect(env.requests).toHaveLength(1);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('PDF Gorilla could not be reached or the transfer broke: the host name was not found');
		expectWordedWithoutCodes(error.message);
		expect(error.description).toBe(
			`Check the connection to https://${FILE_HOST}/jobs/42/report.pdf and try again; downloads that are cut off are retried automatically.`,
		);
	});

	it('words each network failure without its code after retrying', async () => {
		for (const [code, words] of [
			['ECONNREFUSED', 'the connection was refused'],
			['ETIMEDOUT', 'the request timed out'],
			['EAI_AGAIN', 'the host name could not be resolved right now'],
			['ECONNABORTED', 'the request timed out'],
			['EHOSTUNREACH', 'the host is unreachable'],
			['ERR_STREAM_PREMATURE_CLOSE', 'the connection closed before the end of the file'],
		]) {
			const { env, promise } = await fetchFinal([networkError(code), networkError(code), networkError(code)]);
			const error = await rejectionOf(promise);
			expect(env.requests).toHaveLength(3);
			expect(error.message).toBe(`PDF Gorilla could not be reached or the transfer broke after 3 attempts: ${words}`);
			expectWordedWithoutCodes(error.message);
		}
	});

	it('does not retry a TLS certificate problem, and words it', async () => {
		const { env, promise } = await fetchFinal([networkError('CERT_HAS_EXPIRED', 'certificate has expired')]);
		const error = await rejectionOf(promise);
		expect(env.requests).toHaveLength(1);
		expect(error.message).toContain("the server's TLS certificate has expired");
	});

	describe("calls that may start work ('declined')", () => {
		const post: Partial<HttpCall> = { method: 'POST', retryOn: 'declined', body: { data: {} } };

		it.each([429, 503])('retries %i (the service did not take the request)', async (status) => {
			const { env, promise } = await fetchFinal([{ status }, { status: 200, body: 'made' }], post);
			await expect(promise).resolves.toMatchObject({ body: 'made' });
			expect(env.requests).toHaveLength(2);
		});

		it.each([500, 502, 504, 408])('does not retry %i (the work may have started)', async (status) => {
			const { env, promise } = await fetchFinal([{ status }], post);
			const error = await rejectionOf(promise);
			expect(env.requests).toHaveLength(1);
			expect(error.httpCode).toBe(String(status));
		});

		it('retries a refused connection', async () => {
			const { env, promise } = await fetchFinal([networkError('ECONNREFUSED'), { status: 200, body: 'made' }], post);
			await expect(promise).resolves.toMatchObject({ body: 'made' });
			expect(env.requests).toHaveLength(2);
		});

		it.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED'])('does not retry %s (the request may have arrived)', async (code) => {
			const { env, promise } = await fetchFinal([networkError(code)], post);
			const error = await rejectionOf(promise);
			expect(env.requests).toHaveLength(1);
			expectWordedWithoutCodes(error.message);
		});

		// Regression (fixed in 0813c7f): on the API origin n8n (1.x and 2.x) wraps every error of
		// httpRequestWithAuthentication in a NodeApiError, with the system code only on error.cause, while
		// 'declined' calls looked for the code at the top: a refused connection to the API was not retried
		// on a POST. networkCode() now follows the cause chain.
		test('retries a refused connection to the API origin, as n8n reports it (wrapped in NodeApiError)', async () => {
			const refused = new NodeApiError(NODE, networkError('ECONNREFUSED') as unknown as JsonObject);
			const { env, promise } = await fetchFinal([refused, { status: 200, body: 'made' }], { ...post, url: `${API_ORIGIN}/v1/generate` });
			await expect(promise).resolves.toMatchObject({ body: 'made' });
			expect(env.requests).toHaveLength(2);
		});
	});
});

describe('error wording', () => {
	it.each<[string, unknown, string]>([
		['{message}', { message: 'Template not found' }, 'Template not found'],
		['{message: [..]}', { message: ['name must be a string', 'data is required'] }, 'name must be a string — data is required'],
		['{error, hint}', { error: 'invalid_template', hint: 'Check the template ID' }, 'invalid_template — Check the template ID'],
		['{detail}', { detail: 'Job 42 does not exist' }, 'Job 42 does not exist'],
		['{message, code} without repeats', { message: 'Quota exceeded', error: 'Quota exceeded', code: 'QUOTA' }, 'Quota exceeded — QUOTA'],
	])('NodeApiError with httpCode and the service message from %s', async (_shape, body, detail) => {
		const { promise } = await fetchFinal([json(body, 422)]);
		const error = await rejectionOf(promise);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('422');
		expect(error.message).toBe(`PDF Gorilla answered HTTP 422: ${detail}`);
		expect(error.description).toBe(`See the service's message above. (GET https://${FILE_HOST}/jobs/42/report.pdf)`);
		expect((error as unknown as NodeApiError).context.itemIndex).toBe(0);
	});

	it('keeps a plain-text explanation and drops an HTML error page', async () => {
		const text = await rejectionOf((await fetchFinal([{ status: 400, body: 'bad field "x"' }])).promise);
		expect(text.message).toBe('PDF Gorilla answered HTTP 400: bad field "x"');
		const html = await rejectionOf((await fetchFinal([{ status: 400, body: '<html><body><h1>400</h1></body></html>' }])).promise);
		expect(html.message).toBe('PDF Gorilla answered HTTP 400');
	});

	it("masks a key with one of the service's prefixes (descriptor keyPrefixes) that the service echoes", async () => {
		const body = json({ error: 'Invalid API key dgl_live_0123456789abcdef' }, 401);
		const masked = await rejectionOf((await fetchFinal([body], { conventions: { keyPrefixes: ['dgl_'] } })).promise);
		expect(masked.message).toBe('PDF Gorilla answered HTTP 401: Invalid API key [redacted]');
	});

	it('cuts a long explanation', async () => {
		const { promise } = await fetchFinal([json({ message: 'x'.repeat(5_000) }, 400)]);
		const error = await rejectionOf(promise);
		expect(error.message.length).toBeLessThan(400);
		expect(error.message.endsWith('…')).toBe(true);
	});

	it.each<[number, RegExp]>([
		[401, /Check the API key in the credential\./],
		[403, /no access to this, or the link has expired/],
		[404, /Nothing exists at this address/],
		[410, /The link has expired/],
		[501, /The service is failing; try again later\./],
	])('advises what to do on %i', async (status, advice) => {
		const { promise } = await fetchFinal([{ status }]);
		const error = await rejectionOf(promise);
		expect(error.message).toBe(`PDF Gorilla answered HTTP ${status}`);
		expect(error.description).toMatch(advice);
	});

	it('puts the item index on every error', async () => {
		const policy = await rejectionOf((await fetchFinal([], { url: 'https://evil.example/', itemIndex: 3 })).promise);
		expect((policy as unknown as NodeOperationError).context.itemIndex).toBe(3);
		const network = await rejectionOf((await fetchFinal([networkError('ENOTFOUND')], { itemIndex: 4 })).promise);
		expect((network as unknown as NodeOperationError).context.itemIndex).toBe(4);
		const status = await rejectionOf((await fetchFinal([{ status: 400 }], { itemIndex: 5 })).promise);
		expect((status as unknown as NodeApiError).context.itemIndex).toBe(5);
	});

	it('never shows a secret from the headers, the query string or qs', async () => {
		const secret = 'sk_live_DO_NOT_LEAK_123';
		const call: Partial<HttpCall> = {
			url: `https://${FILE_HOST}/jobs/42/report.pdf?token=${secret}`,
			headers: { 'x-api-key': secret, authorization: `Bearer ${secret}` },
			qs: { apiKey: secret },
		};
		const failures: Scripted[][] = [
			[{ status: 401, body: JSON.stringify({ message: 'Unauthorized' }) }],
			[{ status: 503 }, { status: 503 }, { status: 503 }],
			[{ status: 302, headers: { location: `https://attacker.example/?k=${secret}` } }],
			[networkError('ECONNRESET'), networkError('ECONNRESET'), networkError('ECONNRESET')],
			[{ status: 200, remoteAddress: PRIVATE_ADDRESS }],
		];
		for (const responses of failures) {
			const { env, promise } = await fetchFinal(responses, call);
			const error = await rejectionOf(promise);
			const shown = [error.message, String(error.description ?? ''), JSON.stringify((error as unknown as { messages?: string[] }).messages ?? []), ...env.logs, JSON.stringify(env.logger.info.mock.calls)];
			for (const text of shown) expect(text).not.toContain(secret);
		}
	});

	// Regression (fixed in 0813c7f): a network failure on the API origin reaches us as n8n's NodeApiError
	// with a message n8n already replaced ("The service refused the connection …"); toNodeError passed
	// every NodeApiError through, so it named neither the service nor the attempts. It is now worded
	// like the same failure on a file host.
	test('words a network failure on the API origin like any other (names the service)', async () => {
		const refused = () => new NodeApiError(NODE, networkError('ECONNREFUSED') as unknown as JsonObject);
		const { promise } = await fetchFinal([refused(), refused(), refused()], { url: `${API_ORIGIN}/v1/jobs/1` });
		const error = await rejectionOf(promise);
		expect(error.message).toBe('PDF Gorilla could not be reached or the transfer broke after 3 attempts: the connection was refused');
	});
});

describe('requestJson', () => {
	const api: Partial<HttpCall> = { url: `${API_ORIGIN}/v1/jobs/42` };

	it('parses a JSON answer and returns status and headers', async () => {
		const env = createExecuteContext({ responses: [json({ jobId: '42', status: 'completed' }, 200, { 'x-request-id': 'r1' })] });
		const result = await requestJson<{ jobId: string; status: string }>(env.ctx, httpCall(api));
		expect(result.status).toBe(200);
		expect(result.body).toEqual({ jobId: '42', status: 'completed' });
		expect(result.headers['x-request-id']).toBe('r1');
		expect(env.requests[0].via).toBe('auth');
	});

	it('parses JSON split across chunks, and an empty answer as {}', async () => {
		const text = JSON.stringify({ name: 'Ünïcödé €', list: [1, 2, 3] });
		const bytes = Buffer.from(text, 'utf8');
		const env = createExecuteContext({ responses: [{ status: 200, body: [bytes.subarray(0, 13), bytes.subarray(13)] }, { status: 204 }] });
		await expect(requestJson(env.ctx, httpCall(api))).resolves.toMatchObject({ body: { name: 'Ünïcödé €', list: [1, 2, 3] } });
		await expect(requestJson(env.ctx, httpCall(api))).resolves.toMatchObject({ status: 204, body: {} });
	});

	it('refuses an answer that is not JSON, without retrying', async () => {
		const env = createExecuteContext({ responses: [{ status: 200, body: '<html>maintenance</html>' }] });
		const error = await rejectionOf(requestJson(env.ctx, httpCall(api)));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('PDF Gorilla: PDF Gorilla answered HTTP 200 with something that is not JSON');
		expect(env.requests).toHaveLength(1);
	});

	it('refuses an answer larger than 10 MB, and stops reading it', async () => {
		const chunk = Buffer.alloc(1024 * 1024, 0x20);
		const env = createExecuteContext({ responses: [{ status: 200, body: ['{"a":"', ...Array.from({ length: 11 }, () => chunk), '"}'] }] });
		const error = await rejectionOf(requestJson(env.ctx, httpCall(api)));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('PDF Gorilla: the answer from PDF Gorilla is larger than 10 MB');
		expect(env.requests).toHaveLength(1);
		expect(env.requests[0].body?.destroyed).toBe(true);
	});

	it('accepts an answer of up to 10 MB', async () => {
		const value = 'y'.repeat(10 * 1024 * 1024 - 10);
		const env = createExecuteContext({ responses: [{ status: 200, body: JSON.stringify({ v: value }) }] });
		const result = await requestJson<{ v: string }>(env.ctx, httpCall(api));
		expect(result.body.v).toHaveLength(value.length);
	});

	it('turns an error status into NodeApiError with the service message', async () => {
		const env = createExecuteContext({ responses: [json({ error: 'job_not_found', hint: 'Jobs are kept 24 hours' }, 404)] });
		const error = await rejectionOf(requestJson(env.ctx, httpCall(api)));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('404');
		expect(error.message).toBe('PDF Gorilla answered HTTP 404: job_not_found — Jobs are kept 24 hours');
		expect(error.description).toContain(`(GET ${API_ORIGIN}/v1/jobs/42)`);
	});

	it('does not retry a malformed answer on a POST either', async () => {
		const env = createExecuteContext({ responses: [{ status: 200, body: 'not json' }] });
		await rejectionOf(requestJson(env.ctx, httpCall({ ...api, method: 'POST', retryOn: 'declined', body: {} })));
		expect(env.requests).toHaveLength(1);
	});
});
