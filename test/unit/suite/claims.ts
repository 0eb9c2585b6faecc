/**
 * docs/claims.md maps every promise the documentation makes to the tests that prove it. These
 * helpers read that table and check it against the repository: every test it names exists, in
 * the file it names, and every page and section it cites exists. Test names are read from the
 * test files' syntax tree (the first argument of test/it/describe, `.each` included), so a
 * renamed or deleted test breaks the table's check, not just a search.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

import ts from 'typescript';

export interface Proof {
	file: string;
	/** Words of a test's (or describe block's) name, or, in a file that is not a test file, of its text. */
	title: string;
}

export interface ClaimRow {
	line: number;
	claim: string;
	statedIn: string[];
	proofs: Proof[];
}

const PROOF = /`([^`]+)`\s*›\s*"([^"]+)"/g;
const LINK = /\]\(([^)\s]+)\)/g;

/** The rows of every table whose first column is headed "Claim". */
export function parseClaimsTable(markdown: string): ClaimRow[] {
	const lines = markdown.split('\n');
	const rows: ClaimRow[] = [];
	for (let header = 0; header < lines.length; header++) {
		if (!/^\|\s*Claim\s*\|/.test(lines[header])) continue;
		for (let index = header + 2; index < lines.length && lines[index].startsWith('|'); index++) {
			const [claim, stated, proved] = lines[index].split('|').slice(1, -1).map((cell) => cell.trim());
			rows.push({
				line: index + 1,
				claim,
				statedIn: [...(stated ?? '').matchAll(LINK)].map((match) => match[1]),
				proofs: [...(proved ?? '').matchAll(PROOF)].map((match) => ({ file: match[1], title: match[2] })),
			});
		}
	}
	if (rows.length === 0) throw new Error('no table with a "Claim" column');
	return rows;
}

/** The names a test file gives its tests and describe blocks; `${…}` and %s parts become "…". */
export function testTitles(path: string): string[] {
	const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
	const titles: string[] = [];
	const literal = (node: ts.Node): string | undefined => {
		if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
		if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => `…${span.literal.text}`)].join('');
		return undefined;
	};
	// test(…), it.each<…>(…)(…), describe.each(…)(…), and the skip helpers that return test.
	const isTestCallee = (callee: ts.Expression): boolean => {
		let base: ts.Expression = callee;
		for (;;) {
			if (ts.isCallExpression(base)) {
				if (ts.isIdentifier(base.expression) && ['withTools', 'unlessSkipped'].includes(base.expression.text)) return true;
				base = base.expression;
			} else if (ts.isPropertyAccessExpression(base)) base = base.expression;
			else break;
		}
		return ts.isIdentifier(base) && ['test', 'it', 'describe'].includes(base.text);
	};
	const visit = (node: ts.Node): void => {
		if (ts.isCallExpression(node) && node.arguments.length > 0 && isTestCallee(node.expression)) {
			const title = literal(node.arguments[0]);
			if (title !== undefined) titles.push(title.replace(/%[sdpijfo#%]|\$\w+/g, '…'));
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return titles;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
export function anchorOf(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

export function anchorsOf(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	let fenced = false;
	for (const line of markdown.split('\n')) {
		if (/^```/.test(line)) fenced = !fenced;
		const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
		if (!heading) continue;
		const base = anchorOf(heading[1].replace(/`/g, ''));
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	for (const match of markdown.matchAll(/<a (?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
	return anchors;
}

/** What is wrong with the table (empty: nothing). `claimsFile` is relative to `repoRoot`. */
export function checkClaims(repoRoot: string, claimsFile: string): string[] {
	const problems: string[] = [];
	const rows = parseClaimsTable(readFileSync(join(repoRoot, claimsFile), 'utf8'));
	if (rows.length === 0) problems.push(`${claimsFile}: the table has no rows`);
	const titlesByFile = new Map<string, string[]>();
	for (const row of rows) {
		const where = `${claimsFile}:${row.line} (${row.claim.slice(0, 60)})`;
		if (row.statedIn.length === 0) problems.push(`${where}: says nowhere where the documentation states it`);
		for (const link of row.statedIn) {
			const [page, anchor] = link.split('#');
			const path = normalize(join(dirname(join(repoRoot, claimsFile)), page));
			if (!existsSync(path)) problems.push(`${where}: ${page} does not exist`);
			else if (anchor && !anchorsOf(readFileSync(path, 'utf8')).has(anchor)) problems.push(`${where}: ${page} has no section #${anchor}`);
		}
		if (row.proofs.length === 0) problems.push(`${where}: names no test`);
		for (const proof of row.proofs) {
			const path = join(repoRoot, proof.file);
			if (!existsSync(path)) {
				problems.push(`${where}: ${proof.file} does not exist`);
				continue;
			}
			if (proof.file.endsWith('.test.ts')) {
				if (!titlesByFile.has(proof.file)) titlesByFile.set(proof.file, testTitles(path));
				if (!titlesByFile.get(proof.file)!.some((title) => title.includes(proof.title))) problems.push(`${where}: ${proof.file} has no test named "${proof.title}"`);
			} else if (!readFileSync(path, 'utf8').includes(proof.title)) {
				problems.push(`${where}: ${proof.file} does not contain "${proof.title}"`);
			}
		}
	}
	return problems;
}

/**
 * Repository files the documentation names in backticks that do not exist: `test/e2e/x.test.ts`,
 * `core/ids.ts`, or the threat model's short `fetch/x.test.ts` (under test/unit/).
 */
export function missingFiles(repoRoot: string, markdownFiles: string[]): string[] {
	const missing: string[] = [];
	for (const file of markdownFiles) {
		const text = readFileSync(join(repoRoot, file), 'utf8');
		for (const match of text.matchAll(/`([\w.-]+(?:\/[\w.-]+)+\.(?:ts|mjs|js|json|md))`/g)) {
			const mentioned = match[1];
			const candidates = [mentioned, join('test', 'unit', mentioned)];
			if (!candidates.some((candidate) => existsSync(join(repoRoot, candidate)))) missing.push(`${file}: ${mentioned}`);
		}
	}
	return missing;
}
