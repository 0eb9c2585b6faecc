import type { IDataObject } from 'n8n-workflow';

import { getArray, getObject, getString, parseJsonObject, type ParsedBody } from '../../../core/delivery/parse';
import { headerValue } from '../../../core/values';
import {
	DOCFLO_DOCUMENT_PROCESSED,
	PDF_GORILLA_COMPLETED,
	PDF_GORILLA_FAILED,
	PDF_SIGN_FAILED,
	PDF_SIGN_GENERATED,
} from './providerVectors';

function raw(text: string): Buffer {
	return Buffer.from(text, 'utf8');
}

function payloadOf(result: ParsedBody): IDataObject {
	if (!result.ok) throw new Error(`expected ok, got: ${result.message}`);
	return result.payload;
}

function messageOf(result: ParsedBody): string {
	if (result.ok) throw new Error('expected a parse failure');
	return result.message;
}

describe('parseJsonObject: provider payloads', () => {
	it('parses the PDF Gorilla completed payload, keeping null fields', () => {
		expect(payloadOf(parseJsonObject(raw(PDF_GORILLA_COMPLETED)))).toEqual({
			jobId: 'cma1b2c3d4e5f6g7h8i9j0k',
			status: 'completed',
			downloadUrl: 'https://...',
			expiresAt: '2026-04-13T10:00:00.000Z',
			error: null,
			timestamp: '2026-04-06T10:01:23.456Z',
		});
	});

	it('parses the PDF Gorilla failed payload with its nested error object', () => {
		const payload = payloadOf(parseJsonObject(raw(PDF_GORILLA_FAILED)));
		expect(getObject(payload, 'error')).toEqual({ code: 'RENDER_TIMEOUT', message: 'PDF rendering timed out.' });
	});

	it('parses the Docflo payload with nested fields and item arrays', () => {
		const payload = payloadOf(parseJsonObject(raw(DOCFLO_DOCUMENT_PROCESSED)));
		const fields = getObject(getObject(payload, 'doc'), 'fields');
		expect(getString(fields, 'InvoiceId')).toBe('INV-2025-001');
		expect(getObject(fields, 'InvoiceTotal')).toEqual({ Amount: 1500, CurrencyCode: 'USD' });
		expect(getArray(fields, 'Items')).toHaveLength(1);
	});

	it('parses the PDF-Sign pdf.generated and pdf.failed payloads', () => {
		expect(getString(payloadOf(parseJsonObject(raw(PDF_SIGN_GENERATED))), 'event')).toBe('pdf.generated');
		const failed = getObject(payloadOf(parseJsonObject(raw(PDF_SIGN_FAILED))), 'data');
		expect(getString(failed, 'error_code')).toBe('RENDER_FAILED');
	});

	it('strips a UTF-8 byte order mark', () => {
		const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), raw(PDF_GORILLA_COMPLETED)]);
		expect(getString(payloadOf(parseJsonObject(withBom)), 'status')).toBe('completed');
	});

	it('strips a byte order mark from a string fallback body too', () => {
		expect(payloadOf(parseJsonObject(undefined, '\uFEFF{"a":1}'))).toEqual({ a: 1 });
	});

	it('decodes UTF-8 content correctly', () => {
		expect(payloadOf(parseJsonObject(raw('{"name":"Jürgen – ✓ 日本"}')))).toEqual({ name: 'Jürgen – ✓ 日本' });
	});

	it('parses a 5 MB body', () => {
		const big = JSON.stringify({ blob: 'a'.repeat(5 * 1024 * 1024) });
		const payload = payloadOf(parseJsonObject(raw(big)));
		expect(getString(payload, 'blob')).toHaveLength(5 * 1024 * 1024);
	});

	it('keeps a "__proto__" key as plain data without polluting prototypes', () => {
		const payload = payloadOf(parseJsonObject(raw('{"__proto__":{"polluted":true},"a":1}')));
		expect(({} as IDataObject).polluted).toBeUndefined();
		expect(payload.a).toBe(1);
		expect(getObject(payload, '__proto__')).toEqual({ polluted: true });
	});
});

