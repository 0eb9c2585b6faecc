import type { PdfSpec } from '../pdf';
import type { RequestContext, Router } from '../router';
import { type JsonValue, cuid, isPlainObject, nowMs, safeEqual, token } from '../util';
import { retryUnless2xx } from '../webhooks';
import { type ErrorResponse, type ServiceEnv, type ServiceModule, depthOf, longestArray, nowIso, sendError } from './common';

/**
 * PDF Gorilla: API under /pdfgorilla/api/v1 (x-api-key or Authorization: Bearer), short-lived
 * download URLs under /pdfgorilla/files/<token> (no auth; expired → 410 Gone, unknown → 404).
 */

export interface PdfGorillaCredentials {
	apiKey: string;
}

export type PdfGorillaStatus = 'queued' | 'processing' | 'completed' | 'failed' | 'canceled' | 'expired';

export interface PdfGorillaError {
	code: string;
	message: string;
}

export type PdfGorillaOutcome =
	| { status: 'completed'; sizeBytes?: number; title?: string; content?: Buffer }
	| { status: 'failed'; error?: PdfGorillaError }
	| { status: 'canceled' };

export interface PdfGorillaSettings {
	/** Time from generate-async to the final state (queued for the first half, processing for the second). */
	jobDurationMs: number;
	/** Extra delay between the final state and the webhook delivery. */
	webhookDelayMs: number;
	/** Lifetime of each downloadUrl ("minutes" in the docs). */
	downloadUrlTtlMs: number;
	/** File retention: expiresAt = completion + this; afterwards the job is 'expired'. */
	retentionMs: number;
	/** The real service demands https webhook URLs; tests' n8n listens on http, so the fake allows http by default. */
	allowHttpWebhooks: boolean;
	/** GET /jobs/{id}/download: 'redirect' = 307 to a fresh downloadUrl (default), 'direct' = the PDF itself. */
	jobDownload: 'redirect' | 'direct';
	/** Delays before webhook retries (default none: retries are not documented). */
	webhookRetryDelaysMs: number[];
	pdfSizeBytes: number;
}

export interface PdfGorillaTemplate {
	id: string;
	name: string;
	/** Size of PDFs generated from this template (default settings.pdfSizeBytes). */
	sizeBytes?: number;
}

export interface PdfGorillaJob {
	jobId: string;
	templateId: string;
	data: JsonValue;
	status: PdfGorillaStatus;
	createdAt: string;
	completedAt?: string;
	/** ISO time until which the file is kept (only once completed). */
	expiresAt: string | null;
	error: PdfGorillaError | null;
	webhookUrl?: string;
	webhookSecret?: string;
	outcome: PdfGorillaOutcome;
	pdf: PdfSpec;
	webhookSent: boolean;
}

export interface CreatePdfGorillaJob {
	jobId?: string;
	templateId?: string;
	/** Final state of the job right away (default completed). */
	outcome?: PdfGorillaOutcome;
	webhookUrl?: string;
	webhookSecret?: string;
}

const LIMITS = { body: 512 * 1024, data: 256 * 1024, nesting: 12, array: 1000, secret: 512 };
const DEFAULT_FAILURE: PdfGorillaError = { code: 'RENDER_TIMEOUT', message: 'PDF rendering timed out.' };

export class PdfGorillaService implements ServiceModule {
	readonly name = 'pdfgorilla' as const;
	readonly templates: PdfGorillaTemplate[] = [
		{ id: 'tmpl_invoice', name: 'Invoice' },
		{ id: 'tmpl_receipt', name: 'Receipt' },
	];
	readonly jobs = new Map<string, PdfGorillaJob>();
	readonly settings: PdfGorillaSettings;
	/** Outcomes for the next generate-async jobs, consumed in order (default: completed). */
	readonly outcomeQueue: PdfGorillaOutcome[] = [];
	private readonly files = new Map<string, { jobId: string; expiresAt: number }>();

	constructor(
		private readonly env: ServiceEnv,
		readonly credentials: PdfGorillaCredentials,
		settings: Partial<PdfGorillaSettings> = {},
	) {
		this.settings = {
			jobDurationMs: 100,
			webhookDelayMs: 0,
			downloadUrlTtlMs: 5 * 60 * 1000,
			retentionMs: 7 * 24 * 60 * 60 * 1000,
			allowHttpWebhooks: true,
			jobDownload: 'redirect',
			webhookRetryDelaysMs: [],
			pdfSizeBytes: 8192,
			...settings,
		};
		// The job of the documented webhook example.
		this.createJob({ jobId: 'cma1b2c3d4e5f6g7h8i9j0k', templateId: 'tmpl_invoice' });
	}

