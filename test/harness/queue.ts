/**
 * n8n in queue mode, the scale-out path: PostgreSQL and Redis on loopback, one main process
 * (editor, API, activation), workers that run executions, and webhook processes that run
 * our triggers' webhook(). Every process has its own user folder with the package installed
 * as a user would, and all share one encryption key and the database.
 */
import { N8nInstance, type ExecutionSummary, type WorkflowSpec } from './n8n';
import { freePort } from './ports';
import { delay, keepingAlive } from './processes';
import { startPostgres, startRedis, type Postgres, type Redis } from './services';
import type { SmtpSink } from './smtp';
import type { N8nVersion } from './versions';
import { newWebhookId } from './workflows';

export interface QueueOptions {
	version: N8nVersion;
	workers?: number;
	webhooks?: number;
	workerConcurrency?: number;
	env?: Record<string, string | undefined>;
}

export class QueueCluster {
	private constructor(
		readonly version: N8nVersion,
		readonly postgres: Postgres,
		readonly redis: Redis,
		readonly main: N8nInstance,
		readonly workers: N8nInstance[],
		readonly webhooks: N8nInstance[],
	) {}

	static async start(options: QueueOptions): Promise<QueueCluster> {
		const postgres = await startPostgres();
		const redis = await startRedis();
		const env: Record<string, string | undefined> = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			// Files must be readable by whichever process runs the next node.
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			...options.env,
		};
		const started: N8nInstance[] = [];
		try {
			const main = await N8nInstance.start({ version: options.version, env, label: 'main' });
			started.push(main);
			const workers = await Promise.all(
				Array.from({ length: options.workers ?? 1 }, async (_, i) => {
					const worker = await N8nInstance.start({
						version: options.version,
						command: 'worker',
						label: `worker${i + 1}`,
						env: await workerEnv(env),
						args: [`--concurrency=${options.workerConcurrency ?? 10}`],
						waitForReady: false,
					});
					started.push(worker);
					await waitForLog(worker, WORKER_READY);
					return worker;
				}),
			);
			const webhooks = await Promise.all(
				Array.from({ length: options.webhooks ?? 1 }, async (_, i) => {
					const webhook = await N8nInstance.start({ version: options.version, command: 'webhook', label: `webhook${i + 1}`, env });
					started.push(webhook);
					return webhook;
				}),
			);
			return new QueueCluster(options.version, postgres, redis, main, workers, webhooks);
		} catch (error) {
			await keepingAlive(
				(async () => {
					await Promise.all(started.map(async (p) => await p.stop(5000)));
					await postgres.stop();
					await redis.stop();
				})(),
			);
			throw error;
		}
	}

	/** Production webhook URL on webhook process `index`. */
	webhookUrl(webhookId: string, index = 0, path = 'webhook'): string {
		return this.webhooks[index].webhookUrl(webhookId, path);
	}

	/**
	 * Creates `workflow` with its trigger (the node whose type ends in `triggerType`) on a webhook
	 * path of its own, since an example's fixed path can be active only once, and waits until every
	 * webhook process serves it. Returns the workflow and each webhook process's URL.
	 */
	async createOnOwnPath(workflow: WorkflowSpec, triggerType: string): Promise<{ workflowId: string; hooks: string[] }> {
		const webhookId = newWebhookId();
		for (const node of workflow.nodes) if (String(node.type).endsWith(triggerType)) node.webhookId = webhookId;
		const workflowId = await this.main.createWorkflow(workflow);
		const hooks = this.webhooks.map((_, i) => this.webhookUrl(webhookId, i));
		for (let i = 0; i < hooks.length; i++) await this.webhooks[i].waitForWebhook(hooks[i], 60_000);
		return { workflowId, hooks };
	}

	/**
	 * The executions of `workflowId` once none is open and `smtp` has received nothing for five
	 * seconds. At the deadline: the executions as they are, or with `throwOnTimeout` an error
	 * naming the open ones.
	 */
	async settle(workflowId: string, smtp: SmtpSink, timeoutMs: number, options: { throwOnTimeout?: boolean } = {}): Promise<ExecutionSummary[]> {
		const deadline = Date.now() + timeoutMs;
		let count = -1;
		let stillSince = Date.now();
		for (;;) {
			const executions = await this.main.executions(workflowId);
			if (smtp.messages.length !== count) {
				count = smtp.messages.length;
				stillSince = Date.now();
			}
			const open = executions.filter((e) => ['new', 'running', 'waiting'].includes(e.status) || (e.stoppedAt === null && e.status !== 'crashed'));
			if (Date.now() - stillSince > 5000 && open.length === 0) return executions;
			if (Date.now() > deadline) {
				if (!options.throwOnTimeout) return executions;
				throw new Error(`executions still open after ${timeoutMs} ms: ${open.length} (${open.map((e) => e.status).join(', ')})`);
			}
			await delay(1000);
		}
	}

	/** Starts a (killed) worker's process again, same user folder and settings. */
	async restartWorker(worker: N8nInstance): Promise<void> {
		const readyBefore = countMatches(worker.log(), WORKER_READY);
		await worker.restart();
		await waitForLog(worker, WORKER_READY, 120_000, readyBefore + 1);
	}

	/** Every process's whole log, e.g. to check that no secret was ever written to one. */
	fullLogs(): string[] {
		return [this.main, ...this.workers, ...this.webhooks].map((p) => p.log());
	}

	logs(): string {
		return [this.main, ...this.workers, ...this.webhooks].map((p) => `--- ${p.logPath}\n${p.logTail(60)}`).join('\n');
	}

	async stop(): Promise<void> {
		await keepingAlive(
			(async () => {
				await Promise.all([...this.webhooks, ...this.workers, this.main].map(async (p) => await p.stop(20_000)));
				await this.postgres.stop();
				await this.redis.stop();
			})(),
		);
	}
}

