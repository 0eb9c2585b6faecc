/**
 * End to end, deduplication's weight in a real n8n: events per second through the default
 * PDF Gorilla workflow (PDF Gorilla Trigger → PDF Gorilla Download File, both at their
 * defaults: the trigger's retry filter on, the download's Skip Already Processed on for the
 * trigger's items), against the fake PDF Gorilla service (test/providers) on loopback, with
 * the workflow's processed_data row empty against the same workflow shape whose row is full
 * (PERSISTED_EVENTS events claimed beforehand, so the row holds its cap).
 *
 * Each side is sent the same number of new, signed events in batches of 10 (see deliver());
 * its rate is the events over the time from the first send to the last execution's end.
 * "Empty" is a new workflow in each round (its row starts absent); "full" is one workflow
 * filled once. Reference: the same workflow with the download's Skip Already Processed off
 * (no claim at all). Measured empty, full, off, off, full, empty.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

import { N8nInstance } from '../test/harness/n8n';
import { delay } from '../test/harness/processes';
import { repoRoot } from '../test/harness/versions';
import { linearWorkflow, newWebhookId } from '../test/harness/workflows';
import { createTestCa, sendWebhook, startFakeProviders, type FakeProviders } from '../test/providers';
import { PERSISTED_EVENTS } from '../core/actions/processed';
import { BENCH_N8N_VERSION, ensureN8nAndPackage, fmt, log, type Row } from './lib';

const SECRET = 'bench-e2e-dedupe-pdfgorilla-secret-0123456789abcdef';
const CONCURRENCY = 10;

interface Setup {
	n8n: N8nInstance;
	fake: FakeProviders;
	credential: { id: string; name: string };
}

async function userWorkflow(s: Setup, name: string, downloadOptions: Record<string, unknown> = {}): Promise<{ workflowId: string; url: string }> {
	const hook = newWebhookId();
	const workflowId = await s.n8n.createWorkflow(
		linearWorkflow(name, [
			{ name: 'PDF Gorilla Trigger', type: 'n8n-nodes-pdf-webhooks.pdfGorillaTrigger', typeVersion: 2, webhookId: hook, parameters: {}, credentials: { pdfGorillaApi: s.credential } },
			{
				name: 'Download PDF',
				type: 'n8n-nodes-pdf-webhooks.pdfGorilla',
				typeVersion: 1,
				// Allow Private Network (and the fake's host) only because the fake service is on loopback.
				parameters: { resource: 'job', operation: 'download', downloadOptions: { allowPrivateNetwork: true, additionalAllowedHosts: `localhost:${s.fake.port}`, ...downloadOptions } },
				credentials: { pdfGorillaApi: s.credential },
			},
		]),
	);
	const url = s.n8n.webhookUrl(hook);
	await s.n8n.waitForWebhook(url);
	return { workflowId, url };
}

/**
 * Sends `count` new events (each its own job at the fake service) in batches of 10 sent at
 * once, each batch after the previous one's executions have finished: the trigger answers
 * before its workflow runs, so an open-loop sender would pile up running executions in n8n
 * (each holding its memory) faster than they finish. Returns events per second from the first
 * send to the last execution's end.
 */
async function deliver(s: Setup, target: { workflowId: string; url: string }, count: number): Promise<{ eventsPerSecond: number; failed: number }> {
	let failed = 0;
	const firstSentAt = Date.now();
	let endedAt = firstSentAt;
	for (let sent = 0; sent < count; sent += CONCURRENCY) {
		const batch = Array.from({ length: Math.min(CONCURRENCY, count - sent) }, () => s.fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 20_000 } }));
		const sentAt = Date.now();
		const answers = await Promise.all(
			batch.map(async (job) => await sendWebhook('pdfgorilla', target.url, s.fake.pdfgorilla.webhookPayload(job.jobId), { secret: SECRET, timeoutMs: 60_000 })),
		);
		const accepted = answers.filter((res) => res.status === 200).length;
		failed += batch.length - accepted;
		const deadline = Date.now() + 120_000;
		for (;;) {
			const ours = (await s.n8n.executions(target.workflowId, { limit: accepted })).slice(0, accepted).filter((e) => new Date(e.startedAt).getTime() >= sentAt - 1000);
			if (ours.length >= accepted && ours.every((e) => e.stoppedAt !== null)) {
				endedAt = Math.max(endedAt, ...ours.map((e) => new Date(e.stoppedAt!).getTime()));
				failed += ours.filter((e) => e.status !== 'success').length;
				break;
			}
			if (Date.now() > deadline) throw new Error(`executions of ${target.workflowId} did not finish: ${ours.length} of ${accepted}\n${s.n8n.logTail()}`);
			await delay(50);
		}
	}
	return { eventsPerSecond: (count * 1000) / (endedAt - firstSentAt), failed };
}

