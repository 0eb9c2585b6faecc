/**
 * The examples guide like n8n's templates: each carries a "Set up" sticky note that names every
 * credential its nodes need, says where the Production URL goes and what Execute workflow does
 * with the pinned sample; and their action nodes are at the version new nodes get.
 */
import { readdirSync } from 'node:fs';

import type { ICredentialType, INodeTypeDescription } from 'n8n-workflow';

import { EXAMPLES_DIR, loadExample, type ExampleNode } from '../../harness/examples';
import { SERVICE_FILES, actionNode, credentialTypes, requiredCredentials } from '../../registry';

/** n8n's own credential types the examples use. */
const BUILT_IN: Record<string, string> = { smtp: 'SMTP', postgres: 'Postgres' };
const OURS: Record<string, string> = Object.fromEntries(SERVICE_FILES.flatMap(credentialTypes).map((type: ICredentialType) => [type.name, type.displayName]));
const ACTIONS: Record<string, INodeTypeDescription> = Object.fromEntries(SERVICE_FILES.map((service) => [`n8n-nodes-pdf-webhooks.${service.action.type}`, actionNode(service).description]));

function neededCredentials(node: ExampleNode): string[] {
	if (node.type === 'n8n-nodes-base.emailSend') return ['smtp'];
	if (node.type === 'n8n-nodes-base.postgres') return ['postgres'];
	return requiredCredentials(node.type, node.parameters) ?? [];
}

const files = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json'));

const nodesOf = (file: string) => loadExample(file).nodes as unknown as Array<ExampleNode & { typeVersion: number }>;

test.each(files)('%s has a Set up note naming its credentials, the Production URL and what Execute workflow does', (file) => {
	const nodes = nodesOf(file);
	const notes = nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote' && node.name === 'Set up');
	expect(notes).toHaveLength(1);
	const content = String(notes[0].parameters.content);
	const needed = [...new Set(nodes.flatMap(neededCredentials))];
	expect(needed.length).toBeGreaterThan(0);
	for (const type of needed) expect({ type, named: content.includes(`**${BUILT_IN[type] ?? OURS[type]}**`) }).toEqual({ type, named: true });
	expect(content).toContain('**Production URL**');
	expect(content).toContain('**Try it:** *Execute workflow*');
	// Every node the note names exists in the workflow.
	for (const [, name] of content.matchAll(/on \*([^*]+)\*/g)) expect(nodes.map((node) => node.name)).toContain(name);
});

test.each(files.filter((file) => !file.includes('postgres')))('%s uses the action nodes at the version new nodes get', (file) => {
	for (const node of nodesOf(file).filter((n) => ACTIONS[n.type])) {
		const description = ACTIONS[node.type];
		expect({ node: node.name, version: node.typeVersion }).toEqual({ node: node.name, version: description.defaultVersion ?? description.version });
	}
});
