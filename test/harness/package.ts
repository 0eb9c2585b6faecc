import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { runId } from './processes';
import { repoRoot } from './versions';

// Per run, so a second run packing at the same time cannot delete this run's tarball.
export const packDir = join(repoRoot, '.cache', 'pack', runId());

/** Builds and packs this package with `npm pack` (what npm would publish); returns the tarball path. */
export function packPackage(): string {
	rmSync(packDir, { recursive: true, force: true });
	mkdirSync(packDir, { recursive: true });
	buildAndPack(repoRoot, packDir);
	return packedTarball();
}

/**
 * `npm run build`, then `npm pack` into packDir. The build is explicit: the repository's
 * .npmrc turns lifecycle scripts off, so npm pack would not run a prepack build.
 */
export function buildAndPack(packageDir: string, destination: string): void {
	const env = { ...process.env, npm_config_update_notifier: 'false' };
	for (const args of [['run', 'build', '--silent'], ['pack', '--pack-destination', destination, '--loglevel=error']]) {
		const res = spawnSync('npm', args, { cwd: packageDir, encoding: 'utf8', env });
		if (res.status !== 0) throw new Error(`npm ${args[0]} failed in ${packageDir}:\n${res.stdout}\n${res.stderr}`);
	}
}

export function packedTarball(): string {
	const fromEnv = process.env.E2E_PACKAGE_TARBALL;
	if (fromEnv && existsSync(fromEnv)) return fromEnv;
	const found = existsSync(packDir) ? readdirSync(packDir).filter((f) => f.endsWith('.tgz')) : [];
	if (found.length !== 1) throw new Error(`expected one packed tarball in ${packDir}; run the e2e suite through jest (globalSetup packs it)`);
	return join(packDir, found[0]);
}

/**
 * Installs the packed tarball into an n8n `~/.n8n/nodes` folder as a user would. Like n8n's
 * own community-package installer, peer dependencies are left out: n8n provides n8n-workflow.
 */
export function installPackageInto(nodesDir: string, tarball = packedTarball()): void {
	mkdirSync(nodesDir, { recursive: true });
	const manifest = join(nodesDir, 'package.json');
	if (!existsSync(manifest)) writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	const res = spawnSync(
		'npm',
		['install', tarball, '--omit=peer', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--package-lock=false', '--loglevel=error'],
		{ cwd: nodesDir, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } },
	);
	if (res.status !== 0) throw new Error(`installing ${tarball} into ${nodesDir} failed:\n${res.stdout}\n${res.stderr}`);
}
