/**
 * Download throughput and memory: our action node inside n8n (filesystem binary data mode)
 * against a plain `fetch` stream to a file, both fetching the same PDF from the same
 * loopback HTTPS server in the same run. The n8n process's RSS is sampled during the
 * download; its growth is what a large PDF costs the instance.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Agent } from 'undici';

import { linearWorkflow, newWebhookId, PACKAGE } from '../test/harness/workflows';
import { MB, fmt, log, nowUs, sampleRss, startStack, type Row } from './lib';

interface DownloadMeasurement {
	sizeMb: number;
	oursMs: number;
	baselineMs: number;
	rssGrowthMb: number;
	executionStatus: string;
}

/** fetch with the test CA trusted, streamed to a file: the "plain HTTP client" baseline. */
async function baselineDownload(url: string, caPem: string, target: string): Promise<number> {
	const dispatcher = new Agent({ connect: { ca: caPem } });
	const started = performance.now();
	const response = await fetch(url, { dispatcher } as RequestInit);
	if (!response.ok || !response.body) throw new Error(`baseline download failed: ${response.status}`);
	await pipeline(Readable.fromWeb(response.body as never), createWriteStream(target));
	const elapsed = performance.now() - started;
	await dispatcher.close();
	return elapsed;
}

export async function benchDownloads(
	version: string,
	sizesMb: number[],
	options: { env?: Record<string, string>; onWindow?: (sizeMb: number, window: [number, number]) => void } = {},
): Promise<{ rows: Row[]; measurements: DownloadMeasurement[] }> {
	const { n8n, fake, caPem } = await startStack({ version, env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', ...options.env } });
	const dir = mkdtempSync(join(tmpdir(), 'bench-download-'));
	const measurements: DownloadMeasurement[] = [];
	try {
		const credentialId = await n8n.createCredential({
			name: 'PDF Gorilla (bench)',
			type: 'pdfGorillaApi',
			data: { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: 'bench-secret', baseUrl: fake.baseUrl('pdfgorilla') },
		});
		const hook = newWebhookId();
		const path = `bench-download-${hook}`;
		const workflowId = await n8n.createWorkflow(
			linearWorkflow('bench: download', [
				{ name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: hook, parameters: { httpMethod: 'POST', path, options: {} } },
				{
					name: 'Download',
					type: `${PACKAGE}.pdfGorilla`,
					typeVersion: 1,
					parameters: {
						resource: 'job',
						operation: 'download',
						jobId: '={{ $json.body.jobId }}',
						downloadUrl: '={{ $json.body.downloadUrl }}',
						downloadOptions: { timeoutSeconds: 600, allowPrivateNetwork: true, additionalAllowedHosts: `localhost:${fake.port}` },
					},
					credentials: { pdfGorillaApi: { id: credentialId, name: 'PDF Gorilla (bench)' } },
				},
			]),
		);
		const url = `${n8n.baseUrl}/webhook/${path}`;
		await n8n.waitForWebhook(url);

		for (const sizeMb of sizesMb) {
			const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: sizeMb * MB } });
			// Baseline first, so the server's page cache is equally warm for both.
			const baselineMs = await baselineDownload(fake.pdfgorilla.freshDownloadUrl(job.jobId), caPem, join(dir, 'baseline.pdf'));
			rmSync(join(dir, 'baseline.pdf'), { force: true });

			const before = (await n8n.executions(workflowId)).length;
			const sampler = sampleRss(n8n.pid!);
			const windowStart = nowUs();
			const res = await n8n.postWebhook(url, JSON.stringify({ jobId: job.jobId, downloadUrl: fake.pdfgorilla.freshDownloadUrl(job.jobId) }));
			if (res.status !== 200) throw new Error(`starting the download workflow failed: ${res.status} ${res.text}`);
			const [execution] = await n8n.waitForExecutions(workflowId, before + 1, { timeoutMs: 15 * 60_000 });
			if (execution.status !== 'success') {
				const [full] = await n8n.executions(workflowId, { includeData: true, limit: 1 });
				log(`download ${sizeMb} MB: execution ${execution.status}: ${(full?.data?.resultData?.error as { message?: string; description?: string } | undefined)?.message ?? "?"} — ${(full?.data?.resultData?.error as { description?: string } | undefined)?.description ?? ""}}`);
			}
			const { baseline, peak } = sampler.stop();
			options.onWindow?.(sizeMb, [windowStart, nowUs()]);
			const oursMs = new Date(execution.stoppedAt!).getTime() - new Date(execution.startedAt).getTime();
			const m = { sizeMb, oursMs, baselineMs, rssGrowthMb: (peak - baseline) / MB, executionStatus: execution.status };
			measurements.push(m);
			log(`download ${sizeMb} MB: n8n ${fmt(oursMs, 0)} ms, fetch ${fmt(baselineMs, 0)} ms, RSS +${fmt(m.rssGrowthMb)} MB (${execution.status})`);
		}
	} finally {
		await n8n.stop();
		await fake.close();
		rmSync(dir, { recursive: true, force: true });
	}
	const rows: Row[] = [];
	for (const m of measurements) {
		const oursRate = m.sizeMb / (m.oursMs / 1000);
		const baseRate = m.sizeMb / (m.baselineMs / 1000);
		const ratio = oursRate / baseRate;
		rows.push({
			benchmark: `Download ${m.sizeMb} MB PDF, throughput (n8n ${version}, filesystem mode)`,
			ours: `${fmt(oursRate)} MB/s`,
			baseline: `${fmt(baseRate)} MB/s (fetch → file)`,
			ratio,
			goal: '≥ 0.9',
			met: ratio >= 0.9 && m.executionStatus === 'success',
			note: m.executionStatus === 'success' ? undefined : `execution ${m.executionStatus}`,
		});
		if (m.sizeMb >= 500) {
			rows.push({
				benchmark: `Download ${m.sizeMb} MB PDF, n8n process peak RSS growth`,
				ours: `${fmt(m.rssGrowthMb)} MB`,
				baseline: '—',
				ratio: m.rssGrowthMb / 64,
				goal: '< 64 MB',
				met: m.rssGrowthMb < 64,
			});
		}
	}
	return { rows, measurements };
}
