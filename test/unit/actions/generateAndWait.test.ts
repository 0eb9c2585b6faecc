/**
 * Generate and Wait's resume webhooks and the resumed run, every outcome.
 *
 * The webhook decides before it answers: each test's response object behaves like Express's
 * (a second write throws ERR_HTTP_HEADERS_SENT), and every test checks that exactly one answer
 * was written and that `webhook()` returned instead of throwing (n8n runs the children of a
 * throwing resume webhook with an empty item). An accepted callback resumes the execution with
 * one resume item and re-enables the node, so that n8n runs `execute()` again; that resumed
 * run (second half of this file) downloads the file or fails with the node's error.
 */
import { createHmac } from 'node:crypto';

import { mock } from 'jest-mock-extended';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { RESUME_FIELD, WAIT_NONCE_PARAMETER, callbackSecret } from '../../../core/actions/wait';
import { resetConfirmationState } from '../../../core/delivery/confirmBudget';
import { CALLBACK_CHECKS_PER_MINUTE, webhook as docGenLabWebhook } from '../../../nodes/DocGenLab/actions/document/generateAndWait';
import { DocGenLab } from '../../../nodes/DocGenLab/DocGenLab.node';
import { webhook as pdfGorillaWebhook } from '../../../nodes/PdfGorilla/actions/pdf/generateAndWait';
import { PdfGorilla } from '../../../nodes/PdfGorilla/PdfGorilla.node';
import { NODE, PDF_BYTES } from '../fetch/fakeExecute';
import { json, runAction, runActionError } from './runAction';

jest.mock('n8n-workflow', () => jest.requireActual<{ mockSleep: () => object }>('./runAction').mockSleep());

const API_KEY = 'pdfg_unit_key';
const EXECUTION_ID = '314';
const NONCE = 'ab'.repeat(16);
const EARLIER_NONCE = 'cd'.repeat(16);
const SCOPE = 'pdfGorilla:pdf:generateAndWait';
const SECRET = callbackSecret(API_KEY, SCOPE, EXECUTION_ID, NODE.id, NONCE);
const PDF_LINK = 'https://cdn.pdfgorilla.io/jobs/job1/out.pdf?sig=abc';
const pdf = { status: 200, headers: { 'content-type': 'application/pdf' }, body: PDF_BYTES };

interface Written {
	status: number;
	body: unknown;
	headers: Record<string, string>;
}

/** A response that behaves like Express's: once answered, any further write throws. */
function expressResponse() {
	const written: Written[] = [];
	let status = 200;
	let headers: Record<string, string> = {};
	const sent = () => written.length > 0;
	const headersSent = () => Object.assign(new Error('Cannot set headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' });
	interface FakeResponse {
		status: jest.Mock<FakeResponse, [number]>;
		setHeader: jest.Mock<FakeResponse, [string, string]>;
		json: jest.Mock<FakeResponse, [unknown]>;
	}
	const response: FakeResponse = {
		status: jest.fn((code: number) => {
			if (sent()) throw headersSent();
			status = code;
			return response;
		}),
		setHeader: jest.fn((name: string, value: string) => {
			if (sent()) throw headersSent();
			headers = { ...headers, [name.toLowerCase()]: value };
			return response;
		}),
		json: jest.fn((body: unknown) => {
			if (sent()) throw headersSent();
			written.push({ status, body, headers });
			return response;
		}),
	};
	return { response, written };
}

interface CallbackInit {
	body: string;
	headers?: Record<string, string>;
	query?: Record<string, unknown>;
	/** What the waiting node's input item names (`$json.jobId` / `$json.documentId`). */
	waiting?: Record<string, unknown>;
	credentials?: IDataObject | Error;
	ip?: string;
	/** The execution stack entry n8n's webhook context holds; undefined: an n8n without one. */
	stackNode?: { name: string; disabled?: boolean } | null;
	api?: jest.Mock;
}

