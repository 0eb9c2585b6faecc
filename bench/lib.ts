/** Shared pieces of the benchmarks: process memory sampling, stacks, and result rows. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createTestCa, startFakeProviders, type FakeProviders } from '../test/providers';
import { N8nInstance, type StartOptions } from '../test/harness/n8n';
import { packPackage } from '../test/harness/package';
import { repoRoot } from '../test/harness/versions';

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

let packed = false;

/** The package packed once per benchmark run, like the e2e global setup does. */
export function ensurePacked(): void {
	if (packed) return;
	process.env.E2E_PACKAGE_TARBALL = packPackage();
	process.env.E2E_TEST_CA_DIR = join(repoRoot, '.cache', 'test-ca');
	packed = true;
}

export async function startStack(
	options: Omit<StartOptions, 'version'> & { version: string },
): Promise<{ n8n: N8nInstance; fake: FakeProviders; caPem: string }> {
	ensurePacked();
	const ca = await createTestCa(join(repoRoot, '.cache', 'test-ca'));
	const fake = await startFakeProviders({ tls: ca });
	const n8n = await N8nInstance.start(options);
	return { n8n, fake, caPem: ca.caPem };
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