/** Each worker's health-check server needs a port of its own (the default 5678 is shared). */
async function workerEnv(env: Record<string, string | undefined>): Promise<Record<string, string | undefined>> {
	return { ...env, QUEUE_HEALTH_CHECK_ADDRESS: '127.0.0.1', N8N_WORKER_SERVER_ADDRESS: '127.0.0.1', QUEUE_HEALTH_CHECK_PORT: String(await freePort()) };
}

const WORKER_READY = /worker is now ready|Worker ready|n8n worker is/gi;

function countMatches(text: string, pattern: RegExp): number {
	return (text.match(new RegExp(pattern.source, 'gi')) ?? []).length;
}

async function waitForLog(instance: N8nInstance, pattern: RegExp, timeoutMs = 120_000, occurrences = 1): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (countMatches(instance.log(), pattern) >= occurrences) return;
		if (instance.exited) throw new Error(`n8n ${instance.version} worker exited:\n${instance.logTail()}`);
		await delay(250);
	}
	throw new Error(`n8n worker not ready after ${timeoutMs} ms:\n${instance.logTail()}`);
}

/** One answer a sender got: the HTTP status (0 when the request failed or timed out) and the body. */
export interface Answer {
	status: number;
	text: string;
}

export function isAccepted(answer: Answer): boolean {
	return answer.status >= 200 && answer.status < 300;
}

/**
 * Sends one event as the services do: again after every non-2xx answer or timeout, after a
 * pause of one to two seconds, until an answer is 2xx or `giveUpMs` has passed. Attempt n goes
 * to webhook process (firstTarget + n) mod `targets`: one public URL behind a load balancer.
 * Returns every answer, in order.
 */
export async function sendUntilAccepted(
	send: (target: number) => Promise<Answer>,
	options: { firstTarget: number; targets: number; giveUpMs: number },
): Promise<Answer[]> {
	const answers: Answer[] = [];
	const giveUp = Date.now() + options.giveUpMs;
	for (let attempt = 0; Date.now() < giveUp; attempt++) {
		const answer = await send((options.firstTarget + attempt) % options.targets).catch((): Answer => ({ status: 0, text: '' }));
		answers.push(answer);
		if (isAccepted(answer)) break;
		await delay(1000 + Math.random() * 1000);
	}
	return answers;
}