	baseUrl(): string {
		return `${this.env.publicOrigin()}/pdfgorilla/api/v1`;
	}

	addTemplate(template: PdfGorillaTemplate): void {
		const i = this.templates.findIndex((t) => t.id === template.id);
		if (i >= 0) this.templates[i] = template;
		else this.templates.push(template);
	}

	/** Queues the outcome of the next generate-async job. */
	queueOutcome(outcome: PdfGorillaOutcome): void {
		this.outcomeQueue.push(outcome);
	}

	/** Registers a job already in its final state (no webhook is sent). */
	createJob(options: CreatePdfGorillaJob = {}): PdfGorillaJob {
		const job = this.newJob(options.jobId ?? cuid(), options.templateId ?? 'tmpl_invoice', {}, options.outcome ?? { status: 'completed' });
		job.webhookUrl = options.webhookUrl;
		job.webhookSecret = options.webhookSecret;
		job.webhookSent = true;
		this.finalize(job);
		return job;
	}

	/** Cancels a job that is not final yet (sends the canceled webhook). Returns false if already final. */
	cancelJob(jobId: string): boolean {
		const job = this.jobs.get(jobId);
		if (!job || !['queued', 'processing'].includes(job.status)) return false;
		job.outcome = { status: 'canceled' };
		this.finalize(job);
		this.scheduleWebhook(job);
		return true;
	}

	/**
	 * Ends a job that is not final yet with its queued outcome now and sends its webhook (after
	 * webhookDelayMs), as the render finishing would. For tests that must first see n8n waiting.
	 */
	finishJob(jobId: string): boolean {
		const job = this.jobs.get(jobId);
		if (!job || !['queued', 'processing'].includes(job.status)) return false;
		this.finalize(job);
		this.scheduleWebhook(job);
		return true;
	}

	/** A fresh short-lived download URL for a completed job. */
	freshDownloadUrl(jobId: string, ttlMs = this.settings.downloadUrlTtlMs): string {
		const t = token();
		this.files.set(t, { jobId, expiresAt: nowMs() + ttlMs });
		return `${this.env.publicOrigin()}/pdfgorilla/files/${t}`;
	}

	/** GET /jobs/{jobId} body (with a fresh downloadUrl when completed). */
	jobView(job: PdfGorillaJob): Record<string, JsonValue> {
		const status = this.statusOf(job);
		return {
			jobId: job.jobId,
			status,
			expiresAt: job.expiresAt,
			downloadUrl: status === 'completed' ? this.freshDownloadUrl(job.jobId) : null,
			error: job.error as JsonValue,
		};
	}

	/** The payload PDF Gorilla sends when the job is final. */
	webhookPayload(jobId: string): Record<string, JsonValue> {
		const job = this.jobs.get(jobId);
		if (!job) throw new Error(`pdfgorilla: unknown job ${jobId}`);
		const timestamp = nowIso();
		if (job.status === 'completed') {
			return { jobId, status: 'completed', downloadUrl: this.freshDownloadUrl(jobId), expiresAt: job.expiresAt, error: null, timestamp };
		}
		if (job.status === 'failed') return { jobId, status: 'failed', error: job.error as JsonValue, timestamp };
		return { jobId, status: job.status, error: null, timestamp };
	}

	statusOf(job: PdfGorillaJob): PdfGorillaStatus {
		if (job.status === 'completed' && job.expiresAt && Date.parse(job.expiresAt) <= nowMs()) return 'expired';
		return job.status;
	}