function callback(init: CallbackInit) {
	const { response, written } = expressResponse();
	const logger = { warn: jest.fn(), info: jest.fn(), debug: jest.fn(), error: jest.fn() };
	const getCredentials = jest.fn(async () => {
		if (init.credentials instanceof Error) throw init.credentials;
		return init.credentials ?? { apiKey: API_KEY, webhookSecret: 'credential-webhook-secret', baseUrl: '' };
	});
	const api = init.api ?? jest.fn();
	const stackNode = init.stackNode === undefined ? { name: NODE.name, disabled: true } : init.stackNode;
	const ctx = mock<IWebhookFunctions>({
		getNode: () => NODE,
		logger: logger as never,
		getExecutionId: () => EXECUTION_ID,
		getQueryData: () => init.query ?? { [WAIT_NONCE_PARAMETER]: NONCE },
		getHeaderData: () => init.headers ?? {},
		getRequestObject: () => ({ rawBody: Buffer.from(init.body), ip: init.ip ?? '203.0.113.7' }) as never,
		getResponseObject: () => response as never,
		getCredentials: getCredentials as never,
		evaluateExpression: ((expression: string) => {
			const field = /\$json\.(\w+)/.exec(expression)?.[1] ?? '';
			return init.waiting?.[field];
		}) as never,
		helpers: { httpRequestWithAuthentication: api } as never,
	});
	if (stackNode !== null) Object.assign(ctx, { executeData: { node: stackNode, data: { main: [[]] }, source: null } });
	return { ctx, written, logger, getCredentials, api, stackNode };
}

/** What every outcome shares: one answer, no throw. */
async function answer(run: (ctx: IWebhookFunctions) => Promise<IWebhookResponseData>, init: CallbackInit) {
	const parts = callback(init);
	const result = await run(parts.ctx);
	expect(parts.written).toHaveLength(1);
	return { ...parts, result, answered: parts.written[0] };
}

const sign = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');
const callbackBody = (jobId: string, status = 'completed', extra: IDataObject = {}) =>
	JSON.stringify({ jobId, status, downloadUrl: status === 'completed' ? PDF_LINK : null, expiresAt: null, error: null, timestamp: '2026-01-01T00:00:00Z', ...extra });
const signed = (body: string, secret = SECRET) => ({ body, headers: { 'x-pdfg-signature': sign(body, secret) } });

describe('PDF Gorilla Generate and Wait: callbacks that must not end the wait', () => {
	test.each([
		['no nonce on the URL', { ...signed(callbackBody('job1')), query: {} }, 401],
		['a malformed nonce', { ...signed(callbackBody('job1')), query: { [WAIT_NONCE_PARAMETER]: 'x' } }, 401],
		['no signature', { body: callbackBody('job1') }, 401],
		['a signature with another secret', signed(callbackBody('job1'), 'guessed'), 401],
		["the credential's own webhook secret instead of this wait's", signed(callbackBody('job1'), 'credential-webhook-secret'), 401],
		['a body changed after signing', { body: callbackBody('job1').replace('abc', 'abd'), headers: signed(callbackBody('job1')).headers }, 401],
		['another job, signed for this wait', signed(callbackBody('job2')), 401],
		['signed JSON that is not an object', signed('[1]'), 400],
		['signed text that is not JSON', signed('oops'), 400],
		['signed JSON without a jobId', signed('{"status":"completed"}'), 400],
	])('%s', async (_, init, status) => {
		const { result, answered, stackNode } = await answer((ctx) => pdfGorillaWebhook.call(ctx), { waiting: { jobId: 'job1' }, ...init });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(answered.status).toBe(status);
		expect(JSON.stringify(answered.body)).not.toMatch(/job|secret|signature/i);
		expect(stackNode!.disabled).toBe(true);
	});

	test('the genuine callback of an earlier wait in the same execution (a loop) gets 401 before anything is written', async () => {
		// Wait 1 gave PDF Gorilla its nonce and secret; its callback, signed with that secret, is replayed during wait 2.
		const earlierSecret = callbackSecret(API_KEY, SCOPE, EXECUTION_ID, NODE.id, EARLIER_NONCE);
		const replay = { ...signed(callbackBody('job1'), earlierSecret), query: { [WAIT_NONCE_PARAMETER]: EARLIER_NONCE } };
		const { result, answered, stackNode } = await answer((ctx) => pdfGorillaWebhook.call(ctx), { waiting: { jobId: 'job2' }, ...replay });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(answered.status).toBe(401);
		expect(stackNode!.disabled).toBe(true);
	});

	test("a callback signed for an earlier wait but sent with this wait's nonce gets 401", async () => {
		const earlierSecret = callbackSecret(API_KEY, SCOPE, EXECUTION_ID, NODE.id, EARLIER_NONCE);
		const { answered } = await answer((ctx) => pdfGorillaWebhook.call(ctx), { waiting: { jobId: 'job2' }, ...signed(callbackBody('job2'), earlierSecret) });
		expect(answered.status).toBe(401);
	});

	test.each([
		['a credential without an API key', { apiKey: '', baseUrl: '' }],
		['a credential that cannot be read', new Error('Credential not found')],
	])('%s: 503 with Retry-After, and the execution keeps waiting', async (_, credentials) => {
		const { result, answered } = await answer((ctx) => pdfGorillaWebhook.call(ctx), { waiting: { jobId: 'job1' }, credentials, ...signed(callbackBody('job1')) });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(answered.status).toBe(503);
		expect(answered.headers['retry-after']).toBe('30');
	});

	test('an unexpected failure while deciding is a 503, not a throw', async () => {
		const parts = callback({ waiting: { jobId: 'job1' }, ...signed(callbackBody('job1')) });
		parts.ctx.evaluateExpression = (() => {
			throw new Error('expression engine unavailable');
		}) as never;
		expect(await pdfGorillaWebhook.call(parts.ctx)).toEqual({ noWebhookResponse: true });
		expect(parts.written.map((w) => w.status)).toEqual([503]);
	});

	test.each(['completed', 'failed', 'canceled'])('a genuine callback for this wait (%s) resumes the execution, answered 200 only after every check', async (status) => {
		const { result, answered, stackNode } = await answer((ctx) => pdfGorillaWebhook.call(ctx), { waiting: { jobId: 'job1' }, ...signed(callbackBody('job1', status)) });
		expect(answered).toMatchObject({ status: 200, body: { received: true } });
		expect(result.noWebhookResponse).toBe(true);
		expect(result.workflowData).toHaveLength(1);
		const [[item]] = result.workflowData!;
		expect(item.pairedItem).toEqual({ item: 0 });
		const carried = item.json[RESUME_FIELD] as { record: string; proof: string };
		expect(JSON.parse(carried.record)).toMatchObject({ jobId: 'job1', status });
		// n8n disabled the node for the resume; re-enabled, it runs execute() on the resumed run.
		expect(stackNode!.disabled).toBe(false);
	});

	test('an n8n whose webhook context holds no execution stack entry: 503 and an error in the log, never a resume without execute()', async () => {
		const { result, answered, logger } = await answer((ctx) => pdfGorillaWebhook.call(ctx), { waiting: { jobId: 'job1' }, stackNode: null, ...signed(callbackBody('job1')) });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(answered.status).toBe(503);
		expect(logger.error).toHaveBeenCalled();
	});

	test("a stack entry for another node is not touched", async () => {
		const { result, stackNode } = await answer((ctx) => pdfGorillaWebhook.call(ctx), { waiting: { jobId: 'job1' }, stackNode: { name: 'Other', disabled: true }, ...signed(callbackBody('job1')) });
		expect(result.workflowData).toBeUndefined();
		expect(stackNode!.disabled).toBe(true);
	});
});

