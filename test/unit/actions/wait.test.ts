/**
 * core/actions/wait.ts: which resume URLs a service can call back, the per-wait secret, the
 * nonce on the callback URL, rejections that keep the execution waiting, the timed-out output
 * set before waiting, and bounded polling.
 */
import { mock } from 'jest-mock-extended';
import type { IExecuteData, IExecuteFunctions, INode, IWebhookFunctions } from 'n8n-workflow';

import {
	WAIT_NONCE_PARAMETER,
	WAIT_WEBHOOKS,
	callbackSecret,
	newWaitNonce,
	pollUntilDeadline,
	rawBodyOf,
	timedOutJson,
	unreachableReason,
	waitForCallback,
	waitNonceOf,
	whyPoll,
	withWaitNonce,
} from '../../../core/actions/wait';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => await Promise.resolve()) }));

const NODE: INode = {
	id: '5f0e2a4c-0000-4000-8000-000000000009',
	name: 'PDF Gorilla',
	type: 'n8n-nodes-pdf-webhooks.pdfGorilla',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('unreachableReason', () => {
	test.each([
		'https://n8n.example.com/webhook-waiting/12?signature=abc',
		'https://8.8.8.8/webhook-waiting/12',
		'https://[2606:4700::1111]/webhook-waiting/12',
	])('%s can be called back', (url) => {
		expect(unreachableReason(url)).toBeUndefined();
	});

	test.each([
		['http://n8n.example.com/webhook-waiting/1', 'uses http'],
		['https://localhost:5678/webhook-waiting/1', 'is this machine'],
		['https://app.localhost/webhook-waiting/1', 'is this machine'],
		['https://n8n.local/webhook-waiting/1', 'local network name'],
		['https://n8n.corp.internal/webhook-waiting/1', 'local network name'],
		['https://127.0.0.1:5678/webhook-waiting/1', 'loopback or private network address'],
		['https://10.1.2.3/webhook-waiting/1', 'loopback or private network address'],
		['https://192.168.0.10/webhook-waiting/1', 'loopback or private network address'],
		['https://[::1]/webhook-waiting/1', 'loopback or private network address'],
		['https://n8n/webhook-waiting/1', 'local network name'],
		['not a url', 'not a valid URL'],
	])('%s is not (%s)', (url, why) => {
		expect(unreachableReason(url)).toContain(why);
	});
});

describe('the per-wait secret', () => {
	test('differs by key, scope, execution, node and nonce; is stable for the same inputs', () => {
		const base = callbackSecret('key', 'pdfGorilla', '42', NODE.id, 'a'.repeat(32));
		expect(base).toMatch(/^[0-9a-f]{64}$/);
		expect(callbackSecret('key', 'pdfGorilla', '42', NODE.id, 'a'.repeat(32))).toBe(base);
		const variants = [
			callbackSecret('key2', 'pdfGorilla', '42', NODE.id, 'a'.repeat(32)),
			callbackSecret('key', 'docGenLab', '42', NODE.id, 'a'.repeat(32)),
			callbackSecret('key', 'pdfGorilla', '43', NODE.id, 'a'.repeat(32)),
			callbackSecret('key', 'pdfGorilla', '42', 'other-node', 'a'.repeat(32)),
			callbackSecret('key', 'pdfGorilla', '42', NODE.id, 'b'.repeat(32)),
		];
		expect(new Set([base, ...variants]).size).toBe(6);
	});

	test('fields cannot be shifted into each other', () => {
		expect(callbackSecret('key', 'a', '1\n2', 'n', 'x')).not.toBe(callbackSecret('key', 'a', '1', '2\nn', 'x'));
	});

	test('nonces are fresh', () => {
		const nonces = new Set(Array.from({ length: 50 }, () => newWaitNonce()));
		expect(nonces.size).toBe(50);
		for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{32}$/);
	});
});

function webhookContext(query: Record<string, unknown>, rawBody?: Buffer) {
	const response = { status: jest.fn(), json: jest.fn() };
	response.status.mockReturnValue(response);
	const ctx = mock<IWebhookFunctions>({
		getQueryData: () => query,
		getRequestObject: () => ({ rawBody }) as never,
		getBodyData: () => ({ parsed: true }),
		getResponseObject: () => response as never,
	});
	return { ctx, response };
}

