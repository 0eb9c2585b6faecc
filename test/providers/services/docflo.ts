import type { RequestContext, Router } from '../router';
import { type JsonValue, safeEqual } from '../util';
import { type ErrorResponse, type ServiceEnv, type ServiceModule, reason, sendError } from './common';

/** Docflo: GET /docflo/docs/v1/document with headers x-tenant-id + apiKey. */

export interface DocfloCredentials {
	tenantId: string;
	apiKey: string;
}

/** How a field value comes back from the REST API. */
export interface DocfloFieldValue {
	type: string;
	value: JsonValue;
	confidence: number;
	content?: string;
	changedOn?: string;
	changedBy?: string;
}

export interface DocfloDocument {
	_id: string;
	type: string;
	status: string;
	source: string;
	fileName: string;
	createdAt: string;
	updatedAt: string;
	fields: Record<string, DocfloFieldValue>;
}

export interface DocfloSettings {
	/**
	 * Shape of the list response (not documented): 'object' = {data, total, skip, top} (default),
	 * 'array' = a bare array of documents.
	 */
	listShape: 'object' | 'array';
	defaultTop: number;
	maxTop: number;
}

/** The document of the webhook example, as the REST API would return it (typed field values). */
export const DOCFLO_EXAMPLE_DOCUMENT: DocfloDocument = {
	_id: 'document-id',
	type: 'invoice',
	status: 'ANALYZED',
	source: 'email',
	fileName: 'INV-2025-001.pdf',
	createdAt: '2025-03-10T17:50:00.000Z',
	updatedAt: '2025-03-10T17:53:46.000Z',
	fields: {
		InvoiceId: { type: 'string', value: 'INV-2025-001', confidence: 0.99, content: 'INV-2025-001' },
		VendorName: { type: 'string', value: 'Acme Corporation', confidence: 0.97, content: 'Acme Corporation' },
		InvoiceDate: { type: 'date', value: '2025-03-01', confidence: 0.95, content: 'March 1, 2025' },
		InvoiceTotal: { type: 'currency', value: { Amount: 1500.0, CurrencyCode: 'USD' }, confidence: 0.93, content: '$1,500.00' },
		Items: {
			type: 'array',
			value: [{ Description: 'Professional Services', Quantity: 10, UnitPrice: 150.0, Amount: 1500.0 }],
			confidence: 0.9,
			changedOn: '2025-03-10T17:55:00.000Z',
			changedBy: 'reviewer@example.com',
		},
	},
};

const MORE_DOCUMENTS: DocfloDocument[] = [
	{
		_id: 'document-id-2',
		type: 'invoice',
		status: 'APPROVED',
		source: 'upload',
		fileName: 'INV-2025-002.pdf',
		createdAt: '2025-03-11T09:00:00.000Z',
		updatedAt: '2025-03-11T10:00:00.000Z',
		fields: {
			InvoiceId: { type: 'string', value: 'INV-2025-002', confidence: 0.98 },
			VendorName: { type: 'string', value: 'Globex Ltd', confidence: 0.96 },
		},
	},
	{
		_id: 'document-id-3',
		type: 'receipt',
		status: 'REJECTED',
		source: 'api',
		fileName: 'receipt-77.pdf',
		createdAt: '2025-03-12T12:00:00.000Z',
		updatedAt: '2025-03-12T12:30:00.000Z',
		fields: {
			MerchantName: { type: 'string', value: 'Coffee Corner', confidence: 0.91 },
			Total: { type: 'number', value: 4.5, confidence: 0.88 },
		},
	},
];

/** Plain field values, as the webhook's `doc.fields` carries them. */
export function plainFields(doc: DocfloDocument): Record<string, JsonValue> {
	return Object.fromEntries(Object.entries(doc.fields).map(([k, v]) => [k, v.value]));
}

export class DocfloService implements ServiceModule {
	readonly name = 'docflo' as const;
	readonly documents: DocfloDocument[] = structuredClone([DOCFLO_EXAMPLE_DOCUMENT, ...MORE_DOCUMENTS]);
	readonly settings: DocfloSettings;

