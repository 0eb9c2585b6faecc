import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Server, createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

import { type Fault, FaultRegistry, describeFault } from './faults';
import type { ClientResponse } from './http-client';
import { type ExamplePayloads, createExamplePayloads } from './payloads';
import { type RecordedRequest, type RequestFilter, RequestContext, Router, filterRequests } from './router';
import { type ServiceEnv, type ServiceModule, TimerSet, reason } from './services/common';
import { type DocfloCredentials, DocfloService, type DocfloSettings } from './services/docflo';
import { type DocGenLabCredentials, DocGenLabService, type DocGenLabSettings } from './services/docgenlab';
import { type PdfGorillaCredentials, PdfGorillaService, type PdfGorillaSettings } from './services/pdfgorilla';
import { type PdfSignCredentials, PdfSignService, type PdfSignSettings } from './services/pdfsign';
import { type ReportFlowCredentials, ReportFlowService, type ReportFlowSettings } from './services/reportflow';
import { SERVICE_NAMES, type ServiceName } from './util';
import { type DeliveryFilter, type SendWebhookOptions, type WebhookDelivery, WebhookDispatcher, sendWebhook } from './webhooks';

export interface FakeCredentials {
	reportflow: ReportFlowCredentials;
	docgenlab: DocGenLabCredentials;
	docflo: DocfloCredentials;
	pdfgorilla: PdfGorillaCredentials;
	pdfsign: PdfSignCredentials;
}

/** The keys the fake accepts unless overridden (fake values, formatted like the real ones). */
export const DEFAULT_FAKE_CREDENTIALS: FakeCredentials = {
	reportflow: { appKey: 'ak_test_4f9c2e7d1a6b3c8e5f0a', workspaceId: 'ws_abc123' },
	docgenlab: { apiKey: 'dgl_test_7c1e9a4b2d8f6e3a5c0b' },
	docflo: { tenantId: 'tenant-test-01', apiKey: 'dfl_test_2b8e5c1a9d7f3e6b4a0c' },
	pdfgorilla: { apiKey: 'pdfg_test_9e3b7a1c5d2f8e4a6b0c' },
	pdfsign: { apiKey: 'pdfsign_3f1c2a9e-8b7d-4c6e-9a5f-1e2d3c4b5a69', userId: 'user-id' },
};

export interface FakeProvidersOptions {
	tls: { certPem: string; keyPem: string; /** Trusted for https webhook URLs the fake calls. */ caPem?: string };
	/** Listen address (default 127.0.0.1). */
	host?: '127.0.0.1' | string;
	/** Host name used in URLs the fake hands out (default: host). 'localhost' is covered by the test certificate too. */
	publicHost?: string;
	credentials?: { [S in ServiceName]?: Partial<FakeCredentials[S]> };
	reportflow?: Partial<ReportFlowSettings>;
	docgenlab?: Partial<DocGenLabSettings>;
	docflo?: Partial<DocfloSettings>;
	pdfgorilla?: Partial<PdfGorillaSettings>;
	pdfsign?: Partial<PdfSignSettings>;
	/** Request bodies above this are not stored beyond it (default 64 MiB). */
	maxBodyBytes?: number;
}

const PREFIXES: [string, ServiceName][] = [
	['/reportflow/', 'reportflow'],
	['/docgenlab/', 'docgenlab'],
	['/storage/docgenlab/', 'docgenlab'],
	['/docflo/', 'docflo'],
	['/pdfgorilla/', 'pdfgorilla'],
	['/pdfsign/', 'pdfsign'],
];

export function serviceForPath(path: string): ServiceName | undefined {
	return PREFIXES.find(([prefix]) => path.startsWith(prefix))?.[1];
}

export class FakeProviders {
	readonly credentials: FakeCredentials;
	readonly faults = new FaultRegistry();
	readonly reportflow: ReportFlowService;
	readonly docgenlab: DocGenLabService;
	readonly docflo: DocfloService;
	readonly pdfgorilla: PdfGorillaService;
	readonly pdfsign: PdfSignService;
	/** Payload builders bound to this fake (files they mention are registered here). */
	readonly examplePayloads: ExamplePayloads;
	/** Webhooks the fake sent on its own (after API calls), every attempt. */
	readonly webhooks: WebhookDispatcher;

	private readonly server: Server;
	private readonly router = new Router();
	private readonly sockets = new Set<Socket>();
	private readonly timers = new TimerSet();
	private readonly log: RecordedRequest[] = [];
	private readonly modules: Record<ServiceName, ServiceModule>;
	private seq = 0;
	private listening?: AddressInfo;
	private closed = false;

