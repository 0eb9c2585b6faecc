/**
 * `npm start`: a local n8n with this package installed the way users install it, the
 * example workflows imported, and an owner account so the editor opens on the workflows.
 * It listens on this machine only (loopback) unless told otherwise.
 *
 *   N8N_VERSION=1.123.81 npm start        pick another supported n8n (default: the newest)
 *   N8N_PORT=5678                         editor and webhook port
 *   N8N_LISTEN_ADDRESS=0.0.0.0            listen on every interface, not only 127.0.0.1
 *   N8N_WEBHOOK_URL=https://your.domain/  the public URL a tunnel or reverse proxy gives n8n (2.x;
 *                                         WEBHOOK_URL on 1.x): the URLs printed and shown in the
 *                                         editor then use it, and the services can call them
 *   N8N_OWNER_EMAIL / N8N_OWNER_PASSWORD  owner login (default: generated, kept in .n8n-local/<version>/owner.json)
 *   SHOW_OWNER_PASSWORD=1                 print the owner password (otherwise only the file that holds it)
 *   DB_TYPE=postgresdb DB_POSTGRESDB_*    use PostgreSQL instead of the embedded SQLite
 *   N8N_REIMPORT_EXAMPLES=1               import examples/ again (overwrites those workflows)
 *   N8N_LOCAL_DIR=/path                   where the local n8n keeps its data (default .n8n-local/<version>)
 *   NODE_EXTRA_CA_CERTS=/path/ca.pem      a private CA for self-hosted services (passed on to n8n)
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { N8nInstance, runN8nCli, n8nEnvironment, webhookUrlVariable } from '../test/harness/n8n';
import { installPackageInto, packDir, packPackage } from '../test/harness/package';
import { installN8nVersions, isV1, repoRoot, SUPPORTED_VERSIONS } from '../test/harness/versions';

const PACKAGE = 'n8n-nodes-pdf-webhooks';

async function main(): Promise<void> {
	const version = process.env.N8N_VERSION ?? Object.keys(SUPPORTED_VERSIONS)[0];
	if (!SUPPORTED_VERSIONS[version]) throw new Error(`N8N_VERSION=${version} is not one of ${Object.keys(SUPPORTED_VERSIONS).join(', ')}`);
	const port = Number(process.env.N8N_PORT ?? 5678);
	const userFolder = process.env.N8N_LOCAL_DIR ?? join(repoRoot, '.n8n-local', version);
	mkdirSync(userFolder, { recursive: true });

	step(`Installing n8n ${version} (cached after the first run)`);
	installN8nVersions([version]);

	step(`Building and packing ${PACKAGE}, installing it into ${join(userFolder, '.n8n', 'nodes')}`);
	const tarball = packPackage();
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	rmSync(join(nodesDir, 'node_modules', PACKAGE), { recursive: true, force: true });
	installPackageInto(nodesDir, tarball);
	// Installed; the tarball would otherwise stay behind in .cache/pack/ after every start.
	rmSync(packDir, { recursive: true, force: true });

	const owner = ownerLogin(userFolder);
	const env = localEnvironment(version, userFolder, port);
	const examples = readExamples();
	const marker = join(userFolder, '.examples-imported');
	if (examples.length > 0 && (!existsSync(marker) || process.env.N8N_REIMPORT_EXAMPLES === '1')) {
		step(`Importing ${examples.length} example workflows (inactive until you fill in their credentials)`);
		runN8nCli(version, env, ['import:workflow', '--separate', `--input=${join(repoRoot, 'examples')}`]);
		writeFileSync(marker, new Date().toISOString());
	}

	step(`Starting n8n ${version} on port ${port}`);
	const n8n = await N8nInstance.start({
		version,
		userFolder,
		port,
		owner,
		output: 'inherit',
		withoutPackage: true,
		createApiKey: false,
		env: passThroughEnvironment(version, port),
	});

	const stop = async (): Promise<void> => {
		process.stdout.write('\nStopping n8n…\n');
		await n8n.stop(30_000);
		process.exit(0);
	};
	process.once('SIGINT', () => void stop());
	process.once('SIGTERM', () => void stop());

	const editorUrl = `http://localhost:${port}`;
	const webhookBase = webhookBaseUrl(version, port).replace(/\/$/, '');
	const ownerFile = join(userFolder, 'owner.json');
	const password = process.env.SHOW_OWNER_PASSWORD === '1' ? `password: ${owner.password}` : process.env.N8N_OWNER_PASSWORD ? 'from N8N_OWNER_PASSWORD' : `password in ${ownerFile}`;
	const entries = examples.flatMap((wf) => webhookEntries(wf).map((entry) => ({ workflow: wf.name, ...entry })));
	const lines = [
		'',
		`n8n ${version} is running with ${PACKAGE} and ${examples.length} example workflows.`,
		`  Editor:   ${editorUrl}`,
		`  Login:    ${owner.email} (${password})`,
		'',
		`Production URLs of the ${entries.length} examples that start on a webhook (they answer once the workflow is published${isV1(version) ? ' (active)' : ''}):`,
		...entries.map((entry) => `  ${entry.workflow}${entry.what ? ` (${entry.what})` : ''}\n      ${webhookBase}/webhook/${entry.path}`),
		'',
		webhookBase.startsWith('https://')
			? `A service can call these URLs if ${webhookBase} reaches this n8n.`
			: `These answer on this machine only; the services call only public https URLs: give n8n one through a tunnel or reverse proxy and start it with ${isV1(version) ? 'WEBHOOK_URL' : 'N8N_WEBHOOK_URL'}=https://your.domain/ npm start.`,
		"To try a trigger here: open its workflow, click Execute workflow, then open the trigger's Test URL in a browser: it sends a sample event.",
		'',
		'Press Ctrl-C to stop.',
		'',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	const code = await n8n.waitForExit();
	process.exit(code ?? 0);
}

function step(message: string): void {
	process.stdout.write(`\n▶ ${message}\n`);
}

interface ExampleWorkflow {
	name: string;
	nodes: Array<{ type: string; webhookId?: string; parameters?: { path?: unknown } }>;
}

/** The webhook paths a workflow starts on: one of this package's triggers, or n8n's Webhook node. */
function webhookEntries(workflow: ExampleWorkflow): Array<{ path: string; what?: string }> {
	return workflow.nodes.flatMap((node) => {
		if (node.type.startsWith(`${PACKAGE}.`) && node.type.endsWith('Trigger') && node.webhookId) return [{ path: `${node.webhookId}/webhook` }];
		if (node.type === 'n8n-nodes-base.webhook' && typeof node.parameters?.path === 'string') return [{ path: node.parameters.path, what: "n8n's Webhook node" }];
		return [];
	});
}

