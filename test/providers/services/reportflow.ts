import type { PdfSpec } from '../pdf';
import type { RequestContext, Router } from '../router';
import { type JsonValue, isPlainObject, nowMs, safeEqual, uuid } from '../util';
import { type ErrorResponse, type ServiceEnv, type ServiceModule, nowIso, pdfZip, reason, sendError } from './common';

/**
 * ReportFlow. Two base URLs are served:
 *   current form:   /reportflow/v1                             (header appkey)
 *   workspace form: /reportflow/workspaces/{workspaceId}/v1    (headers AppKey + SecretKey; SecretKey
 *                   is required only when credentials.secretKey is configured)
 */

export interface ReportFlowCredentials {
	appKey: string;
	/** When set, the workspace form also requires a matching `SecretKey` header. */
	secretKey?: string;
	workspaceId: string;
}

export interface ReportFlowDesign {
	id: string;
	label: string;
	latestVersion: number;
	thumbnail: string;
	updatedAt: string;
	/** Returned by GET /file/design/parameter/{designId} (shape not documented; ours). */
	parameters: { key: string; label: string; type: 'string' | 'number' | 'boolean' | 'date' | 'array'; required: boolean }[];
}

export interface ReportFlowSettings {
	/** Status of a successful sync generation: the docs say 200/201. */
	syncStatus: 200 | 201;
	/** Async requests become downloadable (and the webhook fires) this long after the 202. */
	asyncDelayMs: number;
	/** Size of generated PDFs. */
	pdfSizeBytes: number;
	/** Workspace webhook URL; when set, file.completed is POSTed after every generation. */
	webhookUrl?: string;
	/** Delay between webhook retries (ReportFlow retries up to 3 times on 5xx/network errors). */
	webhookRetryDelayMs: number;
}

export interface ReportFlowShare {
	shareType: '01' | '02' | '03';
	url?: string;
	passcodeEnabled: boolean;
}

export interface ReportFlowFile {
	requestId: string;
	fileId: string;
	fileName: string;
	params: Record<string, JsonValue>;
	passthrough?: JsonValue;
	share: ReportFlowShare;
	pdf: PdfSpec;
}

export interface ReportFlowRequest {
	requestId: string;
	designId: string;
	version: number;
	createdAt: string;
	/** Epoch ms from which downloads succeed (async generation). */
	readyAt: number;
	files: ReportFlowFile[];
}

export interface RegisterReportFlowFile {
	requestId?: string;
	fileId?: string;
	fileName?: string;
	params?: Record<string, JsonValue>;
	passthrough?: JsonValue;
	designId?: string;
	version?: number;
	sizeBytes?: number;
	title?: string;
	content?: Buffer;
}

export const REPORTFLOW_DEFAULT_DESIGNS: ReportFlowDesign[] = [
	{
		id: 'design_123',
		label: '請求書 (Invoice)',
		latestVersion: 5,
		thumbnail: 'https://cdn.re-port-flow.com/thumbnails/design_123.png',
		updatedAt: '2026-02-01T09:00:00.000Z',
		parameters: [
			{ key: 'companyName', label: '会社名', type: 'string', required: true },
			{ key: 'amount', label: '金額', type: 'number', required: true },
		],
	},
	{
		id: 'design_456',
		label: '見積書 (Quotation)',
		latestVersion: 2,
		thumbnail: 'https://cdn.re-port-flow.com/thumbnails/design_456.png',
		updatedAt: '2026-01-20T09:00:00.000Z',
		parameters: [{ key: 'customer', label: '顧客名', type: 'string', required: true }],
	},
];

