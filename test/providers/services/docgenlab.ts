import type { PdfSpec } from '../pdf';
import type { RequestContext, Router } from '../router';
import { type JsonValue, isPlainObject, nowMs, safeEqual, token, uuid } from '../util';
import { retryUnless2xx } from '../webhooks';
import { type ErrorResponse, type ServiceEnv, type ServiceModule, nowIso, sendError } from './common';

/**
 * DocGenLab: API under /docgenlab/api/v1 (header X-API-Key), signed storage URLs (no auth) under
 * /storage/docgenlab/<token>/<file>, like the webhook's 24 h download_url.
 */

export interface DocGenLabCredentials {
	apiKey: string;
}

export type DocGenLabStatus = 'queued' | 'rendering' | 'ready' | 'failed';

export interface DocGenLabSettings {
	/** Status sequence of new documents (last one final). Default queued → rendering → ready. */
	steps: DocGenLabStatus[];
	/** 'time': one step every stepMs; 'poll': each GET /documents/{id} advances one step. */
	advance: 'time' | 'poll';
	stepMs: number;
	pdfSizeBytes: number;
	/** Organisation webhook URL (the request's webhook_url overrides it). */
	webhookUrl?: string;
	/** Delays before the 3 retries (real: 1, 5, 15 minutes). */
	webhookRetryDelaysMs: number[];
	/** Lifetime of signed download URLs (real: 24 h). */
	signedUrlTtlMs: number;
	/** Error message of failed documents. */
	errorMessage: string;
}

export interface DocGenLabTemplate {
	id: string;
	name: string;
	description: string;
	created_at: string;
	updated_at: string;
}

export interface DocGenLabDocument {
	id: string;
	template_id: string;
	output_format: 'pdf' | 'docx' | 'both';
	input_json: JsonValue;
	created_at: string;
	webhook_url?: string;
	steps: DocGenLabStatus[];
	advance: 'time' | 'poll';
	stepMs: number;
	createdMs: number;
	polls: number;
	pdf: PdfSpec;
	error_message: string | null;
	webhookSent: boolean;
}

export interface CreateDocGenLabDocument {
	id?: string;
	template_id?: string;
	output_format?: 'pdf' | 'docx' | 'both';
	input_json?: JsonValue;
	created_at?: string;
	/** Shortcut for steps: [status] (immediately in that state). */
	status?: DocGenLabStatus;
	steps?: DocGenLabStatus[];
	advance?: 'time' | 'poll';
	stepMs?: number;
	webhook_url?: string;
	sizeBytes?: number;
	title?: string;
	content?: Buffer;
	error_message?: string;
}

interface SignedUrl {
	documentId: string;
	format: 'pdf' | 'docx';
	expiresAt: number;
}

export const DOCGENLAB_DEFAULT_TEMPLATES: DocGenLabTemplate[] = [
	{
		id: 'template-xyz',
		name: 'Invoice',
		description: 'Standard invoice',
		created_at: '2024-01-10T08:00:00Z',
		updated_at: '2024-01-12T08:00:00Z',
	},
	{
		id: 'template-contract',
		name: 'Contract',
		description: 'Service contract',
		created_at: '2024-01-11T08:00:00Z',
		updated_at: '2024-01-11T08:00:00Z',
	},
];

/** A tiny placeholder for DOCX downloads (a ZIP signature; not a real Word file). */
const FAKE_DOCX = Buffer.from('PK\u0005\u0006' + '\u0000'.repeat(18), 'latin1');

export class DocGenLabService implements ServiceModule {
	readonly name = 'docgenlab' as const;
	readonly templates: DocGenLabTemplate[] = structuredClone(DOCGENLAB_DEFAULT_TEMPLATES);
	readonly documents = new Map<string, DocGenLabDocument>();
	readonly settings: DocGenLabSettings;
	private readonly signed = new Map<string, SignedUrl>();
	private readonly idempotency = new Map<string, string>();

