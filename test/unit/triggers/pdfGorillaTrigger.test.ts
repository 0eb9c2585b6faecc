/**
 * PDF Gorilla Trigger at the node level (pdfgorilla-webhooks.txt): every delivery signed,
 * x-pdfg-signature = hex(HMAC-SHA256(webhookSecret, rawBodyBytes)), x-pdfg-event-id = jobId.
 */
import { NodeOperationError } from 'n8n-workflow';

import { PdfGorillaTrigger } from '../../../nodes/PdfGorilla/PdfGorillaTrigger.node';
import { atTimeOfVectors, expectAcknowledged, expectNoLeak, expectRejected, expectStarted, newWorkflowId, runWebhook } from './context';
import {
	ALL_SECRETS,
	CURRENT_SECRET,
	GORILLA_CREDENTIALS,
	PDF_GORILLA_CANCELED,
	PDF_GORILLA_COMPLETED,
	PDF_GORILLA_FAILED,
	PREVIOUS_SECRET,
	UNRELATED_SECRET,
	buf,
	flipByte,
	flipChar,
	gorillaRequest,
	hmacHex,
	json,
	signaturesOf,
} from './vectors';

const trigger = new PdfGorillaTrigger();

// The docs' example payloads are stamped 2026-04-06: the tests run at that time (replay window).
atTimeOfVectors('2026-04-06T10:05:00.000Z');
const JOB_ID = 'cma1b2c3d4e5f6g7h8i9j0k';

const COMPLETED_ITEM = {
	event: 'completed',
	jobId: JOB_ID,
	status: 'completed',
	succeeded: true,
	downloadUrl: 'https://...',
	expiresAt: '2026-04-13T10:00:00.000Z',
	errorCode: null,
	errorMessage: null,
	timestamp: '2026-04-06T10:01:23.456Z',
	payload: json(PDF_GORILLA_COMPLETED),
};
const FAILED_ITEM = {
	event: 'failed',
	jobId: JOB_ID,
	status: 'failed',
	succeeded: false,
	downloadUrl: null,
	expiresAt: null,
	errorCode: 'RENDER_TIMEOUT',
	errorMessage: 'PDF rendering timed out.',
	timestamp: '2026-04-06T10:01:23.456Z',
	payload: json(PDF_GORILLA_FAILED),
};
const CANCELED_ITEM = {
	event: 'canceled',
	jobId: JOB_ID,
	status: 'canceled',
	succeeded: false,
	downloadUrl: null,
	expiresAt: null,
	errorCode: null,
	errorMessage: null,
	timestamp: '2026-04-06T10:01:23.456Z',
	payload: json(PDF_GORILLA_CANCELED),
};

const BODY = buf(PDF_GORILLA_COMPLETED);
const SIGNATURE = hmacHex('sha256', CURRENT_SECRET, BODY);

describe('PDF Gorilla Trigger: genuine deliveries', () => {
	test.each([
		['completed', PDF_GORILLA_COMPLETED, COMPLETED_ITEM],
		['failed', PDF_GORILLA_FAILED, FAILED_ITEM],
		['canceled', PDF_GORILLA_CANCELED, CANCELED_ITEM],
	])('%s', async (_status, body, item) => {
		expectStarted(await runWebhook(trigger, { credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(body) }), [item]);
	});

	test('upper-case hex in the header is the same signature', async () => {
		const run = await runWebhook(trigger, { credentials: GORILLA_CREDENTIALS(), request: { rawBody: BODY, headers: { 'x-pdfg-signature': SIGNATURE.toUpperCase() } } });
		expectStarted(run, [COMPLETED_ITEM]);
	});

	test('rotation: a job started with the previous secret still verifies', async () => {
		const run = await runWebhook(trigger, {
			credentials: GORILLA_CREDENTIALS({ previousWebhookSecret: PREVIOUS_SECRET }),
			request: gorillaRequest(PDF_GORILLA_COMPLETED, PREVIOUS_SECRET),
		});
		expectStarted(run, [COMPLETED_ITEM]);
	});
});