	errorResponse(status: number, message?: string): ErrorResponse {
		if (status === 429) {
			const resetAt = nowMs() + 60_000;
			return {
				body: { error: message ?? 'Rate limit exceeded', hint: 'Slow down and retry after resetAt', limit: 60, remaining: 0, resetAt: new Date(resetAt).toISOString() },
				headers: { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetAt) },
			};
		}
		const defaults: Record<number, string> = {
			400: 'Bad request',
			401: 'Invalid API key',
			403: 'This feature is not available on your plan',
			404: 'Not found',
			409: 'Conflict',
			410: 'Gone',
			413: 'Payload too large',
			500: 'Internal server error',
			502: 'Bad gateway',
			503: 'Service unavailable',
		};
		return { body: { error: message ?? defaults[status] ?? 'Error' } };
	}

	register(router: Router): void {
		const base = '/pdfgorilla/api/v1';
		const route = (method: string, path: string, handler: (ctx: RequestContext) => Promise<void> | void) =>
			router.add(method, base + path, (ctx) => (this.authorize(ctx) ? handler(ctx) : undefined));
		route('POST', '/templates/:templateId/generate', (ctx) => this.generate(ctx, false));
		route('POST', '/templates/:templateId/generate-async', (ctx) => this.generate(ctx, true));
		route('GET', '/jobs/:jobId', (ctx) => this.getJob(ctx));
		route('GET', '/jobs/:jobId/download', (ctx) => this.jobDownload(ctx));
		router.add('GET', '/pdfgorilla/files/:token', (ctx) => this.file(ctx));
	}

	private authorize(ctx: RequestContext): boolean {
		const hint = 'Send your API key in the x-api-key header or as Authorization: Bearer <key>';
		const auth = ctx.header('authorization');
		const bearer = auth && /^Bearer\s+(.+)$/i.exec(auth)?.[1].trim();
		const key = ctx.header('x-api-key') ?? bearer ?? undefined;
		if (!key) {
			void ctx.json(401, { error: 'Missing API key', hint });
			return false;
		}
		if (!safeEqual(key, this.credentials.apiKey)) {
			void ctx.json(401, { error: 'Invalid API key', hint });
			return false;
		}
		return true;
	}

	private newJob(jobId: string, templateId: string, data: JsonValue, outcome: PdfGorillaOutcome): PdfGorillaJob {
		const template = this.templates.find((t) => t.id === templateId);
		const job: PdfGorillaJob = {
			jobId,
			templateId,
			data,
			status: 'queued',
			createdAt: nowIso(),
			expiresAt: null,
			error: null,
			outcome,
			pdf: {
				sizeBytes: (outcome.status === 'completed' ? outcome.sizeBytes : undefined) ?? template?.sizeBytes ?? this.settings.pdfSizeBytes,
				title: (outcome.status === 'completed' ? outcome.title : undefined) ?? `${template?.name ?? templateId} ${jobId}`,
				content: outcome.status === 'completed' ? outcome.content : undefined,
			},
			webhookSent: false,
		};
		this.jobs.set(jobId, job);
		return job;
	}

	private finalize(job: PdfGorillaJob) {
		job.status = job.outcome.status;
		job.completedAt = nowIso();
		if (job.outcome.status === 'completed') job.expiresAt = new Date(nowMs() + this.settings.retentionMs).toISOString();
		if (job.outcome.status === 'failed') job.error = job.outcome.error ?? DEFAULT_FAILURE;
	}

	private scheduleWebhook(job: PdfGorillaJob) {
		if (job.webhookSent || !job.webhookUrl || !job.webhookSecret) return;
		job.webhookSent = true;
		const url = job.webhookUrl;
		const secret = job.webhookSecret;
		this.env.timers.set(() => {
			void this.env.webhooks.dispatch('pdfgorilla', url, this.webhookPayload(job.jobId), { secret }, { delaysMs: this.settings.webhookRetryDelaysMs, retryIf: retryUnless2xx });
		}, this.settings.webhookDelayMs);
	}

	/** Parses {data} or {jsonData} and checks the documented limits; sends the error itself. */
	private readData(ctx: RequestContext): { body: Record<string, unknown>; data: JsonValue } | undefined {
		if (ctx.body.length > LIMITS.body) {
			void ctx.json(413, { error: 'Request body too large', hint: 'Maximum request body is 512 KB', limit: LIMITS.body });
			return undefined;
		}
		const parsed = ctx.jsonBody();
		if (!parsed.ok || !isPlainObject(parsed.value)) {
			void ctx.json(400, { error: 'Request body must be a JSON object', hint: 'Send {"data": {...}} or {"jsonData": "..."}' });
			return undefined;
		}
		const body = parsed.value;
		let data: unknown;
		if (body.data !== undefined && body.jsonData !== undefined) {
			void ctx.json(400, { error: 'Send either data or jsonData, not both' });
			return undefined;
		}
		if (body.jsonData !== undefined) {
			if (typeof body.jsonData !== 'string') {
				void ctx.json(400, { error: 'jsonData must be a string containing JSON' });
				return undefined;
			}
			try {
				data = JSON.parse(body.jsonData);
			} catch {
				void ctx.json(400, { error: 'jsonData is not valid JSON' });
				return undefined;
			}
		} else data = body.data;
		if (!isPlainObject(data)) {
			void ctx.json(400, { error: 'data must be a JSON object', hint: 'Send {"data": {...}} or {"jsonData": "{...}"}' });
			return undefined;
		}
		if (Buffer.byteLength(JSON.stringify(data)) > LIMITS.data) {
			void ctx.json(413, { error: 'data too large', hint: 'Maximum data size is 256 KB', limit: LIMITS.data });
			return undefined;
		}
		if (depthOf(data) > LIMITS.nesting) {
			void ctx.json(400, { error: 'data is nested too deeply', limit: LIMITS.nesting });
			return undefined;
		}
		if (longestArray(data) > LIMITS.array) {
			void ctx.json(400, { error: 'data contains an array that is too long', limit: LIMITS.array });
			return undefined;
		}
		return { body, data: data as JsonValue };
	}

	private generate(ctx: RequestContext, async: boolean) {
		const template = this.templates.find((t) => t.id === ctx.params.templateId);
		if (!template) return ctx.json(404, { error: 'Template not found', hint: 'Check the template id in your dashboard' });
		const input = this.readData(ctx);
		if (!input) return;
		if (!async) {
			const pdf: PdfSpec = { sizeBytes: template.sizeBytes ?? this.settings.pdfSizeBytes, title: template.name };
			return ctx.pdf(200, pdf, { 'Content-Disposition': `attachment; filename="${template.id}.pdf"` });
		}
		const { webhookUrl, webhookSecret } = input.body;
		if (webhookUrl !== undefined || webhookSecret !== undefined) {
			if (typeof webhookUrl !== 'string' || webhookUrl === '') return ctx.json(400, { error: 'webhookUrl is required when webhookSecret is set' });
			if (typeof webhookSecret !== 'string' || webhookSecret === '') return ctx.json(400, { error: 'webhookSecret is required when webhookUrl is set' });
			if (webhookSecret.length > LIMITS.secret) return ctx.json(400, { error: 'webhookSecret is too long', limit: LIMITS.secret });
			let url: URL;
			try {
				url = new URL(webhookUrl);
			} catch {
				return ctx.json(400, { error: 'webhookUrl must be a valid URL' });
			}
			const allowed = url.protocol === 'https:' || (this.settings.allowHttpWebhooks && url.protocol === 'http:');
			if (!allowed) return ctx.json(400, { error: 'webhookUrl must use https://' });
		}
		const outcome = this.outcomeQueue.shift() ?? { status: 'completed' };
		const job = this.newJob(cuid(), template.id, input.data, outcome);
		job.webhookUrl = webhookUrl as string | undefined;
		job.webhookSecret = webhookSecret as string | undefined;
		const half = Math.floor(this.settings.jobDurationMs / 2);
		this.env.timers.set(() => {
			if (job.status === 'queued') job.status = 'processing';
		}, half);
		this.env.timers.set(() => {
			if (job.status !== 'queued' && job.status !== 'processing') return; // canceled meanwhile
			this.finalize(job);
			this.scheduleWebhook(job);
		}, this.settings.jobDurationMs);
		return ctx.json(202, { jobId: job.jobId, status: job.status });
	}

	private getJob(ctx: RequestContext) {
		const job = this.jobs.get(ctx.params.jobId);
		if (!job) return ctx.json(404, { error: 'Job not found' });
		return ctx.json(200, this.jobView(job));
	}

	private jobDownload(ctx: RequestContext) {
		const job = this.jobs.get(ctx.params.jobId);
		if (!job) return ctx.json(404, { error: 'Job not found' });
		const status = this.statusOf(job);
		if (status === 'expired') return ctx.json(410, { error: 'The file has expired and was deleted', hint: 'Generate the document again' });
		if (status !== 'completed') return ctx.json(409, { error: `Job is ${status}`, hint: 'Wait until the job status is completed' });
		if (this.settings.jobDownload === 'redirect') return ctx.redirect(307, this.freshDownloadUrl(job.jobId));
		return ctx.pdf(200, job.pdf, { 'Content-Disposition': `attachment; filename="${job.jobId}.pdf"` });
	}

	private file(ctx: RequestContext) {
		const entry = this.files.get(ctx.params.token);
		if (!entry) return sendError(ctx, this, 404, 'Download link not found');
		const job = this.jobs.get(entry.jobId);
		if (entry.expiresAt <= nowMs() || !job || this.statusOf(job) !== 'completed') {
			return ctx.json(410, { error: 'Download link expired', hint: `Call GET /api/v1/jobs/${entry.jobId} for a fresh downloadUrl` });
		}
		return ctx.pdf(200, job.pdf, { 'Content-Disposition': `attachment; filename="${job.jobId}.pdf"` }, { ranges: true });
	}
}
