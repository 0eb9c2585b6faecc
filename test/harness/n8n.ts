/**
 * Starts and drives a real n8n process for end-to-end tests.
 *
 * n8n is installed once per version into .cache/n8n (scripts/install-n8n.mjs), our package
 * is packed with `npm pack` and installed into `<userFolder>/.n8n/nodes` the way a user's
 * install would be, and every process started here is killed by process group, also when a
 * test fails or jest exits early.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { freePort } from './ports';
import { delay, PID_FILE_APPEND } from './processes';
import { scratchDir } from './scratch';

export { delay, PID_FILE } from './processes';
import { httpRequest, type HttpResponse } from './http';
import { installPackageInto } from './package';
import { isV1, n8nBinary, nodeBinDir, repoRoot, type N8nVersion } from './versions';

/** A node's `credentials`: its credentials by type, each as `{ id, name }`. */
export type NodeCredentials = Record<string, { id: string; name: string }>;

export interface CredentialSpec {
	/** Stable id so workflows can reference it. */
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowSpec {
	id?: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	active?: boolean;
	settings?: Record<string, unknown>;
	staticData?: Record<string, unknown> | null;
}

export interface StartOptions {
	version: N8nVersion;
	/** Imported with the n8n CLI before the first start. */
	credentials?: CredentialSpec[];
	/** Imported with the n8n CLI before the first start; `active: true` ones are activated. */
	workflows?: WorkflowSpec[];
	/** Extra environment for the n8n process (merged over the harness defaults). */
	env?: Record<string, string | undefined>;
	/** Skip installing our package (for control runs). */
	withoutPackage?: boolean;
	/** A label for log file names. */
	label?: string;
	/** `n8n start` (default), `worker` or `webhook` (queue mode). */
	command?: 'start' | 'worker' | 'webhook';
	/** Extra CLI arguments (e.g. `--concurrency=20` for a worker). */
	args?: string[];
	/** Reuse an existing user folder (e.g. to restart with the same database). */
	userFolder?: string;
	/** Owner login to create; defaults to a generated one. */
	owner?: { email: string; password: string };
	/** Wait for /healthz/readiness (not served by workers). */
	waitForReady?: boolean;
	/** Fixed port (default: a free one). */
	port?: number;
	/** Create a public-API key after the owner login (tests need one; `npm start` does not). */
	createApiKey?: boolean;
	/** `file` (default): log to a file in the user folder; `inherit`: the caller's terminal. */
	output?: 'file' | 'inherit';
}

export interface ExecutionSummary {
	id: string;
	status: string;
	finished: boolean;
	mode: string;
	workflowId: string;
	startedAt: string;
	stoppedAt: string | null;
	data?: ExecutionData;
}

export interface ExecutionData {
	resultData: {
		runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, Record<string, unknown>> }> | null> }; error?: { message: string; description?: string } }>>;
		error?: { message: string; description?: string; node?: { name: string } };
		lastNodeExecuted?: string;
	};
}

const running = new Set<ChildProcess>();

