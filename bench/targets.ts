/**
 * The webhook targets the throughput benchmarks load: each of our five triggers with its
 * service's verification on, and n8n's own Webhook node as the baseline, fed the same
 * payload. Deduplication is off so that every request starts a workflow, as the Webhook
 * node's do.
 */
import { buildWebhookRequest, type ServiceName } from '../test/providers';
import type { N8nInstance } from '../test/harness/n8n';
import { builtInWebhookNode, linearWorkflow, newWebhookId, triggerNode } from '../test/harness/workflows';

export interface Target {
	label: string;
	/** What "verification on" means for this trigger. */
	verification: string;
	url: string;
	body: string;
	headers: Record<string, string>;
	workflowId: string;
}

const SECRET = 'bench-webhook-secret-00112233445566778899aabbccddeeff';

interface TriggerSpec {
	label: string;
	verification: string;
	service: ServiceName;
	type: string;
	credential?: { type: string; data: Record<string, unknown> };
	options: Record<string, unknown>;
	payload: () => unknown;
	/** Passed to buildWebhookRequest: the secret that signs (or is sent). */
	secret?: string;
}

const now = () => new Date().toISOString();

export const TARGETS = {
	pdfGorilla: {
		label: 'PDF Gorilla Trigger',
		verification: 'HMAC-SHA256 x-pdfg-signature',
		service: 'pdfgorilla',
		type: 'pdfGorillaTrigger',
		credential: { type: 'pdfGorillaApi', data: { apiKey: 'k', webhookSecret: SECRET } },
		options: { deduplicate: false },
		secret: SECRET,
		payload: () => ({ jobId: 'cma1b2c3d4e5f6g7h8i9j0k', status: 'completed', downloadUrl: 'https://pdfgorilla.io/files/f.pdf', expiresAt: null, error: null, timestamp: now() }),
	},
	docflo: {
		label: 'Docflo Trigger',
		verification: 'X-Docflo-Signature sha256=HMAC',
		service: 'docflo',
		type: 'docfloTrigger',
		credential: { type: 'docfloWebhookApi', data: { signingSecret: SECRET, incomingAuthentication: 'none' } },
		options: { deduplicate: false },
		secret: SECRET,
		payload: () => ({
			event: 'document.processed',
			tenantId: 'tenant-1',
			timestamp: now(),
			doc: { _id: 'document-id', type: 'invoice', status: 'PROCESSED', createdAt: now(), updatedAt: now(), fields: { total: '100.00' } },
		}),
	},
	pdfSign: {
		label: 'PDF-Sign Trigger',
		verification: 'X-Webhook-Secret (constant-time)',
		service: 'pdfsign',
		type: 'pdfSignTrigger',
		credential: { type: 'pdfSignWebhookApi', data: { webhookSecret: SECRET } },
		options: { deduplicate: false },
		secret: SECRET,
		payload: () => ({
			event: 'pdf.generated',
			timestamp: now(),
			data: {
				template_id: '550e8400-e29b-41d4-a716-446655440000',
				pdf_url: 'https://pdf-sign.com/storage/v1/object/public/pdfs/user-id/template-id/1705312245123.pdf',
				storage_path: 'user-id/template-id/1705312245123.pdf',
				file_size: 4096,
				render_time_ms: 2450,
				variables: { clientName: 'John Doe' },
				created_at: now(),
			},
		}),
	},
	reportFlow: {
		label: 'ReportFlow Trigger',
		verification: 'IP allowlist 127.0.0.1 (ReportFlow does not sign)',
		service: 'reportflow',
		type: 'reportFlowTrigger',
		options: { deduplicate: false, allowedIpAddresses: '127.0.0.1' },
		payload: () => ({
			event: 'file.completed',
			timestamp: now(),
			workspaceId: 'ws-1',
			designId: 'design_123',
			version: 5,
			files: [{ fileId: 'file_xyz', uuid: 'uuid_456', fileName: 'invoice.pdf', params: { companyName: 'Company A', amount: 50000 } }],
		}),
	},
	docGenLab: {
		label: 'DocGenLab Trigger',
		verification: 'IP allowlist 127.0.0.1 (DocGenLab does not sign)',
		service: 'docgenlab',
		type: 'docGenLabTrigger',
		options: { deduplicate: false, allowedIpAddresses: '127.0.0.1' },
		payload: () => ({
			event: 'document.generated',
			job_id: 'abc-123-def-456',
			status: 'completed',
			download_url: 'https://api.docgenlab.com/v1/documents/abc-123-def-456/download?sig=x',
			metadata: { template_id: 'template-xyz', created_at: now(), error_message: null },
		}),
	},
} satisfies Record<string, TriggerSpec>;

export type TargetName = keyof typeof TARGETS;
export const TARGET_NAMES = Object.keys(TARGETS) as TargetName[];

/** Body and headers exactly as the service sends them (signed where it signs). */
export function request(name: TargetName): { body: string; headers: Record<string, string> } {
	const spec: TriggerSpec = TARGETS[name];
	const built = buildWebhookRequest(spec.service, spec.payload(), { secret: spec.secret });
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(built.headers)) if (k.toLowerCase() !== 'content-length') headers[k.toLowerCase()] = v;
	return { body: built.body.toString('utf8'), headers };
}

/**
 * Creates the trigger's workflow through `main` and returns its URL on `serving` (the same
 * instance, or a webhook process in queue mode).
 */
export async function setUpTrigger(main: N8nInstance, name: TargetName, serving: N8nInstance = main): Promise<Target> {
	const spec: TriggerSpec = TARGETS[name];
	let credentials: Record<string, { id: string; name: string }> | undefined;
	if (spec.credential) {
		const credName = `bench ${spec.label}`;
		const id = await main.createCredential({ name: credName, type: spec.credential.type, data: spec.credential.data });
		credentials = { [spec.credential.type]: { id, name: credName } };
	}
	const hook = newWebhookId();
	const workflowId = await main.createWorkflow(linearWorkflow(`bench: ${spec.label}`, [triggerNode(spec.type, hook, { options: spec.options }, credentials)]));
	const url = serving.webhookUrl(hook);
	await serving.waitForWebhook(url);
	return { label: spec.label, verification: spec.verification, url, workflowId, ...request(name) };
}

/** n8n's own Webhook node (v2, no authentication, respond immediately): the baseline. */
export async function setUpWebhookNode(main: N8nInstance, serving: N8nInstance = main): Promise<Omit<Target, 'body' | 'headers'>> {
	const hook = newWebhookId();
	const path = `bench-${hook}`;
	const workflowId = await main.createWorkflow(linearWorkflow('bench: Webhook node', [builtInWebhookNode(hook, path)]));
	const url = `${serving.baseUrl}/webhook/${path}`;
	await serving.waitForWebhook(url);
	return { label: 'Webhook node', verification: 'none', url, workflowId };
}

/** For the profiler: one target by name, `webhookNode` fed the PDF Gorilla payload. */
export async function setUpTarget(n8n: N8nInstance, name: TargetName | 'webhookNode'): Promise<Target> {
	if (name === 'webhookNode') return { ...(await setUpWebhookNode(n8n)), ...request('pdfGorilla') };
	return await setUpTrigger(n8n, name);
}
