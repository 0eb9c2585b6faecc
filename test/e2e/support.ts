/** Shared pieces of the e2e suites: one n8n per version and one fake provider server per suite. */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

import { N8nInstance, type ExecutionSummary, type StartOptions } from '../harness/n8n';
import { repoRoot } from '../harness/versions';
import { linearWorkflow, newWebhookId, type NodeSpec } from '../harness/workflows';
import { createTestCa, startFakeProviders, type FakeProviders, type FakeProvidersOptions } from '../providers';

export interface Stack {
	n8n: N8nInstance;
	fake: FakeProviders;
}

/** Starts a fake provider server and n8n in beforeAll, stops both in afterAll, prints n8n's log on failure. */
export function useStack(version: string, options: { n8n?: Omit<StartOptions, 'version'>; fake?: Partial<FakeProvidersOptions> } = {}): Stack {
	const stack = {} as Stack;
	beforeAll(async () => {
		const ca = await createTestCa(join(repoRoot, '.cache', 'test-ca'));
		stack.fake = await startFakeProviders({ tls: ca, ...options.fake });
		stack.n8n = await N8nInstance.start({ version, ...options.n8n });
	});
	afterAll(async () => {
		await stack.n8n?.stop();
		await stack.fake?.close();
	});
	afterEach(() => {
		const state = expect.getState();
		if (state.assertionCalls !== state.numPassingAsserts && stack.n8n) {
			process.stderr.write(`n8n ${version} log tail:\n${stack.n8n.logTail(80)}\n`);
		}
	});
	return stack;
}

type RunData = NonNullable<ExecutionSummary['data']>['resultData']['runData'];

export function itemsOf(execution: ExecutionSummary, node: string, output = 0) {
	const runs: RunData[string] | undefined = execution.data?.resultData.runData[node];
	return runs?.[0]?.data?.main[output] ?? [];
}

export function jsonOf(execution: ExecutionSummary, node: string) {
	return itemsOf(execution, node).map((i) => i.json);
}

export function errorOf(execution: ExecutionSummary): string | undefined {
	const error = execution.data?.resultData.error;
	return error ? `${error.message}${error.description ? ` — ${error.description}` : ''}` : undefined;
}

export function sha256(data: Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

/** Waits for the next finished execution of a workflow beyond `alreadySeen`. */
export async function nextExecution(n8n: N8nInstance, workflowId: string, alreadySeen: number): Promise<ExecutionSummary> {
	const all = await n8n.waitForExecutions(workflowId, alreadySeen + 1, { includeData: true });
	return all[0];
}

/**
 * A workflow started by n8n's own Webhook node, then `nodes` in a row. `run(body)` posts the
 * body and returns the execution it caused.
 */
export async function startedFlow(n8n: N8nInstance, name: string, nodes: NodeSpec[]) {
	const hook = newWebhookId();
	const start: NodeSpec = { name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: hook, parameters: { httpMethod: 'POST', path: `start-${hook}`, options: {} } };
	const workflowId = await n8n.createWorkflow(linearWorkflow(name, [start, ...nodes]));
	const url = `${n8n.baseUrl}/webhook/start-${hook}`;
	await n8n.waitForWebhook(url);
	let seen = 0;
	return {
		workflowId,
		url,
		async run(body: unknown = {}): Promise<ExecutionSummary> {
			expect((await n8n.postWebhook(url, JSON.stringify(body))).status).toBe(200);
			const execution = await nextExecution(n8n, workflowId, seen);
			seen++;
			return execution;
		},
	};
}