describe('DocGenLab Generate and Wait: only what the API confirms for this wait resumes it', () => {
	const DOC = 'doc-1';
	const credentials = { apiKey: 'dgl_unit_key', baseUrl: '' };
	const apiAnswer = (status: string, statusCode = 200) => ({ statusCode, body: { id: DOC, status, template_id: 'tpl', error_message: status === 'failed' ? 'Unknown field' : null } });
	const body = (jobId?: string) => JSON.stringify({ event: 'document.generated', job_id: jobId, status: 'completed', download_url: 'https://evil.example/forged.pdf' });

	beforeEach(() => resetConfirmationState());

	test.each([
		['another document', body('doc-2'), 401],
		['no document', body(undefined), 401],
		['not JSON', 'nope', 400],
	])('%s: refused before any API call', async (_, text, status) => {
		const { answered, api, getCredentials, result } = await answer((ctx) => docGenLabWebhook.call(ctx), { waiting: { documentId: DOC }, body: text, credentials });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(answered.status).toBe(status);
		expect(api).not.toHaveBeenCalled();
		expect(getCredentials).not.toHaveBeenCalled();
	});

	test("a waiting node without a document ID (not this operation's wait): 409", async () => {
		const { answered } = await answer((ctx) => docGenLabWebhook.call(ctx), { waiting: {}, body: body(DOC), credentials });
		expect(answered.status).toBe(409);
	});

	test.each([
		['the API still renders the document', jest.fn(async () => apiAnswer('processing')), 409],
		['the API does not know the document', jest.fn(async () => ({ statusCode: 404, body: {} })), 409],
		['the API answers for another document', jest.fn(async () => ({ statusCode: 200, body: { id: 'doc-9', status: 'ready' } })), 409],
		['the API fails', jest.fn(async () => ({ statusCode: 500, body: {} })), 503],
		['the API does not answer in time', jest.fn(async () => Promise.reject(new Error('timeout'))), 503],
	])('%s: the execution keeps waiting', async (_, api, status) => {
		const { answered, result } = await answer((ctx) => docGenLabWebhook.call(ctx), { waiting: { documentId: DOC }, body: body(DOC), credentials, api });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(answered.status).toBe(status);
		expect(api).toHaveBeenCalledTimes(1);
		expect((api.mock.calls[0] as unknown[])[1]).toMatchObject({ method: 'GET', url: `https://api.docgenlab.com/api/v1/documents/${DOC}`, timeout: 3500 });
	});

	test('no credential: 503', async () => {
		const { answered } = await answer((ctx) => docGenLabWebhook.call(ctx), { waiting: { documentId: DOC }, body: body(DOC), credentials: new Error('none') });
		expect(answered.status).toBe(503);
	});

	test.each(['ready', 'failed'])('the API reports the document %s: resumed with the API\'s document, not the callback\'s link', async (status) => {
		const api = jest.fn(async () => apiAnswer(status));
		const { answered, result, stackNode } = await answer((ctx) => docGenLabWebhook.call(ctx), { waiting: { documentId: DOC }, body: body(DOC), credentials, api });
		expect(answered).toMatchObject({ status: 200, body: { received: true } });
		const carried = result.workflowData![0][0].json[RESUME_FIELD] as { record: string };
		expect(JSON.parse(carried.record)).toEqual(apiAnswer(status).body);
		expect(carried.record).not.toContain('evil.example');
		expect(stackNode!.disabled).toBe(false);
	});

	test("checks come from a budget: a flood from one address cannot use up the calls another address's callback needs", async () => {
		const api = jest.fn(async () => apiAnswer('processing'));
		const statuses: number[] = [];
		// 4 callbacks a second for 60 s from one address, naming the right document (the resume URL leaked).
		const now = jest.spyOn(Date, 'now');
		try {
			for (let tick = 0; tick < 240; tick++) {
				now.mockReturnValue(1_750_000_000_000 + tick * 250);
				const { answered } = await answer((ctx) => docGenLabWebhook.call(ctx), { waiting: { documentId: DOC }, body: body(DOC), credentials, api, ip: '198.51.100.9' });
				statuses.push(answered.status);
			}
			const calls = api.mock.calls.length;
			// Never more than the budget in a minute, and at most half of it for one address.
			expect(calls).toBeLessThanOrEqual(CALLBACK_CHECKS_PER_MINUTE);
			expect(calls).toBe(CALLBACK_CHECKS_PER_MINUTE / 2);
			expect(statuses.filter((s) => s === 503)).toHaveLength(240 - calls);
			// DocGenLab's own callback, from another address, in the middle of the flood.
			api.mockImplementation(async () => apiAnswer('ready'));
			const genuine = await answer((ctx) => docGenLabWebhook.call(ctx), { waiting: { documentId: DOC }, body: body(DOC), credentials, api, ip: '34.120.1.2' });
			expect(genuine.answered.status).toBe(200);
		} finally {
			now.mockRestore();
		}
	});
});

