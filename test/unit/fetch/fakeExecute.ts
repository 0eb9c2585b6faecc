/**
 * A mocked IExecuteFunctions for the HTTP layer (core/fetch/transport.ts, download.ts):
 * `helpers.httpRequest` / `helpers.httpRequestWithAuthentication` answer from a script with
 * `{ statusCode, headers, body }` whose body is a real Node stream carrying
 * `socket.remoteAddress`, as n8n hands over an IncomingMessage; `helpers.prepareBinaryData`
 * really reads the stream, and only after an `await`, the way n8n's binary data service does.
 */
import { PassThrough, Readable, Writable } from 'node:stream';

import { mock } from 'jest-mock-extended';
import type { IBinaryData, IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../../core/fetch/retry';
import type { HttpCall } from '../../../core/fetch/transport';

/** A public address (not in any of urlPolicy's non-public ranges). */
export const PUBLIC_ADDRESS = '93.184.216.34';
export const API_ORIGIN = 'https://api.docs.example';
export const FILE_HOST = 'files.docs.example';
export const CDN_HOST = 'cdn.docs.example';

export const PDF_BYTES = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n', 'latin1');
export const ZIP_BYTES = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(60, 7)]);
export const HTML_BYTES = Buffer.from('<!DOCTYPE html><html><body>Please log in</body></html>');

/** Retries without waiting long; `sleep` is mocked in the tests anyway. */
export const FAST_RETRY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 };

export const NODE: INode = {
	id: '5f0e2a4c-0000-4000-8000-000000000002',
	name: 'PDF Gorilla',
	type: 'n8n-nodes-pdf-webhooks.pdfGorilla',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export function httpCall(overrides: Partial<HttpCall> = {}): HttpCall {
	return {
		service: 'PDF Gorilla',
		method: 'GET',
		url: `https://${FILE_HOST}/jobs/42/report.pdf?signature=sig-SECRET-1`,
		policy: { allowedHosts: [FILE_HOST, CDN_HOST, new URL(API_ORIGIN).hostname], allowPrivateNetwork: false },
		api: { credentialType: 'pdfGorillaApi', origin: API_ORIGIN, basePath: '' },
		timeoutMs: 5_000,
		retry: FAST_RETRY,
		retryOn: 'transient',
		itemIndex: 0,
		...overrides,
	};
}

export interface FakeResponseInit {
	status?: number;
	headers?: Record<string, string | string[]>;
	/** The body, as chunks that have already arrived on the socket before anyone reads. */
	body?: string | Buffer | Array<string | Buffer>;
	/** After the chunks, the connection breaks with this error instead of ending. */
	breakWith?: Error;
	/** socket.remoteAddress; null: the body has no socket at all. Default PUBLIC_ADDRESS. */
	remoteAddress?: string | null;
	/**
	 * Instead of `body`: a large body made only as it is read (see generatedBody), so a test can
	 * tell how much of it was ever held in memory at once.
	 */
	generated?: GeneratedBody;
}

/** `bytes` bytes starting with `head` (a file's magic), then filler, made chunk by chunk on demand. */
export interface GeneratedBody {
	bytes: number;
	head: Buffer;
}

/**
 * What the bytes of generated bodies did: `produced` by the fake socket, `stored` by
 * prepareBinaryData, and the most that was ever produced but not yet stored (held in memory
 * somewhere in between), sampled every time a chunk is made or stored.
 */
export interface ByteMeter {
	produced: number;
	stored: number;
	maxHeld: number;
}

const GENERATED_CHUNK = 64 * 1024;
const FILLER = Buffer.alloc(GENERATED_CHUNK, 0x20);

function sample(meter: ByteMeter): void {
	meter.maxHeld = Math.max(meter.maxHeld, meter.produced - meter.stored);
}

/** A Readable that makes the next chunk only when asked for one, counting what it made. */
function generatedBody(spec: GeneratedBody, meter: ByteMeter): Readable {
	let sent = 0;
	return new Readable({
		read() {
			if (sent >= spec.bytes) {
				this.push(null);
				return;
			}
			const size = Math.min(GENERATED_CHUNK, spec.bytes - sent);
			const chunk = sent === 0 ? Buffer.concat([spec.head, FILLER]).subarray(0, size) : FILLER.subarray(0, size);
			sent += size;
			meter.produced += size;
			sample(meter);
			this.push(chunk);
		},
	});
}

export type FakeBody = Readable & { socket?: { remoteAddress?: string } | null };

function chunksOf(body: FakeResponseInit['body']): Buffer[] {
	if (body === undefined) return [];
	const list = Array.isArray(body) ? body : [body];
	return list.map((chunk) => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'latin1')));
}

/**
 * A body stream. Without `breakWith` every chunk is written before the stream is handed out
 * (bytes already received), so a reader that starts late would miss whatever a flowing
 * stream emitted earlier. With `breakWith` the chunks come out as they are read and the
 * stream then fails, as a socket cut mid-body does.
 */
