/**
 * PDF-Sign Trigger at the node level (pdfsign-webhooks.txt, API-NOTES.md): the webhook's
 * secret itself in X-Webhook-Secret (no HMAC), plus X-Webhook-Event and X-Webhook-Timestamp.
 */
import { NodeOperationError } from 'n8n-workflow';

import { PdfSignTrigger } from '../../../nodes/PdfSign/PdfSignTrigger.node';
import { atTimeOfVectors, expectAcknowledged, expectNoLeak, expectRejected, expectStarted, newWorkflowId, runWebhook } from './context';
import {
	ALL_SECRETS,
	CURRENT_SECRET,
	PDF_SIGN_CREDENTIALS,
	PDF_SIGN_FAILED,
	PDF_SIGN_GENERATED,
	PDF_SIGN_QUOTA_EXCEEDED,
	PDF_SIGN_QUOTA_WARNING,
	PDF_SIGN_TEST,
	PREVIOUS_SECRET,
	UNRELATED_SECRET,
	buf,
	json,
	pdfSignRequest,
} from './vectors';

const trigger = new PdfSignTrigger();

// The docs' example payloads are stamped 2024-01-15: the tests run at that time (replay window).
atTimeOfVectors('2024-01-15T10:35:00.000Z');
const TIMESTAMP = '2024-01-15T10:30:45.123Z';

const GENERATED_ITEM = {
	event: 'pdf.generated',
	timestamp: TIMESTAMP,
	succeeded: true,
	templateId: '550e8400-e29b-41d4-a716-446655440000',
	downloadUrl: 'https://api.pdf-sign.com/storage/v1/object/public/pdfs/user-id/template-id/1705312245123.pdf',
	storagePath: 'user-id/template-id/1705312245123.pdf',
	fileSize: 156789,
	renderTimeMs: 2450,
	variables: { clientName: 'John Doe', invoiceNumber: 'INV-2024-001', amount: '1500.00' },
	createdAt: TIMESTAMP,
	errorCode: null,
	errorMessage: null,
	payload: json(PDF_SIGN_GENERATED),
};
const FAILED_ITEM = {
	event: 'pdf.failed',
	timestamp: TIMESTAMP,
	succeeded: false,
	templateId: '550e8400-e29b-41d4-a716-446655440000',
	variables: { clientName: 'John Doe' },
	errorCode: 'RENDER_FAILED',
	errorMessage: 'Failed to render PDF: Template contains invalid HTML',
	payload: json(PDF_SIGN_FAILED),
};
const WARNING_ITEM = {
	event: 'quota.warning',
	timestamp: TIMESTAMP,
	currentUsage: 240,
	quotaLimit: 300,
	percentage: 80,
	subscriptionPlan: 'starter',
	payload: json(PDF_SIGN_QUOTA_WARNING),
};
const EXCEEDED_ITEM = {
	event: 'quota.exceeded',
	timestamp: TIMESTAMP,
	currentUsage: 300,
	quotaLimit: 300,
	percentage: null,
	subscriptionPlan: 'starter',
	payload: json(PDF_SIGN_QUOTA_EXCEEDED),
};
const TEST_ITEM = { event: 'test', isTest: true, timestamp: TIMESTAMP, payload: json(PDF_SIGN_TEST) };

