/** PDF Gorilla action node, every operation: request shapes, the API key, fresh links, polling, errors, Skip Already Processed. */
import { mock } from 'jest-mock-extended';
import type { IExecuteFunctions } from 'n8n-workflow';

import { CLAIM_MEMORY, claimOnce } from '../../../core/actions/processed';
import { PdfGorilla } from '../../../nodes/PdfGorilla/PdfGorilla.node';
import { PDF_BYTES } from '../fetch/fakeExecute';
import { ProcessedStore, fakeNow, json, runAction, runActionError, shape } from './runAction';

jest.mock('n8n-workflow', () => jest.requireActual<{ mockSleep: () => object }>('./runAction').mockSleep());

const node = new PdfGorilla();
const API = 'https://pdfgorilla.io/api/v1';
const CREDENTIALS = { apiKey: 'pg-key-SECRET', webhookSecret: 'whsec-SECRET', baseUrl: '' };
const EVENT_LINK = 'https://cdn.pdfgorilla.io/jobs/job-1/out.pdf?sig=abc';
const FRESH_LINK = 'https://cdn.pdfgorilla.io/jobs/job-1/out.pdf?sig=fresh';
const pdf = { status: 200, headers: { 'content-type': 'application/pdf' }, body: PDF_BYTES };
const completed = { jobId: 'job-1', status: 'completed', downloadUrl: FRESH_LINK, expiresAt: '2030-01-01T00:00:00Z', error: null };

describe('PDF Gorilla → Job → Get', () => {
	test('GET /jobs/{id} with the API key; the job as the item', async () => {
		const { output, requests } = await runAction({ node, parameters: { resource: 'job', operation: 'get' }, items: [{ jobId: 'job-1' }], credentials: CREDENTIALS, responses: [json(completed)] });
		expect(requests.map((r) => shape(r, ['x-api-key']))).toEqual([
			{ via: 'auth', method: 'GET', url: `${API}/jobs/job-1`, body: undefined, headers: { 'x-api-key': 'pg-key-SECRET' } },
		]);
		expect(output).toEqual([{ json: completed, pairedItem: { item: 0 } }]);
	});

	test('a Job ID that would leave the path fails before any request', async () => {
		const { error, requests } = await runActionError({ node, parameters: { resource: 'job', operation: 'get', jobId: '../templates' }, credentials: CREDENTIALS });
		expect(error.message).toMatch(/Job ID/);
		expect(requests).toHaveLength(0);
	});

	test('a 404 is a NodeApiError naming PDF Gorilla, the status and the advice; GETs are retried on 5xx', async () => {
		const { error, requests } = await runActionError({
			node,
			parameters: { resource: 'job', operation: 'get', jobId: 'job-9' },
			credentials: CREDENTIALS,
			responses: [json({ error: { code: 'NOT_FOUND', message: 'No such job' } }, 404)],
		});
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(/^PDF Gorilla answered HTTP 404/);
		expect(error.description).toMatch(/the ID is wrong/);
		expect(requests).toHaveLength(1);
		const retried = await runAction({ node, parameters: { resource: 'job', operation: 'get', jobId: 'job-1' }, credentials: CREDENTIALS, responses: [json({}, 503), json(completed)] });
		expect(retried.requests).toHaveLength(2);
		expect(retried.sleeps.length).toBeGreaterThan(0);
	});
});

