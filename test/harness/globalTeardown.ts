import { existsSync, readFileSync, rmSync } from 'node:fs';

import { PID_FILE } from './processes';

/** Kills every n8n process group an e2e test started and did not stop (e.g. after a timeout). */
export default async function globalTeardown(): Promise<void> {
	if (!existsSync(PID_FILE)) return;
	for (const line of readFileSync(PID_FILE, 'utf8').split('\n')) {
		const pid = Number(line);
		if (!Number.isInteger(pid) || pid <= 0) continue;
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// already stopped
		}
	}
	rmSync(PID_FILE, { force: true });
}
