#!/usr/bin/env node
// One-off, to be deleted once applied: moves the publishable package into
// packages/n8n-nodes-pdf-webhooks/ and makes the repository root a private npm workspace that
// holds the tests, benchmarks, scripts, examples and docs. `n8n-node lint` (n8n's CLI, strict
// mode) lints the whole folder it runs in with the verified-node rules; tests, benchmarks and
// scripts legitimately use fs, child processes and process.env, so they must live outside the
// package folder rather than switch those rules off.
//
// Deterministic and idempotent: run it from the repository root on any state of the tree
// (`node scripts/reorganise.mjs`); a second run changes nothing. It
//   1. git-moves nodes/, credentials/, core/, tsconfig.json and eslint.config.mjs;
//   2. splits package.json into the package's (the scaffold's scripts, `n8n` section) and the
//      workspace root's (the development scripts and dependencies);
//   3. rewrites every relative import / path string that pointed into the moved folders, in
//      the files that stayed (tests, bench, scripts, tsconfigs) and in the moved ones;
//   4. applies the layout-specific edits to the harness, check-package, workflows, docs;
//   5. regenerates package-lock.json for the workspace (npm install --package-lock-only).
// Anything it expected but did not find is printed as "CHECK:"; the run then exits 2.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const PACKAGE_NAME = 'n8n-nodes-pdf-webhooks';
const PKG = `packages/${PACKAGE_NAME}`;
const MOVED_DIRS = ['nodes', 'credentials', 'core'];
const MOVED_FILES = ['tsconfig.json', 'eslint.config.mjs'];
/** devDependencies the package's own scripts use (build, lint, dev, release); the rest stay at the root. */
const PACKAGE_DEV_DEPENDENCIES = ['@n8n/node-cli', '@types/node', 'eslint', 'n8n-workflow', 'release-it', 'typescript'];
/** Only the scaffold's release-it is new; the others keep the versions the root had. */
const ADDED_DEV_DEPENDENCIES = { 'release-it': '^19.0.4' };
const REMOVED_DEV_DEPENDENCIES = ['gulp'];
/** Scripts other branches add that stay at the root unchanged (they find the package by path). */
const ROOT_TOOL_SCRIPTS = ['sync:package'];

const problems = [];
const check = (message) => {
	problems.push(message);
	console.error(`CHECK: ${message}`);
};
const say = (message) => console.log(`reorganise: ${message}`);

const git = (...args) => execFileSync('git', args, { encoding: 'utf8' });
const toPosix = (p) => p.split(sep).join('/');
const read = (file) => readFileSync(file, 'utf8');
const writeIfChanged = (file, text) => {
	if (existsSync(file) && read(file) === text) return false;
	writeFileSync(file, text);
	return true;
};

// ── 1. Move ──────────────────────────────────────────────────────────────────────────────
const toMove = git('ls-files', '-z', '--', ...MOVED_DIRS, ...MOVED_FILES)
	.split('\0')
	.filter(Boolean)
	.filter((f) => MOVED_FILES.includes(f) || MOVED_DIRS.includes(f.split('/')[0]));
/** new path → old path, for the files moved in this run (their own relative imports are fixed in step 3). */
const movedNow = new Map();
for (const from of toMove) {
	const to = `${PKG}/${from}`;
	if (existsSync(to)) {
		check(`${from} and ${to} both exist; merge them by hand`);
		continue;
	}
	mkdirSync(dirname(to), { recursive: true });
	git('mv', from, to);
	movedNow.set(to, from);
}
if (movedNow.size) say(`moved ${movedNow.size} files into ${PKG}/`);
for (const dir of MOVED_DIRS) {
	if (existsSync(dir)) {
		const left = git('ls-files', '--others', '--', dir).trim();
		if (left) check(`${dir}/ still holds untracked files: ${left.split('\n').join(', ')}`);
		else rmSync(dir, { recursive: true, force: true });
	}
}
if (existsSync('gulpfile.js')) {
	// n8n-node build copies icons; tsc emits the codex files (tsconfig includes nodes/**/*.json).
	git('rm', '-q', 'gulpfile.js');
	say('removed gulpfile.js (n8n-node build replaces it)');
}