/**
 * Sets the workflow's processed_data row as PERSISTED_EVENTS claims leave it (each event's key
 * and its owner mark, md5-base64 as n8n hashes them), written into n8n's SQLite database with
 * the sqlite3 command-line tool; claiming that many events through n8n first would take minutes.
 */
function fillProcessedData(n8n: N8nInstance, workflowId: string): void {
	const data = Array.from({ length: 2 * PERSISTED_EVENTS }, (_, i) => createHash('md5').update(`pdfGorilla:filled-${i}`).digest('base64'));
	const value = JSON.stringify({ mode: 'entries', data }).replace(/'/g, "''");
	const sql = `INSERT INTO processed_data ("workflowId", "context", "value") VALUES ('${workflowId}', '', '${value}') ON CONFLICT ("workflowId", "context") DO UPDATE SET "value" = excluded."value";`;
	execFileSync('sqlite3', ['-cmd', '.timeout 10000', join(n8n.userFolder, '.n8n', 'database.sqlite'), sql]);
	const stored = execFileSync('sqlite3', ['-cmd', '.timeout 10000', join(n8n.userFolder, '.n8n', 'database.sqlite'), `SELECT length("value") FROM processed_data WHERE "workflowId" = '${workflowId}' AND "context" = '';`]).toString().trim();
	if (!stored) throw new Error('the processed_data row was not written');
}

export async function benchEndToEndDedupe(version: string, options: { events: number; env?: Record<string, string>; label: string }): Promise<Row[]> {
	ensureN8nAndPackage(version);
	const ca = await createTestCa(join(repoRoot, '.cache', 'test-ca'));
	const fake = await startFakeProviders({ tls: ca, publicHost: 'localhost' });
	const n8n = await N8nInstance.start({ version, label: 'bench-e2e-dedupe', env: { ...options.env } });
	try {
		const credentialName = 'PDF Gorilla (bench dedupe)';
		const credentialId = await n8n.createCredential({
			name: credentialName,
			type: 'pdfGorillaApi',
			data: { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: SECRET, baseUrl: `${fake.origin}/pdfgorilla/api/v1` },
		});
		const s: Setup = { n8n, fake, credential: { id: credentialId, name: credentialName } };

		const full = await userWorkflow(s, 'bench: dedupe, processed_data row full');
		fillProcessedData(n8n, full.workflowId);

		// Warm-up of the empty side's path (first workflow activation costs), not counted.
		await deliver(s, await userWorkflow(s, 'bench: dedupe, warm-up'), 20);
		// Reference: the same workflow with the download's Skip Already Processed off (the trigger's filter still on).
		const unclaimed = await userWorkflow(s, 'bench: dedupe, Skip Already Processed off', { skipAlreadyProcessed: false });
		const rates = { empty: [] as number[], full: [] as number[], off: [] as number[] };
		let failed = 0;
		for (const side of ['empty', 'full', 'off', 'off', 'full', 'empty'] as const) {
			const target = side === 'full' ? full : side === 'off' ? unclaimed : await userWorkflow(s, `bench: dedupe, processed_data row empty (${rates.empty.length + 1})`);
			const r = await deliver(s, target, options.events);
			failed += r.failed;
			rates[side].push(r.eventsPerSecond);
			log(`e2e dedupe: ${side}: ${fmt(r.eventsPerSecond)} events/s, ${r.failed} failed`);
		}
		const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
		const e = mean(rates.empty);
		const f = mean(rates.full);
		const o = mean(rates.off);
		return [
			{
				benchmark: `End to end, default PDF Gorilla workflow (trigger → download, deduplication on), ${options.events} new events per side and round, batches of 10: processed_data row full (${PERSISTED_EVENTS.toLocaleString('en-US')} events) vs empty (n8n ${version}, ${options.label})`,
				ours: `${fmt(f)} events/s (row full)`,
				baseline: `${fmt(e)} events/s (row empty)`,
				ratio: f / e,
				goal: '≥ 0.97',
				met: f / e >= 0.97 && failed === 0,
				note: failed ? `${failed} events failed` : undefined,
			},
			{
				benchmark: `End to end, same workflow, reference: processed_data row empty vs the download's Skip Already Processed off (no claim; n8n ${version}, ${options.label})`,
				ours: `${fmt(e)} events/s (row empty)`,
				baseline: `${fmt(o)} events/s (Skip Already Processed off)`,
				ratio: e / o,
				goal: '—',
			},
		];
	} finally {
		await n8n.stop(60_000);
		await fake.close();
	}
}

if (require.main === module) {
	benchEndToEndDedupe(BENCH_N8N_VERSION, {
		events: Number(process.env.BENCH_E2E_DEDUPE_EVENTS ?? 150),
		label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true',
		env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
	})
		.then((rows) => {
			for (const r of rows) process.stdout.write(`${r.benchmark}: ${r.ours}, baseline ${r.baseline}, ratio ${r.ratio.toFixed(2)}\n`);
		})
		.catch((e: unknown) => {
			process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
			process.exit(1);
		});
}
