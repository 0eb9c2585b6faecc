/**
 * Rules the test suite keeps about itself, checked on the TypeScript source of every test file
 * (the compiler API, so comments and strings cannot fool it and formatting does not matter):
 * - No wall-clock upper bound. A test that fails when the machine is slow proves nothing about
 *   the code; speed lives in bench/. A lower bound on measured time proves that a wait happened
 *   (Retry-After, a delay) and may stay, with a comment saying "lower bound" next to it.
 * - No silent or unexplained skip. Tests that need an optional tool or one n8n version are made
 *   with test/harness/skips.ts, which puts the reason into the test's name (and fails instead of
 *   skipping where the tools are required); nothing else calls `.skip`, `xit`, `.only` or probes
 *   for a tool.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import ts from 'typescript';

export interface RuleViolation {
	file: string;
	line: number;
	rule: 'clock-upper-bound' | 'clock-lower-bound-without-comment' | 'raw-skip' | 'tool-probe';
	text: string;
}

const UPPER = new Set(['toBeLessThan', 'toBeLessThanOrEqual']);
const LOWER = new Set(['toBeGreaterThan', 'toBeGreaterThanOrEqual']);
const COMPARISONS = new Set([ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken]);
/** The one module allowed to skip (with the reason in the name) and to look for tools. */
export const SKIP_HELPER = 'test/harness/skips.ts';

/**
 * Reads the clock: Date.now(), performance.now(), process.hrtime(…), new Date() without
 * arguments, x.getTime() of a recorded date (not of `new Date(value)`), or a local variable
 * holding such a value. The results of other calls that take the clock as an argument (a
 * verdict computed "at" now) are values, not times; Math.* and Number() pass time through.
 */
function readsClock(node: ts.Node, clock: ClockSymbols): boolean {
	let found = false;
	const visit = (n: ts.Node): void => {
		if (found) return;
		if (ts.isCallExpression(n)) {
			const callee = n.expression.getText();
			if (/^(Date\.now|performance\.now|process\.hrtime(\.bigint)?)$/.test(callee)) {
				found = true;
				return;
			}
			if (ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'getTime') {
				const receiver = n.expression.expression;
				if (!(ts.isNewExpression(receiver) && (receiver.arguments?.length ?? 0) > 0)) found = true;
				else visit(receiver);
				return;
			}
			if (!/^(Math\.\w+|Number|BigInt)$/.test(callee)) return;
		}
		if (ts.isNewExpression(n) && n.expression.getText() === 'Date' && (n.arguments?.length ?? 0) === 0) {
			found = true;
			return;
		}
		if (ts.isIdentifier(n) && clock.has(n)) {
			found = true;
			return;
		}
		ts.forEachChild(n, visit);
	};
	visit(node);
	return found;
}

/** Variables (by symbol, so a name reused in another scope is another variable) that hold a time. */
class ClockSymbols {
	private readonly symbols = new Set<ts.Symbol>();

	constructor(private readonly checker: ts.TypeChecker) {}

	has(identifier: ts.Identifier): boolean {
		const symbol = this.checker.getSymbolAtLocation(identifier);
		return symbol !== undefined && this.symbols.has(symbol);
	}

	add(identifier: ts.Identifier): boolean {
		const symbol = this.checker.getSymbolAtLocation(identifier);
		if (!symbol || this.symbols.has(symbol)) return false;
		this.symbols.add(symbol);
		return true;
	}
}

function clockVariables(source: ts.SourceFile, checker: ts.TypeChecker): ClockSymbols {
	const clock = new ClockSymbols(checker);
	for (let changed = true; changed; ) {
		changed = false;
		const visit = (n: ts.Node): void => {
			if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && !clock.has(n.name) && readsClock(n.initializer, clock)) {
				changed = clock.add(n.name) || changed;
			}
			if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && !clock.has(n.left) && readsClock(n.right, clock)) {
				changed = clock.add(n.left) || changed;
			}
			ts.forEachChild(n, visit);
		};
		visit(source);
	}
	return clock;
}

/** `expect(actual)` at the root of a matcher chain such as `expect(x).not.toBeLessThan(y)`. */
function expectCallOf(expression: ts.Expression): ts.CallExpression | undefined {
	let current: ts.Expression = expression;
	while (ts.isPropertyAccessExpression(current)) current = current.expression;
	return ts.isCallExpression(current) && current.expression.getText() === 'expect' ? current : undefined;
}

function lineOf(source: ts.SourceFile, node: ts.Node): number {
	return source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
}