describe('PDF Gorilla → Job → Download File', () => {
	const parameters = { resource: 'job', operation: 'download' };
	const event = { jobId: 'job-1', downloadUrl: EVENT_LINK, deliveryKey: 'pdfGorilla:job-1' };

	test('the event\'s link first, without the API key', async () => {
		const { output, requests } = await runAction({ node, parameters, items: [event], credentials: CREDENTIALS, responses: [pdf] });
		expect(requests.map((r) => shape(r, ['x-api-key']))).toEqual([{ via: 'plain', method: 'GET', url: EVENT_LINK, body: undefined, headers: {} }]);
		expect(output[0].json).toMatchObject({ ...event, download: { fileName: 'job-1.pdf', bytes: PDF_BYTES.length } });
	});

	test.each([401, 403, 404, 410])('an expired link (%i) is replaced by a fresh one from GET /jobs/{id}', async (status) => {
		const { output, requests, logs } = await runAction({ node, parameters, items: [event], credentials: CREDENTIALS, responses: [{ status }, json(completed), pdf] });
		expect(requests.map((r) => [r.via, r.options.url])).toEqual([
			['plain', EVENT_LINK],
			['auth', `${API}/jobs/job-1`],
			['plain', FRESH_LINK],
		]);
		expect(logs.join('\n')).toMatch(new RegExp(`answered ${status}; fetching a fresh one`));
		expect(output[0].binary?.data).toBeDefined();
	});

	test('other failures of the link are not papered over', async () => {
		const { error, requests } = await runActionError({ node, parameters, items: [event], credentials: CREDENTIALS, responses: [{ status: 400 }] });
		expect(error.message).toMatch(/^PDF Gorilla answered HTTP 400/);
		expect(requests).toHaveLength(1);
	});

	test('without a link, the job\'s own; a job that did not complete says why', async () => {
		const failed = { jobId: 'job-1', status: 'failed', downloadUrl: null, error: { code: 'RENDER_ERROR', message: 'Template crashed' } };
		const { error } = await runActionError({ node, parameters, items: [{ jobId: 'job-1' }], credentials: CREDENTIALS, responses: [json(failed)] });
		expect(error.message).toBe('PDF Gorilla job job-1 is failed, so there is no PDF to download');
		expect(error.description).toBe('RENDER_ERROR Template crashed');
	});

	test('Skip Already Processed: the same job from a second delivery is not downloaded again', async () => {
		const processed = new ProcessedStore();
		await runAction({ node, parameters, items: [event], credentials: CREDENTIALS, responses: [pdf], processed, workflowId: 'wf-gorilla' });
		const again = await runAction({ node, parameters, items: [event], credentials: CREDENTIALS, processed, workflowId: 'wf-gorilla' });
		expect(again.output).toEqual([]);
		expect(again.requests).toHaveLength(0);
		expect(again.hints).toEqual([expect.stringMatching(/Skipped job job-1/)]);
	});

	test('by default the editor\'s manual runs are not deduplicated: the same trigger item downloads each time', async () => {
		const processed = new ProcessedStore();
		for (let run = 0; run < 2; run++) {
			const manual = await runAction({ node, parameters, items: [event], credentials: CREDENTIALS, responses: [pdf], processed, workflowId: 'wf-gorilla-manual', mode: 'manual' });
			expect(manual.output).toHaveLength(1);
			expect(manual.requests).toHaveLength(1);
		}
		// The same item in production is claimed once (control: the store would have skipped it).
		await runAction({ node, parameters, items: [event], credentials: CREDENTIALS, responses: [pdf], processed, workflowId: 'wf-gorilla-manual' });
		expect((await runAction({ node, parameters, items: [event], credentials: CREDENTIALS, processed, workflowId: 'wf-gorilla-manual' })).output).toEqual([]);
	});

	test(`with ${CLAIM_MEMORY.capacity.toLocaleString('en')} events of the last hour claimed in this process, a new one fails before any request, for a later retry`, async () => {
		const fillerContext = mock<IExecuteFunctions>();
		fillerContext.getWorkflow.mockReturnValue({ id: 'wf-gorilla-full', active: true });
		// Claimed at the moment the node then runs (runAction's clock), so all are of the last hour.
		const clock = jest.spyOn(Date, 'now').mockReturnValue(fakeNow());
		try {
			for (let i = 0; i < CLAIM_MEMORY.capacity; i++) await claimOnce(fillerContext, { key: `filler:${i}`, persist: false, retryOfFailedDelivery: false });
		} finally {
			clock.mockRestore();
		}
		const { error, requests } = await runActionError({ node, parameters, items: [event], credentials: CREDENTIALS, workflowId: 'wf-gorilla-full' });
		expect(error.message).toBe('Skip Files Already Downloaded holds too many recent files to remember another; the event is left for a later retry');
		expect(requests).toHaveLength(0);
		// Another workflow's memory is its own.
		expect((await runAction({ node, parameters, items: [event], credentials: CREDENTIALS, responses: [pdf], workflowId: 'wf-gorilla-not-full' })).output).toHaveLength(1);
	}, 60_000);

	test('a trigger\'s sample event is refused with a clear error before any request', async () => {
		const { error, requests } = await runActionError({ node, parameters, items: [{ ...event, sample: true }], credentials: CREDENTIALS });
		expect(error.message).toMatch(/sample event, so there is no file to download/);
		expect(error.description).toMatch(/real delivery/);
		expect(requests).toHaveLength(0);
	});

	test('a failed download releases the claim, so the provider\'s retry is downloaded', async () => {
		const processed = new ProcessedStore();
		await runActionError({ node, parameters, items: [event], credentials: CREDENTIALS, responses: [{ status: 400 }], processed, workflowId: 'wf-gorilla-2' });
		expect(processed.has('wf-gorilla-2', 'pdfGorilla:job:job-1')).toBe(false);
		const retry = await runAction({ node, parameters, items: [event], credentials: CREDENTIALS, responses: [pdf], processed, workflowId: 'wf-gorilla-2' });
		expect(retry.output).toHaveLength(1);
	});
});

