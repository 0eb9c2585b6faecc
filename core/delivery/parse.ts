import type { IDataObject } from 'n8n-workflow';

import { isPlainObject } from '../values';

export type ParsedBody = { ok: true; payload: IDataObject } | { ok: false; message: string };

const UTF8_BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);

function hasOwn(obj: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(obj, key);
}

function describeJsonType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return `a ${typeof value}`;
}

/**
 * V8's JSON.parse messages can quote the body ('Unexpected token 'a', "{"secret": ..." is not
 * valid JSON'), so only the position hint is kept: the body may hold personal data.
 */
function describeJsonSyntaxError(error: unknown): string {
	const parserMessage = error instanceof Error ? error.message : '';
	if (/unexpected end of json input/i.test(parserMessage)) {
		return 'Request body is not valid JSON: it ends before the JSON is complete';
	}
	const position = /at position (\d+)/.exec(parserMessage);
	if (position) {
		const lineColumn = /\(line (\d+) column (\d+)\)/.exec(parserMessage);
		const where = lineColumn ? ` (line ${lineColumn[1]}, column ${lineColumn[2]})` : '';
		return `Request body is not valid JSON: syntax error at position ${position[1]}${where}`;
	}
	return 'Request body is not valid JSON: unexpected character';
}

function parseJsonText(text: string, mayHaveBom = true): ParsedBody {
	// Some senders prefix UTF-8 JSON with a byte order mark, which JSON.parse rejects.
	const withoutBom = mayHaveBom && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	if (withoutBom.trim().length === 0) return { ok: false, message: 'Request body is empty' };

	let value: unknown;
	try {
		value = JSON.parse(withoutBom);
	} catch (error) {
		return { ok: false, message: describeJsonSyntaxError(error) };
	}
	if (!isPlainObject(value)) {
		return { ok: false, message: `Expected a JSON object but the request body is ${describeJsonType(value)}` };
	}
	return { ok: true, payload: value };
}

/**
 * Parses the exact raw bytes n8n received (req.rawBody). When rawBody is undefined, falls back
 * to `parsedBody` (n8n's already-parsed req.body): a plain object is used as is, a string or
 * Buffer is parsed. An empty parsed object counts as an empty body. Error messages are
 * user-facing (for a 400) and never contain body content.
 */
export function parseJsonObject(rawBody: Buffer | undefined, parsedBody?: unknown): ParsedBody {
	if (Buffer.isBuffer(rawBody)) {
		// One byte order mark is tolerated, here or (for text bodies) in parseJsonText, never two.
		const hasBom = rawBody.length >= 3 && rawBody.subarray(0, 3).equals(UTF8_BYTE_ORDER_MARK);
		const text = (hasBom ? rawBody.subarray(3) : rawBody).toString('utf8');
		return hasBom ? parseJsonText(text, false) : parseJsonText(text);
	}
	if (Buffer.isBuffer(parsedBody)) return parseJsonObject(parsedBody);
	if (typeof parsedBody === 'string') return parseJsonText(parsedBody);
	if (isPlainObject(parsedBody)) {
		// Body parsers hand out {} when nothing was sent, so {} is treated as "no body".
		if (Object.keys(parsedBody).length === 0) return { ok: false, message: 'Request body is empty' };
		return { ok: true, payload: parsedBody };
	}
	if (parsedBody === undefined) return { ok: false, message: 'Request body is empty' };
	return { ok: false, message: `Expected a JSON object but the request body is ${describeJsonType(parsedBody)}` };
}

/** A non-empty string value of an own property, as is (not trimmed, numbers not converted). */
export function getString(obj: IDataObject | undefined, key: string): string | undefined {
	if (!isPlainObject(obj) || !hasOwn(obj, key)) return undefined;
	const value = obj[key];
	return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A plain-object value of an own property (not arrays or null; own-only so '__proto__' cannot leak Object.prototype). */
export function getObject(obj: IDataObject | undefined, key: string): IDataObject | undefined {
	if (!isPlainObject(obj) || !hasOwn(obj, key)) return undefined;
	const value = obj[key];
	return isPlainObject(value) ? value : undefined;
}

/** An array value of an own property. */
export function getArray(obj: IDataObject | undefined, key: string): unknown[] | undefined {
	if (!isPlainObject(obj) || !hasOwn(obj, key)) return undefined;
	const value: unknown = obj[key];
	return Array.isArray(value) ? (value as unknown[]) : undefined;
}

/**
 * True when the JSON text nests objects and arrays deeper than `maxDepth`. One pass over the
 * bytes, before anything parses or walks the value: brackets inside strings are skipped
 * (escapes included), and UTF-8 continuation bytes are all above 0x7f, so they never look like
 * structure.
 */
export function jsonNestingExceeds(bytes: Buffer | string, maxDepth: number): boolean {
	const text = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
	let depth = 0;
	let inString = false;
	for (let index = 0; index < text.length; index++) {
		const byte = text[index];
		if (inString) {
			if (byte === 0x5c) index++;
			else if (byte === 0x22) inString = false;
			continue;
		}
		if (byte === 0x22) inString = true;
		else if (byte === 0x7b || byte === 0x5b) {
			depth++;
			if (depth > maxDepth) return true;
		} else if (byte === 0x7d || byte === 0x5d) depth--;
	}
	return false;
}

/** The same check for a value n8n parsed itself (no raw body), without recursion. */
export function valueNestingExceeds(value: unknown, maxDepth: number): boolean {
	const stack: Array<[unknown, number]> = [[value, 0]];
	while (stack.length > 0) {
		const [current, depth] = stack.pop()!;
		if (typeof current !== 'object' || current === null) continue;
		if (depth + 1 > maxDepth) return true;
		for (const child of Object.values(current as object)) stack.push([child, depth + 1]);
	}
	return false;
}

/**
 * Whether two parsed JSON values are the same value: numbers compared with Object.is (so -0 is
 * not 0), object keys as sets, arrays in order. Used to make sure a re-serialised body holds
 * exactly the values that were received.
 */
export function sameJsonValue(a: unknown, b: unknown): boolean {
	const stack: Array<[unknown, unknown]> = [[a, b]];
	while (stack.length > 0) {
		const [left, right] = stack.pop()!;
		if (typeof left !== 'object' || left === null || typeof right !== 'object' || right === null) {
			if (!Object.is(left, right)) return false;
			continue;
		}
		if (Array.isArray(left) !== Array.isArray(right)) return false;
		const leftKeys = Object.keys(left);
		const rightKeys = Object.keys(right);
		if (leftKeys.length !== rightKeys.length) return false;
		for (const key of leftKeys) {
			if (!Object.prototype.hasOwnProperty.call(right, key)) return false;
			stack.push([(left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]]);
		}
	}
	return true;
}
