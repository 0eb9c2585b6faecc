import { createHash } from 'node:crypto';

import { openRequest } from '../../providers/http-client';
import { pdfSha256 } from '../../providers/pdf';
import type { FakeProviders } from '../../providers/server';
import type { TestCa } from '../../providers/tls';
import { call, startFake } from './helpers';

let fake: FakeProviders;
let ca: TestCa;

beforeAll(async () => {
	({ fake, ca } = await startFake());
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const gorillaKey = () => ({ 'x-api-key': fake.credentials.pdfgorilla.apiKey });

/** A completed PDF Gorilla download URL of the given size. */
function gorillaFile(sizeBytes = 10_000): string {
	return fake.examplePayloads.pdfgorilla.completed({ jobId: `job-${sizeBytes}` }, { sizeBytes }).downloadUrl!;
}

/** Reads a response to the end; resolves with the bytes and whether the stream broke. */
async function readAll(url: string, headers: Record<string, string> = {}) {
	const res = await openRequest(url, { ca: ca.caPem, headers });
	const chunks: Buffer[] = [];
	let error: Error | undefined;
	try {
		for await (const c of res) chunks.push(c as Buffer);
	} catch (e) {
		error = e as Error;
	}
	return { res, body: Buffer.concat(chunks), error, complete: res.complete && !error };
}

describe('fake provider server: transport', () => {
	test('serves real HTTPS with the test CA; base URLs per service', async () => {
		expect(fake.baseUrl('pdfgorilla')).toBe(`https://127.0.0.1:${fake.port}/pdfgorilla/api/v1`);
		expect(fake.baseUrl('reportflow')).toBe(`https://127.0.0.1:${fake.port}/reportflow/v1`);
		expect(fake.baseUrl('docgenlab')).toBe(`https://127.0.0.1:${fake.port}/docgenlab/api/v1`);
		expect(fake.baseUrl('docflo')).toBe(`https://127.0.0.1:${fake.port}/docflo`);
		expect(fake.baseUrl('pdfsign')).toBe(`https://127.0.0.1:${fake.port}/pdfsign/functions/v1`);
		expect(fake.reportflowWorkspaceBaseUrl()).toBe(`https://127.0.0.1:${fake.port}/reportflow/workspaces/ws_abc123/v1`);
		const res = await call(ca, fake.url('/pdfgorilla/api/v1/jobs/cma1b2c3d4e5f6g7h8i9j0k'), { headers: gorillaKey() });
		expect(res.status).toBe(200);
	});

	test('without the CA the certificate is rejected', async () => {
		await expect(openRequest(fake.url('/pdfgorilla/api/v1/jobs/x'))).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
	});

	test('the certificate also covers localhost', async () => {
		const res = await call(ca, `https://localhost:${fake.port}/pdfgorilla/api/v1/jobs/x`, { headers: gorillaKey() });
		expect(res.status).toBe(404);
	});

	test('records every request with its headers (secrets included)', async () => {
		const url = gorillaFile();
		await call(ca, url, { headers: { 'X-Extra': 'yes' } });
		await call(ca, fake.url('/pdfgorilla/api/v1/jobs/nope'), { headers: { Authorization: `Bearer ${fake.credentials.pdfgorilla.apiKey}` } });
		const all = fake.requests({ service: 'pdfgorilla' });
		expect(all.map((r) => r.status)).toEqual([200, 404]);
		const [download, api] = all;
		expect(download.path.startsWith('/pdfgorilla/files/')).toBe(true);
		expect(download.headers['authorization']).toBeUndefined();
		expect(download.headers['x-extra']).toBe('yes');
		expect(download.rawHeaders).toContain('X-Extra');
		expect(download.completed).toBe(true);
		expect(api.headers['authorization']).toBe(`Bearer ${fake.credentials.pdfgorilla.apiKey}`);
		expect(fake.requests({ path: '/pdfgorilla/files/', withHeader: 'authorization' })).toHaveLength(0);
		expect(fake.requests({ path: /\/jobs\/nope$/ })).toHaveLength(1);
		expect(download.host).toBe(`127.0.0.1:${fake.port}`);
	});

	test('unknown paths get 404 in the service error format', async () => {
		const res = await call(ca, fake.url('/docgenlab/api/v1/nothing'));
		expect(res.status).toBe(404);
		expect(res.json).toEqual({ detail: 'Not Found' });
		const other = await call(ca, fake.url('/elsewhere'));
		expect(other.status).toBe(404);
	});

	test('PDF downloads stream with Content-Length and support a Range', async () => {
		const url = gorillaFile(200_000);
		const full = await readAll(url);
		expect(full.res.headers['content-length']).toBe('200000');
		expect(full.res.headers['accept-ranges']).toBe('bytes');
		expect(createHash('sha256').update(full.body).digest('hex')).toBe(await pdfSha256(200_000, 'Invoice job-200000'));
		const part = await readAll(url, { Range: 'bytes=100-199' });
		expect(part.res.statusCode).toBe(206);
		expect(part.res.headers['content-range']).toBe('bytes 100-199/200000');
		expect(part.body.equals(full.body.subarray(100, 200))).toBe(true);
	});

	test('close() destroys open sockets instead of waiting for them', async () => {
		const { fake: other } = await startFake();
		// A request the fake holds open for a minute: server.close() alone would wait for it.
		other.faults.add({ service: 'pdfgorilla' }, { delayMs: 60_000 });
		const pending = openRequest(other.url('/pdfgorilla/files/x'), { ca: ca.caPem });
		await other.waitForRequest({ service: 'pdfgorilla' });
		// Resolves only because the held socket is destroyed (else jest's timeout ends the test).
		await other.close();
		await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
		await expect(openRequest(other.url('/pdfgorilla/files/x'), { ca: ca.caPem, timeoutMs: 2000 })).rejects.toThrow(/ECONNREFUSED/);
	});
});

describe('fault injection', () => {
	test('status faults: consumed in order, N times, with Retry-After and the service error body', async () => {
		const h = fake.faults.add({ service: 'docgenlab', pathPrefix: '/templates/' }, { status: 429, times: 2, retryAfter: 7 });
		fake.faults.add({ service: 'docgenlab', pathPrefix: '/templates/' }, { status: 503 });
		const url = fake.url('/docgenlab/api/v1/templates/');
		const headers = { 'X-API-Key': fake.credentials.docgenlab.apiKey };
		const r1 = await call(ca, url, { headers });
		const r2 = await call(ca, url, { headers });
		const r3 = await call(ca, url, { headers });
		const r4 = await call(ca, url, { headers });
		expect([r1.status, r2.status, r3.status, r4.status]).toEqual([429, 429, 503, 200]);
		expect(r1.json).toEqual({ detail: 'Rate limit exceeded. Try again later.' });
		expect(r1.headers['retry-after']).toBe('7');
		expect(h.hits).toBe(2);
		expect(h.remaining).toBe(0);
		expect(fake.faults.pending()).toHaveLength(0);
		expect(fake.requests().map((r) => r.fault !== undefined)).toEqual([true, true, true, false]);
	});

	test('matchers: absolute or service-relative prefix, regex, method', async () => {
		fake.faults.add({ service: 'pdfgorilla', pathPrefix: '/files/' }, { status: 500 });
		fake.faults.add({ pathPrefix: '/pdfgorilla/files/' }, { status: 502 });
		fake.faults.add({ regex: /\/files\/[^/]+$/, method: 'POST' }, { status: 504 });
		const url = gorillaFile();
		expect((await call(ca, url)).status).toBe(500);
		expect((await call(ca, url)).status).toBe(502);
		expect((await call(ca, url)).status).toBe(200); // the POST-only fault does not match a GET
		expect(fake.faults.pending()).toHaveLength(1);
	});

	test('resetMidBody: full Content-Length, half the body, then the socket dies', async () => {
		const url = gorillaFile(100_000);
		fake.faults.add({ service: 'pdfgorilla', pathPrefix: '/files/' }, { resetMidBody: true });
		const r = await readAll(url);
		expect(r.res.headers['content-length']).toBe('100000');
		expect(r.complete).toBe(false);
		expect(r.body.length).toBeLessThanOrEqual(50_000);
		const again = await readAll(url);
		expect(again.complete).toBe(true);
		expect(again.body.length).toBe(100_000);
	});

	test('truncate: fewer bytes than Content-Length, then the connection ends', async () => {
		const url = gorillaFile(100_000);
		fake.faults.add({ service: 'pdfgorilla', pathPrefix: '/files/' }, { truncate: true, bytes: 1234 });
		const r = await readAll(url);
		expect(r.res.headers['content-length']).toBe('100000');
		expect(r.complete).toBe(false);
		expect(r.body.length).toBe(1234);
		expect(fake.requests({ path: '/pdfgorilla/files/' })[0].completed).toBe(false);
	});

	test('truncate works on streamed ZIPs too', async () => {
		fake.faults.add({ service: 'reportflow', pathPrefix: '/v1/file/download/' }, { truncate: true, bytes: 100 });
		const r = await openRequest(fake.url('/reportflow/v1/file/download/uuid_456'), { ca: ca.caPem, headers: { appkey: fake.credentials.reportflow.appKey } });
		let n = 0;
		await new Promise<void>((resolve) => {
			r.on('data', (c: Buffer) => (n += c.length));
			r.on('error', () => resolve());
			r.on('close', () => resolve());
		});
		expect(n).toBe(100);
		expect(Number(r.headers['content-length'])).toBeGreaterThan(100);
	});

	test('redirectTo: 302 by default, or the given status', async () => {
		const target = gorillaFile();
		fake.faults.add({ service: 'pdfsign', pathPrefix: '/storage/' }, { redirectTo: target });
		fake.faults.add({ service: 'pdfsign', pathPrefix: '/storage/' }, { redirectTo: target, status: 307 });
		const url = fake.examplePayloads.pdfsign.generated().data.pdf_url as string;
		const r1 = await call(ca, url);
		const r2 = await call(ca, url);
		expect([r1.status, r2.status]).toEqual([302, 307]);
		expect(r1.headers.location).toBe(target);
	});

	test('delayMs delays, then serves normally', async () => {
		fake.faults.add({ service: 'docflo' }, { delayMs: 300 });
		const t = Date.now();
		const r = await call(ca, fake.url('/docflo/docs/v1/document'), { headers: { 'x-tenant-id': fake.credentials.docflo.tenantId, apiKey: fake.credentials.docflo.apiKey } });
		// A lower bound: the delay happened (timers may fire a little early, hence 280 for 300).
		expect(Date.now() - t).toBeGreaterThanOrEqual(280);
		expect(r.status).toBe(200);
	});

	test('wrongContentType keeps the body; notPdf serves HTML with 200', async () => {
		const url = gorillaFile(5000);
		fake.faults.add({ service: 'pdfgorilla', pathPrefix: '/files/' }, { wrongContentType: true });
		fake.faults.add({ service: 'pdfgorilla', pathPrefix: '/files/' }, { wrongContentType: 'application/octet-stream' });
		fake.faults.add({ service: 'pdfgorilla', pathPrefix: '/files/' }, { notPdf: true });
		const a = await call(ca, url);
		const b = await call(ca, url);
		const c = await call(ca, url);
		expect(a.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(a.body.subarray(0, 5).toString()).toBe('%PDF-');
		expect(b.headers['content-type']).toBe('application/octet-stream');
		expect(c.status).toBe(200);
		expect(c.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(c.text).toContain('<html>');
		expect(c.headers['content-disposition']).toBeUndefined();
	});

	test('custom body and headers on a status fault', async () => {
		fake.faults.add({ service: 'pdfgorilla' }, { status: 503, body: 'upstream down', headers: { 'X-Why': 'test' } });
		const r = await call(ca, fake.url('/pdfgorilla/api/v1/jobs/x'));
		expect(r.status).toBe(503);
		expect(r.text).toBe('upstream down');
		expect(r.headers['x-why']).toBe('test');
	});

	test('remove() and Infinity', async () => {
		const h = fake.faults.add({ service: 'pdfgorilla' }, { status: 500, times: Infinity });
		const url = fake.url('/pdfgorilla/api/v1/jobs/x');
		expect((await call(ca, url)).status).toBe(500);
		expect((await call(ca, url)).status).toBe(500);
		h.remove();
		expect((await call(ca, url)).status).toBe(401);
	});
});
