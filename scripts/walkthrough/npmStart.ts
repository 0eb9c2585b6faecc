/** The README's `npm start`, run in a fresh folder on a free port, and its teardown. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '../../test/harness/ports';
import { repoRoot } from '../../test/harness/versions';
import { httpRequest } from '../../test/providers';

export interface NpmStart {
	child: ChildProcess;
	output: () => string;
	editorUrl: string;
	login: { email: string; password: string };
	localDir: string;
}

/** The running `npm start`, for teardown (also from a signal handler). */
let npmChild: ChildProcess | undefined;

/** `npm start` exactly as the README says, in a fresh folder on a free port. */
export async function npmStart(trustedCaPath: string): Promise<NpmStart> {
	const localDir = mkdtempSync(join(tmpdir(), 'walkthrough-n8n-'));
	const port = await freePort();
	// The user's shell settings for n8n or the test harness must not leak into a "fresh" n8n.
	const env: Record<string, string | undefined> = {};
	for (const [key, value] of Object.entries(process.env)) if (!/^(N8N_|E2E_|DB_|WEBHOOK_URL$)/.test(key)) env[key] = value;
	Object.assign(env, {
		N8N_LOCAL_DIR: localDir,
		N8N_PORT: String(port),
		// The fakes listen on loopback; an admin allows a LAN range the same way.
		N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.1/32,::1/128',
		// The fakes' HTTPS is signed by the test CA; a private CA is trusted the same way.
		NODE_EXTRA_CA_CERTS: trustedCaPath,
		// Names start.ts's process-group file and pack folder, so teardown can find n8n.
		E2E_RUN_ID: `walkthrough-${process.pid}`,
	});
	// Its own process group: teardown stops npm, tsx, start.ts and everything they started.
	const child = spawn('npm', ['start'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	npmChild = child;
	let output = '';
	child.stdout.on('data', (c: Buffer) => (output += c.toString()));
	child.stderr.on('data', (c: Buffer) => (output += c.toString()));

	// npm start builds and packs this package, installs it into the fresh folder, imports the
	// examples and starts n8n (and, on a machine that never ran it, first downloads n8n).
	const deadline = Date.now() + 15 * 60_000;
	let editor: RegExpMatchArray | null = null;
	while (!editor || !/Login:/.test(output)) {
		if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${tail(output)}`);
		if (Date.now() > deadline) throw new Error(`npm start printed no "Editor:"/"Login:" lines in 15 min:\n${tail(output)}`);
		await sleep(500);
		editor = /Editor:\s+(\S+)/.exec(output);
	}
	const editorUrl = editor[1].replace(/\/$/, '');
	await waitForReadiness(editorUrl, child);
	// npm start prints where the password is kept, not the password, as a user reads it there.
	const login = JSON.parse(readFileSync(join(localDir, 'owner.json'), 'utf8')) as { email: string; password: string };
	return { child, output: () => output, editorUrl, login, localDir };
}

async function waitForReadiness(editorUrl: string, child: ChildProcess): Promise<void> {
	const deadline = Date.now() + 180_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error('npm start exited before n8n was ready');
		const res = await httpRequest(`${editorUrl}/healthz/readiness`, { timeoutMs: 5000 }).catch(() => undefined);
		if (res?.status === 200) return;
		if (Date.now() > deadline) throw new Error(`${editorUrl}/healthz/readiness never answered 200`);
		await sleep(500);
	}
}

/**
 * Ctrl-C, as the README says, to npm's whole process group; start.ts then stops n8n. n8n has its
 * own group (the harness spawns it detached), so whatever is left of it is killed by the pid
 * start.ts recorded.
 */
export async function stopNpmStart(): Promise<void> {
	const child = npmChild;
	if (!child?.pid) return;
	npmChild = undefined;
	const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
	signalGroup(child.pid, 'SIGINT');
	const inTime = await Promise.race([exited.then(() => true), sleep(60_000).then(() => false)]);
	if (!inTime) signalGroup(child.pid, 'SIGKILL');
	const pidFile = join(repoRoot, '.cache', `e2e-process-groups-walkthrough-${process.pid}.txt`);
	if (existsSync(pidFile)) {
		for (const pid of readFileSync(pidFile, 'utf8').split('\n').map(Number).filter(Boolean)) signalGroup(pid, 'SIGKILL');
		rmSync(pidFile, { force: true });
	}
	rmSync(join(repoRoot, '.cache', 'pack', `walkthrough-${process.pid}`), { recursive: true, force: true });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

export function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