export function fakeBody(init: FakeResponseInit = {}, meter?: ByteMeter): FakeBody {
	const chunks = chunksOf(init.body);
	let stream: FakeBody;
	if (init.generated) {
		stream = generatedBody(init.generated, meter ?? { produced: 0, stored: 0, maxHeld: 0 }) as FakeBody;
	} else if (init.breakWith) {
		const error = init.breakWith;
		let index = 0;
		stream = new Readable({
			read() {
				if (index < chunks.length) this.push(chunks[index++]);
				else process.nextTick(() => this.destroy(error));
			},
		}) as FakeBody;
	} else {
		const passThrough = new PassThrough({ highWaterMark: 64 * 1024 });
		for (const chunk of chunks) passThrough.write(chunk);
		passThrough.end();
		stream = passThrough as FakeBody;
	}
	stream.socket = init.remoteAddress === null ? null : { remoteAddress: init.remoteAddress ?? PUBLIC_ADDRESS };
	return stream;
}

/** One scripted answer: a response, an error to throw, or a function of the request. */
export type Scripted = FakeResponseInit | Error | ((options: IHttpRequestOptions) => FakeResponseInit | Error);

export interface RecordedRequest {
	/** 'auth': httpRequestWithAuthentication (credential attached); 'plain': httpRequest. */
	via: 'auth' | 'plain';
	credentialType?: string;
	options: IHttpRequestOptions;
	body?: FakeBody;
}

/**
 * How prepareBinaryData reads the stream, as the n8n binary data modes do:
 * - 'iterate': `fs.writeFile(path, stream)` (filesystem mode, n8n 2.x's default): async iteration.
 * - 'pipe': `stream.pipe(writable)`.
 * - 'listen': n8n's streamToBuffer (n8n 1.x's default in-memory mode, 2.x database and
 *   in-memory modes): `on('data')` / `on('end')` / `once('error')`, with 2.x's idle timeout.
 */
export type Consumer = 'iterate' | 'pipe' | 'listen';

export interface ExecuteInit {
	responses?: Scripted[];
	consumer?: Consumer;
	/** How long prepareBinaryData awaits before it starts reading (n8n's lookups and service calls). */
	readDelayMs?: number;
	/** Idle timeout of the 'listen' consumer. */
	idleTimeoutMs?: number;
	/** Present: helpers.getSecureEgressFilter exists (n8n 2.x), answering with this verdict. */
	egressFilter?: (url: URL) => { ok: boolean; error?: Error };
	/**
	 * 'keep' (default): prepareBinaryData keeps the bytes (env.stored), from a stream or a Buffer.
	 * 'streamOnly': as n8n's filesystem mode writes a stream to a file: it refuses a Buffer (the file
	 * was read whole into memory before n8n got it), counts the bytes it reads into the meter and
	 * keeps none of them.
	 */
	store?: 'keep' | 'streamOnly';
}

async function consume(stream: Readable, consumer: Consumer, idleTimeoutMs: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	if (consumer === 'iterate') {
		for await (const chunk of stream) chunks.push(chunk as Buffer);
		return Buffer.concat(chunks);
	}
	if (consumer === 'pipe') {
		return await new Promise<Buffer>((resolve, reject) => {
			const sink = new Writable({
				write(chunk: Buffer, _encoding, callback) {
					chunks.push(chunk);
					callback();
				},
			});
			stream.once('error', reject);
			stream.once('close', () => {
				if (!stream.readableEnded) reject(new Error('Stream closed before completing'));
			});
			sink.once('finish', () => resolve(Buffer.concat(chunks)));
			stream.pipe(sink);
		});
	}
	return await new Promise<Buffer>((resolve, reject) => {
		let settled = false;
		let timer: NodeJS.Timeout | undefined;
		const settle = (action: () => void) => {
			if (settled) return;
			settled = true;
			if (timer) clearTimeout(timer);
			action();
		};
		const arm = () => {
			if (timer) clearTimeout(timer);
			timer = setTimeout(() => {
				stream.destroy();
				settle(() => reject(new Error(`Response body timed out after ${idleTimeoutMs}ms without data`)));
			}, idleTimeoutMs);
		};
		stream.on('data', (chunk: Buffer) => {
			chunks.push(chunk);
			arm();
		});
		stream.once('end', () => settle(() => resolve(Buffer.concat(chunks))));
		stream.once('error', (cause: Error) => settle(() => reject(cause)));
		stream.once('close', () => settle(() => reject(new Error('Stream closed before completing'))));
		arm();
	});
}