describe('PDF-Sign Trigger: genuine deliveries', () => {
	test.each([
		['pdf.generated', PDF_SIGN_GENERATED, GENERATED_ITEM],
		['pdf.failed', PDF_SIGN_FAILED, FAILED_ITEM],
		['quota.warning', PDF_SIGN_QUOTA_WARNING, WARNING_ITEM],
		['quota.exceeded', PDF_SIGN_QUOTA_EXCEEDED, EXCEEDED_ITEM],
	])('%s', async (_event, body, item) => {
		expectStarted(await runWebhook(trigger, { credentials: PDF_SIGN_CREDENTIALS(), request: pdfSignRequest(body) }), [item]);
	});

	test('test: starts while the editor listens', async () => {
		expectStarted(await runWebhook(trigger, { mode: 'manual', credentials: PDF_SIGN_CREDENTIALS(), request: pdfSignRequest(PDF_SIGN_TEST) }), [TEST_ITEM]);
	});

	test('test: acknowledged as test_event in production', async () => {
		expectAcknowledged(await runWebhook(trigger, { credentials: PDF_SIGN_CREDENTIALS(), request: pdfSignRequest(PDF_SIGN_TEST) }), 'test_event');
	});

	test('test: starts in production with Accept Test Events in Production', async () => {
		const run = await runWebhook(trigger, {
			parameters: { options: { acceptTestEventsInProduction: true } },
			credentials: PDF_SIGN_CREDENTIALS(),
			request: pdfSignRequest(PDF_SIGN_TEST),
		});
		expectStarted(run, [TEST_ITEM]);
	});

	test('test with a wrong secret is 401 even in manual mode (authenticity first)', async () => {
		const run = await runWebhook(trigger, { mode: 'manual', credentials: PDF_SIGN_CREDENTIALS(), request: pdfSignRequest(PDF_SIGN_TEST, UNRELATED_SECRET) });
		expectRejected(run, 401);
	});

	test('event and timestamp fall back to X-Webhook-Event / X-Webhook-Timestamp when the body has none', async () => {
		const body = JSON.stringify({ data: json(PDF_SIGN_QUOTA_WARNING).data });
		const request = pdfSignRequest(body, CURRENT_SECRET, { headers: { 'X-Webhook-Event': 'quota.warning', 'X-Webhook-Timestamp': '2024-01-15T10:34:00.000Z' } });
		const run = await runWebhook(trigger, { credentials: PDF_SIGN_CREDENTIALS(), request });
		expectStarted(run, [{ ...WARNING_ITEM, timestamp: '2024-01-15T10:34:00.000Z', payload: json(body) }]);
	});
});

describe('PDF-Sign Trigger: X-Webhook-Secret', () => {
	test('the exact secret → starts', async () => {
		expectStarted(await runWebhook(trigger, { credentials: PDF_SIGN_CREDENTIALS(), request: pdfSignRequest(PDF_SIGN_GENERATED) }), [GENERATED_ITEM]);
	});

	test('rotation: the previous secret is accepted while it is configured', async () => {
		const credentials = PDF_SIGN_CREDENTIALS({ previousWebhookSecret: PREVIOUS_SECRET });
		expectStarted(await runWebhook(trigger, { credentials, request: pdfSignRequest(PDF_SIGN_GENERATED, PREVIOUS_SECRET) }), [GENERATED_ITEM]);
	});

	const wrong: Array<[string, string | undefined, string]> = [
		['another secret', UNRELATED_SECRET, 'Missing or invalid x-webhook-secret header'],
		['the previous secret, none configured', PREVIOUS_SECRET, 'Missing or invalid x-webhook-secret header'],
		['the secret truncated by one character', CURRENT_SECRET.slice(0, -1), 'Missing or invalid x-webhook-secret header'],
		['the secret with one more character', CURRENT_SECRET + 'x', 'Missing or invalid x-webhook-secret header'],
		['the secret in upper case', CURRENT_SECRET.toUpperCase(), 'Missing or invalid x-webhook-secret header'],
		['an empty header', '', 'Missing or invalid x-webhook-secret header'],
		['no header', undefined, 'Missing or invalid x-webhook-secret header'],
	];
	test.each(wrong)('%s → 401', async (_name, secret, message) => {
		const request = pdfSignRequest(PDF_SIGN_GENERATED, CURRENT_SECRET);
		const headers = { ...request.headers };
		delete headers['X-Webhook-Secret'];
		if (secret !== undefined) headers['x-webhook-secret'] = secret;
		const run = await runWebhook(trigger, { credentials: PDF_SIGN_CREDENTIALS(), request: { ...request, headers } });
		expectRejected(run, 401, message);
		expectNoLeak(run, ALL_SECRETS);
	});

	test('the secret sent as Authorization: Bearer instead → 401', async () => {
		const run = await runWebhook(trigger, {
			credentials: PDF_SIGN_CREDENTIALS(),
			request: { rawBody: buf(PDF_SIGN_GENERATED), headers: { authorization: `Bearer ${CURRENT_SECRET}` } },
		});
		expectRejected(run, 401);
	});

	test('credential with an empty secret → 401 in production, NodeOperationError in manual mode', async () => {
		const credentials = PDF_SIGN_CREDENTIALS({ webhookSecret: '' });
		const emptySecretRequest = pdfSignRequest(PDF_SIGN_GENERATED, '');
		expectRejected(await runWebhook(trigger, { credentials, request: emptySecretRequest }), 401, 'The PDF-Sign credential has no webhook secret');
		await expect(runWebhook(trigger, { mode: 'manual', credentials, request: emptySecretRequest })).rejects.toThrow(NodeOperationError);
	});

	test('no credential selected → 401 / NodeOperationError', async () => {
		expectRejected(await runWebhook(trigger, { request: pdfSignRequest(PDF_SIGN_GENERATED) }), 401, 'Select a PDF-Sign credential');
		await expect(runWebhook(trigger, { mode: 'manual', request: pdfSignRequest(PDF_SIGN_GENERATED) })).rejects.toThrow(NodeOperationError);
	});
});

