/**
 * `npm start` as a new user runs it: n8n comes up with the ten nodes in the editor and the
 * example workflows imported, prints its URLs, and stops cleanly on Ctrl-C (SIGINT).
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { EXAMPLES_DIR, loadExample, type ExampleNode } from '../harness/examples';
import { httpRequest } from '../harness/http';
import { freePort } from '../harness/ports';
import { scratchDir } from '../harness/scratch';
import { repoRoot, versionsUnderTest } from '../harness/versions';

const version = versionsUnderTest()[0];

/** The examples that start from one of this package's triggers: npm start prints their Production URLs. */
const exampleFiles = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json'));
const triggerExamples = exampleFiles.filter((file) =>
	(loadExample(file).nodes as ExampleNode[]).some((node) => node.type.startsWith('n8n-nodes-pdf-webhooks.') && node.type.endsWith('Trigger')),
);

test(`npm start brings up n8n ${version} with the ten nodes and the examples, and Ctrl-C stops it`, async () => {
	const port = await freePort();
	const dir = scratchDir('npm-start-');
	const child = spawn(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
		cwd: repoRoot,
		// Its own run id, so its pack folder is not this suite's.
		env: { ...process.env, E2E_RUN_ID: `start-${process.pid}`, E2E_PACKAGE_TARBALL: '', N8N_PORT: String(port), N8N_LOCAL_DIR: dir, N8N_VERSION: version },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (c: Buffer) => (output += c.toString()));
	child.stderr.on('data', (c: Buffer) => (output += c.toString()));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	try {
		const deadline = Date.now() + 240_000;
		while (!output.includes('Press Ctrl-C to stop.')) {
			if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up:\n${output.slice(-3000)}`);
			await new Promise((r) => setTimeout(r, 500));
		}
		expect(output).toContain(`Editor:   http://localhost:${port}`);
		expect(triggerExamples.length).toBeGreaterThanOrEqual(5);
		expect(output.match(/\/webhook\/[0-9a-f-]{36}\/webhook/g)).toHaveLength(triggerExamples.length);

		const owner = JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')) as { email: string; password: string };
		const login = await httpRequest(`http://127.0.0.1:${port}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password }),
		});
		expect(login.status).toBe(200);
		const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
		const nodes = (await httpRequest(`http://127.0.0.1:${port}/types/nodes.json`, { headers: { cookie } })).json() as Array<{ name: string }>;
		const ours = new Set(nodes.map((n) => n.name).filter((n) => n.startsWith('n8n-nodes-pdf-webhooks.') && !n.endsWith('Tool')));
		expect(ours.size).toBe(10);
		const workflows = (await httpRequest(`http://127.0.0.1:${port}/rest/workflows`, { headers: { cookie } })).json() as { data: Array<{ name: string }> };
		expect(workflows.data).toHaveLength(exampleFiles.length);
	} finally {
		child.kill('SIGINT');
		let timer: NodeJS.Timeout | undefined;
		const code = await Promise.race([exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 60_000)))]);
		// A pending timer would keep jest waiting for it after the last test.
		clearTimeout(timer);
		if (code === 'timeout') child.kill('SIGKILL');
		expect(code).toBe(0);
	}
});
