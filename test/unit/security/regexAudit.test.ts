/**
 * No regular expression in the shipped code may take super-linear time. Every pattern is
 * found by walking the TypeScript syntax tree of core/, nodes/ and credentials/ (so a new one
 * cannot be missed), and each must be certified linear by recheck, a ReDoS checker that
 * analyses the pattern as an automaton (it found the quadratic Authorization parser of issue 23,
 * the URL masker and the trailing-slash trims this commit replaced). Patterns built at run time
 * are listed by where they are built and checked for every value they are built from.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { check } from 'recheck';
import * as ts from 'typescript';

import { keyPrefixPattern } from '../../../core/fetch/redact';
import { SERVICES } from '../../../nodes/services';

const ROOT = join(__dirname, '..', '..', '..');
const SHIPPED = ['core', 'nodes', 'credentials'];

interface Found {
	where: string;
	source: string;
	flags: string;
}

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return path.endsWith('.ts') ? [path] : [];
	});
}

function patternsIn(): { literals: Found[]; constructed: string[] } {
	const literals: Found[] = [];
	const constructed: string[] = [];
	for (const file of SHIPPED.flatMap((dir) => sourceFiles(join(ROOT, dir)))) {
		const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
		const visit = (node: ts.Node): void => {
			const where = `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
			if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
				const text = node.getText();
				const end = text.lastIndexOf('/');
				literals.push({ where, source: text.slice(1, end), flags: text.slice(end + 1) });
			} else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText() === 'RegExp') {
				constructed.push(where);
			}
			ts.forEachChild(node, visit);
		};
		visit(source);
	}
	return { literals, constructed };
}

async function verdict(source: string, flags: string): Promise<string> {
	// The automaton checker decides by analysis, not by fuzzing, so the verdict does not depend on the machine's load.
	const result = await check(source, flags, { checker: 'automaton', timeout: 120_000 });
	return result.status === 'vulnerable' ? `vulnerable (${result.complexity.type}; attack ${result.attack.pattern})` : result.status;
}

const { literals, constructed } = patternsIn();

describe('regular expressions in the shipped code', () => {
	test('the walk finds them (a positive control: the audit is not vacuous)', () => {
		expect(literals.length).toBeGreaterThan(40);
		expect(literals.some((found) => found.where.startsWith('core/delivery/verify.ts'))).toBe(true);
	});

	test('every literal pattern is certified linear', async () => {
		const results = await Promise.all(literals.map(async (found) => `${found.where} /${found.source}/${found.flags}: ${await verdict(found.source, found.flags)}`));
		expect(results.filter((line) => !line.endsWith(': safe'))).toEqual([]);
	}, 240_000);

	test('the checker does tell: the patterns this issue replaced are reported', async () => {
		expect(await verdict('^\\s*(\\S+)\\s+(\\S.*?)\\s*$', '')).toMatch(/^vulnerable \(polynomial/);
		expect(await verdict('\\b(https?:\\/\\/[^\\s?#"\'<>]+)[?#][^\\s"\'<>]*', 'gi')).toMatch(/^vulnerable/);
		expect(await verdict('\\/+$', '')).toMatch(/^vulnerable/);
	}, 120_000);

	test('patterns built at run time: only the key-prefix masker, linear for every service\'s prefixes', async () => {
		expect(constructed.map((where) => where.replace(/:\d+$/, ''))).toEqual(['core/fetch/redact.ts']);
		const prefixes = SERVICES.flatMap((entry) => entry.descriptor.api?.keyPrefixes ?? []);
		expect(prefixes.length).toBeGreaterThan(0);
		for (const prefix of [...prefixes, 'a.b*c', '(x']) {
			const pattern = keyPrefixPattern(prefix);
			expect(`${prefix}: ${await verdict(pattern.source, pattern.flags)}`).toBe(`${prefix}: safe`);
		}
	}, 120_000);
});