describe('PDF-Sign Trigger: Maximum Event Age', () => {
	const maxAge = (seconds: number) => ({ options: { maxTimestampAgeSeconds: seconds } });
	/** The docs' pdf.generated without its body timestamp, so X-Webhook-Timestamp decides. */
	const at = (timestamp: string | undefined) => {
		const { timestamp: _inBody, ...rest } = json(PDF_SIGN_GENERATED);
		const request = pdfSignRequest(JSON.stringify(rest));
		const headers = { ...request.headers };
		delete headers['X-Webhook-Timestamp'];
		if (timestamp !== undefined) headers['x-webhook-timestamp'] = timestamp;
		return { ...request, headers };
	};
	const iso = (offsetSeconds: number) => new Date(Date.now() + offsetSeconds * 1000).toISOString();
	const expectRunning = (run: Awaited<ReturnType<typeof runWebhook>>) => {
		expect(run.result.webhookResponse).toEqual({ received: true });
		expect(run.result.workflowData?.[0]).toHaveLength(1);
	};

	test('fresh (ISO 8601) → starts', async () => {
		expectRunning(await runWebhook(trigger, { parameters: maxAge(300), credentials: PDF_SIGN_CREDENTIALS(), request: at(iso(-5)) }));
	});

	test('fresh (unix seconds and milliseconds) → starts', async () => {
		const seconds = String(Math.floor(Date.now() / 1000));
		const millis = String(Date.now());
		expectRunning(await runWebhook(trigger, { parameters: maxAge(300), credentials: PDF_SIGN_CREDENTIALS(), request: at(seconds) }));
		expectRunning(await runWebhook(trigger, { parameters: maxAge(300), credentials: PDF_SIGN_CREDENTIALS(), request: at(millis) }));
	});

	test('too old → 401', async () => {
		const run = await runWebhook(trigger, { parameters: maxAge(300), credentials: PDF_SIGN_CREDENTIALS(), request: at(iso(-600)) });
		expectRejected(run, 401, 'is older than Maximum Event Age (300 s)');
	});

	test('too far in the future → 401', async () => {
		const run = await runWebhook(trigger, { parameters: maxAge(300), credentials: PDF_SIGN_CREDENTIALS(), request: at(iso(600)) });
		expectRejected(run, 401, 'is further in the future than Maximum Event Age (300 s)');
	});

	test('missing → 401', async () => {
		const run = await runWebhook(trigger, { parameters: maxAge(300), credentials: PDF_SIGN_CREDENTIALS(), request: at(undefined) });
		expectRejected(run, 401, 'has no timestamp');
	});

	test('unparseable → 401', async () => {
		const run = await runWebhook(trigger, { parameters: maxAge(300), credentials: PDF_SIGN_CREDENTIALS(), request: at('yesterday') });
		expectRejected(run, 401, 'has a timestamp that cannot be read');
	});

	test('on by default (1 hour); 0 turns it off', async () => {
		expectRunning(await runWebhook(trigger, { credentials: PDF_SIGN_CREDENTIALS(), request: at(iso(-3500)) }));
		expectRejected(await runWebhook(trigger, { credentials: PDF_SIGN_CREDENTIALS(), request: at(iso(-3700)) }), 401, 'Maximum Event Age (3600 s)');
		expectRunning(await runWebhook(trigger, { parameters: maxAge(0), credentials: PDF_SIGN_CREDENTIALS(), request: at('2020-01-15T10:30:45.123Z') }));
		expectRunning(await runWebhook(trigger, { parameters: maxAge(0), credentials: PDF_SIGN_CREDENTIALS(), request: at(undefined) }));
	});

	test('the body\'s timestamp wins over the header', async () => {
		const request = pdfSignRequest(PDF_SIGN_GENERATED, CURRENT_SECRET, { headers: { 'X-Webhook-Timestamp': iso(0) } });
		const stale = { ...request, headers: { ...request.headers, 'X-Webhook-Timestamp': iso(0) } };
		// The body says 2024-01-15T10:30:45Z: two hours before "now" it is refused whatever the header says.
		const later = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2024-01-15T12:30:45.123Z'));
		try {
			expectRejected(await runWebhook(trigger, { credentials: PDF_SIGN_CREDENTIALS(), request: stale }), 401, 'is older than');
		} finally {
			later.mockReturnValue(Date.parse('2024-01-15T10:35:00.000Z'));
		}
	});

	test('the secret is checked before the timestamp: a fresh timestamp does not help a wrong secret', async () => {
		const request = { ...at(iso(0)), headers: { ...at(iso(0)).headers, 'X-Webhook-Secret': UNRELATED_SECRET } };
		expectRejected(await runWebhook(trigger, { parameters: maxAge(300), credentials: PDF_SIGN_CREDENTIALS(), request }), 401, 'x-webhook-secret');
	});
});

