/**
 * core/fetch/download.ts against a mocked n8n: real streams in, a prepareBinaryData that
 * really reads them (late, after an await, as n8n does), sleep from n8n-workflow recorded
 * instead of waited.
 */
import { NodeOperationError, sleep } from 'n8n-workflow';

import {
	downloadToBinary,
	fileNameFromDisposition,
	fileNameFromUrl,
	formatBytes,
	sanitizeFileName,
	type DownloadOptions,
} from '../../../core/fetch/download';
import {
	CDN_HOST,
	createExecuteContext,
	fakeBody,
	FILE_HOST,
	httpCall,
	HTML_BYTES,
	N8N_REWORDED_CODES,
	networkError,
	PDF_BYTES,
	rejectionOf,
	ZIP_BYTES,
	type ExecuteInit,
	type Scripted,
} from './fakeExecute';
import type { HttpCall } from '../../../core/fetch/transport';

jest.mock('n8n-workflow', () => ({
	...jest.requireActual<Record<string, unknown>>('n8n-workflow'),
	sleep: jest.fn(async () => undefined),
}));

const sleepMock = jest.mocked(sleep);

beforeEach(() => {
	sleepMock.mockClear();
});

function ok(body: Buffer | Array<string | Buffer>, headers: Record<string, string> = {}): Scripted {
	const length = Array.isArray(body) ? body.reduce((sum, chunk) => sum + Buffer.byteLength(chunk, 'latin1'), 0) : body.length;
	return { status: 200, headers: { 'content-length': String(length), ...headers }, body };
}

async function download(responses: Scripted[], options: DownloadOptions = {}, call: Partial<HttpCall> = {}, init: ExecuteInit = {}) {
	const env = createExecuteContext({ ...init, responses });
	const promise = downloadToBinary(env.ctx, httpCall(call), options);
	return { env, promise };
}

function expectWordedWithoutCodes(message: string): void {
	for (const code of N8N_REWORDED_CODES) expect(message.toUpperCase()).not.toContain(code);
}

describe('downloadToBinary: streaming into n8n binary data', () => {
	it.each(['iterate', 'pipe'] as const)(
		'hands every byte to a prepareBinaryData that starts reading late (%s consumer)',
		async (consumer) => {
			const chunks = [PDF_BYTES.subarray(0, 3), PDF_BYTES.subarray(3, 20), PDF_BYTES.subarray(20)];
			const { env, promise } = await download([ok(chunks)], { expectedFormat: 'pdf' }, {}, { consumer, readDelayMs: 30 });
			const file = await promise;
			expect(env.stored).toHaveLength(1);
			expect(env.stored[0].equals(PDF_BYTES)).toBe(true);
			expect(file.bytes).toBe(PDF_BYTES.length);
			expect(Buffer.from(file.binary.data, 'base64').equals(PDF_BYTES)).toBe(true);
			expect(env.prepareBinaryData).toHaveBeenCalledTimes(1);
		},
	);

	it('hands over a large multi-chunk body intact', async () => {
		const big = Buffer.concat([PDF_BYTES, Buffer.alloc(3 * 1024 * 1024, 0x41)]);
		const chunks: Buffer[] = [];
		for (let offset = 0; offset < big.length; offset += 256 * 1024) chunks.push(big.subarray(offset, offset + 256 * 1024));
		const { env, promise } = await download([ok(chunks)], { expectedFormat: 'pdf' }, {}, { readDelayMs: 20 });
		const file = await promise;
		expect(file.bytes).toBe(big.length);
		expect(env.stored[0].equals(big)).toBe(true);
	});

	it('(control) the fake really catches lost chunks: a flowing observer without pause() starves a late reader', async () => {
		const env = createExecuteContext({ readDelayMs: 20 });
		const body = fakeBody({ body: PDF_BYTES });
		let observed = 0;
		body.on('data', (chunk: Buffer) => {
			observed += chunk.length;
		});
		const binary = await env.ctx.helpers.prepareBinaryData(body, 'x.pdf', 'application/pdf');
		expect(observed).toBe(PDF_BYTES.length);
		expect(binary.bytes).toBe(0);
	});

	// Regression (fixed in 0813c7f): download.ts pauses the body and adds its byte-counting 'data'
	// listener before handing the stream to prepareBinaryData; a stream pause()d on purpose does not
	// start flowing when another 'data' listener arrives, and n8n's streamToBuffer (1.x's default
	// in-memory mode, 2.x's database and default modes) reads with on('data') and never resumes it, so
	// the download stalled until a timeout. download.ts now resumes the body when that listener comes.
	test("works when n8n reads the stream with on('data') (1.x default mode, 2.x database mode)", async () => {
		const { env, promise } = await download([ok(PDF_BYTES)], { expectedFormat: 'pdf' }, {}, { consumer: 'listen', idleTimeoutMs: 200 });
		const file = await promise;
		expect(file.bytes).toBe(PDF_BYTES.length);
		expect(env.stored[0].equals(PDF_BYTES)).toBe(true);
	});

	it('returns the byte count, the final URL without its query, and sets fileName and mimeType on the binary', async () => {
		const { promise } = await download([ok(PDF_BYTES, { 'content-type': 'application/octet-stream' })], { expectedFormat: 'pdf' });
		const file = await promise;
		expect(file).toMatchObject({
			bytes: PDF_BYTES.length,
			fileName: 'report.pdf',
			mimeType: 'application/pdf',
			sourceUrl: `https://${FILE_HOST}/jobs/42/report.pdf`,
		});
		expect(file.binary.fileName).toBe('report.pdf');
		expect(file.binary.mimeType).toBe('application/pdf');
	});
});

