/**
 * DocGenLab Trigger at the node level: an unsigned `document.generated` POST and a
 * `webhook.test` ping (docgenlab-webhooks.txt), optionally confirmed with
 * GET /documents/{id} (API-NOTES.md).
 */
import { DocGenLabTrigger } from '../../../nodes/DocGenLab/DocGenLabTrigger.node';
import { resetConfirmationState } from '../../../core/delivery/confirmBudget';
import { expectAcknowledged, expectRejected, expectStarted, newWorkflowId, runWebhook } from './context';
import {
	DOCGENLAB_API_CREDENTIALS,
	DOCGENLAB_COMPLETED,
	DOCGENLAB_FAILED,
	DOCGENLAB_TEST,
	buf,
	json,
	plainRequest,
} from './vectors';

const trigger = new DocGenLabTrigger();

const COMPLETED_ITEM = {
	event: 'document.generated',
	jobId: 'abc-123-def-456',
	status: 'completed',
	succeeded: true,
	downloadUrl: 'https://storage.googleapis.com/...',
	templateId: 'template-xyz',
	createdAt: '2024-01-15T10:30:00Z',
	errorCode: null,
	errorMessage: null,
	payload: json(DOCGENLAB_COMPLETED),
};

const FAILED_ITEM = {
	event: 'document.generated',
	jobId: 'abc-123-def-456',
	status: 'failed',
	succeeded: false,
	downloadUrl: null,
	templateId: 'template-xyz',
	createdAt: '2024-01-15T10:30:00Z',
	errorCode: 'failed',
	errorMessage: 'Template rendering failed: missing variable customer_name',
	payload: json(DOCGENLAB_FAILED),
};

const TEST_ITEM = { event: 'webhook.test', isTest: true, message: 'This is a test webhook from DocGenLab', payload: json(DOCGENLAB_TEST) };

describe('DocGenLab Trigger: genuine deliveries', () => {
	test('document.generated, status completed', async () => {
		expectStarted(await runWebhook(trigger, { request: plainRequest(DOCGENLAB_COMPLETED) }), [COMPLETED_ITEM]);
	});

	test('document.generated, status failed', async () => {
		expectStarted(await runWebhook(trigger, { request: plainRequest(DOCGENLAB_FAILED) }), [FAILED_ITEM]);
	});

	test('webhook.test while the editor listens starts the workflow', async () => {
		expectStarted(await runWebhook(trigger, { mode: 'manual', request: plainRequest(DOCGENLAB_TEST) }), [TEST_ITEM]);
	});

	test('webhook.test in production is acknowledged as test_event', async () => {
		expectAcknowledged(await runWebhook(trigger, { request: plainRequest(DOCGENLAB_TEST) }), 'test_event');
	});

	test('webhook.test in production with Accept Test Events in Production starts it', async () => {
		const run = await runWebhook(trigger, { parameters: { options: { acceptTestEventsInProduction: true } }, request: plainRequest(DOCGENLAB_TEST) });
		expectStarted(run, [TEST_ITEM]);
	});

	test('webhook.test ignores the Events filter (it is not one of them) and is never deduplicated', async () => {
		const workflowId = newWorkflowId();
		const init = { workflowId, parameters: { events: [], options: { acceptTestEventsInProduction: true } }, request: plainRequest(DOCGENLAB_TEST) };
		expectStarted(await runWebhook(trigger, init), [TEST_ITEM]);
		expectStarted(await runWebhook(trigger, init), [TEST_ITEM]);
	});
});

