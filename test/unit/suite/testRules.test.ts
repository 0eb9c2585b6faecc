/**
 * The test suite keeps its own rules (test/unit/suite/testRules.ts): no wall-clock upper bound
 * in any test, lower bounds on measured time only with a comment saying so, and no skip that
 * does not say why in the test's name.
 */
import { join } from 'node:path';

import { SKIP_HELPER, checkSources, checkTestTree } from './testRules';

const repoRoot = join(__dirname, '..', '..', '..');

test('the test tree keeps the rules', () => {
	expect(checkTestTree(repoRoot).map((v) => `${v.file}:${v.line} ${v.rule}: ${v.text}`)).toEqual([]);
});

describe('the rules catch what they are about (controls)', () => {
	const ruleOf = (code: string, file = 'test/unit/example.test.ts') => checkSources({ [file]: code }).map((v) => v.rule);

	test.each([
		['elapsed time from Date.now()', 'const t = Date.now(); await work(); expect(Date.now() - t).toBeLessThan(2000);'],
		['through a variable', 'const started = performance.now(); await work(); const took = performance.now() - started; expect(took).toBeLessThanOrEqual(50);'],
		['process.hrtime', 'const t = process.hrtime.bigint(); expect(process.hrtime.bigint() - t).toBeLessThan(10n);'],
		['a bound that reads the clock', 'const before = Date.now(); expect(until.getTime()).toBeLessThan(before + 60_000);'],
		['a lower bound negated', 'const t = Date.now(); expect(Date.now() - t).not.toBeGreaterThan(100);'],
		['a comparison as a boolean', 'const t = Date.now(); expect(Date.now() - t < 100).toBe(true);'],
		['recorded timestamps', 'expect(calls[1].time.getTime() - calls[0].time.getTime()).toBeLessThan(500);'],
	])('an upper bound on measured time: %s', (_name, code) => {
		expect(ruleOf(code)).toEqual(['clock-upper-bound']);
	});

	test('a lower bound needs a comment saying it proves a wait happened', () => {
		const bare = 'const t = Date.now(); await wait(); expect(Date.now() - t).toBeGreaterThanOrEqual(280);';
		expect(ruleOf(bare)).toEqual(['clock-lower-bound-without-comment']);
		const explained = 'const t = Date.now(); await wait();\n// A lower bound: the delay happened.\nexpect(Date.now() - t).toBeGreaterThanOrEqual(280);';
		expect(ruleOf(explained)).toEqual([]);
	});

	test('values that are not measured time are left alone', () => {
		expect(ruleOf('expect(body.length).toBeLessThan(200); expect(new Date(0).getTime()).toBeLessThan(1);')).toEqual([]);
		// A verdict computed at a moment is a value, and a name reused in another scope is another variable.
		expect(ruleOf('const verdict = check(x, Date.now()); expect(verdict.reason.length).toBeLessThan(100);')).toEqual([]);
		expect(ruleOf('function a() { const now = Date.now(); return now; }\nfunction b(now: number) { expect(now).toBeLessThan(5); }')).toEqual([]);
	});

	test.each([
		['test.skip', "test.skip('x', () => {});", 'raw-skip'],
		['a conditional skip', "(hasQpdf ? test : test.skip)('x', () => {});", 'raw-skip'],
		['describe.skip', "describe.skip('x', () => {});", 'raw-skip'],
		['.only', "test.only('x', () => {});", 'raw-skip'],
		['xit', "xit('x', () => {});", 'raw-skip'],
		['a hasTool() check', "if (hasTool('unzip')) expect(x).toBe(1);", 'tool-probe'],
		['a version probe', "const unzip = spawnSync('unzip', ['-v']); if (unzip.status === 0) expect(x).toBe(1);", 'tool-probe'],
		['command -v', "spawnSync('sh', ['-c', 'command -v qpdf']);", 'tool-probe'],
	])('%s is refused outside the skip helper', (_name, code, rule) => {
		expect(ruleOf(code)).toEqual([rule]);
		expect(ruleOf(code, SKIP_HELPER)).toEqual([]);
	});

	test('running a tool for what it checks is fine', () => {
		expect(ruleOf("spawnSync('qpdf', ['--check', file]); spawnSync('psql', ['-h', '127.0.0.1', '-c', sql]);")).toEqual([]);
	});
});
