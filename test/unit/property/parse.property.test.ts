/**
 * Property 4: parseJsonObject never throws, accepts exactly the JSON texts of plain objects
 * (JSON.parse is the oracle; one UTF-8 byte order mark is allowed, as documented), and its
 * error messages never quote the body.
 */
import fc from 'fast-check';

import { parseJsonObject } from '../../../core/delivery/parse';
import { headerValue } from '../../../core/values';
import { anyString, bodyBytesArb, isPlainJsonObject, jsonObjectArb, jsonValueArb, oddCasing, runs } from './arbitraries';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The oracle: the text (after at most one byte order mark) is JSON and its value a plain object. */
function jsonObjectOf(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		const value: unknown = JSON.parse(text);
		return isPlainJsonObject(value) ? { ok: true, value } : { ok: false };
	} catch {
		return { ok: false };
	}
}

function oracleForBytes(bytes: Buffer) {
	const withoutBom = bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes;
	return jsonObjectOf(withoutBom.toString('utf8'));
}

function oracleForText(text: string) {
	return jsonObjectOf(text.startsWith('\ufeff') ? text.slice(1) : text);
}

const whitespace = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2028'), maxLength: 3 });

const bytesArb: fc.Arbitrary<Buffer> = fc
	.tuple(
		fc.oneof(
			bodyBytesArb,
			jsonObjectArb.map((value) => Buffer.from(JSON.stringify(value))),
			fc.tuple(jsonObjectArb, whitespace, whitespace).map(([value, before, after]) => Buffer.from(before + JSON.stringify(value, null, 1) + after)),
			jsonValueArb.map((value) => Buffer.from(JSON.stringify(value))),
		),
		fc.boolean(),
	)
	.map(([bytes, withBom]) => (withBom ? Buffer.concat([BOM, bytes]) : bytes));

describe('property 4 — parseJsonObject', () => {
	test('raw bytes: never throws; ok ⇔ JSON text of a plain object; the payload is JSON.parse\'s value', () => {
		fc.assert(
			fc.property(bytesArb, (bytes) => {
				const parsed = parseJsonObject(bytes);
				const expected = oracleForBytes(bytes);
				expect(parsed.ok).toBe(expected.ok);
				if (parsed.ok && expected.ok) expect(parsed.payload).toEqual(expected.value);
				if (!parsed.ok) expect(parsed.message.length).toBeGreaterThan(0);
			}),
			runs(1000),
		);
	});

	test('no rawBody: n8n\'s parsed body (object, string, Buffer or anything else) is judged the same way', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					jsonObjectArb,
					jsonValueArb,
					anyString,
					fc.tuple(fc.json(), fc.boolean()).map(([text, bom]) => (bom ? `\ufeff${text}` : text)),
					bytesArb,
					fc.constantFrom(undefined, null, 0, true, [] as unknown[], {}),
				),
				(parsedBody: unknown) => {
					const parsed = parseJsonObject(undefined, parsedBody);
					let expectedOk: boolean;
					if (Buffer.isBuffer(parsedBody)) expectedOk = oracleForBytes(parsedBody).ok;
					else if (typeof parsedBody === 'string') expectedOk = oracleForText(parsedBody).ok;
					// A body parser's {} stands for "nothing sent".
					else expectedOk = isPlainJsonObject(parsedBody) && Object.keys(parsedBody).length > 0;
					expect(parsed.ok).toBe(expectedOk);
					if (parsed.ok && isPlainJsonObject(parsedBody)) expect(parsed.payload).toBe(parsedBody);
				},
			),
			runs(500),
		);
	});

	test('error messages never quote the body', () => {
		const MARKER = 'Zq7Marker';
		const fragment = fc.oneof(
			anyString,
			fc.constantFrom('{', '{"a":', '[', '"', '{"', 'tru', '{"a":1,', '{"a" 1}', '\\', 'nul', '{"x":"', '}', ']', ':', ',', '\u0000'),
		);
		fc.assert(
			fc.property(
				fc.oneof(
					fc.tuple(fragment, fragment).map(([before, after]) => `${before}${MARKER}${after}`),
					fc.tuple(fragment, fragment).map(([before, after]) => `${before}"${MARKER}"${after}`),
					// Valid JSON that is not an object, with the marker inside.
					fc.constantFrom(`["${MARKER}"]`, `"${MARKER}"`, `[{"${MARKER}":1}]`, `null`),
				),
				fc.boolean(),
				(text, asRaw) => {
					const parsed = asRaw ? parseJsonObject(Buffer.from(text)) : parseJsonObject(undefined, text);
					if (!parsed.ok) {
						expect(parsed.message).not.toContain(MARKER);
						expect(parsed.message).not.toContain(MARKER.slice(0, 5));
						expect(parsed.message.length).toBeLessThan(120);
					}
				},
			),
			runs(1000),
		);
	});

	// Found by the raw-bytes property when up to two byte order marks are prepended (fast-check
	// reported BOM BOM + the ReportFlow example; reduced here to BOM BOM {}): the UTF-8 BOM is stripped twice, once as bytes in parseJsonObject and once
	// as U+FEFF in parseJsonText, so EF BB BF EF BB BF 7B 7D is accepted although only one BOM is
	// a BOM and the second is a ZERO WIDTH NO-BREAK SPACE that JSON does not allow. Harmless (the
	// signature is over the raw bytes), but the documented contract is "one BOM".
	test('two byte order marks before {} are not accepted', () => {
		expect(parseJsonObject(Buffer.concat([BOM, BOM, Buffer.from('{}')])).ok).toBe(false);
	});
});

describe('property 4 — headerValue (used for every header the checks read)', () => {
	test('finds a header whatever its casing, the first of an array, never throws', () => {
		fc.assert(
			fc.property(
				fc.constantFrom('x-pdfg-signature', 'authorization', 'X-Webhook-Secret').chain((name) => fc.tuple(fc.constant(name), oddCasing(name))),
				fc.oneof(anyString, fc.array(anyString, { maxLength: 3 })),
				fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(anyString, fc.array(anyString, { maxLength: 2 })), { maxKeys: 3 }),
				([name, sentName], value, others) => {
					const headers = { ...others, [sentName]: value };
					const clash = Object.keys(headers).filter((key) => key.toLowerCase() === name.toLowerCase());
					fc.pre(clash.length === 1);
					const expected = Array.isArray(value) ? value[0] : value;
					expect(headerValue(headers, name)).toBe(expected);
				},
			),
			runs(500),
		);
	});
});