// ── 2. package.json: the package's and the workspace root's ─────────────────────────────
const rootManifestPath = 'package.json';
const rootManifest = JSON.parse(read(rootManifestPath));
if (!rootManifest.workspaces) {
	const { scripts = {}, devDependencies = {} } = rootManifest;
	const packageDev = {};
	const rootDev = {};
	for (const [name, range] of Object.entries({ ...devDependencies, ...ADDED_DEV_DEPENDENCIES }).sort(([a], [b]) => a.localeCompare(b))) {
		if (REMOVED_DEV_DEPENDENCIES.includes(name)) continue;
		(PACKAGE_DEV_DEPENDENCIES.includes(name) ? packageDev : rootDev)[name] = range;
	}
	const packageManifest = {
		name: rootManifest.name,
		version: rootManifest.version,
		description: rootManifest.description,
		license: rootManifest.license,
		homepage: rootManifest.homepage,
		keywords: rootManifest.keywords,
		author: rootManifest.author,
		repository: rootManifest.repository,
		engines: rootManifest.engines,
		// As `npm create @n8n/node` sets them up. prepack copies the repository's README and
		// LICENSE in (npm packs neither from outside the folder nor through a symlink) and builds,
		// so a tarball never holds a stale dist.
		scripts: {
			build: 'n8n-node build',
			'build:watch': 'tsc --watch',
			dev: 'n8n-node dev',
			lint: 'n8n-node lint',
			'lint:fix': 'n8n-node lint --fix',
			release: 'n8n-node release',
			prepublishOnly: 'n8n-node prerelease',
			prepack: 'cp ../../README.md ../../LICENSE . && npm run build',
		},
		files: rootManifest.files,
		n8n: rootManifest.n8n,
		peerDependencies: rootManifest.peerDependencies,
		devDependencies: packageDev,
	};
	const workspace = `--workspace=${PKG}`;
	const newRoot = {
		name: `${rootManifest.name}-repository`,
		private: true,
		description: `Development repository of ${rootManifest.name}: the package in ${PKG}/, its tests, benchmarks, examples and tooling.`,
		license: rootManifest.license,
		homepage: rootManifest.homepage,
		repository: rootManifest.repository,
		engines: rootManifest.engines,
		workspaces: [PKG],
		scripts: {
			start: scripts.start,
			test: scripts.test,
			build: `npm run build ${workspace}`,
			lint: `npm run lint ${workspace}`,
			'lint:fix': `npm run lint:fix ${workspace}`,
			typecheck: scripts.typecheck,
			dev: `npm run dev ${workspace}`,
			release: `npm run release ${workspace}`,
			'test:unit': scripts['test:unit'],
			'test:e2e': scripts['test:e2e'],
			'test:queue': scripts['test:queue'],
			'check:package': scripts['check:package'],
			bench: scripts.bench,
			screenshots: scripts.screenshots,
			walkthrough: scripts.walkthrough,
		},
		devDependencies: rootDev,
	};
	for (const [name, script] of Object.entries(scripts)) {
		if (name in newRoot.scripts || ['prepack', 'prepublishOnly'].includes(name)) continue;
		newRoot.scripts[name] = script;
		// Root tooling known to follow the layout through its own paths (rewritten below).
		if (!ROOT_TOOL_SCRIPTS.includes(name)) check(`root script "${name}" kept as is (${script}); see whether it needs the package folder`);
	}
	for (const [name, script] of Object.entries(newRoot.scripts)) if (script === undefined) check(`root script "${name}" was missing`);
	const unknownKeys = Object.keys(rootManifest).filter((k) => !(k in packageManifest) && !(k in newRoot) && k !== 'dependencies');
	if (unknownKeys.length) check(`package.json keys not placed: ${unknownKeys.join(', ')}`);
	if (rootManifest.dependencies && Object.keys(rootManifest.dependencies).length) check('package.json has runtime dependencies; not allowed, not moved');
	mkdirSync(PKG, { recursive: true });
	writeFileSync(`${PKG}/package.json`, `${JSON.stringify(packageManifest, null, 2)}\n`);
	writeFileSync(rootManifestPath, `${JSON.stringify(newRoot, null, 2)}\n`);
	git('add', rootManifestPath, `${PKG}/package.json`);
	say(`split package.json into ${PKG}/package.json and the workspace root`);
} else {
	// Already split: a merge may have brought package fields back into the root manifest.
	const strays = ['n8n', 'files', 'peerDependencies', 'keywords', 'main'].filter((key) => key in rootManifest);
	if (strays.length) check(`package.json (workspace root) holds ${strays.join(', ')}; they belong in ${PKG}/package.json`);
	const stray = Object.keys(rootManifest.scripts ?? {}).filter((name) => ['prepack', 'prepublishOnly'].includes(name));
	if (stray.length) check(`package.json (workspace root) has ${stray.join(', ')}; the package's scripts live in ${PKG}/package.json`);
}