	constructor(private readonly options: FakeProvidersOptions) {
		const c = options.credentials ?? {};
		this.credentials = {
			reportflow: { ...DEFAULT_FAKE_CREDENTIALS.reportflow, ...c.reportflow },
			docgenlab: { ...DEFAULT_FAKE_CREDENTIALS.docgenlab, ...c.docgenlab },
			docflo: { ...DEFAULT_FAKE_CREDENTIALS.docflo, ...c.docflo },
			pdfgorilla: { ...DEFAULT_FAKE_CREDENTIALS.pdfgorilla, ...c.pdfgorilla },
			pdfsign: { ...DEFAULT_FAKE_CREDENTIALS.pdfsign, ...c.pdfsign },
		};
		this.webhooks = new WebhookDispatcher(options.tls.caPem);
		const env: ServiceEnv = {
			origin: () => this.origin,
			publicOrigin: () => this.publicOrigin,
			webhooks: this.webhooks,
			timers: this.timers,
		};
		this.reportflow = new ReportFlowService(env, this.credentials.reportflow, options.reportflow);
		this.docgenlab = new DocGenLabService(env, this.credentials.docgenlab, options.docgenlab);
		this.docflo = new DocfloService(env, this.credentials.docflo, options.docflo);
		this.pdfgorilla = new PdfGorillaService(env, this.credentials.pdfgorilla, options.pdfgorilla);
		this.pdfsign = new PdfSignService(env, this.credentials.pdfsign, options.pdfsign);
		this.modules = { reportflow: this.reportflow, docgenlab: this.docgenlab, docflo: this.docflo, pdfgorilla: this.pdfgorilla, pdfsign: this.pdfsign };
		for (const name of SERVICE_NAMES) this.modules[name].register(this.router);
		this.examplePayloads = createExamplePayloads(this);

		this.server = createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, (req, res) => {
			void this.handle(req, res);
		});
		this.server.keepAliveTimeout = 5_000;
		this.server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		this.server.on('tlsClientError', () => undefined);
	}

	/** @internal use startFakeProviders() */
	async listen(): Promise<this> {
		const host = this.options.host ?? '127.0.0.1';
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(0, host, () => {
				this.server.off('error', reject);
				resolve();
			});
		});
		this.listening = this.server.address() as AddressInfo;
		return this;
	}

	get port(): number {
		if (!this.listening) throw new Error('fake providers not listening');
		return this.listening.port;
	}

	/** https://127.0.0.1:PORT */
	get origin(): string {
		return `https://${bracket(this.options.host ?? '127.0.0.1')}:${this.port}`;
	}

	/** Origin used in URLs the fake hands out (publicHost option; default = origin). */
	get publicOrigin(): string {
		return `https://${bracket(this.options.publicHost ?? this.options.host ?? '127.0.0.1')}:${this.port}`;
	}

	/**
	 * The base URL a credential should use:
	 *   reportflow → https://127.0.0.1:PORT/reportflow/v1            (current form, header appkey)
	 *   docgenlab  → https://127.0.0.1:PORT/docgenlab/api/v1
	 *   docflo     → https://127.0.0.1:PORT/docflo                   (then /docs/v1/document)
	 *   pdfgorilla → https://127.0.0.1:PORT/pdfgorilla/api/v1
	 *   pdfsign    → https://127.0.0.1:PORT/pdfsign/functions/v1
	 */
	baseUrl(service: ServiceName): string {
		switch (service) {
			case 'reportflow':
				return this.reportflow.baseUrl();
			case 'docgenlab':
				return this.docgenlab.baseUrl();
			case 'docflo':
				return this.docflo.baseUrl();
			case 'pdfgorilla':
				return this.pdfgorilla.baseUrl();
			case 'pdfsign':
				return this.pdfsign.baseUrl();
		}
		throw new Error(`unknown service ${String(service)}`);
	}

	/** ReportFlow's older workspace form: https://127.0.0.1:PORT/reportflow/workspaces/{workspaceId}/v1 */
	reportflowWorkspaceBaseUrl(workspaceId?: string): string {
		return this.reportflow.workspaceBaseUrl(workspaceId);
	}

	/** origin + path */
	url(path: string): string {
		return this.origin + (path.startsWith('/') ? path : '/' + path);
	}

	/** Recorded requests (all, or those matching the filter), oldest first. */
	requests(filter?: RequestFilter): RecordedRequest[] {
		return filterRequests(this.log, filter);
	}

	clearRequests(): void {
		this.log.length = 0;
	}

	/** Resolves with the first request (already recorded or future) matching the filter. */
	async waitForRequest(filter: RequestFilter = {}, timeoutMs = 10_000): Promise<RecordedRequest> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.requests(filter)[0];
			if (found) return found;
			if (Date.now() > deadline) throw new Error(`no request matched ${JSON.stringify(filter)} within ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, 20));
		}
	}

	webhookDeliveries(filter?: DeliveryFilter): WebhookDelivery[] {
		return this.webhooks.list(filter);
	}

	waitForWebhookDelivery(filter?: DeliveryFilter | ((d: WebhookDelivery) => boolean), timeoutMs?: number): Promise<WebhookDelivery> {
		return this.webhooks.waitFor(filter, timeoutMs);
	}

	/** sendWebhook() with the test CA trusted by default. */
	sendWebhook(service: ServiceName, url: string, payload: unknown, options: SendWebhookOptions = {}): Promise<ClientResponse> {
		return sendWebhook(service, url, payload, { ca: this.options.tls.caPem, ...options });
	}

	/** Forgets recorded requests, pending faults and webhook deliveries (service state is kept). */
	reset(): void {
		this.clearRequests();
		this.faults.clear();
		this.webhooks.clear();
	}

	/** Stops listening, destroys open sockets, cancels timers and webhook retries. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.timers.clear();
		this.webhooks.close();
		const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
		for (const s of this.sockets) s.destroy();
		await closing;
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const rawUrl = req.url ?? '/';
		const url = new URL(rawUrl, this.origin);
		const method = (req.method ?? 'GET').toUpperCase();
		const service = serviceForPath(url.pathname);
		const record: RecordedRequest = {
			seq: ++this.seq,
			time: new Date(),
			service,
			method,
			path: url.pathname,
			url: url.pathname + url.search,
			query: Object.fromEntries(url.searchParams),
			host: req.headers.host,
			headers: req.headers,
			rawHeaders: req.rawHeaders,
			body: Buffer.alloc(0),
		};
		this.log.push(record);
		try {
			record.body = await readBody(req, this.options.maxBodyBytes ?? 64 * 1024 * 1024);
		} catch {
			return; // client went away
		}
		const ctx = new RequestContext(req, res, record.body, record, service, this.origin);
		const fault = this.faults.take({ service, method, path: url.pathname, search: url.search });
		try {
			if (fault) {
				ctx.fault = fault;
				record.fault = describeFault(fault);
				if (fault.delayMs) await new Promise<void>((r) => this.timers.set(r, fault.delayMs!)); // never resolves after close()
				if (res.destroyed || this.closed) return;
				if (fault.redirectTo !== undefined) return void (await ctx.redirect(fault.status ?? 302, fault.redirectTo));
				if (fault.status !== undefined) return void (await this.faultResponse(ctx, fault));
			}
			const match = this.router.match(method, url.pathname);
			if (match === undefined) return void (await this.notFound(ctx, service));
			if (match === 'method') return void (await this.errorFor(ctx, service, 405));
			ctx.params = match.params;
			await match.handler(ctx);
		} catch (error) {
			if (!ctx.hasResponded && !res.headersSent) {
				await this.errorFor(ctx, service, 500, `fake provider bug: ${(error as Error).stack ?? error}`);
			} else res.destroy();
		}
	}

	private faultResponse(ctx: RequestContext, fault: Fault) {
		const status = fault.status!;
		const extra: Record<string, string> = { ...fault.headers };
		if (fault.retryAfter !== undefined) extra['Retry-After'] = String(fault.retryAfter);
		if (fault.body !== undefined) {
			if (typeof fault.body === 'string' || Buffer.isBuffer(fault.body)) {
				return ctx.send(status, { 'Content-Type': 'text/plain; charset=utf-8', ...extra }, fault.body);
			}
			return ctx.json(status, fault.body, extra);
		}
		return this.errorFor(ctx, ctx.service, status, undefined, extra);
	}

	private errorFor(ctx: RequestContext, service: ServiceName | undefined, status: number, message?: string, extra: Record<string, string> = {}) {
		if (!service) return ctx.json(status, { error: message ?? reason(status) }, extra);
		const { body, headers } = this.modules[service].errorResponse(status, message);
		return ctx.json(status, body, { ...headers, ...extra });
	}

	private notFound(ctx: RequestContext, service: ServiceName | undefined) {
		return this.errorFor(ctx, service, 404, service === 'docgenlab' ? 'Not Found' : undefined);
	}
}

function bracket(host: string): string {
	return host.includes(':') ? `[${host}]` : host;
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			if (size < max) chunks.push(c.subarray(0, max - size));
			size += c.length;
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
		req.on('aborted', () => reject(new Error('aborted')));
	});
}

/** Starts one HTTPS server serving all five fake APIs on a free port. */
export async function startFakeProviders(options: FakeProvidersOptions): Promise<FakeProviders> {
	return new FakeProviders(options).listen();
}
