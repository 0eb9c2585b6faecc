import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { repoRoot } from './versions';

/**
 * Jest may tear a test file down without running its afterAll (e.g. a timeout in beforeAll),
 * and exit handlers registered inside a test sandbox do not run, so every process group we
 * start is also listed in a file that the global teardown kills.
 */
// Per jest run (the global setup sets E2E_RUN_ID), so two runs side by side never kill each other's processes.
export const PID_FILE = join(repoRoot, '.cache', `e2e-process-groups-${process.env.E2E_RUN_ID ?? process.pid}.txt`);

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
