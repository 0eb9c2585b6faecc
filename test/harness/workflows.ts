/** Small builders for the workflow JSON the e2e tests import into n8n. */
import { randomUUID } from 'node:crypto';

import type { WorkflowSpec } from './n8n';

export const PACKAGE = 'n8n-nodes-pdf-webhooks';

export interface NodeSpec {
	name: string;
	type: string;
	typeVersion: number;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
}

/** A linear workflow: nodes connected in order on their main output 0. */
export function linearWorkflow(name: string, nodes: NodeSpec[], options: { active?: boolean; id?: string } = {}): WorkflowSpec {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return {
		id: options.id,
		name,
		active: options.active ?? true,
		nodes: nodes.map((n, i) => ({
			id: randomUUID(),
			position: [250 + i * 220, 300],
			parameters: {},
			...n,
		})),
		connections,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveManualExecutions: true },
	};
}

/** n8n's own Webhook node, the control in harness tests and benchmarks. */
export function builtInWebhookNode(webhookId: string, path: string): NodeSpec {
	return {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId,
		parameters: { httpMethod: 'POST', path, options: {} },
	};
}

export function triggerNode(
	type: string,
	webhookId: string,
	parameters: Record<string, unknown> = {},
	credentials?: Record<string, { id: string; name: string }>,
	name = 'Trigger',
): NodeSpec {
	return { name, type: `${PACKAGE}.${type}`, typeVersion: 2, webhookId, parameters, credentials };
}

export function newWebhookId(): string {
	return randomUUID();
}