describe('DocGenLab Trigger: hostile bodies → 400', () => {
	const cases: Array<[string, Buffer, string | RegExp]> = [
		['empty body', Buffer.alloc(0), 'Request body is empty'],
		['not JSON', buf('<xml/>'), /^Request body is not valid JSON/],
		['a JSON array', buf('[]'), 'Expected a JSON object but the request body is an array'],
		['a JSON string', buf('"document.generated"'), 'Expected a JSON object but the request body is a string'],
		['a JSON number', buf('42'), 'Expected a JSON object but the request body is a number'],
		['no event', buf('{"job_id": "j", "status": "completed"}'), 'Not a DocGenLab event: event is missing'],
		['event not a string', buf('{"event": 1, "job_id": "j", "status": "completed"}'), 'event is missing'],
		['no job_id', buf('{"event": "document.generated", "status": "completed"}'), 'Not a DocGenLab event: job_id is missing'],
		['empty job_id', buf('{"event": "document.generated", "job_id": "", "status": "completed"}'), 'job_id is missing'],
		['no status', buf('{"event": "document.generated", "job_id": "j"}'), 'Not a DocGenLab event: status is missing'],
	];
	test.each(cases)('%s', async (_name, rawBody, message) => {
		expectRejected(await runWebhook(trigger, { request: { rawBody } }), 400, message);
	});

	test('1.5 MB (under the 2 MiB limit) of valid JSON starts the workflow', async () => {
		const body = JSON.stringify({ ...json(DOCGENLAB_COMPLETED), metadata: { template_id: 't', notes: 'y'.repeat(1536 * 1024) } });
		const run = await runWebhook(trigger, { request: plainRequest(body) });
		expect(run.result.webhookResponse).toEqual({ received: true });
		expect(run.result.workflowData?.[0][0].json.jobId).toBe('abc-123-def-456');
	});
});

describe('DocGenLab Trigger: event filter', () => {
	test('document.generated deselected → filtered', async () => {
		expectAcknowledged(await runWebhook(trigger, { parameters: { events: [] }, request: plainRequest(DOCGENLAB_COMPLETED) }), 'filtered');
	});

	test('unknown event → unknown_event, or passed with Pass Unknown Events', async () => {
		const body = '{"event": "document.deleted", "job_id": "abc"}';
		expectAcknowledged(await runWebhook(trigger, { request: plainRequest(body) }), 'unknown_event');
		const passed = await runWebhook(trigger, { parameters: { options: { passUnknownEvents: true } }, request: plainRequest(body) });
		expectStarted(passed, [{ event: 'document.deleted', payload: json(body) }]);
	});
});

describe('DocGenLab Trigger: dedupe', () => {
	test('the same delivery twice (DocGenLab retries after 1, 5, 15 min) → duplicate', async () => {
		const workflowId = newWorkflowId();
		expectStarted(await runWebhook(trigger, { workflowId, request: plainRequest(DOCGENLAB_COMPLETED) }), [COMPLETED_ITEM]);
		expectAcknowledged(await runWebhook(trigger, { workflowId, request: plainRequest(DOCGENLAB_COMPLETED) }), 'duplicate');
	});

	test('the same job_id with another status is a different delivery', async () => {
		const workflowId = newWorkflowId();
		expectStarted(await runWebhook(trigger, { workflowId, request: plainRequest(DOCGENLAB_FAILED) }), [FAILED_ITEM]);
		expectStarted(await runWebhook(trigger, { workflowId, request: plainRequest(DOCGENLAB_COMPLETED) }), [COMPLETED_ITEM]);
	});

	test('Deduplicate Retries off: both start', async () => {
		const workflowId = newWorkflowId();
		const init = { workflowId, parameters: { options: { deduplicate: false } }, request: plainRequest(DOCGENLAB_COMPLETED) };
		expectStarted(await runWebhook(trigger, init), [COMPLETED_ITEM]);
		expectStarted(await runWebhook(trigger, init), [COMPLETED_ITEM]);
	});

	test('static data stays untouched, and the deliveryKey does not carry the job id', async () => {
		const staticData = {};
		const run = await runWebhook(trigger, { staticData, request: plainRequest(DOCGENLAB_COMPLETED) });
		expect(staticData).toEqual({});
		expect(JSON.stringify(run.result.workflowData![0].map((item) => item.json.deliveryKey))).not.toContain('abc-123-def-456');
	});
});