describe('parseJsonObject: rejected bodies', () => {
	it('rejects an empty body', () => {
		expect(messageOf(parseJsonObject(Buffer.alloc(0)))).toBe('Request body is empty');
	});

	it('rejects a whitespace-only body as empty', () => {
		expect(messageOf(parseJsonObject(raw(' \r\n\t ')))).toBe('Request body is empty');
	});

	it('rejects a body that is only a byte order mark as empty', () => {
		expect(messageOf(parseJsonObject(Buffer.from([0xef, 0xbb, 0xbf])))).toBe('Request body is empty');
	});

	it('rejects non-JSON text without echoing it', () => {
		const message = messageOf(parseJsonObject(raw('hello=world&token=abc123')));
		expect(message).toMatch(/not valid JSON/);
		expect(message).not.toContain('hello');
		expect(message).not.toContain('abc123');
	});

	it('does not leak body content that V8 would quote in its error message', () => {
		const body = '{"password": hunter2-secret, "card": "4111111111111111"}';
		let v8Message = '';
		try {
			JSON.parse(body);
		} catch (error) {
			v8Message = (error as Error).message;
		}
		// V8 quotes the body in its message; the parser must not pass that on.
		expect(v8Message).toContain('hunter2');
		const message = messageOf(parseJsonObject(raw(body)));
		expect(message).not.toContain('hunter2');
		expect(message).not.toContain('4111');
		expect(message).not.toContain('password');
	});

	it('includes the parser position hint for a syntax error', () => {
		expect(messageOf(parseJsonObject(raw('{"a":1,}')))).toMatch(/not valid JSON: syntax error at position 7/);
		expect(messageOf(parseJsonObject(raw('{"a":1} trailing')))).toMatch(/at position 8/);
	});

	it('says the body ends early for truncated JSON', () => {
		expect(messageOf(parseJsonObject(raw('{"jobId": "cma1b2c3d4e5f6g7h8i9j0k", "status": ')))).toMatch(
			/not valid JSON: it ends before the JSON is complete/,
		);
	});

	it('rejects a JSON array as "expected a JSON object"', () => {
		expect(messageOf(parseJsonObject(raw('[{"event":"pdf.generated"}]')))).toBe(
			'Expected a JSON object but the request body is an array',
		);
	});

	it.each([
		['"pdf.generated"', 'a string'],
		['42', 'a number'],
		['true', 'a boolean'],
		['null', 'null'],
	])('rejects top-level JSON %s as not an object', (text, kind) => {
		expect(messageOf(parseJsonObject(raw(text)))).toBe(`Expected a JSON object but the request body is ${kind}`);
	});

	it('rejects UTF-16 encoded JSON instead of guessing', () => {
		const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":1}', 'utf16le')]);
		expect(parseJsonObject(utf16).ok).toBe(false);
	});
});

describe('parseJsonObject: fallback when rawBody is missing', () => {
	it('uses a parsed plain object', () => {
		expect(payloadOf(parseJsonObject(undefined, { event: 'pdf.generated' }))).toEqual({ event: 'pdf.generated' });
	});

	it('prefers the raw bytes over the parsed body (the signed bytes are what counts)', () => {
		expect(payloadOf(parseJsonObject(raw('{"from":"raw"}'), { from: 'parsed' }))).toEqual({ from: 'raw' });
		expect(messageOf(parseJsonObject(Buffer.alloc(0), { from: 'parsed' }))).toBe('Request body is empty');
	});

	it('treats a missing parsed body and an empty parsed object as an empty body', () => {
		expect(messageOf(parseJsonObject(undefined))).toBe('Request body is empty');
		expect(messageOf(parseJsonObject(undefined, undefined))).toBe('Request body is empty');
		expect(messageOf(parseJsonObject(undefined, {}))).toBe('Request body is empty');
	});

	it('rejects a parsed array or null', () => {
		expect(messageOf(parseJsonObject(undefined, [1, 2]))).toBe('Expected a JSON object but the request body is an array');
		expect(messageOf(parseJsonObject(undefined, null))).toBe('Expected a JSON object but the request body is null');
	});

	it('parses a string or Buffer fallback body as JSON', () => {
		expect(payloadOf(parseJsonObject(undefined, '{"a":1}'))).toEqual({ a: 1 });
		expect(payloadOf(parseJsonObject(undefined, raw('{"b":2}')))).toEqual({ b: 2 });
		expect(messageOf(parseJsonObject(undefined, 'not json'))).toMatch(/not valid JSON/);
	});
});

