import type { DocfloService } from './services/docflo';
import { DOCFLO_EXAMPLE_DOCUMENT, plainFields } from './services/docflo';
import type { DocGenLabService } from './services/docgenlab';
import type { PdfGorillaError, PdfGorillaService } from './services/pdfgorilla';
import type { PdfSignService } from './services/pdfsign';
import { PDFSIGN_EXAMPLE_TEMPLATE_ID } from './services/pdfsign';
import type { ReportFlowService } from './services/reportflow';
import { type DeepPartial, type JsonValue, deepMerge } from './util';

/**
 * Webhook payloads as each service documents them (the docs' example values), bound to a running
 * fake: any file a payload refers to is registered in the fake so downloading it works, and URLs
 * point at the fake. Timestamps are the current time (not the docs' dates) so replay windows pass.
 * `overrides` are deep-merged (arrays replace). `file` sets the size/title/content of the PDF behind it.
 */

export interface PayloadFile {
	sizeBytes?: number;
	title?: string;
	content?: Buffer;
}

export interface ReportFlowFileCompleted {
	event: 'file.completed' | string;
	timestamp: string;
	workspaceId: string;
	designId: string;
	version: number;
	files: { fileId: string; uuid: string; fileName: string; params: Record<string, JsonValue> }[];
}

export interface DocGenLabWebhook {
	event: 'document.generated' | string;
	job_id: string;
	status: 'completed' | 'failed' | string;
	download_url: string | null;
	metadata: { template_id: string; created_at: string; error_message: string | null };
}

export interface DocGenLabTestWebhook {
	event: 'webhook.test' | string;
	message: string;
}

export type DocfloEventName = 'document.created' | 'document.processed' | 'document.approved' | 'document.rejected' | 'document.status_changed';

export interface DocfloWebhook {
	event: DocfloEventName | string;
	tenantId: string;
	timestamp: string;
	doc: { _id: string; type: string; status: string; createdAt: string; updatedAt: string; fields: Record<string, JsonValue> } & Record<string, JsonValue>;
}

export interface PdfGorillaWebhook {
	jobId: string;
	status: 'completed' | 'failed' | 'canceled' | string;
	downloadUrl?: string;
	expiresAt?: string | null;
	error: PdfGorillaError | null;
	timestamp: string;
}

export interface PdfSignWebhook<D = Record<string, JsonValue>> {
	event: string;
	timestamp: string;
	data: D;
}

export interface ExamplePayloads {
	reportflow: {
		fileCompleted(overrides?: DeepPartial<ReportFlowFileCompleted>, file?: PayloadFile): ReportFlowFileCompleted;
	};
	docgenlab: {
		generated(overrides?: DeepPartial<DocGenLabWebhook>, file?: PayloadFile): DocGenLabWebhook;
		failed(overrides?: DeepPartial<DocGenLabWebhook>): DocGenLabWebhook;
		test(overrides?: DeepPartial<DocGenLabTestWebhook>): DocGenLabTestWebhook;
	};
	docflo: {
		event(name?: DocfloEventName | string, overrides?: DeepPartial<DocfloWebhook>): DocfloWebhook;
	};
	pdfgorilla: {
		completed(overrides?: DeepPartial<PdfGorillaWebhook>, file?: PayloadFile): PdfGorillaWebhook;
		failed(overrides?: DeepPartial<PdfGorillaWebhook>): PdfGorillaWebhook;
		canceled(overrides?: DeepPartial<PdfGorillaWebhook>): PdfGorillaWebhook;
	};
	pdfsign: {
		generated(overrides?: DeepPartial<PdfSignWebhook>, file?: PayloadFile): PdfSignWebhook;
		failed(overrides?: DeepPartial<PdfSignWebhook>): PdfSignWebhook;
		quotaWarning(overrides?: DeepPartial<PdfSignWebhook>): PdfSignWebhook;
		quotaExceeded(overrides?: DeepPartial<PdfSignWebhook>): PdfSignWebhook;
		test(overrides?: DeepPartial<PdfSignWebhook>): PdfSignWebhook;
	};
}

export interface PayloadServices {
	reportflow: ReportFlowService;
	docgenlab: DocGenLabService;
	docflo: DocfloService;
	pdfgorilla: PdfGorillaService;
	pdfsign: PdfSignService;
}

