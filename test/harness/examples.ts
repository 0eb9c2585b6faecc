/**
 * The workflows in examples/, wired up the way a user would after importing one: credentials
 * selected, and (because the fake services live on loopback) Allow Private Network plus the
 * fake server's host on every download.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { requiredCredentials } from '../registry';
import type { WorkflowSpec } from './n8n';
import { isV1, repoRoot, type N8nVersion } from './versions';

export const EXAMPLES_DIR = join(repoRoot, 'examples');

export interface ExampleNode {
	name: string;
	type: string;
	webhookId?: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

export type Example = WorkflowSpec & { nodes: ExampleNode[] };

/** Credential types a node of the examples needs: ours as their descriptions require them for its parameters. */
function exampleCredentialTypes(node: ExampleNode): string[] {
	if (node.type === 'n8n-nodes-base.emailSend') return ['smtp'];
	if (node.type === 'n8n-nodes-base.postgres') return ['postgres'];
	return requiredCredentials(node.type, node.parameters) ?? [];
}

/**
 * Examples that need a store only queue-mode setups have (their own PostgreSQL): tested by
 * test/queue/external-store.test.ts, not by the regular-mode examples test.
 */
export function needsExternalStore(file: string): boolean {
	return loadExample(file).nodes.some((node) => node.type === 'n8n-nodes-base.postgres');
}

export function loadExample(file: string): Example {
	return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Example;
}

/**
 * Loads an example and selects `credentials` (by type) on its nodes. Returns the workflow and
 * the webhook id of its trigger.
 */
export function prepareExample(
	file: string,
	options: { version: N8nVersion; credentials: Record<string, { id: string; name: string }>; fakeHost: string },
): { workflow: Example; webhookId: string; webhookPath: string } {
	const workflow = loadExample(file);
	let webhookId: string | undefined;
	let webhookPath: string | undefined;
	for (const node of workflow.nodes) {
		const types = exampleCredentialTypes(node);
		if (types.length) node.credentials = Object.fromEntries(types.map((t) => [t, options.credentials[t]]));
		// The fake services live on loopback: the one setting a real deployment does not need.
		if (node.parameters.downloadOptions) {
			node.parameters.downloadOptions = { ...(node.parameters.downloadOptions as object), allowPrivateNetwork: true, additionalAllowedHosts: options.fakeHost };
		}
		// n8n 1.x names regular attachments `attachments` (2.x: `fileAttachments`).
		const emailOptions = node.parameters.options as Record<string, unknown> | undefined;
		if (isV1(options.version) && emailOptions?.fileAttachments) {
			emailOptions.attachments = emailOptions.fileAttachments;
			delete emailOptions.fileAttachments;
		}
		if (node.webhookId && node.type.endsWith('Trigger')) webhookId = node.webhookId;
		// An example started by n8n's own Webhook node (no trigger of ours needed).
		if (node.webhookId && node.type === 'n8n-nodes-base.webhook') {
			webhookId = node.webhookId;
			webhookPath = String(node.parameters.path);
		}
	}
	if (!webhookId) throw new Error(`${file} has no trigger with a webhook id`);
	return { workflow, webhookId, webhookPath: webhookPath ?? `${webhookId}/webhook` };
}