describe('downloadToBinary: the promised format, checked on the first bytes', () => {
	it('accepts a PDF whose magic is split across chunks', async () => {
		const { promise } = await download([ok(['%P', 'DF', '-1.7\n', PDF_BYTES.subarray(9)])], { expectedFormat: 'pdf' });
		await expect(promise).resolves.toMatchObject({ mimeType: 'application/pdf' });
	});

	it.each(['iterate', 'pipe'] as const)('refuses an HTML page where a PDF was promised, naming the service (%s consumer)', async (consumer) => {
		const { env, promise } = await download(
			[ok(HTML_BYTES, { 'content-type': 'application/pdf' })],
			{ expectedFormat: 'pdf' },
			{},
			{ consumer },
		);
		const error = await rejectionOf(promise);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('PDF Gorilla');
		expect(error.message).toMatch(/is not a PDF/);
		expect(error.message).toContain('<!DO');
		// A wrong file is our refusal, not a transfer problem: not retried.
		expect(env.requests).toHaveLength(1);
		expect(sleepMock).not.toHaveBeenCalled();
	});

	it('refuses a body shorter than the magic', async () => {
		const { env, promise } = await download([ok(Buffer.from('%PD'))], { expectedFormat: 'pdf' });
		const error = await rejectionOf(promise);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/PDF Gorilla.*not a PDF \(3 bytes\)/);
		expect(env.requests).toHaveLength(1);
	});

	it('refuses an empty body where a PDF was promised', async () => {
		const { promise } = await download([ok(Buffer.alloc(0))], { expectedFormat: 'pdf' });
		expect((await rejectionOf(promise)).message).toMatch(/not a PDF \(0 bytes\)/);
	});

	it('accepts a ZIP archive and types it application/zip whatever the server says', async () => {
		const { promise } = await download(
			[ok(ZIP_BYTES, { 'content-type': 'text/plain', 'content-disposition': 'attachment; filename="batch.zip"' })],
			{ expectedFormat: 'zip' },
		);
		await expect(promise).resolves.toMatchObject({ mimeType: 'application/zip', fileName: 'batch.zip', bytes: ZIP_BYTES.length });
	});

	it('refuses a PDF where a ZIP archive was promised', async () => {
		const { promise } = await download([ok(PDF_BYTES)], { expectedFormat: 'zip' });
		const error = await rejectionOf(promise);
		expect(error.message).toMatch(/PDF Gorilla.*is not a ZIP archive/);
	});

	it('accepts anything when no format is promised', async () => {
		const { promise } = await download([ok(HTML_BYTES, { 'content-type': 'text/html; charset=utf-8' })]);
		await expect(promise).resolves.toMatchObject({ mimeType: 'text/html', bytes: HTML_BYTES.length });
	});
});

