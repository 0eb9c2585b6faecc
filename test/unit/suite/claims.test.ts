/**
 * docs/claims.md maps every promise of the README and docs/ to the tests that prove it. This
 * keeps the map true: every test it names exists by that name in that file, every page and
 * section it cites exists, every row names a test; and every file the documentation names in
 * backticks exists.
 */
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { checkClaims, missingFiles, parseClaimsTable, testTitles } from './claims';

const repoRoot = join(__dirname, '..', '..', '..');
const CLAIMS = 'docs/claims.md';

test('every row of docs/claims.md names tests that exist, in files that exist, and cites sections that exist', () => {
	expect(checkClaims(repoRoot, CLAIMS)).toEqual([]);
});

test('the map covers every page of docs/ and the README', () => {
	const cited = new Set(parseClaimsTable(readClaims()).flatMap((row) => row.statedIn.map((link) => link.split('#')[0])));
	const pages = readdirSync(join(repoRoot, 'docs')).filter((name) => name.endsWith('.md') && !['claims.md', 'troubleshooting.md'].includes(name));
	expect(pages.filter((page) => !cited.has(page))).toEqual([]);
	expect(cited.has('../README.md')).toBe(true);
});

test('every file the README, CONTRIBUTING and docs/ name in backticks exists', () => {
	const pages = ['README.md', 'CONTRIBUTING.md', ...readdirSync(join(repoRoot, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
	expect(missingFiles(repoRoot, pages)).toEqual([]);
});

describe('(controls) the check fails for what it is about', () => {
	let root: string;
	beforeAll(() => {
		root = mkdtempSync(join(tmpdir(), 'claims-'));
		mkdirSync(join(root, 'docs'));
		mkdirSync(join(root, 'test'));
		writeFileSync(join(root, 'docs', 'page.md'), '# Page\n\n## A section\n\nA promise.\n');
		writeFileSync(
			join(root, 'test', 'a.test.ts'),
			"describe.each(['x'])('group %s', () => {\n\ttest('keeps the promise', () => {});\n\ttest.each([1])(`case ${1} holds`, () => {});\n});\n",
		);
	});
	afterAll(() => rmSync(root, { recursive: true, force: true }));

	const table = (rows: string[]) => `| Claim | Stated in | Proved by |\n|---|---|---|\n${rows.join('\n')}\n`;
	const check = (rows: string[]) => {
		writeFileSync(join(root, 'docs', 'claims.md'), table(rows));
		return checkClaims(root, 'docs/claims.md').map((problem) => problem.replace(/^docs\/claims\.md:\d+ \([^)]*\): /, ''));
	};

	test('a row that holds passes', () => {
		expect(check(['| A promise | [page](page.md#a-section) | `test/a.test.ts` › "keeps the promise"; `test/a.test.ts` › "group" |'])).toEqual([]);
	});

	test('a renamed or deleted test, a missing file, a missing section or page, and a row without a test each fail', () => {
		expect(check(['| A promise | [page](page.md#a-section) | `test/a.test.ts` › "keeps every promise" |'])).toEqual(['test/a.test.ts has no test named "keeps every promise"']);
		expect(check(['| A promise | [page](page.md#a-section) | `test/gone.test.ts` › "keeps the promise" |'])).toEqual(['test/gone.test.ts does not exist']);
		expect(check(['| A promise | [page](page.md#another-section) | `test/a.test.ts` › "keeps the promise" |'])).toEqual(['page.md has no section #another-section']);
		expect(check(['| A promise | [page](gone.md) | `test/a.test.ts` › "keeps the promise" |'])).toEqual(['gone.md does not exist']);
		expect(check(['| A promise | [page](page.md) | none |'])).toEqual(['names no test']);
		expect(check(['| A promise | nowhere | `test/a.test.ts` › "keeps the promise" |'])).toEqual(['says nowhere where the documentation states it']);
	});

	test('test names are read from the syntax tree, with the literal parts of templates', () => {
		expect(testTitles(join(root, 'test', 'a.test.ts'))).toEqual(['group …', 'keeps the promise', 'case … holds']);
	});

	test('a file named in backticks that does not exist is reported', () => {
		writeFileSync(join(root, 'docs', 'page.md'), 'See `core/gone.ts` and `test/a.test.ts`.\n');
		expect(missingFiles(root, ['docs/page.md'])).toEqual(['docs/page.md: core/gone.ts']);
	});
});

function readClaims(): string {
	return readFileSync(join(repoRoot, CLAIMS), 'utf8');
}