describe('PDF Gorilla Trigger: forgeries → 401 and nothing started', () => {
	const forgeries: Array<[string, () => { rawBody: Buffer; signature?: string }, string]> = [
		['wrong secret', () => ({ rawBody: BODY, signature: hmacHex('sha256', UNRELATED_SECRET, BODY) }), 'Invalid x-pdfg-signature signature'],
		['one flipped byte in the body', () => ({ rawBody: flipByte(BODY, 40), signature: SIGNATURE }), 'Invalid x-pdfg-signature signature'],
		['one flipped char in the signature', () => ({ rawBody: BODY, signature: flipChar(SIGNATURE, 0) }), 'Invalid x-pdfg-signature signature'],
		['last char of the signature flipped', () => ({ rawBody: BODY, signature: flipChar(SIGNATURE, 63) }), 'Invalid x-pdfg-signature signature'],
		['truncated signature header', () => ({ rawBody: BODY, signature: SIGNATURE.slice(0, 63) }), 'Invalid x-pdfg-signature signature'],
		['half a signature', () => ({ rawBody: BODY, signature: SIGNATURE.slice(0, 32) }), 'Invalid x-pdfg-signature signature'],
		['missing header', () => ({ rawBody: BODY }), 'Missing x-pdfg-signature signature header'],
		['a sha256= prefix PDF Gorilla never sends', () => ({ rawBody: BODY, signature: 'sha256=' + SIGNATURE }), 'Invalid x-pdfg-signature signature'],
		['base64 instead of hex', () => ({ rawBody: BODY, signature: Buffer.from(SIGNATURE, 'hex').toString('base64') }), 'Invalid x-pdfg-signature signature'],
		['signed with the previous secret, none configured', () => ({ rawBody: BODY, signature: hmacHex('sha256', PREVIOUS_SECRET, BODY) }), 'Invalid'],
		['signature over the re-serialised JSON (the docs warn against it)', () => ({ rawBody: BODY, signature: hmacHex('sha256', CURRENT_SECRET, JSON.stringify(json(BODY))) }), 'Invalid'],
		['the body of another job with this job\'s signature', () => ({ rawBody: buf(PDF_GORILLA_FAILED), signature: SIGNATURE }), 'Invalid'],
	];

	test.each(forgeries)('%s', async (_name, make, message) => {
		const { rawBody, signature } = make();
		const headers = { 'x-pdfg-event-id': JOB_ID, ...(signature === undefined ? {} : { 'x-pdfg-signature': signature }) };
		const run = await runWebhook(trigger, { credentials: GORILLA_CREDENTIALS(), request: { rawBody, headers } });
		expectRejected(run, 401, message);
		expectNoLeak(run, [...ALL_SECRETS, ...signaturesOf(BODY), ...signaturesOf(rawBody)]);
	});
});

describe('PDF Gorilla Trigger: credential without webhookSecret → fail closed', () => {
	test.each([
		['empty webhookSecret', GORILLA_CREDENTIALS({ webhookSecret: '' })],
		['no webhookSecret field', { pdfGorillaApi: { apiKey: 'pg_test_key' } }],
	])('%s: 401 in production even with a "signature" computed with an empty key', async (_name, credentials) => {
		const emptyKeySignature = hmacHex('sha256', '', BODY);
		const run = await runWebhook(trigger, { credentials, request: { rawBody: BODY, headers: { 'x-pdfg-signature': emptyKeySignature } } });
		expectRejected(run, 401, 'The PDF Gorilla credential has no webhook secret');
	});

	test('manual mode: NodeOperationError', async () => {
		await expect(
			runWebhook(trigger, { mode: 'manual', credentials: GORILLA_CREDENTIALS({ webhookSecret: '' }), request: gorillaRequest(PDF_GORILLA_COMPLETED) }),
		).rejects.toThrow(NodeOperationError);
	});

	test('no credential at all: 401 / NodeOperationError', async () => {
		expectRejected(await runWebhook(trigger, { request: gorillaRequest(PDF_GORILLA_COMPLETED) }), 401, 'Select a PDF Gorilla credential');
		await expect(runWebhook(trigger, { mode: 'manual', request: gorillaRequest(PDF_GORILLA_COMPLETED) })).rejects.toThrow(NodeOperationError);
	});
});