describe('downloadToBinary: sizes', () => {
	it('retries a body shorter than Content-Length as a transfer failure, then says so in words', async () => {
		const short = { status: 200, headers: { 'content-length': String(PDF_BYTES.length + 40) }, body: PDF_BYTES };
		const { env, promise } = await download([short, short, short], { expectedFormat: 'pdf' });
		const error = await rejectionOf(promise);
		expect(env.requests).toHaveLength(3);
		expect(sleepMock).toHaveBeenCalledTimes(2);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('PDF Gorilla');
		expect(error.message).toContain(`the transfer ended after ${PDF_BYTES.length} of ${PDF_BYTES.length + 40} bytes`);
		expect(error.message).toContain('after 3 attempts');
		expectWordedWithoutCodes(error.message);
		expect(String(error.description)).toContain('retried automatically');
	});

	it('succeeds when the retry after a short body gets the whole file', async () => {
		const short = { status: 200, headers: { 'content-length': String(PDF_BYTES.length) }, body: PDF_BYTES.subarray(0, 20) };
		const { env, promise } = await download([short, ok(PDF_BYTES)], { expectedFormat: 'pdf' });
		const file = await promise;
		expect(file.bytes).toBe(PDF_BYTES.length);
		expect(env.requests).toHaveLength(2);
		expect(env.stored[1].equals(PDF_BYTES)).toBe(true);
		expect(env.logs.join('\n')).toMatch(/PDF Gorilla: attempt 1 failed \(the transfer ended after 20 of \d+ bytes\)/);
	});

	it('retries a connection cut mid-body and words the final error without codes', async () => {
		const cut = (): Scripted => ({
			status: 200,
			headers: { 'content-length': String(PDF_BYTES.length) },
			body: [PDF_BYTES.subarray(0, 10)],
			breakWith: networkError('ECONNRESET', 'aborted'),
		});
		const { env, promise } = await download([cut(), cut(), cut()], { expectedFormat: 'pdf' });
		const error = await rejectionOf(promise);
		expect(env.requests).toHaveLength(3);
		expect(error.message).toMatch(/PDF Gorilla could not be reached or the transfer broke after 3 attempts: the connection was reset/);
		expectWordedWithoutCodes(error.message);
	});

	it('does not retry a short body on a call that may have started work (declined)', async () => {
		const short = { status: 200, headers: { 'content-length': '500' }, body: PDF_BYTES };
		const { env, promise } = await download([short], { expectedFormat: 'pdf' }, { method: 'POST', retryOn: 'declined', body: { data: {} } });
		const error = await rejectionOf(promise);
		expect(env.requests).toHaveLength(1);
		expect(error.message).toContain(`the transfer ended after ${PDF_BYTES.length} of 500 bytes`);
		expectWordedWithoutCodes(error.message);
	});

	it('refuses a complete file (by Content-Length) of another size than announced, without retrying', async () => {
		const { env, promise } = await download([ok(PDF_BYTES)], { expectedFormat: 'pdf', expectedBytes: PDF_BYTES.length + 1 });
		const error = await rejectionOf(promise);
		expect(env.requests).toHaveLength(1);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('PDF Gorilla');
		expect(error.message).toContain(`received ${PDF_BYTES.length} bytes but PDF Gorilla announced ${PDF_BYTES.length + 1}`);
		expectWordedWithoutCodes(error.message);
	});

	it('retries a body without Content-Length that is not the announced size, then says so in words', async () => {
		const noLength = { status: 200, body: PDF_BYTES };
		const { env, promise } = await download([noLength, noLength, noLength], { expectedFormat: 'pdf', expectedBytes: PDF_BYTES.length + 1 });
		const error = await rejectionOf(promise);
		expect(env.requests).toHaveLength(3);
		expect(error.message).toContain('after 3 attempts');
		expect(error.message).toContain(`received ${PDF_BYTES.length} bytes but PDF Gorilla announced ${PDF_BYTES.length + 1}`);
		expectWordedWithoutCodes(error.message);
	});

	it('ignores an announced size of 0 (unknown)', async () => {
		const { promise } = await download([ok(PDF_BYTES)], { expectedFormat: 'pdf', expectedBytes: 0 });
		await expect(promise).resolves.toMatchObject({ bytes: PDF_BYTES.length });
	});

	it('accepts the announced size, also without Content-Length', async () => {
		const { promise } = await download([{ status: 200, body: PDF_BYTES }], { expectedFormat: 'pdf', expectedBytes: PDF_BYTES.length });
		await expect(promise).resolves.toMatchObject({ bytes: PDF_BYTES.length });
	});

	it('refuses by Content-Length above Max File Size before reading a byte', async () => {
		const declared = 5 * 1024 * 1024;
		const { env, promise } = await download(
			[{ status: 200, headers: { 'content-length': String(declared) }, body: PDF_BYTES }],
			{ expectedFormat: 'pdf', maxBytes: 1024 * 1024 },
		);
		const error = await rejectionOf(promise);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('PDF Gorilla: the file is 5.0 MB, more than the Max File Size of 1.0 MB');
		expect(env.prepareBinaryData).not.toHaveBeenCalled();
		expect(env.requests[0].body?.destroyed).toBe(true);
		expect(env.requests).toHaveLength(1);
	});

	it.each(['iterate', 'pipe'] as const)('stops a body without Content-Length once it passes Max File Size (%s consumer)', async (consumer) => {
		const chunk = Buffer.alloc(1024, 0x20);
		const body = [PDF_BYTES, ...Array.from({ length: 8 }, () => chunk)];
		const { env, promise } = await download([{ status: 200, body }], { expectedFormat: 'pdf', maxBytes: 4 * 1024 }, {}, { consumer });
		const error = await rejectionOf(promise);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('PDF Gorilla: the file is larger than the Max File Size of 4.0 KB');
		expect(env.requests).toHaveLength(1);
		expect(env.requests[0].body?.destroyed).toBe(true);
		expect(env.stored).toHaveLength(0);
	});

	it('accepts a file of exactly Max File Size, and 0 means no limit', async () => {
		const first = await download([ok(PDF_BYTES)], { maxBytes: PDF_BYTES.length });
		await expect(first.promise).resolves.toMatchObject({ bytes: PDF_BYTES.length });
		const second = await download([{ status: 200, body: PDF_BYTES }], { maxBytes: 0 });
		await expect(second.promise).resolves.toMatchObject({ bytes: PDF_BYTES.length });
	});

	it('ignores a Content-Length that is not a number', async () => {
		const { promise } = await download([{ status: 200, headers: { 'content-length': 'lots' }, body: PDF_BYTES }], { maxBytes: 10 * 1024 });
		await expect(promise).resolves.toMatchObject({ bytes: PDF_BYTES.length });
	});
});