describe('DocGenLab Trigger: Confirm With API', () => {
	const confirmOn = { options: { confirmWithApi: true } };
	const apiAnswers = (statusCode: number, body: unknown = {}) => jest.fn(async () => ({ statusCode, body, headers: {} }));
	// Confirmations of final states are remembered process-wide; every test starts afresh.
	beforeEach(() => resetConfirmationState());
	const ID = 'abc-123-def-456';
	/** What the workflow gets: the API's account of the document, never the body's download_url. */
	const confirmedItem = (document: Record<string, unknown>, status: 'completed' | 'failed') => ({
		event: 'document.generated',
		jobId: ID,
		status,
		succeeded: status === 'completed',
		downloadUrl: null,
		templateId: (document.template_id as string | undefined) ?? null,
		createdAt: (document.created_at as string | undefined) ?? null,
		errorCode: status === 'completed' ? null : 'failed',
		errorMessage: (document.error_message as string | undefined) ?? null,
		confirmed: true,
		payload: document,
	});

	test('the API says ready → starts; the request is GET /documents/{job_id} with the docGenLabApi credential', async () => {
		const document = { id: ID, status: 'ready', template_id: 'template-xyz', created_at: '2024-01-15T10:30:00Z' };
		const api = apiAnswers(200, document);
		const run = await runWebhook(trigger, {
			parameters: confirmOn,
			credentials: DOCGENLAB_API_CREDENTIALS({ baseUrl: 'https://api.docgenlab.com/api/v1/' }),
			httpRequestWithAuthentication: api,
			request: plainRequest(DOCGENLAB_COMPLETED),
		});
		expectStarted(run, [confirmedItem(document, 'completed')]);
		expect(api).toHaveBeenCalledTimes(1);
		expect(api).toHaveBeenCalledWith(
			'docGenLabApi',
			expect.objectContaining({ method: 'GET', url: 'https://api.docgenlab.com/api/v1/documents/abc-123-def-456' }),
		);
		// The 3.5 s budget docs/services.md names, well within DocGenLab's patience.
		const options = (api.mock.calls[0] as unknown[])[1] as { timeout?: number };
		expect(options.timeout).toBe(3500);
	});

	test('a failed event confirmed by status failed → starts', async () => {
		const document = { id: ID, status: 'failed', error_message: 'Template rendering failed: missing variable customer_name' };
		const api = apiAnswers(200, document);
		const run = await runWebhook(trigger, { parameters: confirmOn, credentials: DOCGENLAB_API_CREDENTIALS(), httpRequestWithAuthentication: api, request: plainRequest(DOCGENLAB_FAILED) });
		expectStarted(run, [confirmedItem(document, 'failed')]);
	});

	test.each(['../templates/x?y=1', '..', '%2e%2e', 'a/b'])('a job id that could steer the API path (%s) → 400, the API is not asked', async (jobId) => {
		const api = apiAnswers(200, { id: jobId, status: 'ready' });
		const body = JSON.stringify({ ...json(DOCGENLAB_COMPLETED), job_id: jobId });
		const run = await runWebhook(trigger, { parameters: confirmOn, credentials: DOCGENLAB_API_CREDENTIALS(), httpRequestWithAuthentication: api, request: plainRequest(body) });
		expectRejected(run, 400, 'job_id is not a DocGenLab document ID');
		expect(api).not.toHaveBeenCalled();
	});

	test('the API says queued for a completed event → 401', async () => {
		const api = apiAnswers(200, { id: ID, status: 'queued' });
		const run = await runWebhook(trigger, { parameters: confirmOn, credentials: DOCGENLAB_API_CREDENTIALS(), httpRequestWithAuthentication: api, request: plainRequest(DOCGENLAB_COMPLETED) });
		expectRejected(run, 401, 'DocGenLab did not confirm the event');
	});

	test('the API says ready for a failed event → 401', async () => {
		const api = apiAnswers(200, { id: ID, status: 'ready' });
		const run = await runWebhook(trigger, { parameters: confirmOn, credentials: DOCGENLAB_API_CREDENTIALS(), httpRequestWithAuthentication: api, request: plainRequest(DOCGENLAB_FAILED) });
		expectRejected(run, 401, 'DocGenLab did not confirm the event');
	});

	test('the API answers 404 → 401', async () => {
		const api = apiAnswers(404, { detail: 'Not found' });
		const run = await runWebhook(trigger, { parameters: confirmOn, credentials: DOCGENLAB_API_CREDENTIALS(), httpRequestWithAuthentication: api, request: plainRequest(DOCGENLAB_COMPLETED) });
		expectRejected(run, 401, 'DocGenLab did not confirm the event');
	});

	test.each([500, 429, 502])('the API answers %s → 503 (DocGenLab retries later)', async (statusCode) => {
		const api = apiAnswers(statusCode);
		const run = await runWebhook(trigger, { parameters: confirmOn, credentials: DOCGENLAB_API_CREDENTIALS(), httpRequestWithAuthentication: api, request: plainRequest(DOCGENLAB_COMPLETED) });
		expectRejected(run, 503, `DocGenLab API answered ${statusCode}`);
	});

	test('the API call throws (timeout) → 503', async () => {
		const api = jest.fn(async () => {
			throw Object.assign(new Error('timeout of 3500ms exceeded'), { code: 'ECONNABORTED' });
		});
		const run = await runWebhook(trigger, { parameters: confirmOn, credentials: DOCGENLAB_API_CREDENTIALS(), httpRequestWithAuthentication: api, request: plainRequest(DOCGENLAB_COMPLETED) });
		expectRejected(run, 503, 'did not answer in time');
	});

	test('no API credential selected → 401 naming it (fail closed: a retry cannot fix the setup)', async () => {
		const run = await runWebhook(trigger, { parameters: confirmOn, request: plainRequest(DOCGENLAB_COMPLETED) });
		expectRejected(run, 401, 'no DocGenLab API credential is selected');
		expect(run.httpRequestWithAuthentication).not.toHaveBeenCalled();
	});

	test('after a 503 the retry is not swallowed as a duplicate', async () => {
		const workflowId = newWorkflowId();
		const init = { workflowId, parameters: confirmOn, credentials: DOCGENLAB_API_CREDENTIALS(), request: plainRequest(DOCGENLAB_COMPLETED) };
		expectRejected(await runWebhook(trigger, { ...init, httpRequestWithAuthentication: apiAnswers(500) }), 503);
		const document = { id: ID, status: 'ready' };
		expectStarted(await runWebhook(trigger, { ...init, httpRequestWithAuthentication: apiAnswers(200, document) }), [confirmedItem(document, 'completed')]);
	});

	test('option off: the API is not asked', async () => {
		const run = await runWebhook(trigger, { credentials: DOCGENLAB_API_CREDENTIALS(), request: plainRequest(DOCGENLAB_COMPLETED) });
		expectStarted(run, [COMPLETED_ITEM]);
		expect(run.httpRequestWithAuthentication).not.toHaveBeenCalled();
	});

	test('a filtered event is acknowledged without asking the API', async () => {
		const run = await runWebhook(trigger, {
			parameters: { events: [], options: { confirmWithApi: true } },
			credentials: DOCGENLAB_API_CREDENTIALS(),
			request: plainRequest(DOCGENLAB_COMPLETED),
		});
		expectAcknowledged(run, 'filtered');
		expect(run.httpRequestWithAuthentication).not.toHaveBeenCalled();
	});

	// Regression (fixed in 28af1d5): only the statuses `completed` and `failed` were checked; any
	// other (`ready`, `done` …) was confirmed without asking the API, so a forged document.generated
	// with status "ready" and an attacker's download_url started the workflow. The API can confirm
	// no other status, so such an event is now refused, the same 401 as every unconfirmed one.
	test('a document.generated whose status is neither completed nor failed → 401, without asking the API', async () => {
		const forged = JSON.stringify({ ...json(DOCGENLAB_COMPLETED), status: 'ready', download_url: 'https://storage.googleapis.com/attacker-bucket/invoice.pdf' });
		const api = apiAnswers(200, { id: ID, status: 'ready' });
		const run = await runWebhook(trigger, { parameters: confirmOn, credentials: DOCGENLAB_API_CREDENTIALS(), httpRequestWithAuthentication: api, request: plainRequest(forged) });
		expectRejected(run, 401, 'its status is neither completed nor failed');
		expect(api).not.toHaveBeenCalled();
	});
});

describe('DocGenLab Trigger: no signature, no credential needed', () => {
	test('no credential at all still accepts deliveries (DocGenLab does not sign)', async () => {
		expectStarted(await runWebhook(trigger, { credentials: {}, request: plainRequest(DOCGENLAB_COMPLETED) }), [COMPLETED_ITEM]);
	});
});