	constructor(
		private readonly env: ServiceEnv,
		readonly credentials: DocGenLabCredentials,
		settings: Partial<DocGenLabSettings> = {},
	) {
		this.settings = {
			steps: ['queued', 'rendering', 'ready'],
			advance: 'time',
			stepMs: 50,
			pdfSizeBytes: 8192,
			webhookRetryDelaysMs: [100, 200, 300],
			signedUrlTtlMs: 24 * 60 * 60 * 1000,
			errorMessage: 'Template rendering failed: undefined variable "customer"',
			...settings,
		};
		// The job of the documented webhook example.
		this.createDocument({ id: 'abc-123-def-456', template_id: 'template-xyz', status: 'ready', created_at: '2024-01-15T10:30:00Z' });
	}

	baseUrl(): string {
		return `${this.env.publicOrigin()}/docgenlab/api/v1`;
	}

	/** Registers a document (default: ready, no webhook). */
	createDocument(options: CreateDocGenLabDocument = {}): DocGenLabDocument {
		const id = options.id ?? uuid();
		const steps = options.steps ?? (options.status ? [options.status] : ['ready']);
		const doc: DocGenLabDocument = {
			id,
			template_id: options.template_id ?? 'template-xyz',
			output_format: options.output_format ?? 'pdf',
			input_json: options.input_json ?? {},
			created_at: options.created_at ?? nowIso(),
			webhook_url: options.webhook_url,
			steps,
			advance: options.advance ?? this.settings.advance,
			stepMs: options.stepMs ?? this.settings.stepMs,
			createdMs: nowMs(),
			polls: 0,
			pdf: { sizeBytes: options.sizeBytes ?? this.settings.pdfSizeBytes, title: options.title ?? `Document ${id}`, content: options.content },
			error_message: steps[steps.length - 1] === 'failed' ? (options.error_message ?? this.settings.errorMessage) : null,
			webhookSent: steps.length === 1,
		};
		this.documents.set(id, doc);
		return doc;
	}

	statusOf(doc: DocGenLabDocument): DocGenLabStatus {
		const step = doc.advance === 'poll' ? doc.polls : Math.floor((nowMs() - doc.createdMs) / Math.max(1, doc.stepMs));
		return doc.steps[Math.min(step, doc.steps.length - 1)];
	}

	/** A signed storage URL for a document (no auth needed; expires after ttlMs). */
	signedUrl(documentId: string, options: { ttlMs?: number; format?: 'pdf' | 'docx' } = {}): string {
		const format = options.format ?? 'pdf';
		const t = token();
		this.signed.set(t, { documentId, format, expiresAt: nowMs() + (options.ttlMs ?? this.settings.signedUrlTtlMs) });
		return `${this.env.publicOrigin()}/storage/docgenlab/${t}/document_${encodeURIComponent(documentId)}.${format}`;
	}

	/** The payload DocGenLab sends when a document reaches its final state. */
	webhookPayload(documentId: string): Record<string, JsonValue> {
		const doc = this.documents.get(documentId);
		if (!doc) throw new Error(`docgenlab: unknown document ${documentId}`);
		const failed = doc.steps[doc.steps.length - 1] === 'failed';
		return {
			// The docs show one event name for both outcomes; status tells them apart.
			event: 'document.generated',
			job_id: doc.id,
			status: failed ? 'failed' : 'completed',
			download_url: failed ? null : this.signedUrl(doc.id),
			metadata: { template_id: doc.template_id, created_at: doc.created_at, error_message: doc.error_message },
		};
	}

	errorResponse(status: number, message?: string): ErrorResponse {
		const defaults: Record<number, string> = {
			401: 'Invalid API key',
			404: 'Not Found',
			429: 'Rate limit exceeded. Try again later.',
			500: 'Internal Server Error',
			503: 'Service Unavailable',
		};
		return { body: { detail: message ?? defaults[status] ?? 'Error' } };
	}

