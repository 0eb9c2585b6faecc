/**
 * Docflo documents → clean, spreadsheet-shaped items ("Extract Fields"). Pure functions, no
 * n8n context: unit-tested in test/unit/actions/docflo.test.ts.
 *
 * Two spellings of a field value exist in Docflo's docs:
 * - the webhook page's example `doc.fields` holds plain values
 *   (`"InvoiceId": "INV-2025-001"`, `"InvoiceTotal": {"Amount": 1500, "CurrencyCode": "USD"}`);
 * - the REST API returns `{type, value, confidence, content?, changedOn?, changedBy?}` per field.
 * Both are accepted, at any depth (a line item's columns may be typed values too).
 */
import type { IDataObject } from 'n8n-workflow';

import { isPlainObject } from '../../../core/values';

export interface ExtractOptions {
	/** `flatten`: `InvoiceTotal.Amount`; `keep`: `InvoiceTotal: {Amount}`. */
	nestedValues: 'flatten' | 'keep';
	/** `columns`: `InvoiceId_confidence`; `object`: `confidence: {InvoiceId}`; `none`: left out. */
	confidence: 'columns' | 'object' | 'none';
	/** One output item per entry of the line-item list, each with the document's header fields. */
	splitLineItems: boolean;
	/** The list to split; empty: `Items`, else the first field holding a list of objects. */
	lineItemsField?: string;
}

export const DEFAULT_EXTRACT_OPTIONS: ExtractOptions = { nestedValues: 'flatten', confidence: 'columns', splitLineItems: false };

/** What identifies a document, named as the Docflo Trigger names it. */
export interface DocumentInfo {
	documentId: string | null;
	documentType: string | null;
	documentStatus: string | null;
}

export interface LocatedDocument {
	info: DocumentInfo;
	fields: IDataObject;
}

const CONFIDENCE_SUFFIX = '_confidence';
const LINE_NUMBER = 'lineNumber';
const LINE = 'line';
const DEFAULT_LINE_ITEMS_FIELD = 'Items';

