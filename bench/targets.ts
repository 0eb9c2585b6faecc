/**
 * The webhook targets the throughput benchmarks load: each of our five triggers with its
 * service's verification on and every other setting at its default (deduplication on), and
 * n8n's own Webhook node (plain, and with Header Auth) as the baselines, fed the same bodies.
 *
 * `uniqueRequests(name)` builds a different, correctly signed event for every request (its
 * own job / document / file id), so every request is a new event that starts a workflow, as
 * in production. `request(name)` is one fixed event: with deduplication off (`setUpTrigger(...,
 * { deduplicate: false })`) every repeat of it still starts a workflow, which is what the
 * earlier rows measured.
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
	/** The trigger's Options as a user leaves them (its verification on, nothing else set). */
	options: Record<string, unknown>;
	/** Event number `n`: every identity field the trigger deduplicates on differs between numbers. */
	payload: (n: number) => unknown;
	/** Passed to buildWebhookRequest: the secret that signs (or is sent). */
	secret?: string;
}

const now = () => new Date().toISOString();
/** Event 0 carries the ids the fixed request always had; later events a suffix. */
const id = (n: number) => (n === 0 ? '' : `-${n.toString(36)}`);

export const TARGETS = {
	pdfGorilla: {
		label: 'PDF Gorilla Trigger',
		verification: 'HMAC-SHA256 x-pdfg-signature',
		service: 'pdfgorilla',
		type: 'pdfGorillaTrigger',
		credential: { type: 'pdfGorillaApi', data: { apiKey: 'k', webhookSecret: SECRET } },
		options: {},
		secret: SECRET,
		payload: (n) => ({ jobId: `cma1b2c3d4e5f6g7h8i9j0k${id(n)}`, status: 'completed', downloadUrl: `https://pdfgorilla.io/files/f${id(n)}.pdf`, expiresAt: null, error: null, timestamp: now() }),
	},
	docflo: {
		label: 'Docflo Trigger',
		verification: 'X-Docflo-Signature sha256=HMAC',
		service: 'docflo',
		type: 'docfloTrigger',
		credential: { type: 'docfloWebhookApi', data: { signingSecret: SECRET, incomingAuthentication: 'none' } },
		options: {},
		secret: SECRET,
		payload: (n) => ({
			event: 'document.processed',
			tenantId: 'tenant-1',
			timestamp: now(),
			doc: { _id: `document-id-${id(n)}`, type: 'invoice', status: 'PROCESSED', createdAt: now(), updatedAt: now(), fields: { total: '100.00' } },
		}),
	},
	pdfSign: {
		label: 'PDF-Sign Trigger',
		verification: 'X-Webhook-Secret (constant-time)',
		service: 'pdfsign',
		type: 'pdfSignTrigger',
		credential: { type: 'pdfSignWebhookApi', data: { webhookSecret: SECRET } },
		options: {},
		secret: SECRET,
		payload: (n) => ({
			event: 'pdf.generated',
			timestamp: now(),
			data: {
				template_id: '550e8400-e29b-41d4-a716-446655440000',
				pdf_url: `https://pdf-sign.com/storage/v1/object/public/pdfs/user-id/template-id/${1705312245123 + n}.pdf`,
				storage_path: `user-id/template-id/${1705312245123 + n}.pdf`,
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
		options: { allowedIpAddresses: '127.0.0.1' },
		payload: (n) => ({
			event: 'file.completed',
			timestamp: now(),
			workspaceId: 'ws-1',
			designId: 'design_123',
			version: 5,
			files: [{ fileId: `file_xyz${id(n)}`, uuid: `uuid_456${id(n)}`, fileName: 'invoice.pdf', params: { companyName: 'Company A', amount: 50000 } }],
		}),
	},
	docGenLab: {
		label: 'DocGenLab Trigger',
		verification: 'IP allowlist 127.0.0.1 (DocGenLab does not sign)',
		service: 'docgenlab',
		type: 'docGenLabTrigger',
		options: { allowedIpAddresses: '127.0.0.1' },
		payload: (n) => ({
			event: 'document.generated',
			job_id: `abc-123-def-456${id(n)}`,
			status: 'completed',
			download_url: `https://api.docgenlab.com/v1/documents/abc-123-def-456${id(n)}/download?sig=x`,
			metadata: { template_id: 'template-xyz', created_at: now(), error_message: null },
		}),
	},
} satisfies Record<string, TriggerSpec>;

export type TargetName = keyof typeof TARGETS;
export const TARGET_NAMES = Object.keys(TARGETS) as TargetName[];

export interface BenchRequest {
	body: string;
	headers: Record<string, string>;
}

/** Body and headers of event `n` exactly as the service sends them (signed where it signs). */
export function request(name: TargetName, n = 0): BenchRequest {
	const spec: TriggerSpec = TARGETS[name];
	const built = buildWebhookRequest(spec.service, spec.payload(n), { secret: spec.secret });
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(built.headers)) if (k.toLowerCase() !== 'content-length') headers[k.toLowerCase()] = v;
	return { body: built.body.toString('utf8'), headers };
}

/** Events numbered from 1 up, shared by every source in this process: no two requests of a run are the same event. */
let nextEvent = 0;

/** A new, correctly signed event per call (the signature computed over its own body). */
export function uniqueRequests(name: TargetName, extraHeaders: Record<string, string> = {}): () => BenchRequest {
	return () => {
		const r = request(name, ++nextEvent);
		return { body: r.body, headers: { ...r.headers, ...extraHeaders } };
	};
}

/**
 * Creates the trigger's workflow through `main` and returns its URL on `serving` (the same
 * instance, or a webhook process in queue mode).
 */
export async function setUpTrigger(main: N8nInstance, name: TargetName, serving: N8nInstance = main, settings: { deduplicate?: false } = {}): Promise<Target> {
	const spec: TriggerSpec = TARGETS[name];
	const options = settings.deduplicate === false ? { ...spec.options, deduplicate: false } : spec.options;
	let credentials: Record<string, { id: string; name: string }> | undefined;
	if (spec.credential) {
		const credName = `bench ${spec.label}`;
		const credentialId = await main.createCredential({ name: credName, type: spec.credential.type, data: spec.credential.data });
		credentials = { [spec.credential.type]: { id: credentialId, name: credName } };
	}
	const hook = newWebhookId();
	const workflowId = await main.createWorkflow(
		linearWorkflow(`bench: ${spec.label}${settings.deduplicate === false ? ' (deduplication off)' : ''}`, [triggerNode(spec.type, hook, { options }, credentials)]),
	);
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

/** For the profiler: one target by name (deduplication off, one fixed event), `webhookNode` fed the PDF Gorilla payload. */
export async function setUpTarget(n8n: N8nInstance, name: TargetName | 'webhookNode'): Promise<Target> {
	if (name === 'webhookNode') return { ...(await setUpWebhookNode(n8n)), ...request('pdfGorilla') };
	return await setUpTrigger(n8n, name, n8n, { deduplicate: false });
}
