import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { repoRoot } from './versions';

/**
 * The run this process belongs to: the jest global setup's (it sets E2E_RUN_ID, which jest's
 * workers inherit), or a script's own. Names the run's process-group file, pack, variant and
 * scratch folders, so two runs side by side never touch each other's.
 */
export function runId(): string {
	return process.env.E2E_RUN_ID ?? String(process.pid);
}

/**
 * Jest may tear a test file down without running its afterAll (e.g. a timeout in beforeAll),
 * and exit handlers registered inside a test sandbox do not run, so every process group we
 * start is also listed in a file that the global teardown kills.
 */
export const PID_FILE = join(repoRoot, '.cache', `e2e-process-groups-${runId()}.txt`);

export function PID_FILE_APPEND(pid: number | undefined): void {
	if (pid === undefined) return;
	mkdirSync(dirname(PID_FILE), { recursive: true });
	appendFileSync(PID_FILE, `${pid}\n`);
}

/**
 * Awaits `work` with the event loop held open. The harness unrefs the processes it starts, so
 * a script (unlike jest) can run out of things to wait for while it stops them, and exit with
 * PostgreSQL or Redis still running.
 */
export async function keepingAlive<T>(work: Promise<T>): Promise<T> {
	const timer = setInterval(() => undefined, 1000);
	try {
		return await work;
	} finally {
		clearInterval(timer);
	}
}

export function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
