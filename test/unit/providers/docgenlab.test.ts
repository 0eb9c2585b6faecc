import { startWebhookReceiver } from '../../providers/receiver';
import type { FakeProviders } from '../../providers/server';
import type { TestCa } from '../../providers/tls';
import { call, postJson, sleep, startFake } from './helpers';

let fake: FakeProviders;
let ca: TestCa;
beforeAll(async () => {
	({ fake, ca } = await startFake({ docgenlab: { stepMs: 40, webhookRetryDelaysMs: [20, 20, 20] } }));
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const key = () => ({ 'X-API-Key': fake.credentials.docgenlab.apiKey });
const base = () => fake.baseUrl('docgenlab');

describe('DocGenLab fake', () => {
	test('auth errors are 401 {detail}', async () => {
		const missing = await call(ca, `${base()}/templates/`);
		expect(missing.status).toBe(401);
		expect(missing.json).toEqual({ detail: 'Not authenticated' });
		const wrong = await call(ca, `${base()}/templates/`, { headers: { 'X-API-Key': 'dgl_wrong' } });
		expect(wrong.status).toBe(401);
		expect(wrong.json).toEqual({ detail: 'Invalid API key' });
	});

	test('templates: list, one, 404; the bare collection path redirects 307 to the slash form', async () => {
		const list = await call(ca, `${base()}/templates/`, { headers: key() });
		expect(list.status).toBe(200);
		expect(list.json).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'template-xyz' })]));
		const one = await call(ca, `${base()}/templates/template-xyz`, { headers: key() });
		expect(one.json).toMatchObject({ id: 'template-xyz', name: 'Invoice' });
		expect((await call(ca, `${base()}/templates/nope`, { headers: key() })).status).toBe(404);
		const bare = await call(ca, `${base()}/templates`, { headers: key() });
		expect(bare.status).toBe(307);
		expect(bare.headers.location).toBe('/docgenlab/api/v1/templates/');
	});

	test('create → queued → rendering → ready (time based), download, webhook with a signed URL', async () => {
		const receiver = await startWebhookReceiver();
		// The fake reads the clock through Date.now; the test moves it a step at a time, so what each
		// request sees does not depend on how fast a loaded machine answers it.
		const stepMs = 60_000;
		const realNow = Date.now.bind(Date);
		let skipped = 0;
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + skipped);
		fake.docgenlab.settings.stepMs = stepMs;
		try {
			const r = await postJson(
				ca,
				`${base()}/documents/`,
				{ template_id: 'template-xyz', input_json: { customer: 'ACME' }, output_format: 'pdf', webhook_url: receiver.url },
				key(),
			);
			expect(r.status).toBe(201);
			const doc = r.json as { id: string; template_id: string; status: string; created_at: string };
			expect(doc).toEqual({ id: expect.any(String), template_id: 'template-xyz', status: 'queued', created_at: expect.any(String) });
			const notReady = await call(ca, `${base()}/documents/${doc.id}/download?format=pdf`, { headers: key() });
			expect(notReady.status).toBe(409);
			const statusNow = async () => ((await call(ca, `${base()}/documents/${doc.id}`, { headers: key() })).json as { status: string }).status;
			expect(await statusNow()).toBe('queued');
			skipped += stepMs;
			expect(await statusNow()).toBe('rendering');
			skipped += stepMs;
			const ready = await call(ca, `${base()}/documents/${doc.id}`, { headers: key() });
			expect(ready.json).toEqual({ id: doc.id, status: 'ready', output_pdf_path: expect.stringContaining(doc.id), created_at: doc.created_at });
			const pdf = await call(ca, `${base()}/documents/${doc.id}/download?format=pdf`, { headers: key() });
			expect(pdf.status).toBe(200);
			expect(pdf.headers['content-type']).toBe('application/pdf');
			expect((await call(ca, `${base()}/documents/${doc.id}/download?format=docx`, { headers: key() })).status).toBe(404);

			const hook = await receiver.waitFor(1);
			const payload = JSON.parse(hook.text);
			expect(payload).toEqual({
				event: 'document.generated',
				job_id: doc.id,
				status: 'completed',
				download_url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/storage\/docgenlab\//),
				metadata: { template_id: 'template-xyz', created_at: doc.created_at, error_message: null },
			});
			const fromStorage = await call(ca, payload.download_url);
			expect(fromStorage.status).toBe(200);
			expect(fromStorage.body.equals(pdf.body)).toBe(true);
			expect(fake.requests({ path: '/storage/docgenlab/' })[0].headers['x-api-key']).toBeUndefined();
		} finally {
			clock.mockRestore();
			fake.docgenlab.settings.stepMs = 40;
			await receiver.close();
		}
	});

	test('poll-based progression and failure; webhook retried 3 times on failure responses', async () => {
		const receiver = await startWebhookReceiver();
		receiver.respondWith({ status: 500 }, { status: 502 }, { status: 503 }, { status: 500 });
		fake.docgenlab.settings.advance = 'poll';
		fake.docgenlab.settings.steps = ['queued', 'rendering', 'failed'];
		fake.docgenlab.settings.webhookUrl = receiver.url;
		try {
			const r = await postJson(ca, `${base()}/documents/`, { template_id: 'template-xyz', input_json: {} }, key());
			const id = (r.json as { id: string }).id;
			const statuses = [];
			for (let i = 0; i < 3; i++) statuses.push(((await call(ca, `${base()}/documents/${id}`, { headers: key() })).json as { status: string }).status);
			expect(statuses).toEqual(['rendering', 'failed', 'failed']);
			await receiver.waitFor(4, 5000);
			await sleep(100);
			expect(receiver.received).toHaveLength(4); // 1 + 3 retries
			expect(JSON.parse(receiver.received[0].text)).toMatchObject({ event: 'document.generated', job_id: id, status: 'failed', download_url: null });
		} finally {
			fake.docgenlab.settings.advance = 'time';
			fake.docgenlab.settings.steps = ['queued', 'rendering', 'ready'];
			delete fake.docgenlab.settings.webhookUrl;
			await receiver.close();
		}
	});

	test('validation 422, unknown template 404, idempotency key', async () => {
		const bad = await postJson(ca, `${base()}/documents/`, { template_id: 'template-xyz', input_json: {}, output_format: 'html' }, key());
		expect(bad.status).toBe(422);
		expect((bad.json as { detail: unknown[] }).detail[0]).toMatchObject({ loc: ['body', 'output_format'] });
		expect((await postJson(ca, `${base()}/documents/`, { template_id: 'nope', input_json: {} }, key())).status).toBe(404);
		const a = await postJson(ca, `${base()}/documents/`, { template_id: 'template-xyz', input_json: {} }, { ...key(), 'X-Idempotency-Key': 'k1' });
		const b = await postJson(ca, `${base()}/documents/`, { template_id: 'template-xyz', input_json: {} }, { ...key(), 'X-Idempotency-Key': 'k1' });
		expect((a.json as { id: string }).id).toBe((b.json as { id: string }).id);
	});

	test('signed URLs: expired → 400 ExpiredToken, unknown → 403', async () => {
		const expired = fake.docgenlab.signedUrl('abc-123-def-456', { ttlMs: -1 });
		const r = await call(ca, expired);
		expect(r.status).toBe(400);
		expect(r.text).toContain('<Code>ExpiredToken</Code>');
		const forged = expired.replace(/\/storage\/docgenlab\/[^/]+\//, '/storage/docgenlab/forged/');
		expect((await call(ca, forged)).status).toBe(403);
	});

	test('429 fault body and the example payloads', async () => {
		fake.faults.add({ service: 'docgenlab', pathPrefix: '/documents/' }, { status: 429 });
		const limited = await postJson(ca, `${base()}/documents/`, { template_id: 'template-xyz', input_json: {} }, key());
		expect(limited.status).toBe(429);
		expect(limited.text).toBe('{"detail":"Rate limit exceeded. Try again later."}');

		const generated = fake.examplePayloads.docgenlab.generated();
		expect(generated).toMatchObject({ event: 'document.generated', job_id: 'abc-123-def-456', status: 'completed', metadata: { template_id: 'template-xyz', error_message: null } });
		expect((await call(ca, generated.download_url!)).status).toBe(200);
		expect((await call(ca, `${base()}/documents/abc-123-def-456/download?format=pdf`, { headers: key() })).status).toBe(200);
		const big = fake.examplePayloads.docgenlab.generated({ job_id: 'big-1' }, { sizeBytes: 123_456 });
		expect((await call(ca, big.download_url!)).body.length).toBe(123_456);
		expect(fake.examplePayloads.docgenlab.failed()).toMatchObject({ status: 'failed', download_url: null, metadata: { error_message: expect.any(String) } });
		expect(fake.examplePayloads.docgenlab.test()).toEqual({ event: 'webhook.test', message: 'This is a test webhook from DocGenLab' });
	});
});