describe('PDF Gorilla → PDF → Generate', () => {
	test('POST /templates/{id}/generate with the data; the answer is the PDF', async () => {
		const { output, requests } = await runAction({
			node,
			parameters: { resource: 'pdf', operation: 'generate', templateId: 'tpl-1', data: '{"name": "Ada"}', downloadOptions: { fileName: 'ada.pdf' } },
			credentials: CREDENTIALS,
			responses: [pdf],
		});
		expect(requests.map((r) => shape(r, ['x-api-key']))).toEqual([
			{ via: 'auth', method: 'POST', url: `${API}/templates/tpl-1/generate`, body: { data: { name: 'Ada' } }, headers: { 'x-api-key': 'pg-key-SECRET' } },
		]);
		expect(output[0].json).toEqual({ download: expect.objectContaining({ fileName: 'ada.pdf', mimeType: 'application/pdf' }) });
	});

	test('an answer that is not a PDF fails instead of passing it on', async () => {
		const { error } = await runActionError({
			node,
			parameters: { resource: 'pdf', operation: 'generate', templateId: 't', data: '{}' },
			credentials: CREDENTIALS,
			responses: [{ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>oops</html>' }],
		});
		expect(error.message).toBe('PDF Gorilla: the file from PDF Gorilla is not a PDF (it starts with "<html")');
		expect(error.name).toBe('NodeOperationError');
	});

	test('Data that is not JSON fails before any request', async () => {
		const { error, requests } = await runActionError({ node, parameters: { resource: 'pdf', operation: 'generate', templateId: 't', data: '{nope' }, credentials: CREDENTIALS });
		expect(error.message).toBe('The data field is not valid JSON');
		expect(requests).toHaveLength(0);
	});
});

describe('PDF Gorilla → PDF → Generate (Async)', () => {
	const parameters = { resource: 'pdf', operation: 'generateAsync', templateId: 'tpl-1', data: '{"a": 1}' };
	const queued = { jobId: 'job-1', status: 'queued' };

	test('returns the started job at once; the webhook URL goes with the credential\'s secret', async () => {
		const { output, requests } = await runAction({
			node,
			parameters: { ...parameters, webhookUrl: 'https://n8n.example.com/webhook/abc' },
			credentials: CREDENTIALS,
			responses: [json(queued, 202)],
		});
		expect(requests.map((r) => shape(r))).toEqual([
			{
				via: 'auth',
				method: 'POST',
				url: `${API}/templates/tpl-1/generate-async`,
				body: { data: { a: 1 }, webhookUrl: 'https://n8n.example.com/webhook/abc', webhookSecret: 'whsec-SECRET' },
			},
		]);
		expect(output).toEqual([{ json: queued, pairedItem: { item: 0 } }]);
	});

	test('a webhook URL without a secret in the credential fails before any request', async () => {
		const { error, requests } = await runActionError({ node, parameters: { ...parameters, webhookUrl: 'https://n8n.example.com/w' }, credentials: { apiKey: 'k' } });
		expect(error.message).toBe('Set a Webhook Secret in the PDF Gorilla credential to use a Webhook URL');
		expect(requests).toHaveLength(0);
	});

	test('Wait for Completion polls GET /jobs/{id} with growing pauses, then downloads the PDF', async () => {
		const { output, requests, sleeps } = await runAction({
			node,
			parameters: { ...parameters, waitForCompletion: true },
			credentials: CREDENTIALS,
			responses: [json(queued, 202), json({ ...queued, status: 'rendering' }), json({ ...queued, status: 'rendering' }), json(completed), pdf],
		});
		expect(requests.map((r) => `${r.options.method ?? 'GET'} ${r.options.url}`)).toEqual([
			`POST ${API}/templates/tpl-1/generate-async`,
			`GET ${API}/jobs/job-1`,
			`GET ${API}/jobs/job-1`,
			`GET ${API}/jobs/job-1`,
			`GET ${FRESH_LINK}`,
		]);
		expect(sleeps).toEqual([1000, 1500]);
		expect(output[0].json).toMatchObject({ ...completed, download: { fileName: 'job-1.pdf' } });
	});

	test('a job that fails is output as it is; Download Result off outputs the completed job without a file', async () => {
		const failed = { ...queued, status: 'failed', error: { code: 'X' } };
		const first = await runAction({ node, parameters: { ...parameters, waitForCompletion: true }, credentials: CREDENTIALS, responses: [json(queued), json(failed)] });
		expect(first.output).toEqual([{ json: failed, pairedItem: { item: 0 } }]);
		const second = await runAction({
			node,
			parameters: { ...parameters, waitForCompletion: true, downloadResult: false },
			credentials: CREDENTIALS,
			responses: [json(queued), json(completed)],
		});
		expect(second.output).toEqual([{ json: completed, pairedItem: { item: 0 } }]);
	});

	test('giving up after Max Wait Time names the job and what to do', async () => {
		const rendering = json({ ...queued, status: 'rendering' });
		const { error } = await runActionError({
			node,
			parameters: { ...parameters, waitForCompletion: true, maxWaitSeconds: 3 },
			credentials: CREDENTIALS,
			responses: [json(queued), rendering, rendering, rendering, rendering],
		});
		expect(error.message).toBe('PDF Gorilla: job job-1 did not finish within 3 s');
		expect(error.description).toMatch(/Raise Max Wait Time/);
	});

	test('a 429 on the start is retried after the time the service asks for', async () => {
		const { output, requests, sleeps } = await runAction({
			node,
			parameters,
			credentials: CREDENTIALS,
			responses: [{ status: 429, headers: { 'retry-after': '2' } }, json(queued, 202)],
		});
		expect(requests).toHaveLength(2);
		expect(sleeps[0]).toBeGreaterThanOrEqual(2000);
		expect(output[0].json).toEqual(queued);
	});
});