describe('the callback URL', () => {
	test('keeps n8n\'s resume token and adds the nonce', () => {
		const url = new URL(withWaitNonce('https://n8n.example.com/webhook-waiting/7?signature=tok', 'c'.repeat(32)));
		expect(url.searchParams.get('signature')).toBe('tok');
		expect(url.searchParams.get(WAIT_NONCE_PARAMETER)).toBe('c'.repeat(32));
	});

	test('a nonce is read only when well-formed', () => {
		expect(waitNonceOf(webhookContext({ [WAIT_NONCE_PARAMETER]: 'd'.repeat(32) }).ctx)).toBe('d'.repeat(32));
		expect(waitNonceOf(webhookContext({}).ctx)).toBeUndefined();
		expect(waitNonceOf(webhookContext({ [WAIT_NONCE_PARAMETER]: 'D'.repeat(32) }).ctx)).toBeUndefined();
		expect(waitNonceOf(webhookContext({ [WAIT_NONCE_PARAMETER]: ['d'.repeat(32)] }).ctx)).toBeUndefined();
		expect(waitNonceOf(webhookContext({ [WAIT_NONCE_PARAMETER]: 'd'.repeat(31) }).ctx)).toBeUndefined();
	});

	test('the raw body is what the service signed', () => {
		expect(rawBodyOf(webhookContext({}, Buffer.from('{"a" : 1}')).ctx).toString()).toBe('{"a" : 1}');
	});
});

describe('waiting', () => {
	test('the webhook is n8n\'s resume webhook: POST, empty path, restartWebhook', () => {
		expect(WAIT_WEBHOOKS).toEqual([expect.objectContaining({ httpMethod: 'POST', path: '', restartWebhook: true, responseMode: 'onReceived' })]);
	});

	test('waitForCallback stores the timed-out items where n8n passes them on, then waits until the deadline', async () => {
		const executeData = { data: { main: [[{ json: { input: true } }]] }, node: NODE, source: null } as IExecuteData;
		const putExecutionToWait = jest.fn(async () => await Promise.resolve());
		const ctx = mock<IExecuteFunctions>({ getExecuteData: () => executeData, putExecutionToWait });
		const now = 1_750_000_000_000;
		const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
		const waiting = [{ json: { jobId: 'j1', waitingFor: 'callback' }, pairedItem: { item: 0 } }];
		const timedOut = [{ json: timedOutJson('PDF Gorilla', { jobId: 'j1' }, 'job j1', 5000), pairedItem: { item: 0 } }];
		const output = await waitForCallback(ctx, { maxWaitMs: 5000 }, 'PDF Gorilla', { jobId: 'j1' }, 'job j1').finally(() => clock.mockRestore());
		expect(output).toEqual([waiting]);
		expect(executeData.data).toEqual({ main: [timedOut] });
		const [[until]] = putExecutionToWait.mock.calls as unknown as [[Date]];
		expect(until).toEqual(new Date(now + 5000));
	});

	test('timedOutJson keeps the job and says what timed out', () => {
		expect(timedOutJson('PDF Gorilla', { jobId: 'j1', status: 'queued' }, 'job j1', 90_000)).toEqual({
			jobId: 'j1',
			status: 'timedOut',
			timedOut: true,
			error: 'PDF Gorilla: job j1 did not finish within 90 s',
		});
	});

});

describe('pollUntilDeadline', () => {
	test('returns the first value', async () => {
		let calls = 0;
		await expect(pollUntilDeadline(Date.now() + 60_000, async () => (++calls === 3 ? 'done' : undefined))).resolves.toBe('done');
		expect(calls).toBe(3);
	});

	test('gives up (undefined) once the deadline has passed, after one last check', async () => {
		let calls = 0;
		await expect(pollUntilDeadline(Date.now() - 1, async () => (++calls, undefined))).resolves.toBeUndefined();
		expect(calls).toBe(1);
	});
});

describe('whyPoll', () => {
	const context = (items: number, type: string, resumeUrl: string) =>
		mock<IExecuteFunctions>({
			getInputData: () => Array.from({ length: items }, () => ({ json: {} })),
			getNode: () => ({ ...NODE, type }),
			evaluateExpression: (() => resumeUrl) as never,
		});
	const PUBLIC = 'https://n8n.example.com/webhook-waiting/5?signature=t';

	test('one item, the node itself, a public https URL: wait for the callback', () => {
		expect(whyPoll(context(1, NODE.type, PUBLIC))).toBeUndefined();
	});
	test('several items: poll', () => {
		expect(whyPoll(context(2, NODE.type, PUBLIC))).toContain('several input items');
	});
	test('as an AI agent\'s tool: poll', () => {
		expect(whyPoll(context(1, `${NODE.type}Tool`, PUBLIC))).toContain('tool');
	});
	test('n8n on loopback: poll', () => {
		expect(whyPoll(context(1, NODE.type, 'http://127.0.0.1:5678/webhook-waiting/5'))).toContain('loopback or private network address');
	});
});
