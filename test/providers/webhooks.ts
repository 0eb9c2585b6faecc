import { createHmac } from 'node:crypto';

import { type ClientResponse, httpRequest } from './http-client';
import { type ServiceName, isPlainObject } from './util';

/** Authorization a Docflo webhook can be configured with (the others send none). */
export type WebhookAuth =
	| { type: 'basic'; username: string; password: string }
	| { type: 'bearer'; token: string }
	| { type: 'apiKey'; key: string; /** default 'x-api-key' */ header?: string };

export interface SendWebhookOptions {
	/**
	 * pdfgorilla: the job's webhookSecret, HMAC key for x-pdfg-signature (required unless `signature` is given).
	 * docflo: the optional signing secret; when set, X-Docflo-Signature: sha256=<hex> is added.
	 * pdfsign: the endpoint's secret, sent verbatim as X-Webhook-Secret.
	 */
	secret?: string;
	/** Overrides the signature header value (pdfgorilla: hex; docflo: the whole 'sha256=…' value). */
	signature?: string;
	/** docflo: what the signature covers: the raw bytes sent (default) or JSON.stringify(JSON.parse(raw)) as Docflo's own example computes it. */
	docfloSignatureOver?: 'raw' | 'reserialized';
	/** pdfgorilla: x-pdfg-event-id (default payload.jobId). */
	eventId?: string;
	/** pdfsign: X-Webhook-Event (default payload.event). */
	event?: string;
	/** pdfsign: X-Webhook-Timestamp (default new Date().toISOString()). */
	timestamp?: string;
	/** docflo: Authorization / API-key header as configured on the webhook. */
	auth?: WebhookAuth;
	/** Extra headers; a null value removes a default header (e.g. to send an unsigned PDF Gorilla delivery). */
	headers?: Record<string, string | null>;
	/** Send these exact bytes instead of JSON.stringify(payload, null, space). Signatures cover them. */
	rawBody?: string | Buffer;
	/** Indentation for JSON.stringify (default: compact). */
	space?: number;
	method?: string;
	/** CA for https webhook URLs. */
	ca?: string | Buffer;
	timeoutMs?: number;
	/** Send from this loopback address (127.0.0.2: another sender than the default 127.0.0.1). */
	localAddress?: string;
}

export interface BuiltWebhook {
	method: string;
	headers: Record<string, string>;
	body: Buffer;
}

export function pdfGorillaSignature(secret: string, rawBody: Buffer | string): string {
	return createHmac('sha256', secret).update(rawBody).digest('hex');
}

export function docfloSignature(secret: string, signedBytes: Buffer | string): string {
	return 'sha256=' + createHmac('sha256', secret).update(signedBytes).digest('hex');
}

function field(payload: unknown, name: string): string | undefined {
	if (!isPlainObject(payload)) return undefined;
	const v = payload[name];
	return typeof v === 'string' ? v : undefined;
}