describe('getString', () => {
	const obj: IDataObject = { name: 'x', empty: '', spaced: '  padded  ', count: 5, flag: true, nothing: null, nested: { a: 'b' } };

	it('returns a non-empty string as is (not trimmed)', () => {
		expect(getString(obj, 'name')).toBe('x');
		expect(getString(obj, 'spaced')).toBe('  padded  ');
	});

	it('returns undefined for empty strings, non-strings and missing keys', () => {
		expect(getString(obj, 'empty')).toBeUndefined();
		expect(getString(obj, 'count')).toBeUndefined();
		expect(getString(obj, 'flag')).toBeUndefined();
		expect(getString(obj, 'nothing')).toBeUndefined();
		expect(getString(obj, 'nested')).toBeUndefined();
		expect(getString(obj, 'missing')).toBeUndefined();
	});

	it('returns undefined for an undefined object', () => {
		expect(getString(undefined, 'name')).toBeUndefined();
	});

	it('ignores inherited properties such as toString and constructor', () => {
		expect(getString({}, 'toString')).toBeUndefined();
		expect(getString({}, 'constructor')).toBeUndefined();
	});
});

describe('getObject', () => {
	const obj: IDataObject = { doc: { _id: 'document-id' }, list: [{ a: 1 }], nothing: null, text: 'x' };

	it('returns a nested plain object', () => {
		expect(getObject(obj, 'doc')).toEqual({ _id: 'document-id' });
	});

	it('returns undefined for arrays, null, strings and missing keys', () => {
		expect(getObject(obj, 'list')).toBeUndefined();
		expect(getObject(obj, 'nothing')).toBeUndefined();
		expect(getObject(obj, 'text')).toBeUndefined();
		expect(getObject(obj, 'missing')).toBeUndefined();
		expect(getObject(undefined, 'doc')).toBeUndefined();
	});

	it('does not return Object.prototype for "__proto__" or a function for "constructor"', () => {
		expect(getObject({}, '__proto__')).toBeUndefined();
		expect(getObject({}, 'constructor')).toBeUndefined();
	});

	it('rejects non-plain objects such as Dates and Buffers', () => {
		const odd = { when: new Date(0), bytes: Buffer.from('x') } as unknown as IDataObject;
		expect(getObject(odd, 'when')).toBeUndefined();
		expect(getObject(odd, 'bytes')).toBeUndefined();
	});
});

describe('getArray', () => {
	const obj: IDataObject = { items: [1, 'two', { three: 3 }], empty: [], notArray: { 0: 'a', length: 1 } };

	it('returns arrays, including empty ones', () => {
		expect(getArray(obj, 'items')).toEqual([1, 'two', { three: 3 }]);
		expect(getArray(obj, 'empty')).toEqual([]);
	});

	it('returns undefined for array-like objects, missing keys and undefined objects', () => {
		expect(getArray(obj, 'notArray')).toBeUndefined();
		expect(getArray(obj, 'missing')).toBeUndefined();
		expect(getArray(undefined, 'items')).toBeUndefined();
	});
});

describe('headerValue', () => {
	it('returns a lower-cased header by any casing of its name', () => {
		const headers = { 'x-pdfg-signature': 'abc' };
		expect(headerValue(headers, 'x-pdfg-signature')).toBe('abc');
		expect(headerValue(headers, 'X-PDFG-Signature')).toBe('abc');
	});

	it('finds a header stored with non-lower-case name', () => {
		expect(headerValue({ 'X-Docflo-Signature': 'sha256=abc' }, 'x-docflo-signature')).toBe('sha256=abc');
	});

	it('returns the first value of an array', () => {
		expect(headerValue({ 'x-webhook-event': ['pdf.generated', 'pdf.failed'] }, 'x-webhook-event')).toBe('pdf.generated');
	});

	it('returns undefined for a missing header, an undefined value or an empty array', () => {
		expect(headerValue({}, 'x-webhook-secret')).toBeUndefined();
		expect(headerValue({ 'x-webhook-secret': undefined }, 'x-webhook-secret')).toBeUndefined();
		expect(headerValue({ 'x-webhook-secret': [] }, 'x-webhook-secret')).toBeUndefined();
	});

	it('returns an empty header value as an empty string', () => {
		expect(headerValue({ 'x-webhook-secret': '' }, 'x-webhook-secret')).toBe('');
	});

	it('works with a null-prototype header object like Node’s', () => {
		const headers = Object.assign(Object.create(null) as Record<string, string>, { 'x-pdfg-event-id': 'job-1' });
		expect(headerValue(headers, 'x-pdfg-event-id')).toBe('job-1');
		expect(headerValue(headers, 'constructor')).toBeUndefined();
	});

	it('does not return inherited properties', () => {
		expect(headerValue({}, 'constructor')).toBeUndefined();
		expect(headerValue({}, 'toString')).toBeUndefined();
	});
});
