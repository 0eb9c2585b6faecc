import { createHash, randomBytes, randomUUID } from 'node:crypto';

export type ServiceName = 'reportflow' | 'docgenlab' | 'docflo' | 'pdfgorilla' | 'pdfsign';
export const SERVICE_NAMES: readonly ServiceName[] = ['reportflow', 'docgenlab', 'docflo', 'pdfgorilla', 'pdfsign'];

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Partial at every level; arrays are replaced, not merged. */
export type DeepPartial<T> = T extends readonly unknown[]
	? T
	: T extends object
		? { [K in keyof T]?: DeepPartial<T[K]> }
		: T;

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** Deep-merges plain objects (arrays and other values in `override` replace). Returns a new object. */
export function deepMerge<T>(base: T, override: unknown): T {
	if (override === undefined) return clone(base);
	if (!isPlainObject(base) || !isPlainObject(override)) return clone(override) as T;
	const out: Record<string, unknown> = clone(base) as Record<string, unknown>;
	for (const [key, value] of Object.entries(override)) {
		out[key] = key in out ? deepMerge(out[key], value) : clone(value);
	}
	return out as T;
}

export function clone<T>(value: T): T {
	return value === undefined ? value : (structuredClone(value) as T);
}

/** Random URL-safe token. */
export function token(bytes = 18): string {
	return randomBytes(bytes).toString('base64url');
}

export function uuid(): string {
	return randomUUID();
}

/** A cuid-like id as PDF Gorilla uses ("cma1b2c3d4e5f6g7h8i9j0k"): 'c' + 24 lowercase alphanumerics. */
export function cuid(): string {
	const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = randomBytes(24);
	let out = 'c';
	for (const b of bytes) out += alphabet[b % alphabet.length];
	return out;
}

export function sha256Hex(data: Buffer | string): string {
	return createHash('sha256').update(data).digest('hex');
}

/** Compare strings/buffers in constant time-ish (test code; only used by the fake's own auth checks). */
export function safeEqual(a: string | undefined, b: string): boolean {
	if (a === undefined) return false;
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && x.equals(y);
}

/** First value of a (possibly repeated) incoming header. */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
	const v = headers[name.toLowerCase()];
	return Array.isArray(v) ? v[0] : v;
}

export function nowMs(): number {
	return Date.now();
}