/** Progress lines on stderr (jest buffers console output until a test ends). */
export function trace(message: string): void {
	if (process.env.E2E_DEBUG) process.stderr.write(`[harness ${new Date().toISOString().slice(11, 23)}] ${message}\n`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

// Last line of defence: jest may exit (or a test may throw) without calling stop().
process.on('exit', () => {
	for (const child of running) killGroup(child, 'SIGKILL');
});

export class N8nInstance {
	readonly apiKeyHeader = 'X-N8N-API-KEY';
	apiKey = '';
	ownerCookie = '';

	private constructor(
		readonly version: N8nVersion,
		readonly port: number,
		readonly userFolder: string,
		readonly logPath: string,
		readonly env: Record<string, string>,
		private child: ChildProcess,
		readonly owner: { email: string; password: string },
		private readonly args: string[] = ['start'],
	) {}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Production webhook URL of a node with a given webhookId and path. */
	webhookUrl(webhookId: string, path = 'webhook'): string {
		return `${this.baseUrl}/webhook/${webhookId}/${path}`;
	}

	testWebhookUrl(webhookId: string, path = 'webhook'): string {
		return `${this.baseUrl}/webhook-test/${webhookId}/${path}`;
	}

	static async start(options: StartOptions): Promise<N8nInstance> {
		const userFolder = options.userFolder ?? scratchDir(`n8n-${options.version}-`);
		const nodesDir = join(userFolder, '.n8n', 'nodes');
		mkdirSync(nodesDir, { recursive: true });
		if (!options.withoutPackage && !existsSync(join(nodesDir, 'node_modules', 'n8n-nodes-pdf-webhooks'))) {
			installPackageInto(nodesDir);
		}
		const port = options.port ?? (await freePort());
		const env = n8nEnvironment(options.version, userFolder, port, await freePort(), options.env);
		const label = options.label ?? options.command ?? 'main';

		if (options.credentials?.length || options.workflows?.length) importWithCli(options.version, env, userFolder, options);

		trace(`n8n ${options.version} ${label}: user folder ${userFolder}, port ${port}`);
		const logPath = join(userFolder, `n8n-${label}-${Date.now()}.log`);
		const args = [options.command ?? 'start', ...(options.args ?? [])];
		const child = spawnN8n(options.version, args, env, options.output === 'inherit' ? 'inherit' : logPath);
		const owner = options.owner ?? readOrCreateOwner(userFolder);
		const instance = new N8nInstance(options.version, port, userFolder, logPath, env, child, owner, args);
		try {
			if (options.waitForReady !== false && (options.command ?? 'start') !== 'worker') {
				await instance.waitForReady();
			}
			trace(`n8n ${options.version} ${label}: ready`);
			if ((options.command ?? 'start') === 'start') await instance.ensureOwnerAndApiKey(options.createApiKey !== false);
			trace(`n8n ${options.version} ${label}: owner set up`);
			return instance;
		} catch (error) {
			await instance.stop(5000);
			throw error;
		}
	}

	/** The tail of this process's log, for failing tests. */
	logTail(lines = 80): string {
		if (!existsSync(this.logPath)) return '(no log)';
		return readFileSync(this.logPath, 'utf8').split('\n').slice(-lines).join('\n');
	}

	log(): string {
		return existsSync(this.logPath) ? readFileSync(this.logPath, 'utf8') : '';
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	get exited(): boolean {
		return this.child.exitCode !== null || this.child.signalCode !== null;
	}

	async waitForReady(timeoutMs = 180_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.exited) throw new Error(`n8n ${this.version} exited during start-up:\n${this.logTail()}`);
			try {
				const res = await httpRequest(`${this.baseUrl}/healthz/readiness`, { timeoutMs: 2000 });
				if (res.status === 200) return;
			} catch {
				// not listening yet
			}
			await delay(250);
		}
		throw new Error(`n8n ${this.version} not ready after ${timeoutMs} ms:\n${this.logTail()}`);
	}

	/**
	 * n8n 1.x reports readiness a moment before it mounts its REST routes and public API (the
	 * public API first, then /rest/settings): until then both answer 404.
	 */
	private async waitForRoutes(): Promise<void> {
		for (let i = 0; i < 200; i++) {
			const settings = await httpRequest(`${this.baseUrl}/rest/settings`);
			if (settings.status === 200) return;
			await delay(100);
		}
	}

	/** Sets up the owner account (first start only), logs in and creates a public-API key. */
	async ensureOwnerAndApiKey(createApiKey = true): Promise<void> {
		const json = { 'content-type': 'application/json' };
		await this.waitForRoutes();
		const setup = await httpRequest(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: json,
			body: JSON.stringify({ email: this.owner.email, firstName: 'Test', lastName: 'Owner', password: this.owner.password }),
		});
		let cookie = cookieFrom(setup);
		if (setup.status !== 200 || !cookie) {
			const login = await httpRequest(`${this.baseUrl}/rest/login`, {
				method: 'POST',
				headers: json,
				body: JSON.stringify({ emailOrLdapLoginId: this.owner.email, email: this.owner.email, password: this.owner.password }),
			});
			cookie = cookieFrom(login);
			if (login.status !== 200 || !cookie) throw new Error(`n8n login failed: ${login.status} ${login.text}`);
		}
		this.ownerCookie = cookie;
		if (!createApiKey) return;
		const scopesRes = await httpRequest(`${this.baseUrl}/rest/api-keys/scopes`, { headers: { cookie } });
		const scopes = scopesRes.status === 200 ? (scopesRes.json() as { data: string[] }).data : undefined;
		const created = await httpRequest(`${this.baseUrl}/rest/api-keys`, {
			method: 'POST',
			headers: { ...json, cookie },
			body: JSON.stringify({ label: `e2e-${randomBytes(4).toString('hex')}`, expiresAt: null, scopes }),
		});
		if (created.status !== 200) throw new Error(`creating an n8n API key failed: ${created.status} ${created.text}`);
		this.apiKey = (created.json() as { data: { rawApiKey: string } }).data.rawApiKey;
	}

	/** Calls n8n's public REST API (/api/v1). */
	async api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const res = await httpRequest(`${this.baseUrl}/api/v1${path}`, {
			method,
			headers: { [this.apiKeyHeader]: this.apiKey, 'content-type': 'application/json', accept: 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (res.status >= 300) throw new Error(`n8n API ${method} ${path} → ${res.status}: ${res.text}`);
		return (res.text ? res.json() : undefined) as T;
	}

	/**
	 * Through the editor's REST API: n8n 1.x's public API validates credential data against a
	 * schema that wrongly requires `allowedDomains` for credentials with an `authenticate` block.
	 */
	async createCredential(spec: Omit<CredentialSpec, 'id'>): Promise<string> {
		const res = await httpRequest(`${this.baseUrl}/rest/credentials`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: this.ownerCookie },
			body: JSON.stringify(spec),
		});
		if (res.status !== 200) throw new Error(`creating credential ${spec.name} failed: ${res.status} ${res.text}`);
		return (res.json() as { data: { id: string } }).data.id;
	}

	/** Creates a credential and returns it as a node selects it: `{ [type]: { id, name } }`. */
	async createNodeCredential(spec: Omit<CredentialSpec, 'id'>): Promise<NodeCredentials> {
		return { [spec.type]: { id: await this.createCredential(spec), name: spec.name } };
	}

	/**
	 * Replaces a credential's data as a user saving it does: n8n 2.x through the public API
	 * (PATCH /api/v1/credentials/:id), 1.x, whose public API cannot update one, through the
	 * editor's REST API.
	 */
	async updateCredential(id: string, spec: Omit<CredentialSpec, 'id'>): Promise<void> {
		if (!isV1(this.version)) {
			await this.api('PATCH', `/credentials/${id}`, { name: spec.name, type: spec.type, data: spec.data });
			return;
		}
		const res = await httpRequest(`${this.baseUrl}/rest/credentials/${id}`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json', cookie: this.ownerCookie },
			body: JSON.stringify(spec),
		});
		if (res.status !== 200) throw new Error(`updating credential ${spec.name} failed: ${res.status} ${res.text}`);
	}

	/** Deletes a credential through the public API (both versions). */
	async deleteCredential(id: string): Promise<void> {
		await this.api('DELETE', `/credentials/${id}`);
	}

	/** Creates a workflow through the public API and activates it; returns its id. */
	async createWorkflow(spec: WorkflowSpec, activate = true): Promise<string> {
		// The public API takes exactly these; exported files also carry id, meta, pinData, tags…
		const body = { name: spec.name, nodes: spec.nodes, connections: spec.connections, settings: spec.settings ?? {} };
		const created = await this.api<{ id: string }>('POST', '/workflows', body);
		if (activate) {
			await this.api('POST', `/workflows/${created.id}/activate`);
		}
		return created.id;
	}

	/** The bytes of a binary stored by an execution, as the editor's download button gets them. */
	async binaryBytes(binary: { id?: string; data?: string; fileName?: string; mimeType?: string }): Promise<Buffer> {
		if (!binary.id) return Buffer.from(binary.data ?? '', 'base64');
		const qs = new URLSearchParams({ id: binary.id, action: 'download' });
		if (binary.fileName) qs.set('fileName', binary.fileName);
		if (binary.mimeType) qs.set('mimeType', binary.mimeType);
		const res = await httpRequest(`${this.baseUrl}/rest/binary-data?${qs}`, { headers: { cookie: this.ownerCookie } });
		if (res.status !== 200) throw new Error(`reading binary ${binary.id} failed: ${res.status} ${res.text.slice(0, 200)}`);
		return res.body;
	}

	/** Retries an execution as the Executions list's "Retry with currently saved workflow" does. */
	async retryExecution(id: string): Promise<void> {
		const res = await httpRequest(`${this.baseUrl}/rest/executions/${id}/retry`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: this.ownerCookie },
			body: JSON.stringify({ loadWorkflow: true }),
		});
		if (res.status !== 200) throw new Error(`retrying execution ${id} failed: ${res.status} ${res.text.slice(0, 300)}`);
	}

	async deactivateWorkflow(id: string): Promise<void> {
		await this.api('POST', `/workflows/${id}/deactivate`);
	}

	async getWorkflow(id: string): Promise<WorkflowSpec & { id: string; active: boolean }> {
		return await this.api('GET', `/workflows/${id}`);
	}

	/** Executions of a workflow, newest first, with their data. */
	async executions(workflowId: string, options: { includeData?: boolean; limit?: number } = {}): Promise<ExecutionSummary[]> {
		const all: ExecutionSummary[] = [];
		let cursor: string | undefined;
		do {
			const qs = new URLSearchParams({ workflowId, limit: String(Math.min(options.limit ?? 250, 250)) });
			if (options.includeData) qs.set('includeData', 'true');
			if (cursor) qs.set('cursor', cursor);
			const page = await this.api<{ data: ExecutionSummary[]; nextCursor: string | null }>('GET', `/executions?${qs}`);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor && (options.limit === undefined || all.length < options.limit));
		return all;
	}

	/** Waits until the workflow has at least `count` finished executions (any status), then returns them. */
	async waitForExecutions(
		workflowId: string,
		count: number,
		options: { timeoutMs?: number; includeData?: boolean } = {},
	): Promise<ExecutionSummary[]> {
		const deadline = Date.now() + (options.timeoutMs ?? 60_000);
		let last: ExecutionSummary[] = [];
		while (Date.now() < deadline) {
			last = await this.executions(workflowId, { includeData: options.includeData });
			const done = last.filter(isFinished);
			if (done.length >= count) return done;
			await delay(200);
		}
		throw new Error(
			`expected ${count} finished executions of workflow ${workflowId}, saw ${last.length} (${last.map((e) => e.status).join(', ')})\n${this.logTail()}`,
		);
	}

	/**
	 * Waits until a production webhook answers as registered (n8n may register it a little
	 * after readiness): our triggers answer a GET with 405 once registered (their sample-event
	 * webhook); a POST-only webhook (n8n's own nodes) says "...not registered for GET..." instead.
	 */
	async waitForWebhook(url: string, timeoutMs = 30_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			// A busy machine may drop a connection while n8n settles; that is not an answer.
			const res = await httpRequest(url, { method: 'GET' }).catch(() => undefined);
			if (res && (res.status !== 404 || /not registered for GET/i.test(res.text))) return;
			await delay(200);
		}
		throw new Error(`webhook ${url} never registered\n${this.logTail()}`);
	}

	async postWebhook(url: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<HttpResponse> {
		return await httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
	}

	/** Stops the process group: SIGTERM, then SIGKILL after `graceMs`. */
	async stop(graceMs = 15_000): Promise<void> {
		const child = this.child;
		if (this.exited) {
			running.delete(child);
			return;
		}
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		killGroup(child, 'SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		const timedOut = await Promise.race([
			exited.then(() => false),
			new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
		]);
		clearTimeout(timer);
		if (timedOut) {
			killGroup(child, 'SIGKILL');
			await exited;
		}
		// The task runner is a grandchild in the same group: make sure nothing lingers.
		killGroup(child, 'SIGKILL');
		running.delete(child);
	}

	/** Resolves when the process exits (e.g. after Ctrl-C reached the whole process group). */
	waitForExit(): Promise<number | null> {
		if (this.exited) return Promise.resolve(this.child.exitCode);
		return new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
	}

	/** Hard kill (crash simulation). */
	kill(): void {
		killGroup(this.child, 'SIGKILL');
	}

	/**
	 * Starts the same process again (same user folder, database and port); resolves once its
	 * API answers, with how long n8n took to stop and to start.
	 */
	async restart(graceMs?: number): Promise<{ stoppingMs: number; startingMs: number }> {
		const stopping = Date.now();
		await this.stop(graceMs);
		const starting = Date.now();
		this.child = spawnN8n(this.version, this.args, this.env, this.logPath);
		if (this.args[0] !== 'worker') await this.waitForReady();
		if (this.args[0] === 'start') await this.waitForRoutes();
		return { stoppingMs: starting - stopping, startingMs: Date.now() - starting };
	}
}

