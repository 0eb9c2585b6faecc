/**
 * End to end: the PDF Gorilla email-on-PDF example (examples/pdfgorilla-email-pdf.json), as a
 * user imports it, in real n8n against the fake PDF Gorilla service and a real SMTP server on
 * loopback. One signed "completed" webhook at a time; measured from sending the webhook to
 * the email's arrival (received and parsed) at the SMTP server, with a breakdown from the
 * execution record: webhook answer, queueing until the execution starts, each node's own
 * time (runData executionTime), and the time from the execution's end to the mail's arrival.
 */
import { join } from 'node:path';

import { prepareExample } from '../test/harness/examples';
import { N8nInstance } from '../test/harness/n8n';
import { SmtpSink } from '../test/harness/smtp';
import { repoRoot } from '../test/harness/versions';
import { createTestCa, sendWebhook, startFakeProviders } from '../test/providers';
import { BENCH_N8N_VERSION, ensureN8nAndPackage, fmt, log, percentile, type Row } from './lib';

const SECRET = 'bench-e2e-pdfgorilla-secret-0123456789abcdef';
const EXAMPLE = 'pdfgorilla-email-pdf.json';

interface Delivery {
	jobId: string;
	sentAt: number;
	answeredAt: number;
	mailAt: number;
}

type RunEntry = { startTime?: number; executionTime?: number };

export async function benchEndToEnd(version: string, options: { deliveries: number; pdfBytes?: number; env?: Record<string, string>; label: string }): Promise<{ rows: Row[]; breakdown: string }> {
	ensureN8nAndPackage(version);
	const ca = await createTestCa(join(repoRoot, '.cache', 'test-ca'));
	const fake = await startFakeProviders({ tls: ca, publicHost: 'localhost' });
	const smtp = await SmtpSink.start();
	const n8n = await N8nInstance.start({ version, label: 'bench-e2e', env: { ...options.env } });
	const deliveries: Delivery[] = [];
	const parts: Record<string, number[]> = {};
	const add = (key: string, value: number) => (parts[key] ??= []).push(value);
	try {
		const credentials: Record<string, { id: string; name: string }> = {};
		credentials.smtp = { id: await n8n.createCredential({ name: 'smtp (bench)', type: 'smtp', data: smtp.credentialData() }), name: 'smtp (bench)' };
		const api = `${fake.origin}${new URL(fake.baseUrl('pdfgorilla')).pathname}`;
		credentials.pdfGorillaApi = {
			id: await n8n.createCredential({ name: 'PDF Gorilla (bench)', type: 'pdfGorillaApi', data: { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: SECRET, baseUrl: api } }),
			name: 'PDF Gorilla (bench)',
		};
		const { workflow, webhookId } = prepareExample(EXAMPLE, { version: version as never, credentials, fakeHost: `localhost:${fake.port}` });
		const workflowId = await n8n.createWorkflow(workflow);
		const url = n8n.webhookUrl(webhookId);
		await n8n.waitForWebhook(url);

		// One warm-up delivery (first-use costs: module loading, connection pools), not counted.
		for (let i = -1; i < options.deliveries; i++) {
			const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: options.pdfBytes ?? 120_000 } });
			const mailsBefore = smtp.messages.length;
			const sentAt = Date.now();
			const res = await sendWebhook('pdfgorilla', url, fake.pdfgorilla.webhookPayload(job.jobId), { secret: SECRET });
			const answeredAt = Date.now();
			if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${res.body.toString()}`);
			const [mail] = (await smtp.waitFor(mailsBefore + 1, 60_000)).slice(mailsBefore);
			if (!mail.parsed.subject?.includes(job.jobId)) throw new Error(`unexpected mail: ${mail.parsed.subject}`);
			if (i >= 0) deliveries.push({ jobId: job.jobId, sentAt, answeredAt, mailAt: mail.receivedAt });
		}

		const executions = await n8n.waitForExecutions(workflowId, options.deliveries + 1, { includeData: true });
		for (const d of deliveries) {
			const execution = executions.find((e) => JSON.stringify(e.data?.resultData.runData['PDF Gorilla Trigger']?.[0]?.data ?? '').includes(d.jobId));
			if (!execution) throw new Error(`no execution for ${d.jobId}`);
			if (execution.status !== 'success') throw new Error(`execution for ${d.jobId}: ${execution.status}`);
			const runData = execution.data!.resultData.runData as unknown as Record<string, RunEntry[]>;
			const startedAt = new Date(execution.startedAt).getTime();
			const stoppedAt = new Date(execution.stoppedAt!).getTime();
			add('total: webhook sent → email received', d.mailAt - d.sentAt);
			add('webhook answered (trigger: verify, parse)', d.answeredAt - d.sentAt);
			add('webhook sent → execution started', startedAt - d.sentAt);
			for (const [node, label] of [
				['PDF Gorilla Trigger', 'node: PDF Gorilla Trigger'],
				['Rendered?', 'node: If (Rendered?)'],
				['Download PDF', 'node: PDF Gorilla download (ours)'],
				['Email the PDF', 'node: Send Email (n8n)'],
			] as const) {
				const entry = runData[node]?.[0];
				if (entry?.executionTime !== undefined) add(label, entry.executionTime);
			}
			const emailEntry = runData['Email the PDF']?.[0];
			if (emailEntry?.startTime !== undefined && emailEntry.executionTime !== undefined) {
				add('mail received and parsed, after the email node ended (negative: before n8n recorded its end)', d.mailAt - (emailEntry.startTime + emailEntry.executionTime));
			}
			add('execution started → stopped (n8n record)', stoppedAt - startedAt);
		}
	} finally {
		await n8n.stop(60_000);
		await smtp.close();
		await fake.close();
	}
	const lines = Object.entries(parts).map(
		([key, values]) => `| ${key} | ${fmt(percentile(values, 50), 0)} | ${fmt(percentile(values, 95), 0)} |`,
	);
	const breakdown = [
		`End-to-end latency, ${EXAMPLE}, ${deliveries.length} deliveries one at a time, ${Math.round((options.pdfBytes ?? 120_000) / 1000)} KB PDF (n8n ${version}, ${options.label}). Times in ms; the execution clock and this process's clock are the same machine's.`,
		'',
		'| Part | median | p95 |',
		'|---|---:|---:|',
		...lines,
	].join('\n');
	const total = parts['total: webhook sent → email received'] ?? [0];
	log(`e2e: median ${fmt(percentile(total, 50), 0)} ms, p95 ${fmt(percentile(total, 95), 0)} ms over ${total.length} deliveries`);
	return {
		rows: [
			{
				benchmark: `End to end, PDF Gorilla email-on-PDF example: webhook sent → email at the SMTP server (n8n ${version}, ${options.label})`,
				ours: `median ${fmt(percentile(total, 50), 0)} ms, p95 ${fmt(percentile(total, 95), 0)} ms`,
				baseline: '— (absolute; breakdown below)',
				ratio: Number.NaN,
				goal: 'report',
			},
		],
		breakdown,
	};
}

if (require.main === module) {
	benchEndToEnd(BENCH_N8N_VERSION, { deliveries: Number(process.env.BENCH_E2E_DELIVERIES ?? 20), label: 'default settings' })
		.then(({ rows, breakdown }) => {
			for (const r of rows) process.stdout.write(`${r.benchmark}: ${r.ours}\n`);
			process.stdout.write(`${breakdown}\n`);
		})
		.catch((e: unknown) => {
			process.stderr.write(`${String(e)}\n`);
			process.exit(1);
		});
}