describe('downloadToBinary: file name', () => {
	const disposition = "attachment; filename=\"plain name.pdf\"; filename*=UTF-8''Rechnung%20M%C3%A4rz%20%E2%82%AC.pdf";

	it('prefers the File Name option over everything', async () => {
		const { promise } = await download([ok(PDF_BYTES, { 'content-disposition': disposition })], { fileName: '  chosen.pdf  ' });
		await expect(promise).resolves.toMatchObject({ fileName: 'chosen.pdf' });
	});

	it("takes Content-Disposition's UTF-8 filename* over filename", async () => {
		const { env, promise } = await download([ok(PDF_BYTES, { 'content-disposition': disposition })]);
		await expect(promise).resolves.toMatchObject({ fileName: 'Rechnung März €.pdf' });
		expect(env.prepareBinaryData.mock.calls[0][1]).toBe('Rechnung März €.pdf');
	});

	it('takes filename when there is no filename*', async () => {
		const { promise } = await download([ok(PDF_BYTES, { 'content-disposition': 'attachment; filename="plain name.pdf"' })]);
		await expect(promise).resolves.toMatchObject({ fileName: 'plain name.pdf' });
	});

	it("falls back to the final URL's last path segment, after redirects", async () => {
		const { promise } = await download([
			{ status: 302, headers: { location: `https://${CDN_HOST}/store/Final%20Copy.pdf?X-Amz-Signature=abc` } },
			ok(PDF_BYTES),
		]);
		await expect(promise).resolves.toMatchObject({ fileName: 'Final Copy.pdf', sourceUrl: `https://${CDN_HOST}/store/Final%20Copy.pdf` });
	});

	it("is 'download' when the URL has no path", async () => {
		const { promise } = await download([ok(PDF_BYTES)], {}, { url: `https://${FILE_HOST}/` });
		await expect(promise).resolves.toMatchObject({ fileName: 'download' });
	});

	it('sanitises a Content-Disposition name with a path and control characters', async () => {
		const { promise } = await download([ok(PDF_BYTES, { 'content-disposition': 'attachment; filename="../../etc/pass\twd.pdf"' })]);
		await expect(promise).resolves.toMatchObject({ fileName: 'pass_wd.pdf' });
	});

	// Regression (fixed in 0813c7f): the File Name option (often an expression over event data, such as
	// PDF Gorilla's `${jobId}.pdf`) was used as typed, so a path or control character reached the
	// binary's file name; it is now cleaned like every other source.
	test('sanitises the File Name option like the other sources', async () => {
		const { promise } = await download([ok(PDF_BYTES)], { fileName: '../reports/2026\n04.pdf' });
		await expect(promise).resolves.toMatchObject({ fileName: '2026_04.pdf' });
	});
});