	register(router: Router): void {
		const base = '/docgenlab/api/v1';
		const route = (method: string, path: string, handler: (ctx: RequestContext) => Promise<void> | void) =>
			router.add(method, base + path, (ctx) => (this.authorize(ctx) ? handler(ctx) : undefined));
		// FastAPI-style: the collection routes live at the trailing-slash path and the bare path redirects.
		for (const p of ['/documents', '/templates']) {
			router.add(['GET', 'POST'], base + p, (ctx) => ctx.redirect(307, `${base}${p}/${ctx.url.search}`));
		}
		route('POST', '/documents/', (ctx) => this.createFromApi(ctx));
		route('GET', '/documents/:id', (ctx) => this.getDocument(ctx));
		route('GET', '/documents/:id/download', (ctx) => this.download(ctx));
		route('GET', '/templates/', (ctx) => ctx.json(200, this.templates));
		route('GET', '/templates/:id', (ctx) => {
			const t = this.templates.find((x) => x.id === ctx.params.id);
			return t ? ctx.json(200, t) : sendError(ctx, this, 404, 'Template not found');
		});
		router.add('GET', '/storage/docgenlab/:token/:file', (ctx) => this.storage(ctx));
	}

	private authorize(ctx: RequestContext): boolean {
		const key = ctx.header('x-api-key');
		if (key === undefined) {
			void sendError(ctx, this, 401, 'Not authenticated');
			return false;
		}
		if (!safeEqual(key, this.credentials.apiKey)) {
			void sendError(ctx, this, 401, 'Invalid API key');
			return false;
		}
		return true;
	}