/** A comment saying "lower bound" on the statement's own line or the three lines above it. */
function explainedAsLowerBound(source: ts.SourceFile, node: ts.Node): boolean {
	const line = lineOf(source, node) - 1;
	const lines = source.text.split('\n');
	return lines.slice(Math.max(0, line - 3), line + 1).some((text) => /\/\/.*lower bound|\/\*.*lower bound/i.test(text));
}

/** Violations in each of `sources` (path relative to the repository → text). */
export function checkSources(sources: Record<string, string>): RuleViolation[] {
	const host = ts.createCompilerHost({});
	const original = host.getSourceFile;
	host.getSourceFile = (name, version) =>
		name in sources ? ts.createSourceFile(name, sources[name], ts.ScriptTarget.Latest, true) : original.call(host, name, version);
	// Each file on its own (no imports, no lib): the symbols of its own locals are all the rules need.
	const program = ts.createProgram(Object.keys(sources), { noResolve: true, noLib: true, types: [] }, host);
	const checker = program.getTypeChecker();
	return Object.keys(sources).flatMap((file) => checkFile(file, program.getSourceFile(file)!, checker));
}

function checkFile(file: string, source: ts.SourceFile, checker: ts.TypeChecker): RuleViolation[] {
	const clock = clockVariables(source, checker);
	const violations: RuleViolation[] = [];
	const report = (node: ts.Node, rule: RuleViolation['rule']) => violations.push({ file, line: lineOf(source, node), rule, text: node.getText().replace(/\s+/g, ' ').slice(0, 160) });
	const isHelper = file === SKIP_HELPER;

	const visit = (n: ts.Node): void => {
		if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
			const matcher = n.expression.name.text;
			const expectCall = expectCallOf(n.expression.expression);
			const negated = n.expression.expression.getText().endsWith('.not');
			if (expectCall && (UPPER.has(matcher) || LOWER.has(matcher))) {
				const [actual] = expectCall.arguments;
				const [bound] = n.arguments;
				const clocked = (actual && readsClock(actual, clock)) || (bound && readsClock(bound, clock));
				if (clocked) {
					// expect(elapsed).toBeLessThan(x) bounds elapsed time from above; .not flips it.
					const upper = UPPER.has(matcher) !== negated;
					if (upper) report(n, 'clock-upper-bound');
					else if (!explainedAsLowerBound(source, n)) report(n, 'clock-lower-bound-without-comment');
				}
			}
			// expect(a < b).toBe(true): the same comparison written as a boolean.
			if (expectCall && ['toBe', 'toEqual', 'toBeTruthy', 'toBeFalsy'].includes(matcher)) {
				const [actual] = expectCall.arguments;
				if (actual && ts.isBinaryExpression(actual) && COMPARISONS.has(actual.operatorToken.kind) && readsClock(actual, clock)) report(n, 'clock-upper-bound');
			}
		}
		if (!isHelper) {
			if (ts.isPropertyAccessExpression(n) && ['skip', 'only'].includes(n.name.text) && /^(test|it|describe)\b/.test(n.expression.getText())) report(n, 'raw-skip');
			if (ts.isIdentifier(n) && ['xit', 'xtest', 'xdescribe', 'fit', 'fdescribe'].includes(n.text) && ts.isCallExpression(n.parent) && n.parent.expression === n) report(n, 'raw-skip');
			if (ts.isCallExpression(n) && /^(hasTool|commandExists)$/.test(n.expression.getText())) report(n, 'tool-probe');
			if (ts.isCallExpression(n) && /^(spawnSync|execSync|execFileSync)$/.test(n.expression.getText())) {
				// Running a tool is fine; deciding from its exit status whether to check at all is not.
				const [command] = n.arguments;
				const args = n.arguments[1];
				if (command && args && ts.isArrayLiteralExpression(args) && args.elements.length === 1 && /^['"`](-v|-V|--version|-h|--help)['"`]$/.test(args.elements[0].getText())) report(n, 'tool-probe');
				if (command && /command -v|which /.test(command.getText() + (args?.getText() ?? ''))) report(n, 'tool-probe');
			}
		}
		ts.forEachChild(n, visit);
	};
	visit(source);
	return violations;
}

function testSources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testSources(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

/** Every violation in the test tree (`repoRoot`/test). */
export function checkTestTree(repoRoot: string): RuleViolation[] {
	const sources: Record<string, string> = {};
	for (const path of testSources(join(repoRoot, 'test'))) sources[relative(repoRoot, path)] = readFileSync(path, 'utf8');
	return checkSources(sources);
}
