/** Shared pieces of the benchmarks: process memory sampling, stacks, and result rows. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createTestCa, startFakeProviders, type FakeProviders } from '../test/providers';
import { N8nInstance, type StartOptions } from '../test/harness/n8n';
import { packPackage } from '../test/harness/package';
import { delay } from '../test/harness/processes';
import { installN8nVersions, repoRoot } from '../test/harness/versions';

export interface Row {
	benchmark: string;
	ours: string;
	baseline: string;
	ratio: number;
	/** e.g. '≥ 0.97' */
	goal: string;
	/** Undefined for informational rows without a goal. */
	met?: boolean;
	note?: string;
}

/** RSS of a process and all its descendants would mix in the task runner; we watch the n8n process itself. */
export function rssBytes(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /VmRSS:\s+(\d+) kB/.exec(status);
	return match ? Number(match[1]) * 1024 : 0;
}

/** Samples a process's RSS every `intervalMs` until stopped; returns the peak and the first sample. */
export function sampleRss(pid: number, intervalMs = 20): { stop(): { baseline: number; peak: number } } {
	const baseline = rssBytes(pid);
	let peak = baseline;
	const timer = setInterval(() => {
		try {
			peak = Math.max(peak, rssBytes(pid));
		} catch {
			// process gone
		}
	}, intervalMs);
	return {
		stop() {
			clearInterval(timer);
			try {
				peak = Math.max(peak, rssBytes(pid));
			} catch {
				// process gone
			}
			return { baseline, peak };
		},
	};
}

/** The n8n every benchmark runs on (the newest supported version that installs). */
export const BENCH_N8N_VERSION = '2.41.1';

let packed = false;
const installed = new Set<string>();

/**
 * Like the e2e global setup: n8n `version` installed into .cache/n8n if it is not yet (a fresh
 * clone has none), and the package packed, each once per benchmark run.
 */
export function ensureN8nAndPackage(version: string): void {
	if (!installed.has(version)) {
		installN8nVersions([version]);
		installed.add(version);
	}
	if (packed) return;
	process.env.E2E_PACKAGE_TARBALL = packPackage();
	process.env.E2E_TEST_CA_DIR = join(repoRoot, '.cache', 'test-ca');
	packed = true;
}

export async function startStack(
	options: Omit<StartOptions, 'version'> & { version: string },
): Promise<{ n8n: N8nInstance; fake: FakeProviders; caPem: string }> {
	ensureN8nAndPackage(options.version);
	const ca = await createTestCa(join(repoRoot, '.cache', 'test-ca'));
	const fake = await startFakeProviders({ tls: ca });
	const n8n = await N8nInstance.start(options);
	return { n8n, fake, caPem: ca.caPem };
}

/** The nearest-rank percentile, `p` in percent (0 for no values). */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return 0;
	const sorted = Float64Array.from(values).sort();
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The middle value, or the mean of the two middle values (used over a few rounds, unlike `percentile`). */
export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const MB = 1024 * 1024;

/** Monotonic microseconds: the clock V8's profiler stamps samples with (CLOCK_MONOTONIC on Linux). */
export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

export function fmt(n: number, digits = 1): string {
	return n.toFixed(digits);
}

export function log(message: string): void {
	process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** The four settings the webhook benchmark reports: expression engine × saving successful executions. */
export const WEBHOOK_SETTINGS: Array<{ label: string; env: Record<string, string> }> = [
	{ label: 'default expression engine, executions saved', env: {} },
	{ label: 'default expression engine, EXECUTIONS_DATA_SAVE_ON_SUCCESS=none', env: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none' } },
	{ label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true, executions saved', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } },
	{
		label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true, EXECUTIONS_DATA_SAVE_ON_SUCCESS=none',
		env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true', EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none' },
	},
];

/** BENCH_SETTINGS=0,3: some of the four (one n8n each), e.g. one per locked run on a shared machine; all by default. */
export function chosenWebhookSettings(): typeof WEBHOOK_SETTINGS {
	return process.env.BENCH_SETTINGS ? process.env.BENCH_SETTINGS.split(',').map((i) => WEBHOOK_SETTINGS[Number(i)]) : WEBHOOK_SETTINGS;
}

/** utime + stime of a process, all its threads, in ms (Linux clock ticks of 10 ms). */
export function processCpuMs(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Waits until the process is idle (under 10 % of a core for half a second), at most 15 s. */
export async function settle(pid: number): Promise<void> {
	let quiet = 0;
	for (let i = 0; i < 60 && quiet < 2; i++) {
		const before = processCpuMs(pid);
		await delay(250);
		quiet = processCpuMs(pid) - before <= 25 ? quiet + 1 : 0;
	}
	// count-calls.cjs writes every 200 ms.
	await delay(250);
}
