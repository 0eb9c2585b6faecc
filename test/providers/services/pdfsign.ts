import type { PdfSpec } from '../pdf';
import { pdfSpecLength } from '../pdf';
import type { RequestContext, Router } from '../router';
import { type JsonValue, isPlainObject, nowMs, safeEqual, uuid } from '../util';
import { type ErrorResponse, type ServiceEnv, type ServiceModule, nowIso } from './common';

/**
 * PDF-Sign: POST /pdfsign/functions/v1/generate-pdf-preview (x-api-key) and public storage at
 * /pdfsign/storage/v1/object/public/pdfs/<storage_path> (no auth).
 */

export interface PdfSignCredentials {
	apiKey: string;
	/** First segment of storage paths. */
	userId: string;
}

export interface PdfSignWebhookConfig {
	url: string;
	secret: string;
	/** Subscribed events (default all four). */
	events?: string[];
}

export interface PdfSignSettings {
	quotaLimit: number;
	currentUsage: number;
	subscriptionPlan: string;
	/** Per-minute limit shown in X-RateLimit-* headers (not enforced: inject a 429 fault instead). */
	rateLimitPerMinute: number;
	pdfSizeBytes: number;
	renderTimeMs: number;
	/** Dashboard webhook: when set, events are delivered fire-and-forget (no retries). */
	webhook?: PdfSignWebhookConfig;
}

export interface PdfSignTemplate {
	id: string;
	name: string;
	sizeBytes?: number;
}

export interface PdfSignFile {
	storagePath: string;
	templateId: string;
	variables: Record<string, JsonValue>;
	pdf: PdfSpec;
	createdAt: string;
}

export interface RegisterPdfSignFile {
	storagePath?: string;
	templateId?: string;
	variables?: Record<string, JsonValue>;
	sizeBytes?: number;
	title?: string;
	content?: Buffer;
}

export const PDFSIGN_EXAMPLE_TEMPLATE_ID = '550e8400-e29b-41d4-a716-446655440000';

export class PdfSignService implements ServiceModule {
	readonly name = 'pdfsign' as const;
	readonly templates: PdfSignTemplate[] = [
		{ id: PDFSIGN_EXAMPLE_TEMPLATE_ID, name: 'Invoice' },
		{ id: 'template-id', name: 'Example template' },
	];
	readonly files = new Map<string, PdfSignFile>();
	readonly settings: PdfSignSettings;
	private warned = false;
	private failures: { error_code: string; error_message: string }[] = [];

	constructor(
		private readonly env: ServiceEnv,
		readonly credentials: PdfSignCredentials,
		settings: Partial<PdfSignSettings> = {},
	) {
		this.settings = {
			quotaLimit: 300,
			currentUsage: 0,
			subscriptionPlan: 'starter',
			rateLimitPerMinute: 60,
			pdfSizeBytes: 8192,
			renderTimeMs: 2450,
			...settings,
		};
		// The file of the documented pdf.generated example (exactly file_size 156789 bytes).
		this.storeFile({ storagePath: 'user-id/template-id/1705312245123.pdf', templateId: PDFSIGN_EXAMPLE_TEMPLATE_ID, sizeBytes: 156789 });
	}

	baseUrl(): string {
		return `${this.env.publicOrigin()}/pdfsign/functions/v1`;
	}

	publicUrl(storagePath: string): string {
		return `${this.env.publicOrigin()}/pdfsign/storage/v1/object/public/pdfs/${storagePath.split('/').map(encodeURIComponent).join('/')}`;
	}

	registerFile(options: RegisterPdfSignFile = {}): PdfSignFile & { pdf_url: string; file_size: number } {
		const file = this.storeFile(options);
		return { ...file, pdf_url: this.publicUrl(file.storagePath), file_size: pdfSpecLength(file.pdf) };
	}

	private storeFile(options: RegisterPdfSignFile): PdfSignFile {
		const templateId = options.templateId ?? PDFSIGN_EXAMPLE_TEMPLATE_ID;
		const storagePath = options.storagePath ?? this.newStoragePath(templateId);
		const file: PdfSignFile = {
			storagePath,
			templateId,
			variables: options.variables ?? {},
			pdf: { sizeBytes: options.sizeBytes ?? this.settings.pdfSizeBytes, title: options.title ?? storagePath, content: options.content },
			createdAt: nowIso(),
		};
		this.files.set(storagePath, file);
		return file;
	}

	/** Byte length of a stored file (throws if unknown). */
	fileSize(storagePath: string): number {
		const file = this.files.get(storagePath);
		if (!file) throw new Error(`pdfsign: no file at ${storagePath}`);
		return pdfSpecLength(file.pdf);
	}

	/** Makes the next generate-pdf-preview fail (500 + pdf.failed webhook). */
	failNext(error: { error_code?: string; error_message?: string } = {}): void {
		this.failures.push({
			error_code: error.error_code ?? 'RENDER_FAILED',
			error_message: error.error_message ?? 'Failed to render PDF: Template contains invalid HTML',
		});
	}