/** An execution n8n has finished with, whatever its outcome. */
export function isFinished(execution: ExecutionSummary): boolean {
	return execution.stoppedAt !== null && execution.status !== 'running' && execution.status !== 'new';
}

export function n8nEnvironment(
	version: N8nVersion,
	userFolder: string,
	port: number,
	brokerPort: number,
	extra: Record<string, string | undefined> = {},
): Record<string, string> {
	const binDir = nodeBinDir(version);
	const base: Record<string, string | undefined> = {
		PATH: binDir ? `${binDir}:${process.env.PATH}` : process.env.PATH,
		HOME: process.env.HOME,
		LANG: process.env.LANG ?? 'C.UTF-8',
		TMPDIR: process.env.TMPDIR,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		...webhookUrlVariable(version, `http://127.0.0.1:${port}/`),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_ENCRYPTION_KEY: 'e2e-encryption-key-not-a-secret-0001',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		GENERIC_TIMEZONE: 'UTC',
		DB_SQLITE_POOL_SIZE: '2',
		N8N_RUNNERS_TASK_TIMEOUT: '300',
		NODE_EXTRA_CA_CERTS: testCaCertPath(),
		...(version.startsWith('1.')
			? // 1.x on Node 20 cannot start the vm expression engine.
				{ N8N_EXPRESSION_ENGINE: 'legacy', N8N_RUNNERS_ENABLED: 'true' }
			: // Offline, the MCP registry module only logs fetch failures.
				{ N8N_DISABLED_MODULES: 'mcp-registry' }),
		...extra,
	};
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
	return env;
}

