import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { makePdf } from '../../providers/pdf';
import type { FakeProviders } from '../../providers/server';
import type { TestCa } from '../../providers/tls';
import { startWebhookReceiver } from '../../providers/receiver';
import { withTools } from '../../harness/skips';
import { call, postJson, sleep, startFake } from './helpers';

let fake: FakeProviders;
let ca: TestCa;
beforeAll(async () => {
	({ fake, ca } = await startFake({ reportflow: { asyncDelayMs: 100 } }));
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const key = () => ({ appkey: fake.credentials.reportflow.appKey });
const base = () => fake.baseUrl('reportflow');

function unzipTest(zip: Buffer): { ok: boolean; list: string } {
	const dir = mkdtempSync(join(tmpdir(), 'rf-zip-'));
	try {
		writeFileSync(join(dir, 'a.zip'), zip);
		const t = spawnSync('unzip', ['-t', join(dir, 'a.zip')], { encoding: 'utf8' });
		return { ok: t.status === 0, list: t.stdout };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

describe('ReportFlow fake', () => {
	test('auth: missing header 412, wrong key 401, header name case-insensitive', async () => {
		const missing = await call(ca, `${base()}/file/designs`);
		expect(missing.status).toBe(412);
		expect(missing.json).toMatchObject({ statusCode: 412, error: 'Precondition Failed' });
		const wrong = await call(ca, `${base()}/file/designs`, { headers: { appkey: 'ak_wrong' } });
		expect(wrong.status).toBe(401);
		expect(wrong.json).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
		const ok = await call(ca, `${base()}/file/designs`, { headers: { AppKey: fake.credentials.reportflow.appKey } });
		expect(ok.status).toBe(200);
		expect((ok.json as { designs: unknown[] }).designs[0]).toEqual({
			id: 'design_123',
			label: expect.any(String),
			latestVersion: 5,
			thumbnail: expect.any(String),
			updatedAt: expect.any(String),
		});
	});

	test('workspace form requires SecretKey when configured', async () => {
		const ws = fake.reportflowWorkspaceBaseUrl();
		expect((await call(ca, `${ws}/file/designs`, { headers: key() })).status).toBe(200);
		fake.credentials.reportflow.secretKey = 'sk_test_secret';
		try {
			expect((await call(ca, `${ws}/file/designs`, { headers: key() })).status).toBe(412);
			expect((await call(ca, `${ws}/file/designs`, { headers: { ...key(), SecretKey: 'nope' } })).status).toBe(401);
			expect((await call(ca, `${ws}/file/designs`, { headers: { AppKey: key().appkey, SecretKey: 'sk_test_secret' } })).status).toBe(200);
			// the current form ignores SecretKey
			expect((await call(ca, `${base()}/file/designs`, { headers: key() })).status).toBe(200);
			expect((await call(ca, `${fake.reportflowWorkspaceBaseUrl('ws_other')}/file/designs`, { headers: key() })).status).toBe(404);
		} finally {
			delete fake.credentials.reportflow.secretKey;
		}
	});

	test('design parameters, 404 for unknown design or version', async () => {
		const r = await call(ca, `${base()}/file/design/parameter/design_123?version=5`, { headers: key() });
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({ designId: 'design_123', version: 5, parameters: expect.any(Array) });
		expect((await call(ca, `${base()}/file/design/parameter/design_123?version=9`, { headers: key() })).status).toBe(404);
		expect((await call(ca, `${base()}/file/design/parameter/nope`, { headers: key() })).status).toBe(404);
	});

	test('sync single → PDF with File-URL, Request-Id, X-File-Mapping; then downloadable', async () => {
		const r = await postJson(
			ca,
			`${base()}/file/sync/single`,
			{ designId: 'design_123', version: 5, content: { fileName: 'invoice', params: { companyName: 'A' }, passthrough: { orderId: 7 }, shareType: '03' } },
			key(),
		);
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toBe('application/pdf');
		expect(r.body.subarray(0, 8).toString()).toBe('%PDF-1.7');
		const requestId = r.headers['request-id'] as string;
		const mapping = JSON.parse(decodeURIComponent(r.headers['x-file-mapping'] as string));
		expect(mapping).toEqual([
			{ fileId: expect.any(String), fileName: 'invoice.pdf', passthrough: { orderId: 7 }, share: { shareType: '03', url: expect.any(String), passcodeEnabled: false } },
		]);
		expect(r.headers['file-url']).toBe(`${base()}/file/download/${requestId}/${mapping[0].fileId}`);
		const d = await call(ca, r.headers['file-url'] as string, { headers: key() });
		expect(d.status).toBe(200);
		expect(d.headers['file-id']).toBe(mapping[0].fileId);
		expect(d.body.equals(r.body)).toBe(true);
		const shared = await call(ca, mapping[0].share.url);
		expect(shared.body.equals(r.body)).toBe(true);
	});

	test('sync multiple → a valid ZIP; validation errors are 400 with an array message', async () => {
		const r = await postJson(
			ca,
			`${base()}/file/sync/multiple`,
			{ designId: 'design_123', version: 5, contents: [{ fileName: 'a.pdf', params: {} }, { fileName: 'b.pdf', params: {} }] },
			key(),
		);
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toBe('application/zip');
		expect(r.body.readUInt32LE(0)).toBe(0x04034b50);
		expect(JSON.parse(decodeURIComponent(r.headers['x-file-mapping'] as string))).toHaveLength(2);
		const dup = await postJson(ca, `${base()}/file/sync/multiple`, { designId: 'design_123', contents: [{ fileName: 'a' }, { fileName: 'a' }] }, key());
		expect(dup.status).toBe(400);
		expect(Array.isArray((dup.json as { message: unknown }).message)).toBe(true);
		const bad = await postJson(ca, `${base()}/file/sync/single`, { designId: 'design_123', content: { fileName: 'a/b' } }, key());
		expect(bad.status).toBe(400);
		const unknown = await postJson(ca, `${base()}/file/sync/single`, { designId: 'zzz', content: { fileName: 'a' } }, key());
		expect(unknown.status).toBe(404);
	});

	withTools('unzip')('sync multiple → unzip -t accepts the ZIP and lists both files', async () => {
		const r = await postJson(ca, `${base()}/file/sync/multiple`, { designId: 'design_123', version: 5, contents: [{ fileName: 'a.pdf', params: {} }, { fileName: 'b.pdf', params: {} }] }, key());
		expect(r.status).toBe(200);
		const t = unzipTest(r.body);
		expect(t.ok).toBe(true);
		expect(t.list).toContain('a.pdf');
		expect(t.list).toContain('b.pdf');
	});

	test('async single → 202, downloadable after the delay; webhook file.completed is POSTed', async () => {
		const receiver = await startWebhookReceiver();
		fake.reportflow.settings.webhookUrl = receiver.url;
		try {
			const r = await postJson(ca, `${base()}/file/async/single`, { designId: 'design_123', version: 5, content: { fileName: 'x.pdf', params: { amount: 1 } } }, key());
			expect(r.status).toBe(202);
			const body = r.json as { requestId: string; url: string; files: { fileId: string; fileName: string; share: unknown }[] };
			expect(body).toEqual({
				requestId: expect.any(String),
				url: `${base()}/file/download/${body.requestId}`,
				files: [{ fileName: 'x.pdf', fileId: expect.any(String), passthrough: null, share: { shareType: '01', passcodeEnabled: false } }],
			});
			const early = await call(ca, `${base()}/file/download/${body.requestId}/${body.files[0].fileId}`, { headers: key() });
			expect(early.status).toBe(404);
			const hook = await receiver.waitFor(1);
			const payload = JSON.parse(hook.text);
			expect(payload).toEqual({
				event: 'file.completed',
				timestamp: expect.any(String),
				workspaceId: 'ws_abc123',
				designId: 'design_123',
				version: 5,
				files: [{ fileId: body.files[0].fileId, uuid: body.requestId, fileName: 'x.pdf', params: { amount: 1 } }],
			});
			expect(hook.headers['content-type']).toBe('application/json');
			const late = await call(ca, `${base()}/file/download/${body.requestId}/${body.files[0].fileId}`, { headers: key() });
			expect(late.status).toBe(200);
			const zip = await call(ca, body.url, { headers: key() });
			expect(zip.status).toBe(200);
			expect(zip.headers['content-type']).toBe('application/zip');
		} finally {
			delete fake.reportflow.settings.webhookUrl;
			await receiver.close();
		}
	});

	test('webhook retried up to 3 times on 5xx', async () => {
		const receiver = await startWebhookReceiver();
		receiver.respondWith({ status: 500 }, { status: 503 }, { status: 200 });
		fake.reportflow.settings.webhookUrl = receiver.url;
		try {
			await postJson(ca, `${base()}/file/async/single`, { designId: 'design_123', content: { fileName: 'r' } }, key());
			await receiver.waitFor(3, 5000);
			await sleep(300);
			expect(receiver.received).toHaveLength(3);
			expect(fake.webhookDeliveries({ service: 'reportflow' }).map((d) => d.status)).toEqual([500, 503, 200]);
		} finally {
			delete fake.reportflow.settings.webhookUrl;
			await receiver.close();
		}
	});

	test('the documented example payload refers to a downloadable file; registerFile adds more', async () => {
		const payload = fake.examplePayloads.reportflow.fileCompleted();
		const f = payload.files[0];
		const d = await call(ca, `${base()}/file/download/${f.uuid}/${f.fileId}`, { headers: key() });
		expect(d.status).toBe(200);
		const content = makePdf({ sizeBytes: 2000, title: 'fixed' });
		const reg = fake.reportflow.registerFile({ requestId: 'req-1', fileName: 'fixed.pdf', content });
		const got = await call(ca, reg.downloadUrl, { headers: key() });
		expect(got.body.equals(content)).toBe(true);
		// old workspace form works for downloads too
		const ws = await call(ca, `${fake.reportflowWorkspaceBaseUrl()}/file/download/req-1/${reg.fileId}`, { headers: { AppKey: key().appkey, SecretKey: 'anything' } });
		expect(ws.status).toBe(200);
	});
});