describe('fileNameFromDisposition', () => {
	it.each([
		["attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf", '€ rates.pdf'],
		["attachment; filename*=utf-8''a%2Fb.pdf", 'b.pdf'],
		['attachment; filename="quoted \\"name\\".pdf"', 'quoted _name_.pdf'],
		['attachment; filename=bare.pdf', 'bare.pdf'],
		['attachment; filename = spaced.pdf ; size=3', 'spaced.pdf'],
		['inline', undefined],
		[undefined, undefined],
	])('%p → %p', (header, expected) => {
		expect(fileNameFromDisposition(header)).toBe(expected);
	});

	it('falls back to filename when filename* is malformed percent-encoding', () => {
		expect(fileNameFromDisposition("attachment; filename*=UTF-8''%E2%82; filename=\"fallback.pdf\"")).toBe('fallback.pdf');
	});

	// Regression (fixed in 0813c7f): RFC 5987/6266 allow a language tag between the quotes
	// (UTF-8'en'…), which the pattern did not, so such a header gave no name at all.
	test("reads filename* with a language tag (UTF-8'en'…)", () => {
		expect(fileNameFromDisposition("attachment; filename*=UTF-8'en'%E2%82%AC%20rates.pdf")).toBe('€ rates.pdf');
	});
});

describe('fileNameFromUrl', () => {
	it.each([
		['https://h.example/a/b/Report%202026.pdf?sig=1', 'Report 2026.pdf'],
		['https://h.example/a/b/', 'b'],
		['https://h.example/', 'download'],
		['https://h.example/%E0%A4%A.pdf', '%E0%A4%A.pdf'],
		['https://h.example/x/..%2F..%2Fsecret.pdf', 'secret.pdf'],
		['https://h.example/x/%2E%2E', 'download'],
	])('%s → %s', (url, expected) => {
		expect(fileNameFromUrl(new URL(url))).toBe(expected);
	});
});

describe('sanitizeFileName', () => {
	it.each([
		['../../etc/passwd', 'passwd'],
		['C:\\Users\\me\\report.pdf', 'report.pdf'],
		['a\u0000b\u001fc\u007f.pdf', 'a_b_c_.pdf'],
		['line\nbreak\r.pdf', 'line_break_.pdf'],
		['what<>:"|?*.pdf', 'what_______.pdf'],
		['...hidden.pdf', 'hidden.pdf'],
		['.env', 'env'],
		['  spaced.pdf  ', 'spaced.pdf'],
		['..', ''],
	])('%p → %p', (input, expected) => {
		expect(sanitizeFileName(input)).toBe(expected);
	});

	it('cuts very long names to 200 characters', () => {
		expect(sanitizeFileName(`${'x'.repeat(500)}.pdf`)).toHaveLength(200);
	});

	// Regression (fixed in 0813c7f): leading dots were removed before surrounding spaces were trimmed,
	// so a space in front protected them: ' ..' (the URL segment '%20..') became '..'.
	test('removes leading dots that follow leading spaces', () => {
		expect(sanitizeFileName(' ..')).toBe('');
		expect(sanitizeFileName(' .htaccess')).toBe('htaccess');
		expect(fileNameFromUrl(new URL('https://h.example/files/%20..'))).toBe('download');
	});

	// Regression (fixed in 0813c7f): the 200-character cut counted UTF-16 code units and could leave a
	// lone surrogate, on which encodeURIComponent (Content-Disposition, mail attachments) throws.
	test('never leaves half a surrogate pair when cutting a long name', () => {
		const name = sanitizeFileName(`a${'😀'.repeat(150)}.pdf`);
		expect(() => encodeURIComponent(name)).not.toThrow();
	});
});