function readExamples(): ExampleWorkflow[] {
	const dir = join(repoRoot, 'examples');
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ExampleWorkflow);
}

function ownerLogin(userFolder: string): { email: string; password: string } {
	const file = join(userFolder, 'owner.json');
	const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { email: string; password: string }) : undefined;
	const owner = {
		email: process.env.N8N_OWNER_EMAIL ?? stored?.email ?? 'owner@example.com',
		// n8n wants 8+ characters with a number and an upper-case letter.
		password: process.env.N8N_OWNER_PASSWORD ?? stored?.password ?? `Pdf-${randomBytes(12).toString('base64url')}7`,
	};
	if (!process.env.N8N_OWNER_PASSWORD) {
		writeFileSync(file, JSON.stringify(owner, null, 2));
		chmodSync(file, 0o600);
	}
	return owner;
}

/** The harness defaults, minus what only tests want (a fixed encryption key). */
function localEnvironment(version: string, userFolder: string, port: number): Record<string, string> {
	return n8nEnvironment(version, userFolder, port, port + 1, passThroughEnvironment(version, port));
}

/** The URL the services call: the one the user gave n8n, else this machine's. */
function webhookBaseUrl(version: string, port: number): string {
	const given = isV1(version) ? process.env.WEBHOOK_URL : (process.env.N8N_WEBHOOK_URL ?? process.env.WEBHOOK_URL);
	return (given ?? `http://localhost:${port}/`).replace(/\/?$/, '/');
}

/** Database and other n8n settings the user set in their shell win over ours. */
function passThroughEnvironment(version: string, port: number): Record<string, string | undefined> {
	const passed: Record<string, string | undefined> = { N8N_ENCRYPTION_KEY: process.env.N8N_ENCRYPTION_KEY };
	for (const [key, value] of Object.entries(process.env)) {
		if (/^(DB_|N8N_|EXECUTIONS_|QUEUE_|GENERIC_TIMEZONE$)/.test(key) && !/^N8N_(VERSION|OWNER_|LOCAL_DIR|WEBHOOK_URL$)/.test(key)) passed[key] = value;
	}
	// Under the name this n8n version reads without a deprecation warning.
	Object.assign(passed, webhookUrlVariable(version, webhookBaseUrl(version, port)));
	// The test suite's throwaway CA is never trusted here unless the caller asks for it.
	passed.NODE_EXTRA_CA_CERTS = process.env.NODE_EXTRA_CA_CERTS;
	// The editor's links say localhost; n8n listens on 127.0.0.1 only (the harness's default)
	// unless N8N_LISTEN_ADDRESS says otherwise.
	passed.N8N_HOST ??= 'localhost';
	return passed;
}

main().catch((error: unknown) => {
	process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
