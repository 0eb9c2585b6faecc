/**
 * The test harness keeps every run's folders under one folder per run; a run killed before its
 * teardown is cleaned up by the next run's sweep, and a live run's folder is never touched.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Scratch = typeof import('../../harness/scratch');

describe('test scratch folders', () => {
	let temp: string;
	let scratch: Scratch;
	const saved = { E2E_SCRATCH_DIR: process.env.E2E_SCRATCH_DIR, E2E_RUN_ID: process.env.E2E_RUN_ID };

	beforeEach(() => {
		temp = mkdtempSync(join(tmpdir(), 'scratch-test-'));
		process.env.E2E_SCRATCH_DIR = join(temp, 'runs');
		process.env.E2E_RUN_ID = 'this-run';
		jest.isolateModules(() => {
			scratch = require('../../harness/scratch') as Scratch;
		});
	});

	afterEach(() => {
		for (const [key, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
		}
		rmSync(temp, { recursive: true, force: true });
	});

	function earlierRun(name: string, owner?: number, ageMs = 0): string {
		const dir = join(scratch.scratchParent, name);
		mkdirSync(join(dir, 'n8n-2.41.1-abc', '.n8n'), { recursive: true });
		if (owner !== undefined) writeFileSync(join(dir, 'owner.pid'), String(owner));
		if (ageMs) utimesSync(dir, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
		return dir;
	}

	test('folders of a run live under its own folder, owned by the process that made it', () => {
		const dir = scratch.scratchDir('n8n-2.41.1-');
		expect(dir.startsWith(join(temp, 'runs', 'this-run', 'n8n-2.41.1-'))).toBe(true);
		expect(existsSync(join(scratch.scratchRoot(), 'owner.pid'))).toBe(true);
		scratch.removeScratchRoot();
		expect(existsSync(dir)).toBe(false);
	});

	test('the sweep removes runs whose process ended and keeps live and just-made ones', () => {
		const ended = spawnSync('true').pid;
		const dead = earlierRun('1001', ended);
		const live = earlierRun('1002', process.pid);
		const justMade = earlierRun('1003');
		const abandoned = earlierRun('1004', undefined, 60 * 60_000);
		const current = scratch.claimScratchRoot(ended);

		const removed = scratch.sweepEndedRuns();

		expect(removed.sort()).toEqual([dead, abandoned].sort());
		expect(existsSync(dead)).toBe(false);
		expect(existsSync(abandoned)).toBe(false);
		expect(existsSync(live)).toBe(true);
		expect(existsSync(justMade)).toBe(true);
		// This run's own folder, whatever its owner file says.
		expect(existsSync(current)).toBe(true);
	});
});