describe('downloadToBinary: MIME type', () => {
	it.each<[string, Record<string, string>, DownloadOptions, string]>([
		['the promised format wins over the header', { 'content-type': 'text/html' }, { expectedFormat: 'pdf' }, 'application/pdf'],
		['the declared type, without parameters, lower-cased', { 'content-type': 'Application/X-Custom; charset=UTF-8' }, {}, 'application/x-custom'],
		['octet-stream + .pdf name → application/pdf', { 'content-type': 'application/octet-stream' }, {}, 'application/pdf'],
		[
			'binary/octet-stream + .zip name → application/zip',
			{ 'content-type': 'binary/octet-stream' },
			{ fileName: 'bundle.ZIP' },
			'application/zip',
		],
		['octet-stream + unknown name → fallback', { 'content-type': 'application/octet-stream' }, { fileName: 'data.bin', fallbackMimeType: 'application/x-fallback' }, 'application/x-fallback'],
		['octet-stream + unknown name, no fallback → octet-stream', { 'content-type': 'application/octet-stream' }, { fileName: 'data.bin' }, 'application/octet-stream'],
		['no header + unknown name → fallback', {}, { fileName: 'data.bin', fallbackMimeType: 'application/x-fallback' }, 'application/x-fallback'],
		['no header, nothing else → octet-stream', {}, { fileName: 'data.bin' }, 'application/octet-stream'],
	])('%s', async (_title, headers, options, expected) => {
		const { env, promise } = await download([ok(PDF_BYTES, headers)], options);
		const file = await promise;
		expect(file.mimeType).toBe(expected);
		expect(file.binary.mimeType).toBe(expected);
		expect(env.prepareBinaryData.mock.calls[0][2]).toBe(expected);
	});
});

describe('formatBytes', () => {
	it.each([
		[0, '0 bytes'],
		[1023, '1023 bytes'],
		[1024, '1.0 KB'],
		[1536, '1.5 KB'],
		[1024 * 1024, '1.0 MB'],
		[25 * 1024 * 1024, '25.0 MB'],
	])('%i → %s', (bytes, expected) => {
		expect(formatBytes(bytes)).toBe(expected);
	});
});

describe('downloadToBinary: Total Timeout, formerly Overall Timeout (issue 15)', () => {
	it.each(['iterate', 'pipe'] as const)('stops a download that outlasts its overall deadline, however steadily it trickles (%s consumer)', async (consumer) => {
		let now = Date.parse('2026-12-04T00:00:00Z');
		// Every look at the clock is 100 s later: a server sending a chunk just inside the idle timeout.
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => (now += 100_000));
		try {
			const chunk = Buffer.alloc(1024, 0x20);
			const body = [PDF_BYTES, ...Array.from({ length: 8 }, () => chunk)];
			const { env, promise } = await download([{ status: 200, body }], { expectedFormat: 'pdf', totalTimeoutMs: 250_000 }, {}, { consumer });
			const error = await rejectionOf(promise);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('PDF Gorilla: the download took longer than the Total Timeout of 250 s, so it was stopped');
			expect(env.requests).toHaveLength(1);
		} finally {
			clock.mockRestore();
		}
	});

	it('0 or no Total Timeout: no deadline', async () => {
		const { promise } = await download([ok(PDF_BYTES)], { totalTimeoutMs: 0 });
		await expect(promise).resolves.toMatchObject({ bytes: PDF_BYTES.length });
	});
});