/**
 * The variable that tells n8n the URL the services call: N8N_WEBHOOK_URL on 2.x (which logs
 * WEBHOOK_URL as deprecated, and prefers N8N_WEBHOOK_URL when both are set), WEBHOOK_URL on 1.x.
 */
export function webhookUrlVariable(version: N8nVersion, url: string): Record<string, string> {
	return version.startsWith('1.') ? { WEBHOOK_URL: url } : { N8N_WEBHOOK_URL: url };
}

/** The CA of the fake providers' HTTPS certificates, when the e2e global setup made one. */
export function testCaCertPath(): string | undefined {
	const dir = process.env.E2E_TEST_CA_DIR ?? join(repoRoot, '.cache', 'test-ca');
	const file = join(dir, 'ca.pem');
	return existsSync(file) ? file : undefined;
}

function spawnN8n(version: N8nVersion, args: string[], env: Record<string, string>, logPath: string | 'inherit'): ChildProcess {
	// The log file is the child's own stdout/stderr: no pipes keep jest's event loop alive.
	const logFd = logPath === 'inherit' ? undefined : openSync(logPath, 'a');
	const child = spawn(nodeExecutable(version), [n8nBinary(version), ...args], {
		env,
		cwd: env.N8N_USER_FOLDER,
		detached: true, // own process group, so the task runner dies with it
		stdio: logFd === undefined ? 'inherit' : ['ignore', logFd, logFd],
	});
	if (logFd !== undefined) {
		closeSync(logFd);
		// Tests: the child must not keep jest alive. `npm start` keeps it referenced, so it waits for n8n.
		child.unref();
	}
	running.add(child);
	PID_FILE_APPEND(child.pid);
	child.once('exit', () => running.delete(child));
	return child;
}