// ── 3. Relative paths ────────────────────────────────────────────────────────────────────
/** What a moved file may point at that is the package's own (its dist, its package.json, the folder itself). */
const MOVES_WITH_PACKAGE = ['.', '', 'dist', 'package.json', 'README.md', 'LICENSE', 'node_modules'];
const isMovedTarget = (repoPath) => MOVED_FILES.includes(repoPath) || MOVED_DIRS.includes(repoPath.split('/')[0]);
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const RELATIVE_STRING = /(['"`])(\.{1,2}\/[^'"`\n]*)\1/g;

function asSpecifier(fromDir, target) {
	const rel = toPosix(relative(fromDir, target));
	return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Rewrites the relative strings of one file; `oldPath` is where the file was when they were written. */
function rewriteFile(file, oldPath) {
	const text = read(file);
	const oldDir = dirname(oldPath);
	const newDir = dirname(file);
	let count = 0;
	const out = text.replace(RELATIVE_STRING, (whole, quote, spec) => {
		const target = toPosix(posix.normalize(posix.join(oldDir, spec)));
		if (target.startsWith('../')) return whole; // outside the repository
		let newTarget;
		if (isMovedTarget(target)) newTarget = `${PKG}/${target}`;
		else if (oldPath !== file && !MOVES_WITH_PACKAGE.includes(target.split('/')[0])) newTarget = target; // a moved file pointing at something that stayed
		else return whole;
		const newSpec = asSpecifier(newDir, newTarget) + (spec.endsWith('/') && !newTarget.endsWith('/') ? '/' : '');
		if (newSpec === spec) return whole;
		count++;
		return `${quote}${newSpec}${quote}`;
	});
	if (count && writeIfChanged(file, out)) say(`${file}: ${count} path${count === 1 ? '' : 's'} rewritten`);
}

const tracked = git('ls-files', '-z').split('\0').filter(Boolean);
for (const file of tracked) {
	if (!existsSync(file) || statSync(file).isDirectory()) continue;
	const isTsconfig = /(^|\/)tsconfig[^/]*\.json$/.test(file);
	if (!SOURCE.test(file) && !isTsconfig) continue;
	if (file.startsWith(`${PKG}/`)) {
		const oldPath = movedNow.get(file);
		if (oldPath) rewriteFile(file, oldPath);
		continue;
	}
	rewriteFile(file, file);
}

// ── 4. Layout-specific edits ─────────────────────────────────────────────────────────────
/** Replaces `before` with `after` once; nothing if `after` is already there; CHECK if neither is. */
function edit(file, before, after, why) {
	if (!existsSync(file)) return check(`${file} is missing (${why})`);
	const text = read(file);
	if (text.includes(after)) return;
	if (!text.includes(before)) return check(`${file}: expected text not found (${why}): ${before.split('\n')[0]}`);
	writeFileSync(file, text.replace(before, after));
	say(`${file}: ${why}`);
}

edit(
	'test/tsconfig.json',
	'"noEmit": true,',
	'"noEmit": true,\n\t\t"rootDir": "..",',
	'type-check the whole repository against the package tsconfig',
);
edit(
	`${PKG}/tsconfig.json`,
	'"include": ["credentials/**/*.ts", "nodes/**/*.ts", "core/**/*.ts"]',
	'"include": ["credentials/**/*.ts", "nodes/**/*.ts", "nodes/**/*.json", "core/**/*.ts"]',
	'tsc emits the codex files',
);
edit(
	'test/harness/versions.ts',
	"export const repoRoot = join(__dirname, '..', '..');\n",
	"export const repoRoot = join(__dirname, '..', '..');\n/** The publishable package (an npm workspace): what `npm pack` packs and n8n installs. */\nexport const packageRoot = join(repoRoot, 'packages', 'n8n-nodes-pdf-webhooks');\n",
	'packageRoot',
);
edit('test/harness/package.ts', "import { repoRoot } from './versions';", "import { packageRoot, repoRoot } from './versions';", 'import packageRoot');
edit('test/harness/package.ts', '\t\tcwd: repoRoot,\n', '\t\tcwd: packageRoot,\n', 'npm pack in the package folder');
edit(
	'scripts/check-package.mjs',
	"const root = join(dirname(fileURLToPath(import.meta.url)), '..');",
	"const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');\n/** The publishable package (an npm workspace). */\nconst root = join(repoRoot, 'packages', 'n8n-nodes-pdf-webhooks');",
	'check the package folder',
);
edit(
	'scripts/check-package.mjs',
	"\t// --ignore-scripts: the build above is prepack's job; its log would otherwise precede the JSON.\n\tconst packed = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp, '--loglevel=error']);",
	"\t// --ignore-scripts: prepack would build again and its log would precede the JSON; its other\n\t// step, copying the repository's README and LICENSE in, is done here.\n\tfor (const file of ['README.md', 'LICENSE']) copyFileSync(join(repoRoot, file), join(root, file));\n\tconst packed = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp, '--loglevel=error']);",
	'README and LICENSE copied before packing',
);
edit(
	'scripts/check-package.mjs',
	"import { mkdtempSync, readFileSync, rmSync } from 'node:fs';",
	"import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';",
	'import copyFileSync',
);
edit(
	'.github/workflows/publish.yml',
	`require("./package.json").version`,
	`require("./${PKG}/package.json").version`,
	'tag check reads the package version',
);
edit(
	'.github/workflows/publish.yml',
	'#        RELEASE_MODE=true npm publish --access public',
	`#        cd ${PKG} && RELEASE_MODE=true npm publish --access public`,
	'first publish from the package folder',
);
edit(
	'.github/workflows/publish.yml',
	'# or bump "version" in package.json',
	`# or bump "version" in ${PKG}/package.json`,
	'where the version lives',
);
edit(
	'.gitignore',
	'*.tgz\n',
	`*.tgz\n# copied in by the package's prepack\n/${PKG}/README.md\n/${PKG}/LICENSE\n`,
	'ignore the copies prepack makes',
);

// Files that other branches in flight add (the service registry, the sample-service variant);
// skipped where they do not exist.
const PKG_JOIN = "'packages', 'n8n-nodes-pdf-webhooks'";
const editIfPresent = (file, before, after, why) => existsSync(file) && edit(file, before, after, why);
editIfPresent(
	'scripts/sync-package.ts',
	"join(__dirname, '..', 'package.json')",
	`join(__dirname, '..', ${PKG_JOIN}, 'package.json')`,
	"write the package's package.json",
);
for (const file of ['test/registry.ts', 'test/unit/registry/services.test.ts']) {
	editIfPresent(file, 'require(join(repoRoot, `${file}.ts`))', `require(join(repoRoot, ${PKG_JOIN}, \`\${file}.ts\`))`, "the registry's files are relative to the package folder");
}
editIfPresent(
	'test/unit/registry/services.test.ts',
	"readFileSync(join(repoRoot, 'package.json'), 'utf8')",
	`readFileSync(join(repoRoot, ${PKG_JOIN}, 'package.json'), 'utf8')`,
	"the package's package.json",
);
if (existsSync('test/harness/variant.ts')) {
	const variant = 'test/harness/variant.ts';
	edit(
		variant,
		"const SOURCES = ['package.json', 'tsconfig.json', 'gulpfile.js', 'README.md', 'LICENSE', 'nodes', 'credentials', 'core', 'scripts/sync-package.ts'];",
		`const SOURCES = ['package.json', 'README.md', 'LICENSE', '${PKG}', 'scripts/sync-package.ts'];\n/** The variant's own package folder, laid out as in the repository. */\nconst PACKAGE_DIR = [${PKG_JOIN}] as const;`,
		'the variant mirrors the workspace layout',
	);
	edit(
		variant,
		'cpSync(join(repoRoot, source), join(dir, source), { recursive: true });',
		'cpSync(join(repoRoot, source), join(dir, source), { recursive: true, filter: (path) => !/[\\\\/](dist|node_modules)$/.test(path) });',
		'no build output or modules copied',
	);
	edit(variant, "rmSync(join(dir, 'dist'),", "rmSync(join(dir, ...PACKAGE_DIR, 'dist'),", 'dist in the package folder');
	edit(variant, "join(dir, 'nodes', 'SampleDocs')", "join(dir, ...PACKAGE_DIR, 'nodes', 'SampleDocs')", 'the sample joins the package nodes');
	edit(variant, "join(dir, 'nodes', 'services.ts')", "join(dir, ...PACKAGE_DIR, 'nodes', 'services.ts')", 'the registry in the package folder');
	edit(
		variant,
		"run('npm', ['pack', '--pack-destination', packDir, '--loglevel=error'], dir);",
		"run('npm', ['pack', '--pack-destination', packDir, '--loglevel=error'], join(dir, ...PACKAGE_DIR));",
		'npm pack in the package folder',
	);
}

// Docs: `core/ids.ts`-style mentions of the moved folders and links into them get the package
// path; a layout listing (a code block whose lines start with the moved folders) gets the
// package folder as a heading line with those entries indented under it.
const MENTION = new RegExp(`(^|[\\s\`(\\[])(${MOVED_DIRS.join('|')})/`, 'gm');
const LAYOUT_LINE = new RegExp(`^(${MOVED_DIRS.join('|')})/`, 'm');
const LAYOUT_HEADING = `${PKG}/  the published package: package.json (its n8n section), tsconfig, n8n's eslint config`;

function relayout(block) {
	const lines = block.split('\n');
	const shaped = /^(\s*)(\S+)( {2,})(\S.*)$/;
	const entries = lines.map((line) => {
		const m = shaped.exec(line);
		if (!m) return { line };
		const moved = LAYOUT_LINE.test(m[2]);
		return { indent: moved ? `  ${m[1]}` : m[1], path: m[2], text: m[4], moved };
	});
	const column = Math.max(...entries.filter((e) => e.path).map((e) => e.indent.length + e.path.length + 2));
	const out = [];
	let headed = false;
	for (const e of entries) {
		if (e.moved && !headed) {
			out.push(LAYOUT_HEADING);
			headed = true;
		}
		out.push(e.path ? `${e.indent}${e.path}`.padEnd(column) + e.text : e.line);
	}
	return out.join('\n');
}

for (const file of tracked) {
	// The changelog describes the past; it keeps the paths of its time.
	if (!file.endsWith('.md') || file === 'CHANGELOG.md' || file.startsWith(`${PKG}/`) || !existsSync(file)) continue;
	let count = 0;
	const mention = (text) =>
		text.replace(MENTION, (_, lead, dir) => {
			count++;
			return `${lead}${PKG}/${dir}/`;
		});
	const out = read(file)
		.split(/(```[^\n]*\n[\s\S]*?```)/)
		.map((part) => {
			if (!part.startsWith('```')) return mention(part);
			if (part.includes(LAYOUT_HEADING)) return part; // already laid out
			if (LAYOUT_LINE.test(part.split('\n').slice(1).join('\n'))) {
				count++;
				return relayout(part);
			}
			return mention(part);
		})
		.join('');
	if (count && writeIfChanged(file, out)) say(`${file}: ${count} mention${count === 1 ? '' : 's'} of the moved folders rewritten`);
}

// ── 5. Lockfile ──────────────────────────────────────────────────────────────────────────
const lock = existsSync('package-lock.json') ? JSON.parse(read('package-lock.json')) : {};
const lockRoot = lock.packages?.[''] ?? {};
const lockCurrent =
	JSON.stringify(lockRoot.workspaces) === JSON.stringify([PKG]) &&
	JSON.stringify(lock.packages?.[PKG]?.devDependencies) === JSON.stringify(JSON.parse(read(`${PKG}/package.json`)).devDependencies) &&
	JSON.stringify(lockRoot.devDependencies) === JSON.stringify(JSON.parse(read('package.json')).devDependencies);
if (!lockCurrent) {
	say('regenerating package-lock.json for the workspace (npm install --package-lock-only)');
	const res = spawnSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
	if (res.status !== 0) check('npm install --package-lock-only failed');
	else git('add', 'package-lock.json');
}

git('add', '-A', '--', PKG, 'package.json', 'test', 'bench', 'scripts', '.github', '.gitignore', ...tracked.filter((f) => f.endsWith('.md') && existsSync(f)));
if (problems.length) {
	console.error(`\n${problems.length} thing(s) to check by hand (above).`);
	process.exit(2);
}
say('done; review `git status` and commit');