/** The exact request the service would send for this payload (method, headers with their wire case, raw body). */
export function buildWebhookRequest(service: ServiceName, payload: unknown, options: SendWebhookOptions = {}): BuiltWebhook {
	const body =
		options.rawBody !== undefined
			? Buffer.isBuffer(options.rawBody)
				? options.rawBody
				: Buffer.from(options.rawBody, 'utf8')
			: Buffer.from(JSON.stringify(payload, null, options.space), 'utf8');
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };

	switch (service) {
		case 'pdfgorilla': {
			const eventId = options.eventId ?? field(payload, 'jobId');
			if (eventId !== undefined) headers['x-pdfg-event-id'] = eventId;
			if (options.signature !== undefined) headers['x-pdfg-signature'] = options.signature;
			else if (options.secret !== undefined) headers['x-pdfg-signature'] = pdfGorillaSignature(options.secret, body);
			else if (options.headers?.['x-pdfg-signature'] !== null) {
				throw new Error('sendWebhook(pdfgorilla): deliveries are always signed; pass options.secret (or headers: {"x-pdfg-signature": null})');
			}
			break;
		}
		case 'docflo': {
			if (options.signature !== undefined) headers['X-Docflo-Signature'] = options.signature;
			else if (options.secret !== undefined) {
				const signed =
					options.docfloSignatureOver === 'reserialized' ? JSON.stringify(JSON.parse(body.toString('utf8'))) : body;
				headers['X-Docflo-Signature'] = docfloSignature(options.secret, signed);
			}
			break;
		}
		case 'pdfsign': {
			if (options.secret !== undefined) headers['X-Webhook-Secret'] = options.secret;
			const event = options.event ?? field(payload, 'event');
			if (event !== undefined) headers['X-Webhook-Event'] = event;
			headers['X-Webhook-Timestamp'] = options.timestamp ?? new Date().toISOString();
			break;
		}
		case 'reportflow':
		case 'docgenlab':
			break;
	}

	const auth = options.auth;
	if (auth?.type === 'basic') {
		headers['Authorization'] = 'Basic ' + Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64');
	} else if (auth?.type === 'bearer') {
		headers['Authorization'] = `Bearer ${auth.token}`;
	} else if (auth?.type === 'apiKey') {
		headers[auth.header ?? 'x-api-key'] = auth.key;
	}

	for (const [name, value] of Object.entries(options.headers ?? {})) {
		for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
		if (value !== null) headers[name] = value;
	}
	headers['Content-Length'] = String(body.length);
	return { method: options.method ?? 'POST', headers, body };
}

/** Delivers one webhook exactly as the service would (raw bytes, documented headers). */
export async function sendWebhook(
	service: ServiceName,
	url: string,
	payload: unknown,
	options: SendWebhookOptions = {},
): Promise<ClientResponse> {
	const built = buildWebhookRequest(service, payload, options);
	return httpRequest(url, {
		method: built.method,
		headers: built.headers,
		body: built.body,
		ca: options.ca,
		timeoutMs: options.timeoutMs ?? 30_000,
		localAddress: options.localAddress,
	});
}

/** One attempt of a webhook the fake providers sent on their own (after an API call). */
export interface WebhookDelivery {
	seq: number;
	service: ServiceName;
	url: string;
	event?: string;
	payload: unknown;
	/** 1 for the first attempt, 2.. for retries. */
	attempt: number;
	time: Date;
	headers: Record<string, string>;
	body: Buffer;
	/** Receiver's response status; undefined when the request failed (see `error`). */
	status?: number;
	responseBody?: string;
	error?: string;
}

export interface DeliveryFilter {
	service?: ServiceName;
	url?: string;
	event?: string;
}

/** What the services that retry treat as a failed delivery: anything but a 2xx, or no answer. */
export const retryUnless2xx = (status: number | undefined): boolean => status === undefined || status < 200 || status >= 300;

export interface RetryPolicy {
	/** Delays before retry 1, 2, ... (its length is the number of retries). */
	delaysMs: number[];
	/** Whether a result should be retried (default: network error or 5xx). */
	retryIf?: (status: number | undefined) => boolean;
}

/** Sends the webhooks the fake services emit on their own, and records every attempt. */
export class WebhookDispatcher {
	readonly deliveries: WebhookDelivery[] = [];
	private seq = 0;
	private pending = new Set<Promise<void>>();
	private waiters: { filter: (d: WebhookDelivery) => boolean; resolve: (d: WebhookDelivery) => void }[] = [];
	private closed = false;
	/** Public origin → the local origin that really answers it, as a tunnel or reverse proxy would route it. */
	private readonly tunnels = new Map<string, string>();

	constructor(private readonly ca?: string) {}

	/**
	 * Routes deliveries for `publicOrigin` (e.g. https://n8n.example.com, what n8n's WEBHOOK_URL
	 * says) to `localOrigin` (the n8n listening on loopback), as the tunnel in front of a
	 * self-hosted n8n does. Deliveries keep the public URL in their record.
	 */
	addTunnel(publicOrigin: string, localOrigin: string): void {
		this.tunnels.set(new URL(publicOrigin).origin, localOrigin.replace(/\/+$/, ''));
	}

