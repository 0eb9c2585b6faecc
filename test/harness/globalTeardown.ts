import { existsSync, readFileSync, rmSync } from 'node:fs';

import { packDir } from './package';
import { PID_FILE } from './processes';
import { removeScratchRoot } from './scratch';

/**
 * Kills every n8n process group an e2e test started and did not stop (e.g. after a timeout),
 * then removes the run's folders.
 */
export default async function globalTeardown(): Promise<void> {
	const pids = existsSync(PID_FILE) ? readFileSync(PID_FILE, 'utf8') : '';
	for (const line of pids.split('\n')) {
		const pid = Number(line);
		if (!Number.isInteger(pid) || pid <= 0) continue;
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// already stopped
		}
	}
	rmSync(PID_FILE, { force: true });
	rmSync(packDir, { recursive: true, force: true });
	removeScratchRoot();
}
