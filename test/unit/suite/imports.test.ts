/**
 * CONTRIBUTING's layout rule, checked on the imports themselves: core/ never imports from nodes/
 * or credentials/ (it names no service), and inside core/ everything may import service.ts and
 * values.ts, which import nothing from core/ themselves.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import ts from 'typescript';

const repoRoot = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
	);
}

/** Every relative module a file imports or re-exports (static, dynamic and require), as repository paths. */
function importsOf(path: string, text = readFileSync(path, 'utf8')): string[] {
	const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
	const found: string[] = [];
	const visit = (node: ts.Node): void => {
		let specifier: ts.Expression | undefined;
		if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) specifier = node.moduleSpecifier;
		if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || node.expression.getText(source) === 'require')) specifier = node.arguments[0];
		if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) specifier = node.moduleReference.expression;
		if (specifier && ts.isStringLiteralLike(specifier) && specifier.text.startsWith('.')) {
			found.push(relative(repoRoot, resolve(dirname(path), specifier.text)));
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

function violations(files: string[], read = (path: string) => readFileSync(path, 'utf8')): string[] {
	const problems: string[] = [];
	for (const path of files) {
		const file = relative(repoRoot, path);
		for (const target of importsOf(path, read(path))) {
			if (/^(nodes|credentials)(\/|$)/.test(target)) problems.push(`${file} imports ${target}: core/ names no service`);
			if (/^core\/(service|values)\.ts$/.test(file) && target.startsWith('core/')) problems.push(`${file} imports ${target}: service.ts and values.ts import nothing from core/`);
		}
	}
	return problems;
}

test('core/ imports nothing from nodes/ or credentials/, and service.ts and values.ts nothing from core/', () => {
	const files = sources(join(repoRoot, 'core'));
	expect(files.length).toBeGreaterThan(30);
	expect(violations(files)).toEqual([]);
});

test('(control) the check sees imports, re-exports, dynamic imports and requires', () => {
	const path = join(repoRoot, 'core', 'service.ts');
	const text = "import { a } from '../nodes/X/descriptor';\nexport * from './values';\nconst b = require('../credentials/Y');\nvoid import('./delivery/pipeline');\n";
	expect(importsOf(path, text)).toEqual(['nodes/X/descriptor', 'core/values', 'credentials/Y', 'core/delivery/pipeline']);
	expect(violations([path], () => text)).toEqual([
		'core/service.ts imports nodes/X/descriptor: core/ names no service',
		'core/service.ts imports core/values: service.ts and values.ts import nothing from core/',
		'core/service.ts imports credentials/Y: core/ names no service',
		'core/service.ts imports core/delivery/pipeline: service.ts and values.ts import nothing from core/',
	]);
});