	private routed(url: string): string {
		const parsed = new URL(url);
		const local = this.tunnels.get(parsed.origin);
		return local ? `${local}${parsed.pathname}${parsed.search}` : url;
	}

	dispatch(
		service: ServiceName,
		url: string,
		payload: unknown,
		options: SendWebhookOptions = {},
		retry: RetryPolicy = { delaysMs: [] },
	): Promise<void> {
		const run = async () => {
			const retryIf = retry.retryIf ?? ((s: number | undefined) => s === undefined || s >= 500);
			for (let attempt = 1; attempt <= retry.delaysMs.length + 1 && !this.closed; attempt++) {
				if (attempt > 1) await this.sleep(retry.delaysMs[attempt - 2]);
				if (this.closed) return;
				const built = buildWebhookRequest(service, payload, options);
				const delivery: WebhookDelivery = {
					seq: ++this.seq,
					service,
					url,
					event: field(payload, 'event') ?? field(payload, 'status'),
					payload,
					attempt,
					time: new Date(),
					headers: built.headers,
					body: built.body,
				};
				try {
					const res = await httpRequest(this.routed(url), {
						method: built.method,
						headers: built.headers,
						body: built.body,
						ca: options.ca ?? this.ca,
						timeoutMs: options.timeoutMs ?? 30_000,
					});
					delivery.status = res.status;
					delivery.responseBody = res.text;
				} catch (error) {
					delivery.error = (error as Error).message;
				}
				this.record(delivery);
				if (!retryIf(delivery.status)) return;
			}
		};
		const p = run().catch(() => undefined);
		this.pending.add(p);
		void p.finally(() => this.pending.delete(p));
		return p;
	}

	private record(delivery: WebhookDelivery): void {
		this.deliveries.push(delivery);
		this.waiters = this.waiters.filter((w) => {
			if (!w.filter(delivery)) return true;
			w.resolve(delivery);
			return false;
		});
	}

	list(filter: DeliveryFilter = {}): WebhookDelivery[] {
		return this.deliveries.filter((d) => matchesDelivery(d, filter));
	}

	/** Resolves with the first recorded attempt (past or future) matching the filter. */
	waitFor(filter: DeliveryFilter | ((d: WebhookDelivery) => boolean) = {}, timeoutMs = 10_000): Promise<WebhookDelivery> {
		const test = typeof filter === 'function' ? filter : (d: WebhookDelivery) => matchesDelivery(d, filter);
		const found = this.deliveries.find(test);
		if (found) return Promise.resolve(found);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.waiters = this.waiters.filter((w) => w.resolve !== done);
				reject(new Error(`no webhook delivery matched within ${timeoutMs} ms`));
			}, timeoutMs);
			const done = (d: WebhookDelivery) => {
				clearTimeout(timer);
				resolve(d);
			};
			this.waiters.push({ filter: test, resolve: done });
		});
	}

	/** Waits until no delivery (or retry) is in flight. */
	async idle(): Promise<void> {
		while (this.pending.size > 0) await Promise.all([...this.pending]);
	}

	clear(): void {
		this.deliveries.length = 0;
	}

	/** Stops retries and pending delays; attempts in flight finish on their own. */
	close(): void {
		this.closed = true;
		for (const [timer, resolve] of this.timers) {
			clearTimeout(timer);
			resolve();
		}
		this.timers.clear();
	}

	private timers = new Map<NodeJS.Timeout, () => void>();

	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.set(timer, resolve);
		});
	}
}

function matchesDelivery(d: WebhookDelivery, filter: DeliveryFilter): boolean {
	if (filter.service && d.service !== filter.service) return false;
	if (filter.url && d.url !== filter.url) return false;
	if (filter.event && d.event !== filter.event) return false;
	return true;
}