	constructor(
		private readonly env: ServiceEnv,
		readonly credentials: DocfloCredentials,
		settings: Partial<DocfloSettings> = {},
	) {
		this.settings = { listShape: 'object', defaultTop: 50, maxTop: 100, ...settings };
	}

	/** https://host:port/docflo (the real one is https://api.docflo.ai). */
	baseUrl(): string {
		return `${this.env.publicOrigin()}/docflo`;
	}

	addDocument(doc: Partial<DocfloDocument> & { _id: string }): DocfloDocument {
		const full: DocfloDocument = { ...structuredClone(DOCFLO_EXAMPLE_DOCUMENT), ...doc };
		const i = this.documents.findIndex((d) => d._id === doc._id);
		if (i >= 0) this.documents[i] = full;
		else this.documents.push(full);
		return full;
	}

	errorResponse(status: number, message?: string): ErrorResponse {
		return { body: { statusCode: status, message: message ?? reason(status) } };
	}

	register(router: Router): void {
		router.add('GET', '/docflo/docs/v1/document', (ctx) => (this.authorize(ctx) ? this.list(ctx) : undefined));
	}

	private authorize(ctx: RequestContext): boolean {
		const tenant = ctx.header('x-tenant-id');
		const key = ctx.header('apikey');
		if (tenant === undefined || key === undefined) {
			void sendError(ctx, this, 401, 'Missing x-tenant-id or apiKey header');
			return false;
		}
		if (!safeEqual(tenant, this.credentials.tenantId) || !safeEqual(key, this.credentials.apiKey)) {
			void sendError(ctx, this, 401, 'Invalid tenant or API key');
			return false;
		}
		return true;
	}

	private list(ctx: RequestContext) {
		const q = ctx.query;
		const int = (name: string, fallback: number): number | undefined => {
			const raw = q.get(name);
			if (raw === null || raw === '') return fallback;
			const n = Number(raw);
			return Number.isInteger(n) && n >= 0 ? n : undefined;
		};
		const skip = int('skip', 0);
		const top = int('top', this.settings.defaultTop);
		if (skip === undefined) return sendError(ctx, this, 400, 'skip must be a non-negative integer');
		if (top === undefined || top > this.settings.maxTop) return sendError(ctx, this, 400, `top must be an integer between 0 and ${this.settings.maxTop}`);
		const sortOrder = q.get('sortOrder') ?? 'desc';
		if (sortOrder !== 'asc' && sortOrder !== 'desc') return sendError(ctx, this, 400, 'sortOrder must be asc or desc');
		const sortBy = (q.get('sortBy') ?? 'createdAt') as keyof DocfloDocument;
		if (!['createdAt', 'updatedAt', 'type', 'status', 'fileName', '_id'].includes(sortBy)) {
			return sendError(ctx, this, 400, `sortBy ${sortBy} is not supported`);
		}
		const from = q.get('createdFrom');
		const to = q.get('createdTo');
		for (const d of [from, to]) if (d && Number.isNaN(Date.parse(d))) return sendError(ctx, this, 400, `invalid date ${d}`);

		let docs = this.documents.filter((d) => {
			if (q.get('type') && d.type !== q.get('type')) return false;
			if (q.get('status') && d.status.toUpperCase() !== q.get('status')!.toUpperCase()) return false;
			if (q.get('source') && d.source !== q.get('source')) return false;
			if (from && Date.parse(d.createdAt) < Date.parse(from)) return false;
			if (to && Date.parse(d.createdAt) > Date.parse(to)) return false;
			const search = q.get('search');
			if (search && !JSON.stringify(d).toLowerCase().includes(search.toLowerCase())) return false;
			return true;
		});
		docs = docs.sort((a, b) => {
			const x = String(a[sortBy]);
			const y = String(b[sortBy]);
			return (x < y ? -1 : x > y ? 1 : 0) * (sortOrder === 'asc' ? 1 : -1);
		});
		const page = docs.slice(skip, skip + top);
		if (this.settings.listShape === 'array') return ctx.json(200, page);
		return ctx.json(200, { data: page, total: docs.length, skip, top });
	}
}
