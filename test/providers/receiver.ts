import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse, createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** A request received by a WebhookReceiver. */
export interface ReceivedRequest {
	method: string;
	/** Path + query. */
	url: string;
	headers: IncomingHttpHeaders;
	rawHeaders: string[];
	/** Exact bytes received. */
	body: Buffer;
	text: string;
}

export interface ReceiverResponse {
	status: number;
	body?: string;
	headers?: Record<string, string>;
}

export interface WebhookReceiver {
	/** Base URL, e.g. http://127.0.0.1:PORT/hook */
	url: string;
	received: ReceivedRequest[];
	/** Queue responses for the next requests (default afterwards: 200 {"received":true}). */
	respondWith(...responses: ReceiverResponse[]): void;
	/** Resolves with the n-th (1-based, default 1) received request, waiting if needed. */
	waitFor(n?: number, timeoutMs?: number): Promise<ReceivedRequest>;
	close(): Promise<void>;
}

/**
 * A tiny HTTP(S) endpoint that records what it receives: stands in for n8n in unit tests of the
 * fake services' own webhook deliveries.
 */
export async function startWebhookReceiver(options: { tls?: { certPem: string; keyPem: string }; path?: string } = {}): Promise<WebhookReceiver> {
	const received: ReceivedRequest[] = [];
	const queue: ReceiverResponse[] = [];
	const sockets = new Set<Socket>();
	const handler = (req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			received.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, rawHeaders: req.rawHeaders, body, text: body.toString('utf8') });
			const r = queue.shift() ?? { status: 200, body: '{"received":true}' };
			res.writeHead(r.status, { 'Content-Type': 'application/json', ...r.headers });
			res.end(r.body ?? '');
		});
	};
	const server = options.tls ? createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, handler) : createHttpServer(handler);
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}${options.path ?? '/hook'}`,
		received,
		respondWith: (...responses) => queue.push(...responses),
		async waitFor(n = 1, timeoutMs = 10_000) {
			const deadline = Date.now() + timeoutMs;
			while (received.length < n) {
				if (Date.now() > deadline) throw new Error(`receiver: expected ${n} request(s), got ${received.length}`);
				await new Promise((r) => setTimeout(r, 10));
			}
			return received[n - 1];
		},
		async close() {
			const closing = new Promise<void>((resolve) => server.close(() => resolve()));
			for (const s of sockets) s.destroy();
			await closing;
		},
	};
}
