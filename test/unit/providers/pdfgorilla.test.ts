import { createHmac, timingSafeEqual } from 'node:crypto';

import { startWebhookReceiver } from '../../providers/receiver';
import type { FakeProviders } from '../../providers/server';
import type { TestCa } from '../../providers/tls';
import { call, postJson, sleep, startFake } from './helpers';

const JOB_DURATION_MS = 80;
const NEVER_MS = 60 * 60 * 1000;
let fake: FakeProviders;
let ca: TestCa;
beforeAll(async () => {
	({ fake, ca } = await startFake({ pdfgorilla: { jobDurationMs: JOB_DURATION_MS } }));
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const key = () => ({ 'x-api-key': fake.credentials.pdfgorilla.apiKey });
const base = () => fake.baseUrl('pdfgorilla');
const SECRET = 'at-least-32-random-bytes-please-0123456789';

function verify(raw: Buffer, signature: string, secret: string): boolean {
	const expected = createHmac('sha256', secret).update(raw).digest('hex');
	return expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

describe('PDF Gorilla fake', () => {
	test('auth: 401 {error, hint}; x-api-key or Bearer', async () => {
		const missing = await postJson(ca, `${base()}/templates/tmpl_invoice/generate`, { data: {} });
		expect(missing.status).toBe(401);
		expect(missing.json).toEqual({ error: 'Missing API key', hint: expect.any(String) });
		const wrong = await postJson(ca, `${base()}/templates/tmpl_invoice/generate`, { data: {} }, { Authorization: 'Bearer nope' });
		expect(wrong.status).toBe(401);
		expect(wrong.json).toEqual({ error: 'Invalid API key', hint: expect.any(String) });
		const bearer = await postJson(ca, `${base()}/templates/tmpl_invoice/generate`, { data: {} }, { Authorization: `Bearer ${fake.credentials.pdfgorilla.apiKey}` });
		expect(bearer.status).toBe(200);
	});

	test('sync generate with data or jsonData → PDF attachment; limits', async () => {
		const a = await postJson(ca, `${base()}/templates/tmpl_invoice/generate`, { data: { orderId: 'ORD-1' } }, key());
		expect(a.status).toBe(200);
		expect(a.headers['content-type']).toBe('application/pdf');
		expect(a.headers['content-disposition']).toMatch(/^attachment/);
		expect(a.body.subarray(0, 5).toString()).toBe('%PDF-');
		const b = await postJson(ca, `${base()}/templates/tmpl_invoice/generate`, { jsonData: '{"orderId":"ORD-2"}' }, key());
		expect(b.status).toBe(200);
		expect((await postJson(ca, `${base()}/templates/tmpl_invoice/generate`, { jsonData: '{nope' }, key())).status).toBe(400);
		expect((await postJson(ca, `${base()}/templates/missing/generate`, { data: {} }, key())).status).toBe(404);
		let deep: Record<string, unknown> = {};
		for (let i = 0; i < 13; i++) deep = { d: deep };
		expect((await postJson(ca, `${base()}/templates/tmpl_invoice/generate`, { data: deep }, key())).status).toBe(400);
		expect((await postJson(ca, `${base()}/templates/tmpl_invoice/generate`, { data: { a: new Array(1001).fill(1) } }, key())).status).toBe(400);
		const huge = await postJson(ca, `${base()}/templates/tmpl_invoice/generate`, { data: { s: 'x'.repeat(600 * 1024) } }, key());
		expect(huge.status).toBe(413);
	});

	test('generate-async validation: webhookUrl and webhookSecret together', async () => {
		const url = `${base()}/templates/tmpl_invoice/generate-async`;
		expect((await postJson(ca, url, { data: {}, webhookUrl: 'https://example.test/h' }, key())).status).toBe(400);
		expect((await postJson(ca, url, { data: {}, webhookSecret: SECRET }, key())).status).toBe(400);
		expect((await postJson(ca, url, { data: {}, webhookUrl: 'ftp://x', webhookSecret: SECRET }, key())).status).toBe(400);
		expect((await postJson(ca, url, { data: {}, webhookUrl: 'https://example.test/h', webhookSecret: 'x'.repeat(513) }, key())).status).toBe(400);
		fake.pdfgorilla.settings.allowHttpWebhooks = false;
		try {
			expect((await postJson(ca, url, { data: {}, webhookUrl: 'http://127.0.0.1:1/h', webhookSecret: SECRET }, key())).status).toBe(400);
		} finally {
			fake.pdfgorilla.settings.allowHttpWebhooks = true;
		}
	});

	test('async job: signed webhook, fresh downloadUrl per GET /jobs, download redirect', async () => {
		const receiver = await startWebhookReceiver();
		// The job ends when the test says so, however slow a loaded machine makes the requests before.
		fake.pdfgorilla.settings.jobDurationMs = NEVER_MS;
		try {
			const r = await postJson(ca, `${base()}/templates/tmpl_invoice/generate-async`, { data: { orderId: 'ORD-999' }, webhookUrl: receiver.url, webhookSecret: SECRET }, key());
			expect(r.status).toBe(202);
			const { jobId, status } = r.json as { jobId: string; status: string };
			expect(status).toBe('queued');
			const early = await call(ca, `${base()}/jobs/${jobId}`, { headers: key() });
			expect(early.json).toEqual({ jobId, status: 'queued', expiresAt: null, downloadUrl: null, error: null });
			expect((await call(ca, `${base()}/jobs/${jobId}/download`, { headers: key() })).status).toBe(409);

			expect(fake.pdfgorilla.finishJob(jobId)).toBe(true);
			const hook = await receiver.waitFor(1);
			expect(hook.headers['content-type']).toBe('application/json');
			expect(hook.headers['x-pdfg-event-id']).toBe(jobId);
			expect(verify(hook.body, hook.headers['x-pdfg-signature'] as string, SECRET)).toBe(true);
			const payload = JSON.parse(hook.text);
			expect(payload).toEqual({
				jobId,
				status: 'completed',
				downloadUrl: expect.stringMatching(/\/pdfgorilla\/files\//),
				expiresAt: expect.any(String),
				error: null,
				timestamp: expect.any(String),
			});
			const file = await call(ca, payload.downloadUrl);
			expect(file.status).toBe(200);
			expect(file.headers['content-disposition']).toMatch(/^attachment/);
			expect(fake.requests({ path: '/pdfgorilla/files/' })[0].headers['x-api-key']).toBeUndefined();

			const j1 = (await call(ca, `${base()}/jobs/${jobId}`, { headers: key() })).json as { downloadUrl: string; status: string };
			const j2 = (await call(ca, `${base()}/jobs/${jobId}`, { headers: key() })).json as { downloadUrl: string };
			expect(j1.status).toBe('completed');
			expect(j1.downloadUrl).not.toBe(j2.downloadUrl);
			expect(j1.downloadUrl).not.toBe(payload.downloadUrl);

			const redirect = await call(ca, `${base()}/jobs/${jobId}/download`, { headers: key() });
			expect(redirect.status).toBe(307);
			expect((await call(ca, redirect.headers.location as string)).body.equals(file.body)).toBe(true);
		} finally {
			fake.pdfgorilla.settings.jobDurationMs = JOB_DURATION_MS;
			await receiver.close();
		}
	});

	test('download URLs expire: 410 Gone, and GET /jobs gives a fresh one', async () => {
		fake.pdfgorilla.settings.downloadUrlTtlMs = 30;
		try {
			const payload = fake.examplePayloads.pdfgorilla.completed();
			await sleep(60);
			const gone = await call(ca, payload.downloadUrl!);
			expect(gone.status).toBe(410);
			expect(gone.json).toMatchObject({ error: expect.any(String), hint: expect.stringContaining(payload.jobId) });
			// The fresh link lives the usual minutes, so a slow machine cannot let it expire before use.
			fake.pdfgorilla.settings.downloadUrlTtlMs = 5 * 60 * 1000;
			const job = (await call(ca, `${base()}/jobs/${payload.jobId}`, { headers: key() })).json as { downloadUrl: string };
			expect((await call(ca, job.downloadUrl)).status).toBe(200);
			expect((await call(ca, fake.url('/pdfgorilla/files/unknown'))).status).toBe(404);
		} finally {
			fake.pdfgorilla.settings.downloadUrlTtlMs = 5 * 60 * 1000;
		}
	});

	test('failed and canceled outcomes', async () => {
		const receiver = await startWebhookReceiver();
		try {
			fake.pdfgorilla.queueOutcome({ status: 'failed' });
			const r = await postJson(ca, `${base()}/templates/tmpl_invoice/generate-async`, { data: {}, webhookUrl: receiver.url, webhookSecret: SECRET }, key());
			const { jobId } = r.json as { jobId: string };
			const hook = await receiver.waitFor(1);
			expect(JSON.parse(hook.text)).toEqual({ jobId, status: 'failed', error: { code: 'RENDER_TIMEOUT', message: 'PDF rendering timed out.' }, timestamp: expect.any(String) });
			const job = (await call(ca, `${base()}/jobs/${jobId}`, { headers: key() })).json;
			expect(job).toMatchObject({ status: 'failed', downloadUrl: null, error: { code: 'RENDER_TIMEOUT' } });

			const r2 = await postJson(ca, `${base()}/templates/tmpl_invoice/generate-async`, { data: {}, webhookUrl: receiver.url, webhookSecret: SECRET }, key());
			const id2 = (r2.json as { jobId: string }).jobId;
			expect(fake.pdfgorilla.cancelJob(id2)).toBe(true);
			const hook2 = await receiver.waitFor(2);
			expect(JSON.parse(hook2.text)).toMatchObject({ jobId: id2, status: 'canceled', error: null });
			expect(fake.examplePayloads.pdfgorilla.failed()).toMatchObject({ status: 'failed', error: { code: 'RENDER_TIMEOUT' } });
			expect(fake.examplePayloads.pdfgorilla.canceled()).toMatchObject({ status: 'canceled', error: null });
		} finally {
			await receiver.close();
		}
	});

	test('429 fault carries the rate-limit headers', async () => {
		fake.faults.add({ service: 'pdfgorilla', pathPrefix: '/templates/' }, { status: 429 });
		const r = await postJson(ca, `${base()}/templates/tmpl_invoice/generate`, { data: {} }, key());
		expect(r.status).toBe(429);
		expect(r.headers['x-ratelimit-limit']).toBe('60');
		expect(r.headers['x-ratelimit-remaining']).toBe('0');
		// A lower bound: the reset time lies in the future.
		expect(Number(r.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now());
		expect(r.json).toMatchObject({ error: expect.any(String), limit: 60, remaining: 0, resetAt: expect.any(String) });
	});
});
