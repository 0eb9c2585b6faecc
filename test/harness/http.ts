import { request as httpReq, type IncomingHttpHeaders } from 'node:http';
import { request as httpsReq } from 'node:https';

export interface HttpResponse {
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
	text: string;
	json(): unknown;
}

export interface HttpOptions {
	method?: string;
	headers?: Record<string, string>;
	body?: Buffer | string;
	timeoutMs?: number;
	ca?: string | Buffer;
}

/** A plain HTTP(S) client that sends exactly the bytes and headers given (no JSON re-encoding). */
export function httpRequest(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
	const target = new URL(url);
	const send = target.protocol === 'https:' ? httpsReq : httpReq;
	const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
	return new Promise((resolve, reject) => {
		const req = send(
			target,
			{
				method: options.method ?? 'GET',
				headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...options.headers },
				timeout: options.timeoutMs ?? 60_000,
				ca: options.ca,
				agent: false,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					const buf = Buffer.concat(chunks);
					const text = buf.toString('utf8');
					resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, text, json: () => JSON.parse(text) });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout after ${options.timeoutMs ?? 60_000} ms: ${options.method ?? 'GET'} ${url}`)));
		req.on('error', reject);
		req.end(body);
	});
}
