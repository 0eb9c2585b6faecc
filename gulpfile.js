// `npm run build`: what n8n loads from dist/. tsc compiles the TypeScript; the icons and the
// codex files (*.node.json: the node's categories and documentation links in the editor) are
// not TypeScript, so they are copied here, as in n8n's classic node starter. Only nodes/ and
// credentials/ are copied: docs/ holds PNG screenshots that must not end up in the package.
const { spawn } = require('node:child_process');
const { rmSync } = require('node:fs');
const { dest, series, src } = require('gulp');

/** Stale output from a renamed or removed module would otherwise be packed and published. */
function clean(done) {
	rmSync('dist', { recursive: true, force: true });
	done();
}

function compile() {
	return spawn(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { stdio: 'inherit' });
}

function copyAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports.build = series(clean, compile, copyAssets);
exports['build:assets'] = copyAssets;