	errorResponse(status: number, message?: string): ErrorResponse {
		const codes: Record<number, [string, string]> = {
			400: ['BAD_REQUEST', 'Bad request'],
			401: ['UNAUTHORIZED', 'Invalid API key'],
			403: ['QUOTA_EXCEEDED', 'Monthly quota exceeded'],
			404: ['NOT_FOUND', 'Not found'],
			429: ['RATE_LIMITED', 'Too many requests'],
			500: ['INTERNAL_ERROR', 'Internal server error'],
		};
		const [code, text] = codes[status] ?? ['INTERNAL_ERROR', 'Error'];
		const body: Record<string, unknown> = { error: message ?? text, code, status };
		if (status === 429) body.retryAfter = 60;
		return { body };
	}

	register(router: Router): void {
		router.add('POST', '/pdfsign/functions/v1/generate-pdf-preview', (ctx) => this.generate(ctx));
		router.add('GET', '/pdfsign/storage/v1/object/public/pdfs/*path', (ctx) => this.storage(ctx));
	}

	private rateHeaders(): Record<string, string> {
		return {
			'X-RateLimit-Limit': String(this.settings.rateLimitPerMinute),
			'X-RateLimit-Remaining': String(this.settings.rateLimitPerMinute - 1),
			'X-RateLimit-Reset': String(Math.ceil((nowMs() + 60_000) / 1000)),
		};
	}

	private error(ctx: RequestContext, status: number, message?: string) {
		return ctx.json(status, this.errorResponse(status, message).body, this.rateHeaders());
	}

	private newStoragePath(templateId: string): string {
		let ts = nowMs();
		while (this.files.has(`${this.credentials.userId}/${templateId}/${ts}.pdf`)) ts++;
		return `${this.credentials.userId}/${templateId}/${ts}.pdf`;
	}

	private async generate(ctx: RequestContext) {
		const key = ctx.header('x-api-key');
		if (key === undefined) return this.error(ctx, 401, 'Missing API key');
		if (!safeEqual(key, this.credentials.apiKey)) return this.error(ctx, 401, 'Invalid API key');
		const parsed = ctx.jsonBody();
		if (!parsed.ok || !isPlainObject(parsed.value)) return this.error(ctx, 400, 'Request body must be JSON');
		const { templateId, variables } = parsed.value;
		if (typeof templateId !== 'string' || templateId === '') return this.error(ctx, 400, 'templateId is required');
		if (variables !== undefined && !isPlainObject(variables)) return this.error(ctx, 400, 'variables must be an object');
		const vars = (variables ?? {}) as Record<string, JsonValue>;
		const template = this.templates.find((t) => t.id === templateId);
		if (!template) {
			this.emit('pdf.failed', { template_id: templateId, error_code: 'TEMPLATE_NOT_FOUND', error_message: 'Template not found', variables: vars });
			return this.error(ctx, 404, 'Template not found');
		}
		const s = this.settings;
		if (s.currentUsage >= s.quotaLimit) {
			this.emit('quota.exceeded', { current_usage: s.currentUsage, quota_limit: s.quotaLimit, subscription_plan: s.subscriptionPlan });
			return this.error(ctx, 403, 'Monthly quota exceeded');
		}
		const failure = this.failures.shift();
		if (failure) {
			this.emit('pdf.failed', { template_id: templateId, ...failure, variables: vars });
			return this.error(ctx, 500, failure.error_message);
		}
		s.currentUsage++;
		const file = this.registerFile({ templateId, variables: vars, sizeBytes: template.sizeBytes, title: template.name });
		this.emit('pdf.generated', {
			template_id: templateId,
			pdf_url: file.pdf_url,
			storage_path: file.storagePath,
			file_size: file.file_size,
			render_time_ms: s.renderTimeMs,
			variables: vars,
			created_at: file.createdAt,
		});
		if (!this.warned && s.currentUsage >= 0.8 * s.quotaLimit) {
			this.warned = true;
			this.emit('quota.warning', {
				current_usage: s.currentUsage,
				quota_limit: s.quotaLimit,
				percentage: Math.floor((100 * s.currentUsage) / s.quotaLimit),
				subscription_plan: s.subscriptionPlan,
			});
		}
		return ctx.json(
			200,
			{ success: true, pdf_url: file.pdf_url, generation_id: uuid(), file_size: file.file_size },
			this.rateHeaders(),
		);
	}

	private emit(event: string, data: Record<string, JsonValue>) {
		const hook = this.settings.webhook;
		if (!hook || (hook.events && !hook.events.includes(event))) return;
		void this.env.webhooks.dispatch('pdfsign', hook.url, { event, timestamp: nowIso(), data }, { secret: hook.secret });
	}

	private storage(ctx: RequestContext) {
		const file = this.files.get(ctx.params.path);
		if (!file) return ctx.json(404, { statusCode: '404', error: 'not_found', message: 'Object not found' });
		return ctx.pdf(200, file.pdf, { 'Cache-Control': 'max-age=3600' }, { ranges: true });
	}
}