/** The resume item the webhook hands n8n for a record, made by the real webhook. */
async function resumeItemFor(service: 'pdfGorilla' | 'docGenLab', init: CallbackInit): Promise<IDataObject> {
	const run = service === 'pdfGorilla' ? pdfGorillaWebhook : docGenLabWebhook;
	const { result } = await answer((ctx) => run.call(ctx), init);
	expect(result.workflowData).toBeDefined();
	return result.workflowData![0][0].json;
}

describe('PDF Gorilla Generate and Wait: the resumed run finishes the job', () => {
	const node = new PdfGorilla();
	const parameters = { resource: 'pdf', operation: 'generateAndWait' };
	const credentials = { apiKey: API_KEY, webhookSecret: '', baseUrl: '' };
	const resumeFor = async (status: string, extra: IDataObject = {}) =>
		await resumeItemFor('pdfGorilla', { waiting: { jobId: 'job1' }, ...signed(callbackBody('job1', status, extra)) });

	test('completed: the PDF from the signed callback\'s link, with the job\'s fields', async () => {
		const { output, requests } = await runAction({ node, parameters, items: [await resumeFor('completed')], credentials, executionId: EXECUTION_ID, responses: [pdf] });
		expect(requests.map((r) => r.options.url)).toEqual([PDF_LINK]);
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ jobId: 'job1', status: 'completed', download: { mimeType: 'application/pdf', bytes: PDF_BYTES.length } });
		expect(output[0].json).not.toHaveProperty(RESUME_FIELD);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].binary?.data).toBeDefined();
	});

	test.each(['failed', 'canceled', 'expired'])('%s: the node\'s error, naming the job and the service\'s reason, and nothing is downloaded', async (status) => {
		const items = [await resumeFor(status, { error: { code: 'TEMPLATE_ERROR', message: 'Unknown field total' } })];
		const { error, requests } = await runActionError({ node, parameters, items, credentials, executionId: EXECUTION_ID });
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toBe(`PDF Gorilla job job1 ended ${status}, so there is no PDF`);
		expect(error.description).toBe('TEMPLATE_ERROR: Unknown field total');
		expect(requests).toHaveLength(0);
	});

	test('failed, with On Error set to continue: one error item, no file', async () => {
		const { output } = await runAction({ node, parameters, items: [await resumeFor('failed')], credentials, executionId: EXECUTION_ID, continueOnFail: true });
		expect(output).toEqual([{ json: { error: 'PDF Gorilla job job1 ended failed, so there is no PDF', message: 'PDF Gorilla job job1 ended failed, so there is no PDF' }, pairedItem: { item: 0 } }]);
	});

	test('a download that fails: the node\'s error naming PDF Gorilla and the status', async () => {
		const items = [await resumeFor('completed')];
		const { error } = await runActionError({ node, parameters, items, credentials, executionId: EXECUTION_ID, responses: Array.from({ length: 6 }, () => ({ status: 500 })) });
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toContain('PDF Gorilla');
		expect(error.message).toContain('500');
	});

	test.each([
		['made upstream (no valid proof)', (json: IDataObject) => ({ [RESUME_FIELD]: { ...(json[RESUME_FIELD] as IDataObject), proof: '0'.repeat(64) } }), EXECUTION_ID],
		['made for another execution', (json: IDataObject) => json, '315'],
		['a record edited after the callback', (json: IDataObject) => {
			const carried = json[RESUME_FIELD] as { record: string; proof: string };
			return { [RESUME_FIELD]: { ...carried, record: carried.record.replace('job1', 'job7') } };
		}, EXECUTION_ID],
		['not an object', () => ({ [RESUME_FIELD]: 'job1' }), EXECUTION_ID],
	])('a resume field %s is an error, and no job is downloaded or started', async (_, edit, executionId) => {
		const items = [edit(await resumeFor('completed'))];
		const { error, requests } = await runActionError({ node, parameters, items, credentials, executionId });
		expect(error.message).toContain(`"${RESUME_FIELD}"`);
		expect(requests).toHaveLength(0);
	});

	test('a resume field on one of several items is an error too', async () => {
		const resume = await resumeFor('completed');
		const { error, requests } = await runActionError({ node, parameters, items: [resume, { orderId: 'A' }], credentials, executionId: EXECUTION_ID });
		expect(error.message).toContain(RESUME_FIELD);
		expect(requests).toHaveLength(0);
	});
});