describe('PDF-Sign Trigger: hostile bodies', () => {
	const cases: Array<[string, Buffer, string | RegExp]> = [
		['empty body', Buffer.alloc(0), 'Request body is empty'],
		['not JSON', buf('event=pdf.generated'), /^Request body is not valid JSON/],
		['a JSON array', buf('[]'), 'Expected a JSON object but the request body is an array'],
		['a JSON string', buf('"pdf.generated"'), 'Expected a JSON object but the request body is a string'],
		['no event (body or header)', buf('{"data": {}}'), 'Not a PDF-Sign event: event is missing'],
		['pdf.generated without data', buf('{"event": "pdf.generated"}'), 'Not a PDF-Sign event: data is missing or not an object'],
		['pdf.failed with data an array', buf('{"event": "pdf.failed", "data": []}'), 'data is missing or not an object'],
		['quota.warning without data', buf('{"event": "quota.warning"}'), 'data is missing or not an object'],
		['pdf.generated without pdf_url', buf('{"event": "pdf.generated", "data": {"template_id": "t"}}'), 'Not a PDF-Sign event: data.pdf_url is missing'],
	];

	test.each(cases)('with the right secret, %s → 400 naming the problem', async (_name, rawBody, message) => {
		// No X-Webhook-Event either, so the header cannot fill in.
		const request = { rawBody, headers: { 'x-webhook-secret': CURRENT_SECRET } };
		expectRejected(await runWebhook(trigger, { credentials: PDF_SIGN_CREDENTIALS(), request }), 400, message);
	});

	test.each(cases)('without the secret, %s → 401', async (_name, rawBody) => {
		expectRejected(await runWebhook(trigger, { credentials: PDF_SIGN_CREDENTIALS(), request: { rawBody, headers: {} } }), 401, 'x-webhook-secret');
	});

	test('1.5 MB (under the 2 MiB limit) of valid JSON with the right secret starts the workflow', async () => {
		const payload = json(PDF_SIGN_GENERATED);
		const data = payload.data as Record<string, unknown>;
		const body = JSON.stringify({ ...payload, data: { ...data, variables: { notes: 'v'.repeat(1536 * 1024) } } });
		const run = await runWebhook(trigger, { credentials: PDF_SIGN_CREDENTIALS(), request: pdfSignRequest(body) });
		expect(run.result.webhookResponse).toEqual({ received: true });
		expect(run.result.workflowData?.[0][0].json.storagePath).toBe('user-id/template-id/1705312245123.pdf');
	});
});

