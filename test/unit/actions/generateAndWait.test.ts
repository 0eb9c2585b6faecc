/**
 * The resume webhooks of Generate and Wait, up to the point where a callback is accepted:
 * every rejection answers itself and returns no workflow data, so n8n leaves the execution
 * waiting. (The accepted path, with its download, runs in real n8n: test/e2e/generate-and-wait.)
 */
import { createHmac } from 'node:crypto';

import { mock } from 'jest-mock-extended';
import type { INode, IWebhookFunctions } from 'n8n-workflow';

import { WAIT_NONCE_PARAMETER, callbackSecret } from '../../../core/actions/wait';
import { webhook as docGenLabWebhook } from '../../../nodes/DocGenLab/actions/document/generateAndWait';
import { webhook as pdfGorillaWebhook } from '../../../nodes/PdfGorilla/actions/pdf/generateAndWait';

const NODE: INode = {
	id: '5f0e2a4c-0000-4000-8000-00000000000a',
	name: 'Generate',
	type: 'n8n-nodes-pdf-webhooks.pdfGorilla',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const API_KEY = 'pdfg_unit_key';
const EXECUTION_ID = '314';
const NONCE = 'ab'.repeat(16);
const SECRET = callbackSecret(API_KEY, 'pdfGorilla:pdf:generateAndWait', EXECUTION_ID, NODE.id, NONCE);

function callback(options: { body: string; signature?: string; query?: Record<string, unknown>; waitingJobId?: string; waitingDocumentId?: string }) {
	const response = { status: jest.fn(), json: jest.fn() };
	response.status.mockReturnValue(response);
	const headers: Record<string, string> = {};
	if (options.signature !== undefined) headers['x-pdfg-signature'] = options.signature;
	const getCredentials = jest.fn(async () => ({ apiKey: API_KEY, baseUrl: 'https://api.example.test/v1' }));
	const ctx = mock<IWebhookFunctions>({
		getNode: () => NODE,
		logger: { warn: jest.fn(), info: jest.fn(), debug: jest.fn(), error: jest.fn() } as never,
		getExecutionId: () => EXECUTION_ID,
		getQueryData: () => options.query ?? { [WAIT_NONCE_PARAMETER]: NONCE },
		getHeaderData: () => headers,
		getRequestObject: () => ({ rawBody: Buffer.from(options.body) }) as never,
		getResponseObject: () => response as never,
		getCredentials: getCredentials as never,
		evaluateExpression: ((expression: string) => (expression.includes('documentId') ? options.waitingDocumentId : options.waitingJobId)) as never,
	});
	return { ctx, response, getCredentials };
}

const sign = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');
const completed = (jobId: string) => JSON.stringify({ jobId, status: 'completed', downloadUrl: 'https://pdfgorilla.io/f/x', expiresAt: null, error: null, timestamp: '2026-01-01T00:00:00Z' });

describe('PDF Gorilla Generate and Wait: rejected callbacks keep the execution waiting', () => {
	test.each([
		['no nonce on the URL', { body: completed('job1'), signature: sign(completed('job1')), query: {} }, 401],
		['a malformed nonce', { body: completed('job1'), signature: sign(completed('job1')), query: { [WAIT_NONCE_PARAMETER]: 'x' } }, 401],
		['no signature', { body: completed('job1') }, 401],
		['a signature with another secret', { body: completed('job1'), signature: sign(completed('job1'), 'guessed') }, 401],
		['the credential\'s webhook secret instead of this wait\'s', { body: completed('job1'), signature: sign(completed('job1'), 'credential-webhook-secret') }, 401],
		['a body changed after signing', { body: completed('job1').replace('x', 'y'), signature: sign(completed('job1')) }, 401],
		['another job, signed for this wait', { body: completed('job2'), signature: sign(completed('job2')) }, 401],
		['signed JSON that is not an object', { body: '[1]', signature: sign('[1]') }, 400],
		['signed text that is not JSON', { body: 'oops', signature: sign('oops') }, 400],
		['signed JSON without a jobId', { body: '{"status":"completed"}', signature: sign('{"status":"completed"}') }, 400],
	])('%s', async (_, options, status) => {
		const { ctx, response } = callback({ waitingJobId: 'job1', ...options });
		const result = await pdfGorillaWebhook.call(ctx);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toHaveBeenCalledWith(status);
		expect(JSON.stringify(response.json.mock.calls)).not.toContain('job');
	});

	test('a credential without an API key cannot check the callback: 503, and the execution keeps waiting', async () => {
		const { ctx, response, getCredentials } = callback({ waitingJobId: 'job1', body: completed('job1'), signature: sign(completed('job1')) });
		getCredentials.mockResolvedValueOnce({ apiKey: '', baseUrl: 'https://api.example.test/v1' });
		expect(await pdfGorillaWebhook.call(ctx)).toEqual({ noWebhookResponse: true });
		expect(response.status).toHaveBeenCalledWith(503);
	});

	test('the secret differs for another nonce: a callback signed for an earlier wait fails', async () => {
		const earlier = callbackSecret(API_KEY, 'pdfGorilla:pdf:generateAndWait', EXECUTION_ID, NODE.id, 'cd'.repeat(16));
		const { ctx, response } = callback({ waitingJobId: 'job1', body: completed('job1'), signature: sign(completed('job1'), earlier) });
		expect(await pdfGorillaWebhook.call(ctx)).toEqual({ noWebhookResponse: true });
		expect(response.status).toHaveBeenCalledWith(401);
	});
});

describe('DocGenLab Generate and Wait: callbacks that name another document are refused before any API call', () => {
	test.each([
		['another document', JSON.stringify({ event: 'document.generated', job_id: 'doc-2', status: 'completed' }), 401],
		['no document', JSON.stringify({ event: 'document.generated', status: 'completed' }), 401],
		['not JSON', 'nope', 400],
	])('%s', async (_, body, status) => {
		const { ctx, response, getCredentials } = callback({ waitingDocumentId: 'doc-1', body });
		expect(await docGenLabWebhook.call(ctx)).toEqual({ noWebhookResponse: true });
		expect(response.status).toHaveBeenCalledWith(status);
		expect(getCredentials).not.toHaveBeenCalled();
	});

	test('a waiting node without a document ID (not this operation\'s wait) → 409', async () => {
		const { ctx, response } = callback({ waitingDocumentId: undefined, body: JSON.stringify({ job_id: 'doc-1' }) });
		expect(await docGenLabWebhook.call(ctx)).toEqual({ noWebhookResponse: true });
		expect(response.status).toHaveBeenCalledWith(409);
	});
});