// Control characters are what this pattern is for: ReportFlow refuses them in file names.
// eslint-disable-next-line no-control-regex
const INVALID_FILE_NAME = /[/\\:*?"<>|\u0000-\u001f\u007f]/;
const MAX_BODY = 50 * 1024 * 1024;

export class ReportFlowService implements ServiceModule {
	readonly name = 'reportflow' as const;
	readonly designs: ReportFlowDesign[] = structuredClone(REPORTFLOW_DEFAULT_DESIGNS);
	readonly requests = new Map<string, ReportFlowRequest>();
	readonly settings: ReportFlowSettings;

	constructor(
		private readonly env: ServiceEnv,
		readonly credentials: ReportFlowCredentials,
		settings: Partial<ReportFlowSettings> = {},
	) {
		this.settings = { syncStatus: 200, asyncDelayMs: 50, pdfSizeBytes: 8192, webhookRetryDelayMs: 100, ...settings };
		// The file of the documented webhook example, so that payload downloads out of the box.
		this.storeFile({ requestId: 'uuid_456', fileId: 'file_xyz', fileName: 'invoice.pdf', params: { companyName: 'Company A', amount: 50000 } });
	}

	/** https://host:port/reportflow/v1 */
	baseUrl(): string {
		return `${this.env.publicOrigin()}/reportflow/v1`;
	}

	/** https://host:port/reportflow/workspaces/{workspaceId}/v1 (the older form with SecretKey). */
	workspaceBaseUrl(workspaceId = this.credentials.workspaceId): string {
		return `${this.env.publicOrigin()}/reportflow/workspaces/${encodeURIComponent(workspaceId)}/v1`;
	}

	downloadUrl(requestId: string, fileId?: string): string {
		return `${this.baseUrl()}/file/download/${encodeURIComponent(requestId)}${fileId ? '/' + encodeURIComponent(fileId) : ''}`;
	}

	/** Adds a downloadable file (to a new or existing request). Immediately ready. */
	registerFile(options: RegisterReportFlowFile = {}): ReportFlowFile & { downloadUrl: string } {
		const file = this.storeFile(options);
		return { ...file, downloadUrl: this.downloadUrl(file.requestId, file.fileId) };
	}

	private storeFile(options: RegisterReportFlowFile): ReportFlowFile {
		const requestId = options.requestId ?? uuid();
		let request = this.requests.get(requestId);
		if (!request) {
			request = {
				requestId,
				designId: options.designId ?? 'design_123',
				version: options.version ?? 5,
				createdAt: nowIso(),
				readyAt: 0,
				files: [],
			};
			this.requests.set(requestId, request);
		}
		const fileName = options.fileName ?? 'document.pdf';
		const file: ReportFlowFile = {
			requestId,
			fileId: options.fileId ?? `file_${uuid().replace(/-/g, '').slice(0, 12)}`,
			fileName,
			params: options.params ?? {},
			passthrough: options.passthrough,
			share: { shareType: '01', passcodeEnabled: false },
			pdf: { sizeBytes: options.sizeBytes ?? this.settings.pdfSizeBytes, title: options.title ?? fileName, content: options.content },
		};
		request.files = request.files.filter((f) => f.fileId !== file.fileId).concat(file);
		return file;
	}

	/** The file.completed payload ReportFlow would send for a request. */
	webhookPayload(requestId: string): Record<string, JsonValue> {
		const request = this.requests.get(requestId);
		if (!request) throw new Error(`reportflow: unknown request ${requestId}`);
		return {
			event: 'file.completed',
			timestamp: nowIso(),
			workspaceId: this.credentials.workspaceId,
			designId: request.designId,
			version: request.version,
			files: request.files.map((f) => ({ fileId: f.fileId, uuid: f.requestId, fileName: f.fileName, params: f.params })),
		};
	}

	errorResponse(status: number, message?: string | string[]): ErrorResponse {
		const defaults: Record<number, string | string[]> = {
			400: ['入力内容に誤りがあります'],
			401: 'AppKeyが正しくありません',
			404: 'リソースが見つかりません',
			412: 'AppKeyヘッダーが指定されていません',
			413: 'リクエストボディが大きすぎます (50MB)',
			429: 'リクエスト数が上限を超えました',
			504: 'PDF生成がタイムアウトしました (120秒)',
		};
		return { body: { statusCode: status, message: message ?? defaults[status] ?? reason(status), error: reason(status) } };
	}

	register(router: Router): void {
		for (const base of ['/reportflow/v1', '/reportflow/workspaces/:workspaceId/v1']) {
			const route = (method: string, path: string, handler: (ctx: RequestContext) => Promise<void> | void) =>
				router.add(method, base + path, async (ctx) => {
					if (!this.authorize(ctx)) return;
					await handler(ctx);
				});
			route('GET', '/file/designs', (ctx) => this.listDesigns(ctx));
			route('GET', '/file/design/parameter/:designId', (ctx) => this.designParameters(ctx));
			route('POST', '/file/sync/single', (ctx) => this.generate(ctx, 'sync', 'single'));
			route('POST', '/file/sync/multiple', (ctx) => this.generate(ctx, 'sync', 'multiple'));
			route('POST', '/file/async/single', (ctx) => this.generate(ctx, 'async', 'single'));
			route('POST', '/file/async/multiple', (ctx) => this.generate(ctx, 'async', 'multiple'));
			route('GET', '/file/download/:requestId', (ctx) => this.downloadAll(ctx));
			route('GET', '/file/download/:requestId/:fileId', (ctx) => this.downloadOne(ctx));
		}
		// Share links (shareType 02/03): no auth, like a public viewer URL.
		router.add('GET', '/reportflow/share/:fileId', (ctx) => this.share(ctx));
	}

	private authorize(ctx: RequestContext): boolean {
		const workspaceForm = ctx.params.workspaceId !== undefined;
		if (workspaceForm && ctx.params.workspaceId !== this.credentials.workspaceId) {
			void sendError(ctx, this, 404, 'ワークスペースが見つかりません');
			return false;
		}
		const appKey = ctx.header('appkey');
		if (appKey === undefined) {
			void sendError(ctx, this, 412, 'AppKeyヘッダーが指定されていません');
			return false;
		}
		if (!safeEqual(appKey, this.credentials.appKey)) {
			void sendError(ctx, this, 401, 'AppKeyが正しくありません');
			return false;
		}
		if (workspaceForm && this.credentials.secretKey !== undefined) {
			const secretKey = ctx.header('secretkey');
			if (secretKey === undefined) {
				void sendError(ctx, this, 412, 'SecretKeyヘッダーが指定されていません');
				return false;
			}
			if (!safeEqual(secretKey, this.credentials.secretKey)) {
				void sendError(ctx, this, 401, 'SecretKeyが正しくありません');
				return false;
			}
		}
		return true;
	}

	private listDesigns(ctx: RequestContext) {
		return ctx.json(200, {
			designs: this.designs.map(({ id, label, latestVersion, thumbnail, updatedAt }) => ({ id, label, latestVersion, thumbnail, updatedAt })),
		});
	}

	private designParameters(ctx: RequestContext) {
		const design = this.designs.find((d) => d.id === ctx.params.designId);
		if (!design) return sendError(ctx, this, 404, 'デザインが見つかりません');
		const v = ctx.query.get('version');
		const version = v === null || v === '' ? design.latestVersion : Number(v);
		if (!Number.isInteger(version) || version < 1 || version > design.latestVersion) {
			return sendError(ctx, this, 404, 'バージョンが見つかりません');
		}
		return ctx.json(200, { designId: design.id, version, parameters: design.parameters });
	}

	private async generate(ctx: RequestContext, mode: 'sync' | 'async', kind: 'single' | 'multiple') {
		if (ctx.body.length > MAX_BODY) return sendError(ctx, this, 413);
		const parsed = ctx.jsonBody();
		if (!parsed.ok || !isPlainObject(parsed.value)) return sendError(ctx, this, 400, ['リクエストボディはJSONオブジェクトである必要があります']);
		const body = parsed.value;
		const errors: string[] = [];
		if (typeof body.designId !== 'string' || body.designId === '') errors.push('designIdは必須です');
		if (body.version !== undefined && (typeof body.version !== 'number' || !Number.isInteger(body.version))) {
			errors.push('versionは整数である必要があります');
		}
		const contents: unknown[] = kind === 'single' ? [body.content] : Array.isArray(body.contents) ? body.contents : [];
		if (kind === 'single' && !isPlainObject(body.content)) errors.push('contentは必須です');
		if (kind === 'multiple' && (!Array.isArray(body.contents) || body.contents.length === 0)) errors.push('contentsは1件以上必要です');
		const names = new Set<string>();
		for (const [i, c] of contents.entries()) {
			if (!isPlainObject(c)) {
				if (kind === 'multiple') errors.push(`contents[${i}]はオブジェクトである必要があります`);
				continue;
			}
			if (typeof c.fileName !== 'string' || c.fileName.trim() === '') errors.push(`contents[${i}].fileNameは必須です`);
			else if (INVALID_FILE_NAME.test(c.fileName)) errors.push(`contents[${i}].fileNameに使用できない文字が含まれています`);
			else if (names.has(c.fileName)) errors.push(`contents[${i}].fileNameが重複しています`);
			else names.add(c.fileName);
			if (c.params !== undefined && !isPlainObject(c.params)) errors.push(`contents[${i}].paramsはオブジェクトである必要があります`);
			if (c.shareType !== undefined && !['01', '02', '03'].includes(c.shareType as string)) {
				errors.push(`contents[${i}].shareTypeは"01","02","03"のいずれかです`);
			}
		}
		if (errors.length) return sendError(ctx, this, 400, errors);

		const design = this.designs.find((d) => d.id === body.designId);
		if (!design) return sendError(ctx, this, 404, 'デザインが見つかりません');
		const version = (body.version as number | undefined) ?? design.latestVersion;
		if (version < 1 || version > design.latestVersion) return sendError(ctx, this, 404, 'バージョンが見つかりません');

		const requestId = uuid();
		const request: ReportFlowRequest = {
			requestId,
			designId: design.id,
			version,
			createdAt: nowIso(),
			readyAt: mode === 'sync' ? 0 : nowMs() + this.settings.asyncDelayMs,
			files: [],
		};
		for (const c of contents as Record<string, unknown>[]) {
			const rawName = c.fileName as string;
			const fileName = /\.pdf$/i.test(rawName) ? rawName : `${rawName}.pdf`;
			const fileId = `file_${uuid().replace(/-/g, '').slice(0, 12)}`;
			const shareType = (c.shareType as ReportFlowShare['shareType'] | undefined) ?? '01';
			const share: ReportFlowShare = { shareType, passcodeEnabled: c.passcodeEnabled === true };
			if (shareType !== '01') share.url = `${this.env.publicOrigin()}/reportflow/share/${fileId}`;
			request.files.push({
				requestId,
				fileId,
				fileName,
				params: (c.params as Record<string, JsonValue> | undefined) ?? {},
				passthrough: c.passthrough as JsonValue | undefined,
				share,
				pdf: { sizeBytes: this.settings.pdfSizeBytes, title: fileName },
			});
		}
		this.requests.set(requestId, request);
		this.scheduleWebhook(request);

		const mapping = request.files.map((f) => ({ fileId: f.fileId, fileName: f.fileName, share: f.share, passthrough: f.passthrough ?? null }));
		const fileUrl = kind === 'single' ? this.downloadUrl(requestId, request.files[0].fileId) : this.downloadUrl(requestId);
		if (mode === 'async') {
			return ctx.json(202, {
				requestId,
				url: this.downloadUrl(requestId),
				files: request.files.map((f) => ({ fileName: f.fileName, fileId: f.fileId, passthrough: f.passthrough ?? null, share: f.share })),
			});
		}
		const headers = {
			'File-URL': fileUrl,
			'Request-Id': requestId,
			'X-File-Mapping': encodeURIComponent(JSON.stringify(mapping)),
		};
		if (kind === 'single') return ctx.pdf(this.settings.syncStatus, request.files[0].pdf, headers);
		const zip = await pdfZip(request.files.map((f) => ({ name: f.fileName, pdf: f.pdf })));
		return ctx.stream(this.settings.syncStatus, { 'Content-Type': 'application/zip', ...headers }, zip);
	}

	private scheduleWebhook(request: ReportFlowRequest) {
		const url = this.settings.webhookUrl;
		if (!url) return;
		this.env.timers.set(
			() => {
				const delays = [1, 2, 3].map(() => this.settings.webhookRetryDelayMs);
				void this.env.webhooks.dispatch('reportflow', url, this.webhookPayload(request.requestId), {}, { delaysMs: delays });
			},
			Math.max(0, request.readyAt - nowMs()),
		);
	}

	private readyRequest(ctx: RequestContext): ReportFlowRequest | undefined {
		const request = this.requests.get(ctx.params.requestId);
		if (!request || request.readyAt > nowMs()) {
			void sendError(ctx, this, 404, 'ファイルが見つかりません');
			return undefined;
		}
		return request;
	}

	private async downloadAll(ctx: RequestContext) {
		const request = this.readyRequest(ctx);
		if (!request) return;
		const zip = await pdfZip(request.files.map((f) => ({ name: f.fileName, pdf: f.pdf })));
		return ctx.stream(200, { 'Content-Type': 'application/zip', 'Request-Id': request.requestId }, zip);
	}

	private downloadOne(ctx: RequestContext) {
		const request = this.readyRequest(ctx);
		if (!request) return;
		const file = request.files.find((f) => f.fileId === ctx.params.fileId);
		if (!file) return sendError(ctx, this, 404, 'ファイルが見つかりません');
		return ctx.pdf(200, file.pdf, { 'File-ID': file.fileId });
	}

	private share(ctx: RequestContext) {
		for (const request of this.requests.values()) {
			const file = request.files.find((f) => f.fileId === ctx.params.fileId && f.share.url);
			if (file && request.readyAt <= nowMs()) return ctx.pdf(200, file.pdf);
		}
		return sendError(ctx, this, 404, 'ファイルが見つかりません');
	}
}
