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

import type { N8nInstance } from '../test/harness/n8n';
import { linearWorkflow, newWebhookId, PACKAGE } from '../test/harness/workflows';
import type { FakeProviders } from '../test/providers';
import { MB, fmt, log, nowUs, sampleRss, startStack, type Row } from './lib';

interface DownloadMeasurement {
	sizeMb: number;
	/** Mean over the rounds. */
	oursMs: number;
	baselineMs: number;
	/** n8n's own HTTP Request node (response format File), same instance: the control. */
	controlMs: number;
	/** The largest growth seen in any round of ours. */
	rssGrowthMb: number;
	controlRssGrowthMb: number;
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

/** Two workflows on one n8n: webhook → our PDF Gorilla download, and webhook → n8n's HTTP Request node (response format File). */
async function downloadWorkflows(n8n: N8nInstance, fake: FakeProviders) {
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
					downloadOptions: { timeoutSeconds: 600, maxFileSizeMb: 0, totalTimeoutSeconds: 0, allowPrivateNetwork: true, additionalAllowedHosts: `localhost:${fake.port}` },
				},
				credentials: { pdfGorillaApi: { id: credentialId, name: 'PDF Gorilla (bench)' } },
			},
		]),
	);
	const url = `${n8n.baseUrl}/webhook/${path}`;
	await n8n.waitForWebhook(url);

	const controlHook = newWebhookId();
	const controlPath = `bench-download-control-${controlHook}`;
	const controlWorkflowId = await n8n.createWorkflow(
		linearWorkflow('bench: download with the HTTP Request node', [
			{ name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: controlHook, parameters: { httpMethod: 'POST', path: controlPath, options: {} } },
			{
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: { url: '={{ $json.body.downloadUrl }}', options: { response: { response: { responseFormat: 'file' } }, timeout: 600_000 } },
			},
		]),
	);
	const controlUrl = `${n8n.baseUrl}/webhook/${controlPath}`;
	await n8n.waitForWebhook(controlUrl);

	return { workflowId, url, controlWorkflowId, controlUrl };
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
		const { workflowId, url, controlWorkflowId, controlUrl } = await downloadWorkflows(n8n, fake);

		/** One download inside n8n, timed by the execution record, with the n8n process's RSS sampled meanwhile. */
		const inN8n = async (label: string, sizeMb: number, flowId: string, flowUrl: string, jobId: string) => {
			const before = (await n8n.executions(flowId)).length;
			const sampler = sampleRss(n8n.pid!);
			const windowStart = nowUs();
			const res = await n8n.postWebhook(flowUrl, JSON.stringify({ jobId, downloadUrl: fake.pdfgorilla.freshDownloadUrl(jobId) }));
			if (res.status !== 200) throw new Error(`starting the ${label} workflow failed: ${res.status} ${res.text}`);
			const [execution] = await n8n.waitForExecutions(flowId, before + 1, { timeoutMs: 15 * 60_000 });
			const { baseline, peak } = sampler.stop();
			if (label === 'ours') options.onWindow?.(sizeMb, [windowStart, nowUs()]);
			if (execution.status !== 'success') {
				const [full] = await n8n.executions(flowId, { includeData: true, limit: 1 });
				const error = full?.data?.resultData?.error;
				log(`download ${sizeMb} MB (${label}): execution ${execution.status}: ${error?.message ?? '?'} ${error?.description ?? ''}`);
			}
			const ms = new Date(execution.stoppedAt!).getTime() - new Date(execution.startedAt).getTime();
			return { ms, rssGrowthMb: (peak - baseline) / MB, status: execution.status };
		};

		const rounds = Math.max(1, Number(process.env.BENCH_DOWNLOAD_ROUNDS ?? 3));
		for (const sizeMb of sizesMb) {
			const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: sizeMb * MB } });
			const fetchTimes: number[] = [];
			const ours: Array<Awaited<ReturnType<typeof inN8n>>> = [];
			const control: Array<Awaited<ReturnType<typeof inN8n>>> = [];
			const steps: Record<string, () => Promise<void>> = {
				fetch: async () => {
					fetchTimes.push(await baselineDownload(fake.pdfgorilla.freshDownloadUrl(job.jobId), caPem, join(dir, 'baseline.pdf')));
					rmSync(join(dir, 'baseline.pdf'), { force: true });
				},
				ours: async () => void ours.push(await inN8n('ours', sizeMb, workflowId, url, job.jobId)),
				control: async () => void control.push(await inN8n('HTTP Request node', sizeMb, controlWorkflowId, controlUrl, job.jobId)),
			};
			// Alternating order (fetch, ours, control, then reversed), so drift hits all three alike.
			for (let round = 0; round < rounds; round++) {
				const order = round % 2 === 0 ? ['fetch', 'ours', 'control'] : ['control', 'ours', 'fetch'];
				for (const step of order) await steps[step]();
			}
			const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
			const m: DownloadMeasurement = {
				sizeMb,
				oursMs: mean(ours.map((o) => o.ms)),
				baselineMs: mean(fetchTimes),
				controlMs: mean(control.map((o) => o.ms)),
				rssGrowthMb: Math.max(...ours.map((o) => o.rssGrowthMb)),
				controlRssGrowthMb: Math.max(...control.map((o) => o.rssGrowthMb)),
				executionStatus: ours.every((o) => o.status === 'success') ? 'success' : ours.map((o) => o.status).join(','),
			};
			measurements.push(m);
			log(
				`download ${sizeMb} MB: ours ${fmt(m.oursMs, 0)} ms (${ours.map((o) => fmt(o.ms, 0)).join(', ')}), fetch ${fmt(m.baselineMs, 0)} ms, HTTP Request node ${fmt(m.controlMs, 0)} ms; RSS +${fmt(m.rssGrowthMb)} MB (HTTP Request node +${fmt(m.controlRssGrowthMb)} MB), ${m.executionStatus}`,
			);
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
		const controlRate = m.sizeMb / (m.controlMs / 1000);
		rows.push({
			benchmark: `Download ${m.sizeMb} MB PDF, control: n8n's HTTP Request node (response format File) vs fetch`,
			ours: `${fmt(controlRate)} MB/s (HTTP Request node)`,
			baseline: `${fmt(baseRate)} MB/s (fetch → file)`,
			ratio: controlRate / baseRate,
			goal: '—',
			note: `ours ÷ HTTP Request node: ${(oursRate / controlRate).toFixed(2)}×`,
		});
		if (m.sizeMb >= 500) {
			rows.push({
				benchmark: `Download ${m.sizeMb} MB PDF, n8n process peak RSS growth`,
				ours: `${fmt(m.rssGrowthMb)} MB`,
				baseline: '—',
				ratio: m.rssGrowthMb / 64,
				goal: '< 64 MB',
				met: m.rssGrowthMb < 64,
				note: `HTTP Request node: +${fmt(m.controlRssGrowthMb)} MB; ratio column: ÷ 64 MB`,
			});
		}
	}
	return { rows, measurements };
}