	private createFromApi(ctx: RequestContext) {
		const parsed = ctx.jsonBody();
		if (!parsed.ok || !isPlainObject(parsed.value)) {
			return ctx.json(422, { detail: [{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' }] });
		}
		const body = parsed.value;
		const problems: { loc: string[]; msg: string; type: string }[] = [];
		if (typeof body.template_id !== 'string') problems.push({ loc: ['body', 'template_id'], msg: 'Field required', type: 'missing' });
		if (!isPlainObject(body.input_json)) problems.push({ loc: ['body', 'input_json'], msg: 'Input should be a valid dictionary', type: 'dict_type' });
		const format = body.output_format ?? 'pdf';
		if (!['pdf', 'docx', 'both'].includes(format as string)) {
			problems.push({ loc: ['body', 'output_format'], msg: "Input should be 'pdf', 'docx' or 'both'", type: 'enum' });
		}
		if (body.webhook_url !== undefined && body.webhook_url !== null && typeof body.webhook_url !== 'string') {
			problems.push({ loc: ['body', 'webhook_url'], msg: 'Input should be a valid string', type: 'string_type' });
		}
		if (problems.length) return ctx.json(422, { detail: problems });
		if (!this.templates.some((t) => t.id === body.template_id)) return sendError(ctx, this, 404, 'Template not found');

		const idemKey = ctx.header('x-idempotency-key');
		const existing = idemKey ? this.documents.get(this.idempotency.get(idemKey) ?? '') : undefined;
		const doc =
			existing ??
			this.createDocument({
				template_id: body.template_id as string,
				input_json: body.input_json as JsonValue,
				output_format: format as 'pdf' | 'docx' | 'both',
				webhook_url: (body.webhook_url as string | null | undefined) ?? undefined,
				steps: [...this.settings.steps],
			});
		if (!existing) {
			if (idemKey) this.idempotency.set(idemKey, doc.id);
			if (doc.advance === 'time') {
				this.env.timers.set(() => this.finish(doc), doc.stepMs * (doc.steps.length - 1));
			}
		}
		return ctx.json(201, { id: doc.id, template_id: doc.template_id, status: doc.steps[0], created_at: doc.created_at });
	}

	/**
	 * Ends a document now in its last step and sends its webhook, as rendering finishing would.
	 * For tests that must first see n8n waiting. False when it had already ended.
	 */
	finishDocument(id: string): boolean {
		const doc = this.documents.get(id);
		if (!doc || doc.webhookSent) return false;
		doc.steps = [doc.steps[doc.steps.length - 1]];
		this.finish(doc);
		return true;
	}

	/** Sends the final-state webhook once (org URL or the request's webhook_url). */
	private finish(doc: DocGenLabDocument) {
		if (doc.webhookSent) return;
		doc.webhookSent = true;
		const url = doc.webhook_url ?? this.settings.webhookUrl;
		if (!url) return;
		void this.env.webhooks.dispatch('docgenlab', url, this.webhookPayload(doc.id), {}, { delaysMs: this.settings.webhookRetryDelaysMs, retryIf: retryUnless2xx });
	}

	private getDocument(ctx: RequestContext) {
		const doc = this.documents.get(ctx.params.id);
		if (!doc) return sendError(ctx, this, 404, 'Document not found');
		if (doc.advance === 'poll') doc.polls++;
		const status = this.statusOf(doc);
		if (status === 'ready' || status === 'failed') this.finish(doc);
		return ctx.json(200, {
			id: doc.id,
			status,
			output_pdf_path: status === 'ready' && doc.output_format !== 'docx' ? `outputs/${doc.template_id}/${doc.id}.pdf` : null,
			created_at: doc.created_at,
		});
	}

	private download(ctx: RequestContext) {
		const doc = this.documents.get(ctx.params.id);
		if (!doc) return sendError(ctx, this, 404, 'Document not found');
		const format = ctx.query.get('format') ?? 'pdf';
		if (format !== 'pdf' && format !== 'docx') {
			return ctx.json(422, { detail: [{ loc: ['query', 'format'], msg: "Input should be 'pdf' or 'docx'", type: 'enum' }] });
		}
		const status = this.statusOf(doc);
		if (status === 'failed') return sendError(ctx, this, 409, `Document generation failed: ${doc.error_message}`);
		if (status !== 'ready') return sendError(ctx, this, 409, 'Document is not ready yet');
		return this.serve(ctx, doc, format);
	}

	private serve(ctx: RequestContext, doc: DocGenLabDocument, format: 'pdf' | 'docx') {
		const available = doc.output_format === 'both' || doc.output_format === format;
		if (!available) return sendError(ctx, this, 404, `No ${format.toUpperCase()} output for this document`);
		const filename = `document_${doc.id}.${format}`;
		if (format === 'docx') {
			return ctx.send(
				200,
				{
					'Content-Type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
					'Content-Disposition': `attachment; filename="${filename}"`,
				},
				FAKE_DOCX,
			);
		}
		return ctx.pdf(200, doc.pdf, { 'Content-Disposition': `attachment; filename="${filename}"` });
	}

	/** Signed URL, GCS-like: no auth; expired → 400 ExpiredToken, unknown → 403 AccessDenied (XML bodies). */
	private storage(ctx: RequestContext) {
		const entry = this.signed.get(ctx.params.token);
		const xml = (status: number, code: string, message: string) =>
			ctx.send(
				status,
				{ 'Content-Type': 'application/xml; charset=UTF-8' },
				`<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
			);
		if (!entry) return xml(403, 'AccessDenied', 'Access denied.');
		if (entry.expiresAt <= nowMs()) return xml(400, 'ExpiredToken', 'The provided token has expired.');
		const doc = this.documents.get(entry.documentId);
		if (!doc) return xml(404, 'NoSuchKey', 'The specified key does not exist.');
		const headers = { 'Content-Type': entry.format === 'pdf' ? 'application/pdf' : 'application/octet-stream' };
		if (entry.format === 'docx') return ctx.send(200, headers, FAKE_DOCX);
		return ctx.pdf(200, doc.pdf, headers, { ranges: true });
	}
}
