import { request as httpRequestRaw, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequestRaw } from 'node:https';

export interface ClientOptions {
	method?: string;
	/** Sent exactly as given (names keep their case on the wire). */
	headers?: Record<string, string>;
	/** Raw body bytes; Content-Length is added unless given. */
	body?: Buffer | string;
	/** Extra CA (PEM) for https URLs, e.g. the test CA. */
	ca?: string | Buffer;
	timeoutMs?: number;
	/** The loopback address to send from (e.g. 127.0.0.2), so a test can play two senders. */
	localAddress?: string;
}

export interface ClientResponse {
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
	text: string;
	/** Parsed JSON body, or undefined when the body is not JSON. */
	json: unknown;
}

/** Sends one request and returns the response stream (no buffering): for large downloads. */
export function openRequest(url: string, options: ClientOptions = {}): Promise<IncomingMessage> {
	const target = new URL(url);
	const send = target.protocol === 'https:' ? httpsRequestRaw : httpRequestRaw;
	const body =
		options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
	const headers: Record<string, string> = { ...options.headers };
	if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
		headers['Content-Length'] = String(body.length);
	}
	const timeout = options.timeoutMs ?? 60_000;
	return new Promise((resolve, reject) => {
		const req = send(
			target,
			{ method: options.method ?? 'GET', headers, ca: options.ca, agent: false, timeout, localAddress: options.localAddress },
			resolve,
		);
		req.on('timeout', () => req.destroy(new Error(`timeout after ${timeout} ms: ${options.method ?? 'GET'} ${url}`)));
		req.on('error', reject);
		req.end(body);
	});
}

/** Sends one request and buffers the whole response. Rejects if the connection breaks mid-body. */
export async function httpRequest(url: string, options: ClientOptions = {}): Promise<ClientResponse> {
	const res = await openRequest(url, options);
	const chunks: Buffer[] = [];
	await new Promise<void>((resolve, reject) => {
		res.on('data', (c: Buffer) => chunks.push(c));
		res.on('error', reject);
		res.on('aborted', () => reject(new Error('response aborted')));
		res.on('end', () => (res.complete ? resolve() : reject(new Error('response ended before it was complete'))));
	});
	const body = Buffer.concat(chunks);
	const text = body.toString('utf8');
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.statusCode ?? 0, headers: res.headers, body, text, json };
}