/** prepareBinaryData for store 'streamOnly': bytes are counted as they are read, and dropped. */
async function storeStreamOnly(input: Buffer | Readable, meter: ByteMeter, fileName?: string, mimeType?: string): Promise<IBinaryData> {
	if (Buffer.isBuffer(input)) throw new Error(`prepareBinaryData got a Buffer of ${input.length} bytes: the file was read whole into memory before n8n got it`);
	let bytes = 0;
	for await (const chunk of input) {
		bytes += (chunk as Buffer).length;
		meter.stored += (chunk as Buffer).length;
		sample(meter);
	}
	return { data: 'filesystem-v2', id: `filesystem-v2:${bytes}`, mimeType: mimeType ?? 'text/plain', fileName, fileSize: `${bytes} B`, bytes };
}

export function createExecuteContext(init: ExecuteInit = {}) {
	const queue = [...(init.responses ?? [])];
	const requests: RecordedRequest[] = [];
	const stored: Buffer[] = [];
	const logs: string[] = [];
	const consumer = init.consumer ?? 'iterate';
	const meter: ByteMeter = { produced: 0, stored: 0, maxHeld: 0 };

	const answer = (via: RecordedRequest['via'], options: IHttpRequestOptions, credentialType?: string) => {
		// A snapshot: the transport builds a fresh object per hop, but be safe against reuse.
		const recorded: RecordedRequest = { via, credentialType, options: { ...options, headers: { ...(options.headers ?? {}) } } };
		requests.push(recorded);
		const next = queue.shift();
		if (next === undefined) throw new Error(`Unexpected request #${requests.length}: ${options.method ?? 'GET'} ${options.url}`);
		const scripted = typeof next === 'function' ? next(options) : next;
		if (scripted instanceof Error) throw scripted;
		const body = fakeBody(scripted, meter);
		recorded.body = body;
		return { statusCode: scripted.status ?? 200, headers: scripted.headers ?? {}, body };
	};

	const httpRequest = jest.fn(async (options: IHttpRequestOptions) => answer('plain', options));
	const httpRequestWithAuthentication = jest.fn(async function (this: unknown, credentialType: string, options: IHttpRequestOptions) {
		return answer('auth', options, credentialType);
	});
	const prepareBinaryData = jest.fn(async (input: Buffer | Readable, fileName?: string, mimeType?: string): Promise<IBinaryData> => {
		// n8n looks up the MIME type and reaches the binary data service before it reads a byte.
		await new Promise((resolve) => setTimeout(resolve, init.readDelayMs ?? 10));
		if (init.store === 'streamOnly') return await storeStreamOnly(input, meter, fileName, mimeType);
		const buffer = Buffer.isBuffer(input) ? input : await consume(input, consumer, init.idleTimeoutMs ?? 300);
		stored.push(buffer);
		return {
			data: buffer.toString('base64'),
			mimeType: mimeType ?? 'text/plain',
			fileName,
			fileSize: `${buffer.length} B`,
			bytes: buffer.length,
		};
	});
	const validateUrl = jest.fn(async (url: URL) => init.egressFilter!(url));
	const getSecureEgressFilter = jest.fn((_mode: string) => ({ validateUrl }));

	const helpers: Record<string, unknown> = { httpRequest, httpRequestWithAuthentication, prepareBinaryData };
	if (init.egressFilter) helpers.getSecureEgressFilter = getSecureEgressFilter;

	const log = (message: string, _metadata?: unknown) => {
		logs.push(message);
	};
	const logger = { info: jest.fn(log), warn: jest.fn(log), error: jest.fn(log), debug: jest.fn(log), verbose: jest.fn(log) };

	const ctx = mock<IExecuteFunctions>({ getNode: () => NODE });
	// Assigned afterwards: mock() would wrap nested objects in proxies that invent every missing
	// member, and whether helpers.getSecureEgressFilter exists is what tells n8n 2.x from 1.x.
	ctx.logger = logger as unknown as IExecuteFunctions['logger'];
	ctx.helpers = helpers as unknown as IExecuteFunctions['helpers'];

	return {
		ctx,
		requests,
		stored,
		meter,
		logs,
		logger,
		httpRequest,
		httpRequestWithAuthentication,
		prepareBinaryData,
		getSecureEgressFilter,
		validateUrl,
		/** Scripted answers not yet used. */
		remaining: () => queue.length,
	};
}

/** Runs `promise`, expecting it to reject, and returns the rejection. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
	try {
		await promise;
	} catch (error) {
		return error as Error & Record<string, unknown>;
	}
	throw new Error('Expected a rejection, but the promise resolved');
}

/** System error codes n8n would replace a message containing them with a generic sentence. */
export const N8N_REWORDED_CODES = [
	'ECONNREFUSED',
	'ECONNRESET',
	'ENOTFOUND',
	'ETIMEDOUT',
	'ERRADDRINUSE',
	'EADDRNOTAVAIL',
	'ECONNABORTED',
	'EHOSTUNREACH',
	'EAI_AGAIN',
	'ENOENT',
	'EISDIR',
	'ENOTDIR',
	'EACCES',
	'EEXIST',
	'EPERM',
	'GETADDRINFO',
];

export function networkError(code: string, message = `connect ${code} 10.1.2.3:443`): Error {
	return Object.assign(new Error(message), { code });
}
