/** GET /docs/v1/document: the query from Get Many's fields, and paging through the answers. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { isPlainObject } from '../../../core/values';
import { readLimit } from '../../../core/actions/list';
import { apiCall, type ServiceConnection } from '../../../core/actions/policy';
import { requestJson } from '../../../core/fetch/transport';

const LIST_PATH = '/docs/v1/document';
export const DEFAULT_PAGE_SIZE = 50;

interface Page {
	documents: IDataObject[];
	total?: number;
}

/** A filter value as query text: trimmed strings, ISO dates (a dateTime field or a Luxon/Date from an expression). */
function queryText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
	if (typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return ((value as { toISO: () => string | null }).toISO() ?? undefined) || undefined;
	}
	const text = String(value).trim();
	return text === '' ? undefined : text;
}

function listQuery(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = ctx.getNodeParameter('listOptions', itemIndex, {}) as IDataObject & {
		additionalQuery?: { parameter?: Array<{ name?: string; value?: string }> };
	};
	const qs: IDataObject = {};
	for (const parameter of options.additionalQuery?.parameter ?? []) {
		const name = parameter.name?.trim();
		if (name) qs[name] = parameter.value ?? '';
	}
	for (const name of ['type', 'status', 'source', 'search', 'createdFrom', 'createdTo']) {
		const text = queryText(filters[name]);
		if (text !== undefined) qs[name] = text;
	}
	const sortBy = queryText(options.sortBy);
	if (sortBy !== undefined) qs.sortBy = sortBy;
	// Only sent with Sort Order chosen, so Docflo's own default applies otherwise.
	const sortOrder = queryText(options.sortOrder);
	if (sortOrder !== undefined) qs.sortOrder = sortOrder;
	return qs;
}

/**
 * Docflo does not document the list response's shape. Accepted: a bare array of documents, or
 * an object with the array under data, items, value, documents or results (and a total count
 * under total, totalCount or count when it has one).
 */
function pageOf(body: unknown): Page | undefined {
	if (Array.isArray(body)) return { documents: body.filter(isPlainObject) };
	if (!isPlainObject(body)) return undefined;
	for (const key of ['data', 'items', 'value', 'documents', 'results']) {
		const list = body[key];
		if (Array.isArray(list)) {
			const total = [body.total, body.totalCount, body.count].find((n): n is number => typeof n === 'number' && Number.isFinite(n));
			return { documents: list.filter(isPlainObject), total };
		}
	}
	return undefined;
}

/** The answer as a page, or a clear error naming what came instead. */
async function fetchPage(ctx: IExecuteFunctions, connection: ServiceConnection, qs: IDataObject, itemIndex: number): Promise<Page> {
	const { body } = await requestJson<unknown>(ctx, apiCall(connection, { method: 'GET', path: LIST_PATH, qs }, itemIndex));
	const page = pageOf(body);
	if (page) return page;
	const keys = isPlainObject(body) ? Object.keys(body).slice(0, 10).join(', ') : typeof body;
	throw new NodeOperationError(ctx.getNode(), 'Docflo answered the document list in a form this node does not recognise', {
		itemIndex,
		description: `Expected a list of documents, or an object with one under data, items, value, documents or results; got: ${keys || 'an empty object'}.`,
	});
}

/** Documents already returned (the list shifted while paging, or the server ignores skip) are left out. */
function unseen(documents: IDataObject[], seen: Set<string>): IDataObject[] {
	return documents.filter((doc) => {
		const id = [doc._id, doc.id, doc.documentId].find((v) => typeof v === 'string' || typeof v === 'number');
		const key = id === undefined ? `json:${JSON.stringify(doc)}` : `id:${String(id)}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

/** Page by page with skip and top, until a short page, the total, or the limit. */
export async function listDocuments(ctx: IExecuteFunctions, connection: ServiceConnection, itemIndex: number): Promise<IDataObject[]> {
	const limit = readLimit(ctx, itemIndex);
	const options = ctx.getNodeParameter('listOptions', itemIndex, {}) as { pageSize?: number };
	const pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE));
	const query = listQuery(ctx, itemIndex);

	const documents: IDataObject[] = [];
	const seen = new Set<string>();
	let skip = 0;
	for (;;) {
		const top = Math.min(pageSize, limit - documents.length);
		const page = await fetchPage(ctx, connection, { ...query, skip, top }, itemIndex);
		const fresh = unseen(page.documents, seen);
		if (page.documents.length > 0 && fresh.length === 0) {
			throw new NodeOperationError(ctx.getNode(), `Docflo returned the same documents again for skip=${skip}`, {
				itemIndex,
				description: 'Docflo seems to ignore the skip parameter, so Return All would never end. Use a Limit instead.',
			});
		}
		documents.push(...fresh.slice(0, limit - documents.length));
		skip += page.documents.length;
		if (documents.length >= limit || page.documents.length === 0) break;
		// A short page is the last one, unless a total says the server just capped the page size.
		if (page.documents.length < top && !(page.total !== undefined && skip < page.total)) break;
		if (page.total !== undefined && skip >= page.total) break;
	}
	return documents;
}