describe('DocGenLab Generate and Wait: the resumed run finishes the document', () => {
	const node = new DocGenLab();
	const parameters = { resource: 'document', operation: 'generateAndWait', outputFormat: 'pdf' };
	const credentials = { apiKey: 'dgl_unit_key', baseUrl: '' };
	const resumeFor = async (status: string) => {
		resetConfirmationState();
		const api = jest.fn(async () => ({ statusCode: 200, body: { id: 'doc-1', status, error_message: status === 'failed' ? 'Unknown field' : null } }));
		return await resumeItemFor('docGenLab', { waiting: { documentId: 'doc-1' }, body: JSON.stringify({ job_id: 'doc-1' }), credentials, api });
	};

	test('ready: the file through the API by the confirmed ID', async () => {
		const { output, requests } = await runAction({ node, parameters, items: [await resumeFor('ready')], credentials, executionId: EXECUTION_ID, responses: [pdf] });
		expect(requests.map((r) => r.options.url)).toEqual(['https://api.docgenlab.com/api/v1/documents/doc-1/download']);
		expect(output[0].json).toMatchObject({ id: 'doc-1', documentId: 'doc-1', status: 'ready', download: { mimeType: 'application/pdf' } });
		expect(output[0].binary?.data).toBeDefined();
	});

	test('failed: the node\'s error naming the document and DocGenLab\'s message', async () => {
		const { error, requests } = await runActionError({ node, parameters, items: [await resumeFor('failed')], credentials, executionId: EXECUTION_ID });
		expect(error.message).toBe('DocGenLab document doc-1 ended failed, so there is no file');
		expect(error.description).toBe('Unknown field');
		expect(requests).toHaveLength(0);
	});

	test('a download that fails: the node\'s error naming DocGenLab', async () => {
		const { error } = await runActionError({ node, parameters, items: [await resumeFor('ready')], credentials, executionId: EXECUTION_ID, responses: [json({ detail: 'Not found' }, 404)] });
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toContain('DocGenLab');
	});
});
