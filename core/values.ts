/**
 * Small readers for loosely typed values (parsed JSON, credential data, header records), in
 * one place so every part of the core reads them the same way.
 */
import type { IDataObject } from 'n8n-workflow';

/** Plain object check that also works across realms (jest, vm) and excludes arrays, Buffers, Dates and null. */
export function isPlainObject(value: unknown): value is IDataObject {
	return Object.prototype.toString.call(value) === '[object Object]';
}

/** A string field of credential data or a parsed object, or '' when it is absent or not a string. */
export function stringField(data: IDataObject | undefined, field: string): string {
	const value = data?.[field];
	return typeof value === 'string' ? value : '';
}

/**
 * A header as one string (the first value if repeated), or undefined. Node lower-cases header
 * names; other casings are still found so hand-built and axios-style header records work too.
 */
export function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	if (!isPlainObject(headers)) return undefined;
	const lowerName = name.toLowerCase();
	let value: unknown = Object.prototype.hasOwnProperty.call(headers, lowerName) ? headers[lowerName] : undefined;
	if (value === undefined) {
		const matchingKey = Object.keys(headers).find((key) => key.toLowerCase() === lowerName);
		value = matchingKey === undefined ? undefined : headers[matchingKey];
	}
	if (Array.isArray(value)) value = value[0];
	if (typeof value === 'number') return String(value);
	return typeof value === 'string' ? value : undefined;
}

/** `text` without the slashes it ends with; by hand, as `/\/+$/` takes quadratic time on a long run of slashes. */
export function withoutTrailingSlashes(text: string): string {
	let end = text.length;
	while (end > 0 && text.charCodeAt(end - 1) === 0x2f) end--;
	return text.slice(0, end);
}
