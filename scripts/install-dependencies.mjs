#!/usr/bin/env node
// First step of `npm start` and `npm test`: installs the development dependencies when
// node_modules is missing or was installed from another package-lock.json, so both commands
// work on a fresh clone. It uses nothing but Node itself, since it runs before anything is
// installed. The repository's .npmrc turns install scripts off (see the comment there).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(repoRoot, 'node_modules', '.installed-from-lock');
const lockHash = createHash('sha256').update(readFileSync(join(repoRoot, 'package-lock.json'))).digest('hex');

if (!existsSync(marker) || readFileSync(marker, 'utf8') !== lockHash) {
	console.error('▶ Installing the development dependencies (npm ci; about a minute)');
	const result = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: repoRoot, stdio: 'inherit' });
	if (result.status !== 0) {
		console.error(`npm ci failed (exit ${result.status ?? result.signal}); see its output above.`);
		process.exit(1);
	}
	writeFileSync(marker, lockHash);
}
