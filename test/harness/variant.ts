/**
 * A variant of this package with the sample service of test/sample-service plugged in the
 * way the README says a new service is added: its folder under nodes/, two lines in
 * nodes/services.ts, `npm run sync:package`. Built and packed like the real package.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildAndPack } from './package';
import { scratchDir } from './scratch';
import { repoRoot } from './versions';

const SAMPLE_DIR = join(repoRoot, 'test', 'sample-service');
/** What a build and `npm pack` read; node_modules is linked, not copied. */
const SOURCES = ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'gulpfile.js', 'nodes', 'credentials', 'core', 'scripts/sync-package.ts'];

function run(command: string, args: string[], cwd: string): void {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
}

/** Adds the sample's import after the last import of nodes/services.ts and its entry at the end of SERVICES. */
export function withSampleRegistryLines(registry: string, lines: string): string {
	const [importLine, entryLine] = lines.trimEnd().split('\n');
	const imports = [...registry.matchAll(/^import .*;$/gm)];
	const afterImports = imports[imports.length - 1].index! + imports[imports.length - 1][0].length;
	let next = `${registry.slice(0, afterImports)}\n${importLine}${registry.slice(afterImports)}`;
	const servicesEnd = next.indexOf('\n];', next.indexOf('export const SERVICES'));
	next = `${next.slice(0, servicesEnd)}\n${entryLine}${next.slice(servicesEnd)}`;
	return next;
}

/**
 * Builds the variant in a folder of this run's (removed with the run's other folders) and
 * returns its tarball.
 */
export function packSampleVariant(): string {
	const dir = scratchDir('variant-');
	mkdirSync(join(dir, 'scripts'), { recursive: true });
	for (const source of SOURCES) cpSync(join(repoRoot, source), join(dir, source), { recursive: true });
	symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));

	// The two steps the README names: the folder, and its lines in the registry.
	cpSync(join(SAMPLE_DIR, 'SampleDocs'), join(dir, 'nodes', 'SampleDocs'), { recursive: true });
	const registryPath = join(dir, 'nodes', 'services.ts');
	writeFileSync(registryPath, withSampleRegistryLines(readFileSync(registryPath, 'utf8'), readFileSync(join(SAMPLE_DIR, 'registry-lines.txt'), 'utf8')));
	run('npx', ['tsx', 'scripts/sync-package.ts'], dir);

	const packDir = join(dir, 'pack');
	mkdirSync(packDir);
	buildAndPack(dir, packDir);
	const [tarball] = readdirSync(packDir).filter((file) => file.endsWith('.tgz'));
	if (!tarball) throw new Error(`npm pack left no tarball in ${packDir}`);
	return join(packDir, tarball);
}
