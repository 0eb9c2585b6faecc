/**
 * The hand-written parsers that read what a sender controls do work linear in its size. Work
 * is counted, not timed: while a parser runs, the String methods it may use are metered (one
 * step per character they can look at: charCodeAt 1, indexOf the characters it scanned,
 * slice/toLowerCase/startsWith their lengths, a RegExp test its input), and crafted worst cases
 * of size n, 2n, 4n and 8n must cost at most 8 × (1 + 25 %) the steps of size n. A parser that
 * rescans (quadratic) grows 64-fold at 8n and fails; the positive control below shows it.
 */
import { checkIncomingAuth, credentialsForScheme } from '../../../core/delivery/incomingAuth';
import { compactJson } from '../../../core/delivery/authenticity';
import { maskOpaqueTokens, maskUrlQueries } from '../../../core/fetch/redact';
import { withoutTrailingSlashes } from '../../../core/values';

const metered = {
	charCodeAt: String.prototype.charCodeAt,
	indexOf: String.prototype.indexOf,
	slice: String.prototype.slice,
	startsWith: String.prototype.startsWith,
	toLowerCase: String.prototype.toLowerCase,
	test: RegExp.prototype.test,
};

let steps = 0;

function meter(): void {
	String.prototype.charCodeAt = function (this: string, index: number) {
		steps += 1;
		return metered.charCodeAt.call(this, index);
	};
	String.prototype.indexOf = function (this: string, search: string, from = 0) {
		const found = metered.indexOf.call(this, search, from);
		steps += (found < 0 ? this.length : found) - Math.max(0, from) + search.length;
		return found;
	};
	String.prototype.slice = function (this: string, start?: number, end?: number) {
		const result = metered.slice.call(this, start, end);
		steps += result.length + 1;
		return result;
	};
	String.prototype.startsWith = function (this: string, search: string, position?: number) {
		steps += search.length;
		return metered.startsWith.call(this, search, position);
	};
	String.prototype.toLowerCase = function (this: string) {
		steps += this.length;
		return metered.toLowerCase.call(this);
	};
	RegExp.prototype.test = function (this: RegExp, input: string) {
		steps += String(input).length;
		return metered.test.call(this, input);
	};
}

function unmeter(): void {
	Object.assign(String.prototype, { charCodeAt: metered.charCodeAt, indexOf: metered.indexOf, slice: metered.slice, startsWith: metered.startsWith, toLowerCase: metered.toLowerCase });
	RegExp.prototype.test = metered.test;
}

function stepsFor(run: () => unknown): number {
	steps = 0;
	meter();
	try {
		run();
	} finally {
		unmeter();
	}
	return steps;
}

/** Steps at n, 2n, 4n, 8n, and whether they grew at most linearly. */
function growth(make: (n: number) => string, parse: (input: string) => unknown, n = 2048): { steps: number[]; linear: boolean } {
	const counted = [1, 2, 4, 8].map((factor) => stepsFor(() => parse(make(n * factor))));
	const linear = counted.every((value, index) => value <= Math.max(counted[0], 1) * 2 ** index * 1.25);
	return { steps: counted, linear };
}

const basic = { type: 'basic' as const, username: 'user', password: 'pass' };
const bearer = { type: 'bearer' as const, token: 'token-value' };

describe('work grows linearly with what a sender sends', () => {
	test.each<[string, (n: number) => string]>([
		['alternating spaces and tabs after the scheme (issue 23\'s attack)', (n) => `Basic x${' \t'.repeat(n)}y`],
		['only whitespace', (n) => ' \t'.repeat(n)],
		['a scheme and nothing else', (n) => `Basic${' '.repeat(n)}`],
		['one endless token', (n) => 'x'.repeat(2 * n)],
		['recheck\'s attack string', (n) => `\x00\n\x00${'\t'.repeat(2 * n)}\t\x00`],
	])('the Authorization header: %s', (_, make) => {
		const result = growth(make, (header) => {
			credentialsForScheme(header, 'Basic');
			checkIncomingAuth(basic, { authorization: header });
			checkIncomingAuth(bearer, { authorization: header });
		});
		expect(result).toMatchObject({ linear: true });
	});

	test.each<[string, (n: number) => string]>([
		["'http://' repeated (each one starts a URL)", (n) => 'http://'.repeat(n)],
		["recheck's attack string", (n) => 'HTTP://\x00'.repeat(n)],
		['one URL with an endless query', (n) => `see https://files.example/a?${'b'.repeat(4 * n)}`],
		['"http" inside words', (n) => 'xhttpy'.repeat(n)],
	])('URLs in an error text: %s', (_, make) => {
		expect(growth(make, (text) => maskUrlQueries(text))).toMatchObject({ linear: true });
	});

	test.each<[string, (n: number) => string]>([
		['one endless word of digits', (n) => '0'.repeat(8 * n)],
		['words of 31 characters', (n) => `${'a1'.repeat(15)}b `.repeat(n)],
		['tokens to mask', (n) => `${'a1'.repeat(16)} `.repeat(n)],
	])('opaque tokens in an error text: %s', (_, make) => {
		expect(growth(make, (text) => maskOpaqueTokens(text))).toMatchObject({ linear: true });
	});

	test.each<[string, (n: number) => string]>([
		['a run of slashes then a character', (n) => `${'/'.repeat(4 * n)}\x00/`],
		['only slashes', (n) => '/'.repeat(4 * n)],
	])('trailing slashes of a base URL: %s', (_, make) => {
		expect(growth(make, (text) => withoutTrailingSlashes(text))).toMatchObject({ linear: true });
	});

	test.each<[string, (n: number) => string]>([
		['a long array of numbers', (n) => `{"a":[${Array.from({ length: n }, (_, i) => (i % 3 === 0 ? '-1.5e3' : String(i))).join(',')}]}`],
		['pretty-printed objects', (n) => `{"a":[${Array.from({ length: n }, () => '{ "k" : 1 }').join(' , ')}]}`],
		['nested to the limit, repeated', (n) => `[${Array.from({ length: n }, () => `${'['.repeat(30)}1${']'.repeat(30)}`).join(',')}]`],
		['deeper than any limit', (n) => `${'['.repeat(n)}${']'.repeat(n)}`],
	])("Docflo's compact-JSON fallback on a forged body: %s", (_, make) => {
		expect(growth(make, (text) => compactJson(Buffer.from(text)), 512)).toMatchObject({ linear: true });
	});

	test('positive control: a parser that rescans (quadratic) is caught', () => {
		const rescanning = (text: string) => {
			for (let start = 0; start < text.length; start++) for (let index = start; index < text.length && text.charCodeAt(index) === 0x20; index++);
		};
		expect(growth((n) => ' '.repeat(n / 8), rescanning)).toMatchObject({ linear: false });
	});
});
