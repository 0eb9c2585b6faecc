/**
 * Writes package.json's `n8n.nodes` and `n8n.credentials` from the service registry
 * (nodes/services.ts), so a new service is its folder plus one registry line. A unit test
 * fails while package.json and the registry disagree. `--check` only reports.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { packageN8nLists } from '../nodes/services';

const packagePath = join(__dirname, '..', 'package.json');
const text = readFileSync(packagePath, 'utf8');
const manifest = JSON.parse(text) as { n8n: { nodes: string[]; credentials: string[] } };
const lists = packageN8nLists();
const next = `${JSON.stringify({ ...manifest, n8n: { ...manifest.n8n, credentials: lists.credentials, nodes: lists.nodes } }, null, 2)}\n`;

if (next === text) {
	console.log('package.json already lists the registered nodes and credentials');
} else if (process.argv.includes('--check')) {
	console.error('package.json does not list the registered nodes and credentials: run npm run sync:package');
	process.exitCode = 1;
} else {
	writeFileSync(packagePath, next);
	console.log(`package.json: ${lists.nodes.length} nodes, ${lists.credentials.length} credentials`);
}