describe('PDF-Sign Trigger: event filter', () => {
	test('quota events deselected → filtered', async () => {
		const run = await runWebhook(trigger, {
			parameters: { events: ['pdf.generated', 'pdf.failed'] },
			credentials: PDF_SIGN_CREDENTIALS(),
			request: pdfSignRequest(PDF_SIGN_QUOTA_WARNING),
		});
		expectAcknowledged(run, 'filtered');
	});

	test('an unknown event → unknown_event, or passed with Pass Unknown Events', async () => {
		const body = '{"event": "pdf.deleted", "timestamp": "2024-01-15T10:30:45.123Z", "data": {"storage_path": "p"}}';
		expectAcknowledged(await runWebhook(trigger, { credentials: PDF_SIGN_CREDENTIALS(), request: pdfSignRequest(body) }), 'unknown_event');
		const passed = await runWebhook(trigger, { parameters: { options: { passUnknownEvents: true } }, credentials: PDF_SIGN_CREDENTIALS(), request: pdfSignRequest(body) });
		expectStarted(passed, [{ event: 'pdf.deleted', timestamp: TIMESTAMP, data: { storage_path: 'p' }, payload: json(body) }]);
	});
});

describe('PDF-Sign Trigger: dedupe', () => {
	test.each([
		['pdf.generated', PDF_SIGN_GENERATED],
		['pdf.failed', PDF_SIGN_FAILED],
		['quota.warning', PDF_SIGN_QUOTA_WARNING],
		['quota.exceeded', PDF_SIGN_QUOTA_EXCEEDED],
	])('%s delivered twice → duplicate', async (_event, body) => {
		const workflowId = newWorkflowId();
		const init = { workflowId, credentials: PDF_SIGN_CREDENTIALS(), request: pdfSignRequest(body) };
		expect((await runWebhook(trigger, init)).result.workflowData).toHaveLength(1);
		expectAcknowledged(await runWebhook(trigger, init), 'duplicate');
	});

	test('another PDF (other storage path) is not a duplicate', async () => {
		const workflowId = newWorkflowId();
		await runWebhook(trigger, { workflowId, credentials: PDF_SIGN_CREDENTIALS(), request: pdfSignRequest(PDF_SIGN_GENERATED) });
		const other = PDF_SIGN_GENERATED.split('1705312245123').join('1705312299999');
		expect((await runWebhook(trigger, { workflowId, credentials: PDF_SIGN_CREDENTIALS(), request: pdfSignRequest(other) })).result.workflowData).toHaveLength(1);
	});

	test('the test event is never deduplicated', async () => {
		const workflowId = newWorkflowId();
		const init = { workflowId, parameters: { options: { acceptTestEventsInProduction: true } }, credentials: PDF_SIGN_CREDENTIALS(), request: pdfSignRequest(PDF_SIGN_TEST) };
		expectStarted(await runWebhook(trigger, init), [TEST_ITEM]);
		expectStarted(await runWebhook(trigger, init), [TEST_ITEM]);
	});
});