export function nodeExecutable(version: N8nVersion): string {
	const binDir = nodeBinDir(version);
	return binDir ? join(binDir, 'node') : process.execPath;
}

/** Runs an n8n CLI command to completion (n8n must not be running on the same SQLite file). */
export function runN8nCli(version: N8nVersion, env: Record<string, string>, args: string[]): string {
	const res = spawnSync(nodeExecutable(version), [n8nBinary(version), ...args], {
		env,
		cwd: env.N8N_USER_FOLDER,
		encoding: 'utf8',
		timeout: 180_000,
	});
	if (res.status !== 0) {
		throw new Error(`n8n ${args.join(' ')} failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
	}
	return `${res.stdout}${res.stderr}`;
}

function importWithCli(version: N8nVersion, env: Record<string, string>, userFolder: string, options: StartOptions): void {
	const dir = mkdtempSync(join(userFolder, 'import-'));
	if (options.credentials?.length) {
		const file = join(dir, 'credentials.json');
		writeFileSync(file, JSON.stringify(options.credentials.map((c) => ({ ...c, isManaged: false }))));
		runN8nCli(version, env, ['import:credentials', `--input=${file}`]);
	}
	if (options.workflows?.length) {
		const wfDir = join(dir, 'workflows');
		mkdirSync(wfDir);
		const ids = options.workflows.map((wf, i) => {
			const id = wf.id ?? randomId();
			writeFileSync(join(wfDir, `${i}.json`), JSON.stringify({ settings: {}, ...wf, active: false, id }));
			return { id, active: wf.active !== false };
		});
		runN8nCli(version, env, ['import:workflow', '--separate', `--input=${wfDir}`]);
		for (const { id } of ids.filter((w) => w.active)) activateWithCli(version, env, id);
	}
}

/** Activation only writes the database; n8n registers the webhooks when it starts. */
export function activateWithCli(version: N8nVersion, env: Record<string, string>, workflowId: string): void {
	const args = isV1(version) ? ['update:workflow', `--id=${workflowId}`, '--active=true'] : ['publish:workflow', `--id=${workflowId}`];
	runN8nCli(version, env, args);
}

function readOrCreateOwner(userFolder: string): { email: string; password: string } {
	const file = join(userFolder, 'owner.json');
	if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { email: string; password: string };
	const owner = { email: 'owner@example.test', password: `E2e-${randomBytes(9).toString('base64url')}9` };
	writeFileSync(file, JSON.stringify(owner));
	return owner;
}

function cookieFrom(res: HttpResponse): string {
	const setCookie = res.headers['set-cookie'];
	const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
	return list.map((c) => c.split(';')[0]).join('; ');
}

/** n8n ids are 16 alphanumerics. */
export function randomId(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]).join('');
}

