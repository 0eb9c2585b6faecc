/**
 * `npm start` as a new user runs it: n8n comes up on loopback with the ten nodes in the editor
 * and the example workflows imported, prints only what is right to follow (its URLs, where the
 * password is, how to reach it from a service and how to try it here), and stops cleanly on
 * Ctrl-C (SIGINT).
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';

import { EXAMPLES_DIR, loadExample, type ExampleNode } from '../harness/examples';
import { httpRequest } from '../harness/http';
import { freePort } from '../harness/ports';
import { scratchDir } from '../harness/scratch';
import { repoRoot, versionsUnderTest } from '../harness/versions';

const version = versionsUnderTest()[0];

/** The examples that start on a webhook (one of this package's triggers, or n8n's Webhook node): npm start prints their Production URLs. */
const exampleFiles = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json'));
const webhookExamples = exampleFiles.filter((file) =>
	(loadExample(file).nodes as ExampleNode[]).some(
		(node) => (node.type.startsWith('n8n-nodes-pdf-webhooks.') && node.type.endsWith('Trigger')) || node.type === 'n8n-nodes-base.webhook',
	),
);

/** An address of this machine other than loopback, if it has one. */
function nonLoopbackAddress(): string | undefined {
	return Object.values(networkInterfaces())
		.flat()
		.find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
}

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
		// One Production URL per example that starts on a webhook, and the count it announces.
		expect(webhookExamples.length).toBeGreaterThanOrEqual(6);
		expect(output).toContain(`Production URLs of the ${webhookExamples.length} examples that start on a webhook`);
		expect(output.match(new RegExp(`http://localhost:${port}/webhook/\\S+`, 'g'))).toHaveLength(webhookExamples.length);
		// What to do with them: a public https URL for the services, the sample event to try here.
		expect(output).toContain(version.startsWith('1.') ? 'WEBHOOK_URL=https://' : 'N8N_WEBHOOK_URL=https://');
		expect(output).toContain("Test URL in a browser: it sends a sample event");
		// n8n 2.x logs WEBHOOK_URL as deprecated; npm start sets the variable each version reads.
		expect(output).not.toContain('Use N8N_WEBHOOK_URL instead');

		const owner = JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')) as { email: string; password: string };
		// The password stays in the file the output names, out of the terminal and its scrollback.
		expect(output).not.toContain(owner.password);
		expect(output).toContain(`Login:    ${owner.email} (password in ${join(dir, 'owner.json')})`);
		// Loopback only by default: nothing answers on the machine's other addresses.
		const lan = nonLoopbackAddress();
		if (lan) await expect(httpRequest(`http://${lan}:${port}/healthz`, { timeoutMs: 3000 })).rejects.toThrow();
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
