/**
 * PDF Gorilla end to end in real n8n: trigger → action downloads byte-identical PDFs; the
 * documented faults (503s, a reset mid-body, a truncated body, an expired link, a foreign
 * redirect, a private address, a non-PDF) each end as documented; generation hands off to
 * the trigger through a signed webhook.
 */
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

import { versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, triggerNode, PACKAGE } from '../harness/workflows';
import { pdfSpecSha256, sendWebhook } from '../providers';
import { errorOf, itemsOf, jsonOf, nextExecution, sha256, useStack } from './support';

const SECRET = 'pdfgorilla-e2e-secret-0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const LARGE_MIB = 256;
/** The goal docs/performance.md sets for n8n's growth during a large download in filesystem mode. */
const MEMORY_BUDGET_MIB = 64;

/** A process's peak resident memory (VmHWM, MiB) since start or since resetPeakMemory. Linux. */
function peakMemoryMib(pid: number): number {
	const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	if (!kib) throw new Error(`no VmHWM for process ${pid}`);
	return Number(kib[1]) / 1024;
}

/** Resets VmHWM to the current resident memory (proc(5), clear_refs value 5). */
function resetPeakMemory(pid: number): void {
	writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

describe.each(versionsUnderTest())('PDF Gorilla actions on n8n %s', (version) => {
	// Event links point at "localhost" while the API is on 127.0.0.1: different origins, so the
	// API key must not travel to the file links.
	const stack = useStack(version, { fake: { publicHost: 'localhost' } });
	let credential: Record<string, { id: string; name: string }>;
	let filesHost: string;

	beforeAll(async () => {
		const { n8n, fake } = stack;
		filesHost = `localhost:${fake.port}`;
		const id = await n8n.createCredential({
			name: 'PDF Gorilla (fake)',
			type: 'pdfGorillaApi',
			data: { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: SECRET, baseUrl: `${fake.origin}/pdfgorilla/api/v1` },
		});
		credential = { pdfGorillaApi: { id, name: 'PDF Gorilla (fake)' } };
	});

	/** Trigger → Download File, with the given download options. */
	async function downloadFlow(name: string, downloadOptions: Record<string, unknown>) {
		const hook = newWebhookId();
		const workflowId = await stack.n8n.createWorkflow(
			linearWorkflow(name, [
				triggerNode('pdfGorillaTrigger', hook, {}, credential),
				{
					name: 'Download',
					type: `${PACKAGE}.pdfGorilla`,
					typeVersion: 1,
					parameters: { resource: 'job', operation: 'download', downloadOptions },
					credentials: credential,
				},
			]),
		);
		const url = stack.n8n.webhookUrl(hook);
		await stack.n8n.waitForWebhook(url);
		let seen = 0;
		return {
			workflowId,
			/** Sends the job's signed completed event and returns the execution it caused. */
			async deliver(payload: Record<string, unknown>) {
				const res = await sendWebhook('pdfgorilla', url, payload, { secret: SECRET });
				expect(res.status).toBe(200);
				const execution = await nextExecution(stack.n8n, workflowId, seen);
				seen++;
				return execution;
			},
		};
	}

	const allowLocal = () => ({ allowPrivateNetwork: true, additionalAllowedHosts: filesHost });

	test('trigger → download delivers the byte-identical PDF, without sending the API key to the file host', async () => {
		const { fake, n8n } = stack;
		const flow = await downloadFlow('PDF Gorilla download', allowLocal());
		const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 300_000, title: 'Invoice e2e' } });
		fake.clearRequests();
		const execution = await flow.deliver(fake.pdfgorilla.webhookPayload(job.jobId));
		expect(errorOf(execution)).toBeUndefined();
		expect(execution.status).toBe('success');
		const [item] = itemsOf(execution, 'Download');
		const binary = item.binary!.data as { fileName: string; mimeType: string };
		expect(binary).toMatchObject({ fileName: `${job.jobId}.pdf`, mimeType: 'application/pdf' });
		expect(item.json).toMatchObject({ jobId: job.jobId, event: 'completed', download: { bytes: 300_000, mimeType: 'application/pdf' } });
		const bytes = await n8n.binaryBytes(item.binary!.data);
		expect(sha256(bytes)).toBe(await pdfSpecSha256(job.pdf));
		const fileRequests = fake.requests({ service: 'pdfgorilla', path: '/pdfgorilla/files/' });
		expect(fileRequests).toHaveLength(1);
		expect(fileRequests[0].headers['x-api-key']).toBeUndefined();
		expect(fileRequests[0].headers.authorization).toBeUndefined();
	});

	test(`a ${LARGE_MIB} MiB PDF streams into n8n's file store: every byte, while n8n's peak memory grows by less than ${MEMORY_BUDGET_MIB} MiB`, async () => {
		const { fake, n8n } = stack;
		const flow = await downloadFlow('PDF Gorilla large download', { ...allowLocal(), maxFileSizeMb: 0 });
		const size = LARGE_MIB * 1024 * 1024;
		// First a few small ones: n8n's heap settles over its first executions (measured on 2.41.1:
		// +29 MiB for a first 16 MiB file, then +6 MiB for 512 MiB), which is not this download's.
		for (let warmUp = 0; warmUp < 3; warmUp++) {
			const small = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 16 * 1024 * 1024 } });
			expect(errorOf(await flow.deliver(fake.pdfgorilla.webhookPayload(small.jobId)))).toBeUndefined();
		}
		const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: size, title: 'Large e2e' } });
		const pid = n8n.pid!;
		resetPeakMemory(pid);
		const before = peakMemoryMib(pid);
		const execution = await flow.deliver(fake.pdfgorilla.webhookPayload(job.jobId));
		const grew = peakMemoryMib(pid) - before;
		process.stderr.write(`[pdfgorilla e2e] n8n ${version}: a ${LARGE_MIB} MiB download raised n8n's peak memory by ${grew.toFixed(1)} MiB\n`);
		expect(errorOf(execution)).toBeUndefined();
		const [item] = itemsOf(execution, 'Download');
		expect(item.json).toMatchObject({ download: { bytes: size, mimeType: 'application/pdf' } });
		// A file read whole into memory would raise it by the file's size at least.
		expect(grew).toBeLessThan(MEMORY_BUDGET_MIB);
		expect(sha256(await n8n.binaryBytes(item.binary!.data))).toBe(await pdfSpecSha256(job.pdf));
	}, 240_000);

	test('an expired event link is refreshed through GET /jobs/{id} with the API key', async () => {
		const { fake, n8n } = stack;
		const flow = await downloadFlow('PDF Gorilla expired link', allowLocal());
		const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 50_000 } });
		const payload = { ...fake.pdfgorilla.webhookPayload(job.jobId), downloadUrl: fake.pdfgorilla.freshDownloadUrl(job.jobId, -1000) };
		fake.clearRequests();
		const execution = await flow.deliver(payload);
		expect(errorOf(execution)).toBeUndefined();
		const refresh = fake.requests({ service: 'pdfgorilla', path: `/pdfgorilla/api/v1/jobs/${job.jobId}` });
		expect(refresh).toHaveLength(1);
		expect(refresh[0].headers['x-api-key']).toBe(fake.credentials.pdfgorilla.apiKey);
		const files = fake.requests({ service: 'pdfgorilla', path: '/pdfgorilla/files/' });
		expect(files.map((r) => r.status)).toEqual([410, 200]);
		expect(sha256(await n8n.binaryBytes(itemsOf(execution, 'Download')[0].binary!.data))).toBe(await pdfSpecSha256(job.pdf));
	});

	test('two 503s then 200, and a connection reset mid-body, are retried to a complete file', async () => {
		const { fake, n8n } = stack;
		const flow = await downloadFlow('PDF Gorilla transient faults', allowLocal());
		const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 400_000 } });
		fake.faults.add({ service: 'pdfgorilla', pathPrefix: '/pdfgorilla/files/' }, { status: 503, times: 2 });
		fake.faults.add({ service: 'pdfgorilla', pathPrefix: '/pdfgorilla/files/' }, { resetMidBody: true });
		fake.clearRequests();
		const execution = await flow.deliver(fake.pdfgorilla.webhookPayload(job.jobId));
		expect(errorOf(execution)).toBeUndefined();
		expect(fake.requests({ service: 'pdfgorilla', path: '/pdfgorilla/files/' })).toHaveLength(4);
		expect(sha256(await n8n.binaryBytes(itemsOf(execution, 'Download')[0].binary!.data))).toBe(await pdfSpecSha256(job.pdf));
	});

	test('a body that stays truncated fails the node with the transfer error; no broken file is passed on', async () => {
		const { fake } = stack;
		const flow = await downloadFlow('PDF Gorilla truncated', allowLocal());
		const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 100_000 } });
		fake.faults.add({ service: 'pdfgorilla', pathPrefix: '/pdfgorilla/files/' }, { truncate: true, times: Infinity });
		try {
			const execution = await flow.deliver(fake.pdfgorilla.webhookPayload(job.jobId));
			expect(execution.status).toBe('error');
			expect(errorOf(execution)).toMatch(/PDF Gorilla could not be reached or the transfer broke after 4 attempts: (the connection was reset|the transfer ended after)/);
			expect(itemsOf(execution, 'Download')).toHaveLength(0);
		} finally {
			fake.faults.clear();
		}
	});

	test('refusals: a redirect to a foreign host, a private address with the option off, a non-PDF', async () => {
		const { fake } = stack;
		const strict = await downloadFlow('PDF Gorilla strict', { additionalAllowedHosts: filesHost });
		const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed' } });
		const privateRefused = await strict.deliver(fake.pdfgorilla.webhookPayload(job.jobId));
		expect(privateRefused.status).toBe('error');
		expect(errorOf(privateRefused)).toMatch(/Allow Private Network/);

		const lenient = await downloadFlow('PDF Gorilla refusals', allowLocal());
		fake.faults.add({ service: 'pdfgorilla', pathPrefix: '/pdfgorilla/files/' }, { redirectTo: 'https://files.attacker.example/x.pdf' });
		const redirected = await lenient.deliver(fake.pdfgorilla.webhookPayload(fake.pdfgorilla.createJob().jobId));
		expect(redirected.status).toBe('error');
		expect(errorOf(redirected)).toMatch(/Refused a redirect .*files\.attacker\.example/);

		fake.faults.add({ service: 'pdfgorilla', pathPrefix: '/pdfgorilla/files/' }, { notPdf: true });
		const notPdf = await lenient.deliver(fake.pdfgorilla.webhookPayload(fake.pdfgorilla.createJob().jobId));
		expect(notPdf.status).toBe('error');
		expect(errorOf(notPdf)).toMatch(/is not a PDF/);
		// No secret in any error text.
		for (const e of [privateRefused, redirected, notPdf]) expect(JSON.stringify(e.data)).not.toContain(fake.credentials.pdfgorilla.apiKey);
	});

	test('Skip Already Processed downloads a job once even when the trigger lets a repeat through', async () => {
		const { fake } = stack;
		const hook = newWebhookId();
		const workflowId = await stack.n8n.createWorkflow(
			linearWorkflow('PDF Gorilla skip processed', [
				triggerNode('pdfGorillaTrigger', hook, { options: { deduplicate: false } }, credential),
				{
					name: 'Download',
					type: `${PACKAGE}.pdfGorilla`,
					typeVersion: 1,
					parameters: { resource: 'job', operation: 'download', downloadOptions: { ...allowLocal(), skipAlreadyProcessed: true } },
					credentials: credential,
				},
			]),
		);
		const url = stack.n8n.webhookUrl(hook);
		await stack.n8n.waitForWebhook(url);
		const payload = fake.pdfgorilla.webhookPayload(fake.pdfgorilla.createJob().jobId);
		for (let i = 0; i < 2; i++) expect((await sendWebhook('pdfgorilla', url, payload, { secret: SECRET })).status).toBe(200);
		const executions = await stack.n8n.waitForExecutions(workflowId, 2, { includeData: true });
		const downloads = executions.map((e) => itemsOf(e, 'Download').length).sort();
		expect(downloads).toEqual([0, 1]);
	});

	test('Generate returns the PDF; Generate (Async) hands off to the trigger through a webhook signed with the same credential', async () => {
		const { fake, n8n } = stack;
		// The receiving workflow: trigger → download.
		const receiver = await downloadFlow('PDF Gorilla receiver', allowLocal());
		const receiverHook = (await n8n.getWorkflow(receiver.workflowId)).nodes.find((n) => n.name === 'Trigger')!.webhookId as string;
		// The starting workflow: a manual-less webhook start → Generate (Async) with the receiver's URL, and a sync Generate.
		const startHook = newWebhookId();
		const starter = await n8n.createWorkflow({
			...linearWorkflow('PDF Gorilla starter', [
				{ name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: startHook, parameters: { httpMethod: 'POST', path: `start-${startHook}`, options: {} } },
				{
					name: 'Generate Async',
					type: `${PACKAGE}.pdfGorilla`,
					typeVersion: 1,
					parameters: { resource: 'pdf', operation: 'generateAsync', templateId: 'tmpl_invoice', data: '={{ JSON.stringify($json.body) }}', webhookUrl: n8n.webhookUrl(receiverHook) },
					credentials: credential,
				},
				{
					name: 'Generate',
					type: `${PACKAGE}.pdfGorilla`,
					typeVersion: 1,
					parameters: { resource: 'pdf', operation: 'generate', templateId: 'tmpl_invoice', data: '{"orderId":"ORD-SYNC"}' },
					credentials: credential,
				},
			]),
		});
		const startUrl = `${n8n.baseUrl}/webhook/start-${startHook}`;
		await n8n.waitForWebhook(startUrl);
		fake.clearRequests();
		const before = (await n8n.executions(receiver.workflowId)).length;
		expect((await n8n.postWebhook(startUrl, JSON.stringify({ orderId: 'ORD-999' }))).status).toBe(200);

		const [started] = await n8n.waitForExecutions(starter, 1, { includeData: true });
		expect(errorOf(started)).toBeUndefined();
		const job = jsonOf(started, 'Generate Async')[0];
		expect(job).toMatchObject({ jobId: expect.any(String) });
		const generated = itemsOf(started, 'Generate')[0];
		expect(generated.binary!.data).toMatchObject({ mimeType: 'application/pdf' });
		expect((await n8n.binaryBytes(generated.binary!.data)).subarray(0, 5).toString()).toBe('%PDF-');

		const asyncCall = fake.requests({ service: 'pdfgorilla', path: /generate-async$/ })[0];
		expect(JSON.parse(asyncCall.body.toString())).toMatchObject({ data: { orderId: 'ORD-999' }, webhookSecret: SECRET });
		const delivered = await nextExecution(n8n, receiver.workflowId, before);
		expect(errorOf(delivered)).toBeUndefined();
		expect(jsonOf(delivered, 'Download')[0]).toMatchObject({ jobId: job.jobId, download: { mimeType: 'application/pdf' } });
		const sentWebhook = fake.webhookDeliveries({ service: 'pdfgorilla' }).find((d) => d.url.includes(receiverHook));
		expect(sentWebhook?.headers['x-pdfg-signature']).toBe(createHmac('sha256', SECRET).update(sentWebhook!.body).digest('hex'));
	});
});