export const EXAMPLE_IDS = {
	reportflow: { requestId: 'uuid_456', fileId: 'file_xyz', designId: 'design_123' },
	docgenlab: { jobId: 'abc-123-def-456', failedJobId: 'fff-123-def-456', templateId: 'template-xyz' },
	docflo: { documentId: 'document-id' },
	pdfgorilla: { jobId: 'cma1b2c3d4e5f6g7h8i9j0k', failedJobId: 'cmf1a2i3l4e5d6j7o8b9x0y1z', canceledJobId: 'cmc1a2n3c4e5l6e7d8j9o0b1x' },
	pdfsign: { templateId: PDFSIGN_EXAMPLE_TEMPLATE_ID, storagePath: 'user-id/template-id/1705312245123.pdf' },
} as const;

const now = () => new Date().toISOString();

export function createExamplePayloads(s: PayloadServices): ExamplePayloads {
	return {
		reportflow: {
			fileCompleted(overrides, file) {
				const base: ReportFlowFileCompleted = {
					event: 'file.completed',
					timestamp: now(),
					workspaceId: s.reportflow.credentials.workspaceId,
					designId: EXAMPLE_IDS.reportflow.designId,
					version: 5,
					files: [
						{
							fileId: EXAMPLE_IDS.reportflow.fileId,
							uuid: EXAMPLE_IDS.reportflow.requestId,
							fileName: 'invoice.pdf',
							params: { companyName: 'Company A', amount: 50000 },
						},
					],
				};
				const payload = deepMerge(base, overrides);
				for (const f of payload.files ?? []) {
					const known = s.reportflow.requests.get(f.uuid)?.files.some((x) => x.fileId === f.fileId);
					if (!known || file) {
						s.reportflow.registerFile({
							requestId: f.uuid,
							fileId: f.fileId,
							fileName: f.fileName,
							params: f.params,
							designId: payload.designId,
							version: payload.version,
							...file,
						});
					}
				}
				return payload;
			},
		},

		docgenlab: {
			generated(overrides, file) {
				const id = overrides?.job_id ?? EXAMPLE_IDS.docgenlab.jobId;
				let doc = s.docgenlab.documents.get(id);
				if (!doc || file || s.docgenlab.statusOf(doc) !== 'ready') {
					doc = s.docgenlab.createDocument({
						id,
						status: 'ready',
						template_id: overrides?.metadata?.template_id ?? doc?.template_id ?? EXAMPLE_IDS.docgenlab.templateId,
						created_at: doc?.created_at,
						...file,
					});
				}
				const base: DocGenLabWebhook = {
					event: 'document.generated',
					job_id: id,
					status: 'completed',
					download_url: s.docgenlab.signedUrl(id),
					metadata: { template_id: doc.template_id, created_at: doc.created_at, error_message: null },
				};
				return deepMerge(base, overrides);
			},
			failed(overrides) {
				const id = overrides?.job_id ?? EXAMPLE_IDS.docgenlab.failedJobId;
				const message = overrides?.metadata?.error_message ?? s.docgenlab.settings.errorMessage;
				let doc = s.docgenlab.documents.get(id);
				if (!doc || s.docgenlab.statusOf(doc) !== 'failed') {
					doc = s.docgenlab.createDocument({
						id,
						status: 'failed',
						error_message: message,
						template_id: overrides?.metadata?.template_id ?? EXAMPLE_IDS.docgenlab.templateId,
					});
				}
				const base: DocGenLabWebhook = {
					event: 'document.generated',
					job_id: id,
					status: 'failed',
					download_url: null,
					metadata: { template_id: doc.template_id, created_at: doc.created_at, error_message: message },
				};
				return deepMerge(base, overrides);
			},
			test(overrides) {
				return deepMerge({ event: 'webhook.test', message: 'This is a test webhook from DocGenLab' }, overrides);
			},
		},

		docflo: {
			event(name = 'document.processed', overrides) {
				const d = DOCFLO_EXAMPLE_DOCUMENT;
				const status = name === 'document.approved' ? 'APPROVED' : name === 'document.rejected' ? 'REJECTED' : d.status;
				const base: DocfloWebhook = {
					event: name,
					tenantId: s.docflo.credentials.tenantId,
					timestamp: now(),
					doc: { _id: d._id, type: d.type, status, createdAt: d.createdAt, updatedAt: d.updatedAt, fields: plainFields(d) },
				};
				return deepMerge(base, overrides);
			},
		},

		pdfgorilla: {
			completed(overrides, file) {
				const jobId = overrides?.jobId ?? EXAMPLE_IDS.pdfgorilla.jobId;
				const job = s.pdfgorilla.jobs.get(jobId);
				if (!job || file || s.pdfgorilla.statusOf(job) !== 'completed') {
					s.pdfgorilla.createJob({ jobId, templateId: job?.templateId, outcome: { status: 'completed', ...file } });
				}
				const base: PdfGorillaWebhook = {
					jobId,
					status: 'completed',
					downloadUrl: s.pdfgorilla.freshDownloadUrl(jobId),
					expiresAt: s.pdfgorilla.jobs.get(jobId)!.expiresAt,
					error: null,
					timestamp: now(),
				};
				return deepMerge(base, overrides);
			},
			failed(overrides) {
				const jobId = overrides?.jobId ?? EXAMPLE_IDS.pdfgorilla.failedJobId;
				const error: PdfGorillaError = {
					code: overrides?.error?.code ?? 'RENDER_TIMEOUT',
					message: overrides?.error?.message ?? 'PDF rendering timed out.',
				};
				if (s.pdfgorilla.jobs.get(jobId)?.status !== 'failed') s.pdfgorilla.createJob({ jobId, outcome: { status: 'failed', error } });
				return deepMerge({ jobId, status: 'failed', error, timestamp: now() } as PdfGorillaWebhook, overrides);
			},
			canceled(overrides) {
				const jobId = overrides?.jobId ?? EXAMPLE_IDS.pdfgorilla.canceledJobId;
				if (s.pdfgorilla.jobs.get(jobId)?.status !== 'canceled') s.pdfgorilla.createJob({ jobId, outcome: { status: 'canceled' } });
				return deepMerge({ jobId, status: 'canceled', error: null, timestamp: now() } as PdfGorillaWebhook, overrides);
			},
		},

		pdfsign: {
			generated(overrides, file) {
				const data = (overrides?.data ?? {}) as Record<string, JsonValue>;
				const storagePath = typeof data.storage_path === 'string' ? data.storage_path : EXAMPLE_IDS.pdfsign.storagePath;
				const templateId = typeof data.template_id === 'string' ? data.template_id : EXAMPLE_IDS.pdfsign.templateId;
				const variables = { clientName: 'John Doe', invoiceNumber: 'INV-2024-001', amount: '1500.00' };
				const registered =
					!s.pdfsign.files.has(storagePath) || file
						? s.pdfsign.registerFile({ storagePath, templateId, variables, ...file })
						: undefined;
				const fileSize = registered?.file_size ?? s.pdfsign.fileSize(storagePath);
				const created = now();
				const base: PdfSignWebhook = {
					event: 'pdf.generated',
					timestamp: created,
					data: {
						template_id: templateId,
						pdf_url: s.pdfsign.publicUrl(storagePath),
						storage_path: storagePath,
						file_size: fileSize,
						render_time_ms: 2450,
						variables,
						created_at: created,
					},
				};
				return deepMerge(base, overrides);
			},
			failed(overrides) {
				const base: PdfSignWebhook = {
					event: 'pdf.failed',
					timestamp: now(),
					data: {
						template_id: EXAMPLE_IDS.pdfsign.templateId,
						error_code: 'RENDER_FAILED',
						error_message: 'Failed to render PDF: Template contains invalid HTML',
						variables: { clientName: 'John Doe' },
					},
				};
				return deepMerge(base, overrides);
			},
			quotaWarning(overrides) {
				const base: PdfSignWebhook = {
					event: 'quota.warning',
					timestamp: now(),
					data: { current_usage: 240, quota_limit: 300, percentage: 80, subscription_plan: 'starter' },
				};
				return deepMerge(base, overrides);
			},
			quotaExceeded(overrides) {
				const base: PdfSignWebhook = {
					event: 'quota.exceeded',
					timestamp: now(),
					data: { current_usage: 300, quota_limit: 300, subscription_plan: 'starter' },
				};
				return deepMerge(base, overrides);
			},
			test(overrides) {
				// Payload not documented (the event only appears in the docs' sample handler): our guess.
				const base: PdfSignWebhook = {
					event: 'test',
					timestamp: now(),
					data: { message: 'This is a test webhook from PDF-Sign' },
				};
				return deepMerge(base, overrides);
			},
		},
	};
}
