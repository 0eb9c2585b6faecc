import { startWebhookReceiver } from '../../providers/receiver';
import { PDFSIGN_EXAMPLE_TEMPLATE_ID } from '../../providers/services/pdfsign';
import type { FakeProviders } from '../../providers/server';
import type { TestCa } from '../../providers/tls';
import { call, postJson, startFake } from './helpers';

let fake: FakeProviders;
let ca: TestCa;
beforeAll(async () => {
	({ fake, ca } = await startFake());
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const key = () => ({ 'x-api-key': fake.credentials.pdfsign.apiKey });
const url = () => `${fake.baseUrl('pdfsign')}/generate-pdf-preview`;

describe('PDF-Sign fake', () => {
	test('auth and validation errors {error, code, status}', async () => {
		const missing = await postJson(ca, url(), { templateId: PDFSIGN_EXAMPLE_TEMPLATE_ID });
		expect(missing.status).toBe(401);
		expect(missing.json).toEqual({ error: expect.any(String), code: 'UNAUTHORIZED', status: 401 });
		expect((await postJson(ca, url(), { templateId: PDFSIGN_EXAMPLE_TEMPLATE_ID }, { 'x-api-key': 'pdfsign_wrong' })).status).toBe(401);
		const bad = await postJson(ca, url(), { variables: {} }, key());
		expect(bad.json).toEqual({ error: expect.any(String), code: 'BAD_REQUEST', status: 400 });
		const nf = await postJson(ca, url(), { templateId: 'nope' }, key());
		expect(nf.json).toMatchObject({ code: 'NOT_FOUND', status: 404 });
	});

	test('generate → {success, pdf_url, generation_id, file_size}; public storage serves it without auth', async () => {
		const r = await postJson(ca, url(), { templateId: PDFSIGN_EXAMPLE_TEMPLATE_ID, variables: { clientName: 'Jane' } }, key());
		expect(r.status).toBe(200);
		expect(r.headers['x-ratelimit-limit']).toBe('60');
		const body = r.json as { success: boolean; pdf_url: string; generation_id: string; file_size: number };
		expect(body).toEqual({ success: true, pdf_url: expect.stringContaining('/pdfsign/storage/v1/object/public/pdfs/user-id/'), generation_id: expect.any(String), file_size: expect.any(Number) });
		const pdf = await call(ca, body.pdf_url);
		expect(pdf.status).toBe(200);
		expect(pdf.body.length).toBe(body.file_size);
		expect(fake.requests({ path: '/pdfsign/storage/' })[0].headers['x-api-key']).toBeUndefined();
		const missing = await call(ca, fake.url('/pdfsign/storage/v1/object/public/pdfs/none.pdf'));
		expect(missing.status).toBe(404);
	});

	test('dashboard webhook: pdf.generated, quota.warning once, quota.exceeded, pdf.failed', async () => {
		const receiver = await startWebhookReceiver();
		const s = fake.pdfsign.settings;
		s.webhook = { url: receiver.url, secret: 'whsec_test_123' };
		s.quotaLimit = 5;
		s.currentUsage = 3;
		try {
			await postJson(ca, url(), { templateId: PDFSIGN_EXAMPLE_TEMPLATE_ID, variables: {} }, key()); // usage 4 = 80%
			await postJson(ca, url(), { templateId: PDFSIGN_EXAMPLE_TEMPLATE_ID, variables: {} }, key()); // usage 5
			const blocked = await postJson(ca, url(), { templateId: PDFSIGN_EXAMPLE_TEMPLATE_ID, variables: {} }, key());
			expect(blocked.json).toEqual({ error: expect.any(String), code: 'QUOTA_EXCEEDED', status: 403 });
			s.currentUsage = 0;
			fake.pdfsign.failNext();
			expect((await postJson(ca, url(), { templateId: PDFSIGN_EXAMPLE_TEMPLATE_ID }, key())).status).toBe(500);
			await receiver.waitFor(5);
			await fake.webhooks.idle();
			const events = receiver.received.map((r) => r.headers['x-webhook-event']).sort();
			expect(events).toEqual(['pdf.failed', 'pdf.generated', 'pdf.generated', 'quota.exceeded', 'quota.warning']);
			for (const r of receiver.received) {
				expect(r.headers['x-webhook-secret']).toBe('whsec_test_123');
				expect(Number.isNaN(Date.parse(r.headers['x-webhook-timestamp'] as string))).toBe(false);
				expect(JSON.parse(r.text).event).toBe(r.headers['x-webhook-event']);
			}
			const generated = JSON.parse(receiver.received.find((r) => r.headers['x-webhook-event'] === 'pdf.generated')!.text);
			expect(Object.keys(generated.data).sort()).toEqual(['created_at', 'file_size', 'pdf_url', 'render_time_ms', 'storage_path', 'template_id', 'variables']);
			const warning = JSON.parse(receiver.received.find((r) => r.headers['x-webhook-event'] === 'quota.warning')!.text);
			expect(warning.data).toEqual({ current_usage: 4, quota_limit: 5, percentage: 80, subscription_plan: 'starter' });
		} finally {
			delete s.webhook;
			s.quotaLimit = 300;
			s.currentUsage = 0;
			await receiver.close();
		}
	});

	test('example payloads: the pdf.generated file is served with the documented size', async () => {
		const p = fake.examplePayloads.pdfsign.generated();
		expect(p.data.storage_path).toBe('user-id/template-id/1705312245123.pdf');
		expect(p.data.file_size).toBe(156789);
		const pdf = await call(ca, p.data.pdf_url as string);
		expect(pdf.body.length).toBe(156789);
		const custom = fake.examplePayloads.pdfsign.generated({ data: { storage_path: 'user-id/t/1.pdf' } }, { sizeBytes: 5000 });
		expect(custom.data.file_size).toBe(5000);
		expect((await call(ca, custom.data.pdf_url as string)).body.length).toBe(5000);
		expect(fake.examplePayloads.pdfsign.failed().data).toMatchObject({ error_code: 'RENDER_FAILED' });
		expect(fake.examplePayloads.pdfsign.quotaWarning().data).toEqual({ current_usage: 240, quota_limit: 300, percentage: 80, subscription_plan: 'starter' });
		expect(fake.examplePayloads.pdfsign.quotaExceeded().data).toEqual({ current_usage: 300, quota_limit: 300, subscription_plan: 'starter' });
		expect(fake.examplePayloads.pdfsign.test().event).toBe('test');
	});
});
