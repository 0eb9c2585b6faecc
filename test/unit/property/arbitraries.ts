/**
 * Shared generators for the property-based tests (fast-check). Not a test file itself.
 *
 * Run counts are kept small enough for the whole folder to finish in well under 20 s;
 * `FC_RUNS_FACTOR=10 npx jest test/unit/property --selectProjects unit` searches deeper,
 * `FC_SEED=<seed>` replays a reported failure.
 */
import fc from 'fast-check';

import {
	DOCFLO_DOCUMENT_PROCESSED,
	DOCGENLAB_COMPLETED,
	DOCGENLAB_FAILED,
	DOCGENLAB_TEST,
	PDF_GORILLA_CANCELED,
	PDF_GORILLA_COMPLETED,
	PDF_GORILLA_FAILED,
	PDF_SIGN_FAILED,
	PDF_SIGN_GENERATED,
	PDF_SIGN_QUOTA_EXCEEDED,
	PDF_SIGN_QUOTA_WARNING,
	PDF_SIGN_TEST,
	REPORTFLOW_FILE_COMPLETED,
	REPORTFLOW_TWO_FILES,
	docfloPayload,
} from '../triggers/vectors';

const factor = Number(process.env.FC_RUNS_FACTOR ?? '1');
// CI replays one fixed seed so a green main stays green; elsewhere every run explores anew
// (fast-check prints the seed of any failure for FC_SEED).
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : process.env.CI ? 20261124 : undefined;
if (seed !== undefined && Number.isFinite(seed)) fc.configureGlobal({ seed });

/** `n` runs, scaled by FC_RUNS_FACTOR. */
export function runs(n: number): { numRuns: number } {
	return { numRuns: Math.max(1, Math.round(n * (Number.isFinite(factor) && factor > 0 ? factor : 1))) };
}

// ---------------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------------

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * A secret that cannot turn up in an error message or log line by chance (16+ random
 * alphanumerics), so "the answer does not contain the secret" is a meaningful check.
 */
export const secretArb = fc.string({ unit: fc.constantFrom(...ALNUM.split('')), minLength: 16, maxLength: 40 });

/** Any UTF-16 code unit, lone surrogates included. */
export const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

/** Strings as a hostile sender or an odd configuration could make them. */
export const anyString = fc.oneof(
	fc.string(),
	fc.string({ unit: 'binary', maxLength: 30 }),
	fc.string({ unit: utf16Unit, maxLength: 20 }),
	fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', ',', ':', '=', '\u00a0', '\ufeff', '\u0000', 'a', 'A', '0'), maxLength: 12 }),
);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** String.prototype.isWellFormed (ES2024) for the es2022 lib: no lone surrogates. */
export function isWellFormed(text: string): boolean {
	return !LONE_SURROGATE.test(text);
}

/** Every casing HTTP allows for a header name: as is, upper, lower, or per-letter random. */
export function oddCasing(name: string): fc.Arbitrary<string> {
	return fc.oneof(
		fc.constant(name),
		fc.constant(name.toUpperCase()),
		fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }).map((upper) =>
			name
				.split('')
				.map((ch, i) => (upper[i] ? ch.toUpperCase() : ch.toLowerCase()))
				.join(''),
		),
	);
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Round-trips through JSON text, as everything a webhook carries does (drops -0, undefined). */
export function viaJson<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

export const jsonValueArb: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }).map((value) => viaJson(value) as Json);

/** Keys that have tripped object handling elsewhere. */
const AWKWARD_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', ''];

export const jsonObjectArb: fc.Arbitrary<{ [key: string]: Json }> = fc
	.array(fc.tuple(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...AWKWARD_KEYS)), jsonValueArb), { maxLength: 6 })
	.map((entries) => {
		// Own properties even for '__proto__', as JSON.parse makes them.
		const object: { [key: string]: Json } = {};
		for (const [key, value] of entries) setOwn(object, key, value);
		return object;
	});

/** The docs' example payloads (and the documented-shape ones the trigger tests add), as text. */
export const EXAMPLE_PAYLOADS: readonly string[] = [
	REPORTFLOW_FILE_COMPLETED,
	REPORTFLOW_TWO_FILES,
	DOCGENLAB_COMPLETED,
	DOCGENLAB_FAILED,
	DOCGENLAB_TEST,
	DOCFLO_DOCUMENT_PROCESSED,
	docfloPayload('document.created'),
	docfloPayload('document.status_changed'),
	PDF_GORILLA_COMPLETED,
	PDF_GORILLA_FAILED,
	PDF_GORILLA_CANCELED,
	PDF_SIGN_GENERATED,
	PDF_SIGN_FAILED,
	PDF_SIGN_QUOTA_WARNING,
	PDF_SIGN_QUOTA_EXCEEDED,
	PDF_SIGN_TEST,
];

type Path = (string | number)[];

function pathsOf(value: Json, prefix: Path = []): Path[] {
	const paths: Path[] = [prefix];
	if (Array.isArray(value)) value.forEach((v, i) => paths.push(...pathsOf(v, [...prefix, i])));
	else if (value !== null && typeof value === 'object') {
		for (const key of Object.keys(value)) paths.push(...pathsOf(value[key], [...prefix, key]));
	}
	return paths;
}