describe('PDF Gorilla Trigger: hostile bodies', () => {
	const cases: Array<[string, Buffer, string | RegExp]> = [
		['empty body', Buffer.alloc(0), 'Request body is empty'],
		['not JSON', buf('jobId=x&status=completed'), /^Request body is not valid JSON/],
		['a JSON array', buf(`[${PDF_GORILLA_COMPLETED}]`), 'Expected a JSON object but the request body is an array'],
		['a JSON string', buf('"completed"'), 'Expected a JSON object but the request body is a string'],
		['no jobId', buf('{"status": "completed"}'), 'Not a PDF Gorilla event: jobId is missing'],
		['jobId a number', buf('{"jobId": 12, "status": "completed"}'), 'jobId is missing'],
		['no status', buf('{"jobId": "j1"}'), 'Not a PDF Gorilla event: status is missing'],
	];

	test.each(cases)('validly signed %s → 400 naming the problem', async (_name, rawBody, message) => {
		const run = await runWebhook(trigger, { credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(rawBody) });
		expectRejected(run, 400, message);
	});

	test.each(cases)('unsigned %s → 401', async (_name, rawBody) => {
		expectRejected(await runWebhook(trigger, { credentials: GORILLA_CREDENTIALS(), request: { rawBody } }), 401, 'Missing x-pdfg-signature');
	});

	test('1.5 MB (under the 2 MiB limit) of valid, signed JSON starts the workflow', async () => {
		const body = JSON.stringify({ ...json(PDF_GORILLA_COMPLETED), downloadUrl: 'https://pdfgorilla.io/d/' + 'q'.repeat(1536 * 1024) });
		const run = await runWebhook(trigger, { credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(body) });
		expect(run.result.webhookResponse).toEqual({ received: true });
		expect(run.result.workflowData?.[0][0].json.jobId).toBe(JOB_ID);
	});
});

describe('PDF Gorilla Trigger: event filter', () => {
	test('failed deselected → filtered', async () => {
		const run = await runWebhook(trigger, { parameters: { events: ['completed'] }, credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(PDF_GORILLA_FAILED) });
		expectAcknowledged(run, 'filtered');
	});

	test('an unknown status (the API also knows "expired") → unknown_event, or passed', async () => {
		const body = PDF_GORILLA_CANCELED.replace('"canceled"', '"expired"');
		expectAcknowledged(await runWebhook(trigger, { credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(body) }), 'unknown_event');
		const passed = await runWebhook(trigger, { parameters: { options: { passUnknownEvents: true } }, credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(body) });
		expectStarted(passed, [{ ...CANCELED_ITEM, event: 'expired', status: 'expired', payload: json(body) }]);
	});
});

describe('PDF Gorilla Trigger: dedupe', () => {
	test('the same delivery twice → duplicate', async () => {
		const workflowId = newWorkflowId();
		const init = { workflowId, credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(PDF_GORILLA_COMPLETED) };
		expectStarted(await runWebhook(trigger, init), [COMPLETED_ITEM]);
		expectAcknowledged(await runWebhook(trigger, init), 'duplicate');
	});

	test('another job is not a duplicate', async () => {
		const workflowId = newWorkflowId();
		await runWebhook(trigger, { workflowId, credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(PDF_GORILLA_COMPLETED) });
		const other = PDF_GORILLA_COMPLETED.replace(JOB_ID, 'cmzzzzzzzzzzzzzzzzzzzzz');
		expect((await runWebhook(trigger, { workflowId, credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(other) })).result.workflowData).toHaveLength(1);
	});

	test('Deduplicate Retries off: both start', async () => {
		const workflowId = newWorkflowId();
		const init = { workflowId, parameters: { options: { deduplicate: false } }, credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(PDF_GORILLA_COMPLETED) };
		expectStarted(await runWebhook(trigger, init), [COMPLETED_ITEM]);
		expectStarted(await runWebhook(trigger, init), [COMPLETED_ITEM]);
	});

	test('without x-pdfg-event-id the jobId dedupes', async () => {
		const workflowId = newWorkflowId();
		const init = { workflowId, credentials: GORILLA_CREDENTIALS(), request: { rawBody: BODY, headers: { 'x-pdfg-signature': SIGNATURE } } };
		expectStarted(await runWebhook(trigger, init), [COMPLETED_ITEM]);
		expectAcknowledged(await runWebhook(trigger, init), 'duplicate');
	});

	// WEAKNESS (nodes/PdfGorilla/descriptor.ts, recognise): the dedupe key prefers the
	// x-pdfg-event-id header over the jobId in the body. Only the body is signed, so a captured
	// genuine delivery replayed with an altered event-id header passes the signature check AND
	// the dedupe, and starts the workflow again. The docs say the header is "Same as jobId", so
	// keying on the signed jobId loses nothing.
	test('a replay with only the unsigned x-pdfg-event-id header changed is still a duplicate', async () => {
		const workflowId = newWorkflowId();
		const credentials = GORILLA_CREDENTIALS();
		await runWebhook(trigger, { workflowId, credentials, request: gorillaRequest(PDF_GORILLA_COMPLETED) });
		const replay = gorillaRequest(PDF_GORILLA_COMPLETED, CURRENT_SECRET, { headers: { 'x-pdfg-event-id': 'replayed-1' } });
		expectAcknowledged(await runWebhook(trigger, { workflowId, credentials, request: replay }), 'duplicate');
	});
});
