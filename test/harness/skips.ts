/**
 * The only way a test in this repository is skipped: with the reason in its name, so the test
 * report says what did not run and why (test/unit/suite/testRules.test.ts forbids other skips).
 *
 * Tests that need an optional command-line tool (qpdf, pdftotext, unzip: a second opinion on the
 * fake services' PDFs and ZIPs) run when it is installed. Without it they are skipped, named
 * "[skipped: … is not installed]", or, where the tools are required (REQUIRE_TEST_TOOLS=1, set by
 * .ci/run, which installs them), they fail.
 */
import { spawnSync } from 'node:child_process';

type TestFunction = typeof test;

export function isInstalled(tool: string): boolean {
	return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' }).status === 0;
}

/** `test` when `reason` is undefined; otherwise a `test` whose cases are skipped, named with the reason. */
export function unlessSkipped(reason: string | undefined): TestFunction {
	if (reason === undefined) return test;
	const named = (name: string) => {
		// Also on stderr: jest's default reporter counts skipped tests without naming them.
		process.stderr.write(`[skipped] ${name}: ${reason}\n`);
		return `${name} [skipped: ${reason}]`;
	};
	const skipped = ((name: string, ...rest: unknown[]) => (test.skip as (...args: unknown[]) => void)(named(name), ...rest)) as unknown as TestFunction;
	skipped.each = ((table: unknown) => (name: string, ...rest: unknown[]) =>
		(test.skip.each as (t: unknown) => (...args: unknown[]) => void)(table)(named(name), ...rest)) as TestFunction['each'];
	return skipped;
}

/** `test` when every tool is installed; otherwise skipped with the reason, or failing under REQUIRE_TEST_TOOLS=1. */
export function withTools(...tools: string[]): TestFunction {
	const missing = tools.filter((tool) => !isInstalled(tool));
	if (missing.length === 0) return test;
	const reason = `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed; .ci/run installs ${missing.length === 1 ? 'it' : 'them'}`;
	if (process.env.REQUIRE_TEST_TOOLS === '1') {
		const failing = ((name: string) =>
			test(name, () => {
				throw new Error(`${reason} (REQUIRE_TEST_TOOLS=1)`);
			})) as unknown as TestFunction;
		failing.each = ((table: readonly unknown[]) => (name: string) =>
			test.each(table as unknown[][])(name, () => {
				throw new Error(`${reason} (REQUIRE_TEST_TOOLS=1)`);
			})) as unknown as TestFunction['each'];
		return failing;
	}
	return unlessSkipped(reason);
}