function containerAt(root: Json, path: Path): Json {
	let node = root;
	for (const step of path) node = (node as Record<string | number, Json>)[step];
	return node;
}

/** Sets an own property even for '__proto__'. */
function setOwn(target: Record<string, Json> | Json[], key: string | number, value: Json): void {
	Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Edit =
	| { kind: 'set'; at: number; value: Json }
	| { kind: 'delete'; at: number }
	| { kind: 'add'; at: number; key: string; value: Json }
	| { kind: 'retype'; at: number; to: 'string' | 'number' | 'null' | 'array' | 'object' | 'bool' };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
	fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: jsonValueArb }),
	fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
	fc.record({
		kind: fc.constant('add' as const),
		at: fc.nat(),
		key: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom(...AWKWARD_KEYS, 'event', 'status', 'jobId', 'doc', 'data', 'files')),
		value: jsonValueArb,
	}),
	fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), to: fc.constantFrom('string', 'number', 'null', 'array', 'object', 'bool') }),
);

function retyped(value: Json, to: Extract<Edit, { kind: 'retype' }>['to']): Json {
	switch (to) {
		case 'string':
			return typeof value === 'string' ? '' : JSON.stringify(value);
		case 'number':
			return typeof value === 'number' ? -value : 42;
		case 'null':
			return null;
		case 'array':
			return [value];
		case 'object':
			return { value };
		case 'bool':
			return true;
	}
}

function applyEdit(root: Json, edit: Edit): Json {
	const paths = pathsOf(root);
	const path = paths[edit.at % paths.length];
	if (path.length === 0) {
		// The root itself: only replace it when asked to (this produces non-object bodies too).
		if (edit.kind === 'set') return edit.value;
		if (edit.kind === 'retype') return retyped(root, edit.to);
		if (edit.kind === 'add' && root !== null && typeof root === 'object' && !Array.isArray(root)) setOwn(root, edit.key, edit.value);
		return root;
	}
	const parent = containerAt(root, path.slice(0, -1)) as Record<string, Json> | Json[];
	const key = path[path.length - 1];
	switch (edit.kind) {
		case 'set':
			setOwn(parent, key, edit.value);
			break;
		case 'delete':
			if (Array.isArray(parent)) parent.splice(key as number, 1);
			else delete (parent as Record<string, Json>)[key];
			break;
		case 'add': {
			const target = (parent as Record<string | number, Json>)[key];
			if (target !== null && typeof target === 'object' && !Array.isArray(target)) setOwn(target, edit.key, edit.value);
			else setOwn(parent, key, { [edit.key]: edit.value });
			break;
		}
		case 'retype':
			setOwn(parent, key, retyped((parent as Record<string | number, Json>)[key], edit.to));
			break;
	}
	return root;
}

/** One of the example payloads with 0–4 structural edits, as a parsed value. */
export const mutatedExampleValueArb: fc.Arbitrary<Json> = fc
	.tuple(fc.constantFrom(...EXAMPLE_PAYLOADS), fc.array(editArb, { maxLength: 4 }))
	.map(([text, edits]) => edits.reduce<Json>((value, edit) => applyEdit(value, edit), JSON.parse(text) as Json));

type TextEdit = { kind: 'insert' | 'replace' | 'delete'; at: number; text: string };

const textEditArb: fc.Arbitrary<TextEdit> = fc.record({
	kind: fc.constantFrom('insert', 'replace', 'delete'),
	at: fc.nat(),
	text: fc.oneof(fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '\\', 'null', '\u0000', '\ufeff', ' '), fc.string({ maxLength: 3 })),
});

function applyTextEdit(text: string, edit: TextEdit): string {
	const at = text.length === 0 ? 0 : edit.at % text.length;
	if (edit.kind === 'insert') return text.slice(0, at) + edit.text + text.slice(at);
	if (edit.kind === 'replace') return text.slice(0, at) + edit.text + text.slice(at + 1);
	return text.slice(0, at) + text.slice(at + 1);
}

/** Request body bytes of every kind: random bytes, random text, JSON, mutated example payloads (structurally or as text). */
export const bodyBytesArb: fc.Arbitrary<Buffer> = fc.oneof(
	fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
	anyString.map((text) => Buffer.from(text, 'utf8')),
	fc.json({ maxDepth: 3 }).map((text) => Buffer.from(text, 'utf8')),
	fc.tuple(mutatedExampleValueArb, fc.constantFrom(0, 2, '\t')).map(([value, indent]) => Buffer.from(JSON.stringify(value, null, indent), 'utf8')),
	fc
		.tuple(fc.constantFrom(...EXAMPLE_PAYLOADS), fc.array(textEditArb, { minLength: 1, maxLength: 3 }))
		.map(([text, edits]) => Buffer.from(edits.reduce(applyTextEdit, text), 'utf8')),
	fc.constantFrom(...EXAMPLE_PAYLOADS).map((text) => Buffer.from(text, 'utf8')),
);

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

export function isPlainJsonObject(value: unknown): value is Record<string, unknown> {
	return (
		Object.prototype.toString.call(value) === '[object Object]' &&
		(Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)
	);
}