function hasOwn(obj: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Assignment that keeps keys such as `__proto__` or `constructor` as ordinary own properties. */
function setOwn(target: IDataObject, key: string, value: unknown): void {
	Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Sets `key`, or `key_2`, `key_3`, … when a field with an odd name already took it: nothing is overwritten. */
function setUnique(target: IDataObject, key: string, value: unknown): void {
	let name = key;
	for (let n = 2; hasOwn(target, name); n++) name = `${key}_${n}`;
	setOwn(target, name, value);
}

/**
 * A value in the REST API's form: `{type, value, confidence, …}`. `confidence` is what sets it
 * apart from data that merely has a `type` or `value` key (e.g. a plain `{type: "VAT", value: 20}`).
 */
function isTypedValue(value: unknown): value is IDataObject & { confidence: number | null } {
	if (!isPlainObject(value) || !hasOwn(value, 'confidence')) return false;
	const confidence = value.confidence;
	if (typeof confidence !== 'number' && confidence !== null) return false;
	return hasOwn(value, 'value') || typeof value.type === 'string';
}

function textOrNull(value: unknown): string | null {
	if (typeof value === 'string' && value !== '') return value;
	if (typeof value === 'number') return String(value);
	return null;
}

function documentInfo(doc: IDataObject): DocumentInfo {
	return {
		documentId: textOrNull(doc.documentId) ?? textOrNull(doc._id) ?? textOrNull(doc.id),
		documentType: textOrNull(doc.documentType) ?? textOrNull(doc.type),
		documentStatus: textOrNull(doc.documentStatus) ?? textOrNull(doc.status),
	};
}

function looksLikeDocument(candidate: unknown): candidate is IDataObject {
	if (!isPlainObject(candidate)) return false;
	if (isPlainObject(candidate.fields)) return true;
	// A document without extracted fields yet (e.g. document.created).
	const info = documentInfo(candidate);
	return candidate.fields === undefined && (typeof candidate._id === 'string' || typeof candidate.documentId === 'string') && (info.documentType !== null || info.documentStatus !== null);
}

function atPath(item: IDataObject, path: string): unknown {
	let current: unknown = item;
	for (const part of path.split('.').filter(Boolean)) {
		if (!isPlainObject(current) || !hasOwn(current, part)) return undefined;
		current = current[part];
	}
	return current;
}

/**
 * Finds the Docflo document in an input item: the Docflo Trigger's output (`documentId`, `fields`),
 * a document from Get Many (`_id`, `type`, `status`, `fields`), a raw webhook body (`doc`), or
 * n8n's Webhook node output (`body.doc`). `path` (dot notation) points elsewhere.
 */
export function locateDocument(item: IDataObject, path?: string): LocatedDocument | undefined {
	const candidates = path?.trim()
		? [atPath(item, path.trim())]
		: [item, item.doc, atPath(item, 'body.doc'), item.body, atPath(item, 'payload.doc'), item.document];
	const doc = candidates.find(looksLikeDocument);
	if (!doc) return undefined;
	return { info: documentInfo(doc), fields: isPlainObject(doc.fields) ? doc.fields : {} };
}

type Confidences = Array<[name: string, confidence: number | null]>;

/**
 * Replaces typed values by their `value`, recursively. Confidences are collected with the
 * field's dotted name, except inside lists (a list's entries have no names of their own; a
 * split line item collects its own).
 */
function unwrap(value: unknown, name: string, confidences: Confidences | undefined): unknown {
	let current = value;
	if (isTypedValue(current)) {
		confidences?.push([name, current.confidence]);
		current = hasOwn(current, 'value') ? current.value : null;
	}
	if (current === undefined) return null;
	if (Array.isArray(current)) return current.map((entry) => unwrap(entry, name, undefined));
	if (isPlainObject(current)) {
		const result: IDataObject = {};
		for (const [key, inner] of Object.entries(current)) setOwn(result, key, unwrap(inner, `${name}.${key}`, confidences));
		return result;
	}
	return current;
}

/** Writes `value` under `name`, or its nested values as `name.key` columns when flattening. */
function writeValue(target: IDataObject, name: string, value: unknown, nestedValues: ExtractOptions['nestedValues']): void {
	if (nestedValues === 'flatten' && isPlainObject(value) && Object.keys(value).length > 0) {
		for (const [key, inner] of Object.entries(value)) writeValue(target, `${name}.${key}`, inner, nestedValues);
		return;
	}
	if (nestedValues === 'flatten' && isPlainObject(value)) {
		setUnique(target, name, null);
		return;
	}
	// Lists stay lists (a column per list entry would differ from document to document); the objects in them are flattened alike.
	setUnique(target, name, Array.isArray(value) ? value.map((entry) => flattenEntry(entry, nestedValues)) : value);
}

function flattenEntry(entry: unknown, nestedValues: ExtractOptions['nestedValues']): unknown {
	if (nestedValues !== 'flatten' || !isPlainObject(entry)) return entry;
	const flat: IDataObject = {};
	for (const [key, inner] of Object.entries(entry)) writeValue(flat, key, inner, nestedValues);
	return flat;
}

function writeConfidences(target: IDataObject, confidences: Confidences, mode: ExtractOptions['confidence']): void {
	if (mode === 'none' || confidences.length === 0) return;
	if (mode === 'columns') {
		for (const [name, confidence] of confidences) setUnique(target, `${name}${CONFIDENCE_SUFFIX}`, confidence);
		return;
	}
	const grouped: IDataObject = {};
	for (const [name, confidence] of confidences) setUnique(grouped, name, confidence);
	setUnique(target, 'confidence', grouped);
}

/** The line-item list to split: the named field, or `Items`, or the first field holding a list of objects. */
function lineItemsFieldOf(fields: IDataObject, wanted: string | undefined): string | undefined {
	const listOf = (key: string): unknown => {
		const raw = fields[key];
		return isTypedValue(raw) ? raw.value : raw;
	};
	const name = wanted?.trim();
	if (name) return hasOwn(fields, name) && Array.isArray(listOf(name)) ? name : undefined;
	if (hasOwn(fields, DEFAULT_LINE_ITEMS_FIELD) && Array.isArray(listOf(DEFAULT_LINE_ITEMS_FIELD))) return DEFAULT_LINE_ITEMS_FIELD;
	return Object.keys(fields).find((key) => {
		const list = listOf(key);
		return Array.isArray(list) && list.some((entry) => isPlainObject(entry));
	});
}

/**
 * The document's fields as output items: one item, or with splitLineItems one per line item
 * (a document without line items still gives one item, with its header fields).
 */
export function extractFields(document: LocatedDocument, options: ExtractOptions = DEFAULT_EXTRACT_OPTIONS): IDataObject[] {
	const { info, fields } = document;
	const lineField = options.splitLineItems ? lineItemsFieldOf(fields, options.lineItemsField) : undefined;

	const header: IDataObject = {};
	setOwn(header, 'documentId', info.documentId);
	setOwn(header, 'documentType', info.documentType);
	setOwn(header, 'documentStatus', info.documentStatus);
	const headerConfidences: Confidences = [];
	for (const [name, raw] of Object.entries(fields)) {
		if (name === lineField) {
			if (isTypedValue(raw)) headerConfidences.push([name, raw.confidence]);
			continue;
		}
		writeValue(header, name, unwrap(raw, name, headerConfidences), options.nestedValues);
	}

	const rawLines = lineField === undefined ? [] : (((isTypedValue(fields[lineField]) ? fields[lineField].value : fields[lineField]) as unknown[]) ?? []);
	if (rawLines.length === 0) {
		const item = { ...header };
		writeConfidences(item, headerConfidences, options.confidence);
		return [item];
	}
	return rawLines.map((rawLine, index) => {
		const item: IDataObject = {};
		for (const [key, value] of Object.entries(header)) setOwn(item, key, value);
		setUnique(item, LINE_NUMBER, index + 1);
		const lineConfidences: Confidences = [];
		let line = rawLine;
		// A line item that is itself a typed value: its confidence is the line's, `line_confidence`.
		if (isTypedValue(line)) {
			lineConfidences.push([LINE, line.confidence]);
			line = hasOwn(line, 'value') ? line.value : null;
		}
		writeValue(item, lineField!, unwrap(line, lineField!, lineConfidences), options.nestedValues);
		writeConfidences(item, [...headerConfidences, ...lineConfidences], options.confidence);
		return item;
	});
}
