import { createHmac, timingSafeEqual } from 'node:crypto';

import { type WebhookReceiver, startWebhookReceiver } from '../../providers/receiver';
import type { FakeProviders } from '../../providers/server';
import type { TestCa } from '../../providers/tls';
import { buildWebhookRequest, sendWebhook } from '../../providers/webhooks';
import { startFake } from './helpers';

let fake: FakeProviders;
let ca: TestCa;
let receiver: WebhookReceiver;
beforeAll(async () => {
	({ fake, ca } = await startFake());
	receiver = await startWebhookReceiver();
});
afterAll(async () => {
	await receiver.close();
	await fake.close();
});
beforeEach(() => {
	receiver.received.length = 0;
});

const hmac = (secret: string, data: Buffer | string) => createHmac('sha256', secret).update(data).digest('hex');

describe('webhook senders', () => {
	test('PDF Gorilla: HMAC-SHA256 hex of the raw body, event id = jobId, JSON content type', async () => {
		const payload = fake.examplePayloads.pdfgorilla.completed();
		const res = await sendWebhook('pdfgorilla', receiver.url, payload, { secret: 's3cret', space: 2 });
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ received: true });
		const got = receiver.received[0];
		expect(got.text).toBe(JSON.stringify(payload, null, 2)); // exact bytes, pretty-printed on purpose
		expect(got.headers['content-type']).toBe('application/json');
		expect(got.headers['x-pdfg-event-id']).toBe(payload.jobId);
		const sig = got.headers['x-pdfg-signature'] as string;
		expect(timingSafeEqual(Buffer.from(sig), Buffer.from(hmac('s3cret', got.body)))).toBe(true);
		// re-serialising breaks it, as the docs warn
		expect(sig).not.toBe(hmac('s3cret', JSON.stringify(JSON.parse(got.text))));
		expect(() => buildWebhookRequest('pdfgorilla', payload)).toThrow(/secret/);
		const unsigned = buildWebhookRequest('pdfgorilla', payload, { headers: { 'x-pdfg-signature': null } });
		expect(unsigned.headers['x-pdfg-signature']).toBeUndefined();
		expect(buildWebhookRequest('pdfgorilla', payload, { signature: 'deadbeef' }).headers['x-pdfg-signature']).toBe('deadbeef');
	});

	test('Docflo: optional signature over raw body or re-serialised JSON; Basic/Bearer/API key auth', async () => {
		const payload = fake.examplePayloads.docflo.event('document.processed');
		await sendWebhook('docflo', receiver.url, payload, { secret: 'sig', space: 2, auth: { type: 'basic', username: 'u', password: 'p' } });
		await sendWebhook('docflo', receiver.url, payload, { secret: 'sig', space: 2, docfloSignatureOver: 'reserialized', auth: { type: 'bearer', token: 'tok' } });
		await sendWebhook('docflo', receiver.url, payload, { auth: { type: 'apiKey', key: 'k1' } });
		await sendWebhook('docflo', receiver.url, payload, { auth: { type: 'apiKey', key: 'k2', header: 'X-Custom-Key' } });
		const [raw, reser, apiKey, custom] = receiver.received;
		expect(raw.headers['x-docflo-signature']).toBe('sha256=' + hmac('sig', raw.body));
		expect(raw.headers.authorization).toBe('Basic ' + Buffer.from('u:p').toString('base64'));
		expect(reser.headers['x-docflo-signature']).toBe('sha256=' + hmac('sig', JSON.stringify(JSON.parse(reser.text))));
		expect(reser.headers['x-docflo-signature']).not.toBe('sha256=' + hmac('sig', reser.body));
		expect(reser.headers.authorization).toBe('Bearer tok');
		expect(apiKey.headers['x-api-key']).toBe('k1');
		expect(apiKey.headers['x-docflo-signature']).toBeUndefined();
		expect(custom.headers['x-custom-key']).toBe('k2');
		expect(raw.rawHeaders).toContain('X-Docflo-Signature');
	});

	test('PDF-Sign: X-Webhook-Secret / -Event / -Timestamp (ISO)', async () => {
		const payload = fake.examplePayloads.pdfsign.quotaWarning();
		await sendWebhook('pdfsign', receiver.url, payload, { secret: 'whsec_1' });
		await sendWebhook('pdfsign', receiver.url, payload, { secret: 'whsec_1', timestamp: '2024-01-15T10:30:45.123Z', event: 'test' });
		const [a, b] = receiver.received;
		expect(a.headers['x-webhook-secret']).toBe('whsec_1');
		expect(a.headers['x-webhook-event']).toBe('quota.warning');
		expect(new Date(a.headers['x-webhook-timestamp'] as string).toISOString()).toBe(a.headers['x-webhook-timestamp']);
		expect(b.headers['x-webhook-timestamp']).toBe('2024-01-15T10:30:45.123Z');
		expect(b.headers['x-webhook-event']).toBe('test');
	});

	test('ReportFlow and DocGenLab: plain JSON; rawBody sends exact bytes; extra headers', async () => {
		await sendWebhook('reportflow', receiver.url, fake.examplePayloads.reportflow.fileCompleted());
		await sendWebhook('docgenlab', receiver.url, null, { rawBody: '{"event":"webhook.test",  "message":"é"}', headers: { 'User-Agent': 'DocGenLab-Webhook' } });
		const [rf, dg] = receiver.received;
		expect(JSON.parse(rf.text)).toMatchObject({ event: 'file.completed', workspaceId: 'ws_abc123' });
		expect(Object.keys(rf.headers).filter((h) => h.startsWith('x-'))).toEqual([]);
		expect(dg.body.equals(Buffer.from('{"event":"webhook.test",  "message":"é"}'))).toBe(true);
		expect(dg.headers['user-agent']).toBe('DocGenLab-Webhook');
		expect(dg.headers['content-length']).toBe(String(dg.body.length));
	});

	test('https webhook URLs work with the test CA (fake.sendWebhook trusts it by default)', async () => {
		const secure = await startWebhookReceiver({ tls: { certPem: ca.certPem, keyPem: ca.keyPem } });
		try {
			const res = await fake.sendWebhook('docgenlab', secure.url, fake.examplePayloads.docgenlab.test());
			expect(res.status).toBe(200);
			await expect(sendWebhook('docgenlab', secure.url, {})).rejects.toThrow();
		} finally {
			await secure.close();
		}
	});

	test('the receiver response is returned (status, headers, body)', async () => {
		receiver.respondWith({ status: 401, body: 'Invalid signature', headers: { 'X-Reason': 'sig' } });
		const res = await sendWebhook('pdfgorilla', receiver.url, fake.examplePayloads.pdfgorilla.completed(), { secret: 'x' });
		expect(res.status).toBe(401);
		expect(res.text).toBe('Invalid signature');
		expect(res.headers['x-reason']).toBe('sig');
	});
});
