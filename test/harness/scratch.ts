/**
 * Every folder a test or benchmark run makes (n8n user folders, PostgreSQL and Redis data,
 * unpacked fixtures) lives under one folder per run, so that nothing outlives the run:
 * - under jest, the global teardown removes the run's folder;
 * - in a script (benchmarks, screenshots), the process removes it when it exits;
 * - a run killed before either leaves its folder, and the next run's global setup removes the
 *   folders of runs whose process has ended.
 * Before this, every e2e run left about a hundred n8n user folders in the system's temporary
 * folder; a day of runs filled the disk and a CI run failed installing n8n (ENOSPC).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runId } from './processes';

// E2E_SCRATCH_DIR moves it, e.g. off a small /tmp.
export const scratchParent = process.env.E2E_SCRATCH_DIR || join(tmpdir(), 'n8n-nodes-pdf-webhooks-tests');
const OWNER_FILE = 'owner.pid';
// A run's folder is made a moment before its owner file is written.
const GRACE_FOR_NEW_FOLDERS_MS = 10 * 60_000;

/** This run's folder. */
export function scratchRoot(): string {
	return join(scratchParent, runId());
}

let cleanupOnExit = false;

/** A new empty folder, removed with the rest of the run's folders. */
export function scratchDir(prefix: string): string {
	const root = claimScratchRoot(process.pid);
	if (!process.env.E2E_RUN_ID && !cleanupOnExit) {
		// A script is its own run; no global teardown comes after it.
		cleanupOnExit = true;
		process.on('exit', () => removeScratchRoot());
	}
	return mkdtempSync(join(root, prefix));
}

/** Makes the run's folder and records which process owns it (the sweep keeps it while that process lives). */
export function claimScratchRoot(ownerPid: number): string {
	const root = scratchRoot();
	mkdirSync(root, { recursive: true });
	const owner = join(root, OWNER_FILE);
	if (!existsSync(owner)) writeFileSync(owner, String(ownerPid));
	return root;
}

export function removeScratchRoot(): void {
	// Retries: a server killed a moment ago may still be closing files in its folder.
	rmSync(scratchRoot(), { recursive: true, force: true, maxRetries: 5 });
}

/** Removes the folders of earlier runs whose owning process has ended (killed before cleaning up). */
export function sweepEndedRuns(): string[] {
	if (!existsSync(scratchParent)) return [];
	const removed: string[] = [];
	for (const name of readdirSync(scratchParent)) {
		const dir = join(scratchParent, name);
		if (dir === scratchRoot() || runIsAlive(dir)) continue;
		rmSync(dir, { recursive: true, force: true });
		removed.push(dir);
	}
	return removed;
}

function runIsAlive(dir: string): boolean {
	const owner = join(dir, OWNER_FILE);
	if (!existsSync(owner)) {
		try {
			return Date.now() - statSync(dir).mtimeMs < GRACE_FOR_NEW_FOLDERS_MS;
		} catch {
			return false;
		}
	}
	const pid = Number(readFileSync(owner, 'utf8'));
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: the process exists but belongs to another user.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
