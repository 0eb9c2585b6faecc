#!/usr/bin/env node
// The checks n8n applies before listing a community package, run locally:
//  1. `npm pack` holds only what a user's n8n needs (dist, README, LICENSE, package.json);
//  2. every node and credential package.json names is in it;
//  3. the packed files and the sources pass @n8n/scan-community-package's ESLint rule sets
//     (inline eslint-disable comments ignored, as the scanner does; its provenance step needs
//     the published package and cannot run here);
//  4. `npm audit` of the production dependency tree is clean.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root is the published package. */
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
let failed = false;
const fail = (message) => {
	failed = true;
	console.error(`✗ ${message}`);
};
const ok = (message) => console.log(`✓ ${message}`);

function run(cmd, args, options = {}) {
	const res = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
	return res;
}

// 1 + 2: the tarball's contents.
const tmp = mkdtempSync(join(tmpdir(), 'check-package-'));
try {
	const built = run('npm', ['run', 'build', '--silent']);
	if (built.status !== 0) throw new Error(`build failed:\n${built.stdout}\n${built.stderr}`);
	const packed = run('npm', ['pack', '--json', '--pack-destination', tmp, '--loglevel=error']);
	if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
	const [info] = JSON.parse(packed.stdout);
	const files = info.files.map((f) => f.path);
	const allowed = /^(dist\/(nodes|credentials|core)\/.+\.(js|svg|json)|README\.md|LICENSE|package\.json)$/;
	const unexpected = files.filter((f) => !allowed.test(f));
	if (unexpected.length) fail(`unexpected files in the package: ${unexpected.join(', ')}`);
	else ok(`package holds ${files.length} files (${(info.size / 1024).toFixed(1)} KB packed): dist, README, LICENSE, package.json only`);
	const declared = [...pkg.n8n.nodes, ...pkg.n8n.credentials];
	const missing = declared.filter((f) => !files.includes(f));
	if (missing.length) fail(`package.json names files the package lacks: ${missing.join(', ')}`);
	else ok(`all ${pkg.n8n.nodes.length} nodes and ${pkg.n8n.credentials.length} credentials are packed`);
	if (Object.keys(pkg.dependencies ?? {}).length) fail(`runtime dependencies are not allowed: ${Object.keys(pkg.dependencies).join(', ')}`);
	else ok('no runtime dependencies (n8n-workflow is a peer dependency)');

	// 3: the scanner's lint rules on the unpacked tarball and on the sources.
	const unpacked = join(tmp, 'package');
	const untar = run('tar', ['-xzf', join(tmp, info.filename), '-C', tmp]);
	if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
	const scanner = await import('@n8n/scan-community-package/scanner/scanner.mjs');
	for (const [label, dir, patterns] of [
		['packed files', unpacked, undefined],
		['sources', root, scanner.SOURCE_FILE_PATTERNS],
	]) {
		const result = await scanner.analyzePackage(dir, patterns);
		if (result.passed) ok(`@n8n/scan-community-package lint rules pass on the ${label}`);
		else fail(`scanner rules fail on the ${label}: ${result.message}\n${result.details ?? ''}`);
	}
} finally {
	rmSync(tmp, { recursive: true, force: true });
}

// 4: npm audit of what users install (nothing but this package: peer and dev dependencies excluded).
const audit = run('npm', ['audit', '--omit=dev', '--omit=peer', '--json']);
try {
	const report = JSON.parse(audit.stdout);
	const total = report.metadata?.vulnerabilities?.total ?? 0;
	if (total > 0) fail(`npm audit reports ${total} vulnerabilities in the production tree`);
	else ok('npm audit: no vulnerabilities in the production dependency tree');
} catch {
	fail(`npm audit did not answer: ${audit.stderr.trim().split('\n').pop()}`);
}

process.exit(failed ? 1 : 0);