interface ConcurrentDownloadSide {
	/** All downloads' megabytes over the span from the first execution's start to the last one's end. */
	aggregateMbPerS: number;
	spanMs: number;
	rssGrowthMb: number;
	statuses: string[];
}

/**
 * Scale: `count` downloads of `sizeMb` each started at once in one n8n process (regular
 * mode runs webhook executions concurrently), ours against n8n's HTTP Request node on the
 * same instance, alternating which side goes first, after an unmeasured warm-up batch per
 * side. Reports aggregate throughput and the n8n process's peak RSS growth while a batch runs.
 */
export async function benchConcurrentDownloads(
	version: string,
	options: {
		count: number;
		sizeMb: number;
		rounds?: number;
		env?: Record<string, string>;
		/** Each batch's window on the monotonic clock, for profiles. */
		onWindow?: (side: 'ours' | 'control', window: [number, number]) => void;
	},
): Promise<{ rows: Row[]; ours: ConcurrentDownloadSide; control: ConcurrentDownloadSide }> {
	const { count, sizeMb } = options;
	const rounds = Math.max(1, options.rounds ?? 2);
	const { n8n, fake } = await startStack({ version, env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', ...options.env } });
	const results: Record<'ours' | 'control', ConcurrentDownloadSide[]> = { ours: [], control: [] };
	try {
		const flows = await downloadWorkflows(n8n, fake);
		const newJobs = (mb: number) => Array.from({ length: count }, () => fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: mb * MB } }));
		const jobs = newJobs(sizeMb);

		const batch = async (side: 'ours' | 'control', batchJobs = jobs, batchMb = sizeMb, label = ''): Promise<ConcurrentDownloadSide> => {
			const [flowId, flowUrl] = side === 'ours' ? [flows.workflowId, flows.url] : [flows.controlWorkflowId, flows.controlUrl];
			const before = (await n8n.executions(flowId)).length;
			const sampler = sampleRss(n8n.pid!);
			const windowStart = nowUs();
			const responses = await Promise.all(
				batchJobs.map((job) => n8n.postWebhook(flowUrl, JSON.stringify({ jobId: job.jobId, downloadUrl: fake.pdfgorilla.freshDownloadUrl(job.jobId) }))),
			);
			const refused = responses.find((r) => r.status !== 200);
			if (refused) throw new Error(`starting the ${side} workflow failed: ${refused.status} ${refused.text}`);
			const executions = (await n8n.waitForExecutions(flowId, before + count, { timeoutMs: 30 * 60_000 }))
				.sort((a, b) => Number(b.id) - Number(a.id))
				.slice(0, count);
			const { baseline, peak } = sampler.stop();
			if (!label) options.onWindow?.(side, [windowStart, nowUs()]);
			const starts = executions.map((e) => new Date(e.startedAt).getTime());
			const stops = executions.map((e) => new Date(e.stoppedAt!).getTime());
			const spanMs = Math.max(...stops) - Math.min(...starts);
			const result = {
				aggregateMbPerS: (count * batchMb) / (spanMs / 1000),
				spanMs,
				rssGrowthMb: (peak - baseline) / MB,
				statuses: executions.map((e) => e.status),
			};
			log(
				`${label}${count} × ${batchMb} MB at once (${side === 'ours' ? 'ours' : 'HTTP Request node'}): ${fmt(result.aggregateMbPerS)} MB/s aggregate over ${fmt(spanMs / 1000)} s, RSS +${fmt(result.rssGrowthMb)} MB, ${result.statuses.join(',')}`,
			);
			return result;
		};

		// Unmeasured: a small batch per side first, so n8n's first-use growth (modules, caches,
		// pools) does not land on whichever side is measured first.
		const warmUpMb = Math.min(sizeMb, 10);
		const warmUpJobs = newJobs(warmUpMb);
		for (const side of ['ours', 'control'] as const) await batch(side, warmUpJobs, warmUpMb, 'warm-up: ');

		for (let round = 0; round < rounds; round++) {
			const order: Array<'ours' | 'control'> = round % 2 === 0 ? ['ours', 'control'] : ['control', 'ours'];
			for (const side of order) results[side].push(await batch(side));
		}
	} finally {
		await n8n.stop();
		await fake.close();
	}

	const summarise = (sides: ConcurrentDownloadSide[]): ConcurrentDownloadSide => ({
		aggregateMbPerS: sides.reduce((sum, s) => sum + s.aggregateMbPerS, 0) / sides.length,
		spanMs: sides.reduce((sum, s) => sum + s.spanMs, 0) / sides.length,
		rssGrowthMb: Math.max(...sides.map((s) => s.rssGrowthMb)),
		statuses: sides.flatMap((s) => s.statuses),
	});
	const ours = summarise(results.ours);
	const control = summarise(results.control);
	const allSucceeded = ours.statuses.every((s) => s === 'success');
	const failures = allSucceeded ? undefined : `executions: ${ours.statuses.join(',')}`;
	const label = `${count} concurrent ${sizeMb} MB downloads in one n8n process (n8n ${version}, filesystem mode, mean of ${rounds} rounds)`;
	const rows: Row[] = [
		{
			benchmark: `${label}: aggregate throughput`,
			ours: `${fmt(ours.aggregateMbPerS)} MB/s`,
			baseline: `${fmt(control.aggregateMbPerS)} MB/s (HTTP Request node, response format File)`,
			ratio: ours.aggregateMbPerS / control.aggregateMbPerS,
			// The issue sets a goal for memory only; the ratio shows where we stand against n8n's own node.
			goal: '—',
			note: failures,
		},
		{
			benchmark: `${label}: n8n process peak RSS growth`,
			ours: `${fmt(ours.rssGrowthMb)} MB`,
			baseline: `${fmt(control.rssGrowthMb)} MB (HTTP Request node)`,
			ratio: ours.rssGrowthMb / 128,
			goal: '< 128 MB',
			met: ours.rssGrowthMb < 128 && allSucceeded,
			note: 'ratio column: ÷ 128 MB',
		},
	];
	return { rows, ours, control };
}
