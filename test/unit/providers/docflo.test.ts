import type { FakeProviders } from '../../providers/server';
import type { TestCa } from '../../providers/tls';
import { call, startFake } from './helpers';

let fake: FakeProviders;
let ca: TestCa;
beforeAll(async () => {
	({ fake, ca } = await startFake());
});
afterAll(() => fake.close());

const auth = () => ({ 'x-tenant-id': fake.credentials.docflo.tenantId, apiKey: fake.credentials.docflo.apiKey });
const list = (query = '') => call(ca, `${fake.baseUrl('docflo')}/docs/v1/document${query}`, { headers: auth() });

interface Page {
	data: { _id: string; type: string; status: string; fields: Record<string, { type: string; value: unknown; confidence: number }> }[];
	total: number;
	skip: number;
	top: number;
}

describe('Docflo fake', () => {
	test('auth: both headers needed', async () => {
		const url = `${fake.baseUrl('docflo')}/docs/v1/document`;
		expect((await call(ca, url)).status).toBe(401);
		expect((await call(ca, url, { headers: { apiKey: fake.credentials.docflo.apiKey } })).status).toBe(401);
		const wrong = await call(ca, url, { headers: { ...auth(), apiKey: 'nope' } });
		expect(wrong.status).toBe(401);
		expect(wrong.json).toMatchObject({ statusCode: 401, message: expect.any(String) });
	});

	test('list with typed field values', async () => {
		const r = await list('?top=1');
		expect(r.status).toBe(200);
		const page = r.json as Page;
		expect(page.top).toBe(1);
		expect(page.data).toHaveLength(1);
		expect(page.total).toBeGreaterThanOrEqual(3);
		const all = (await list()).json as Page;
		const example = all.data.find((d) => d._id === 'document-id')!;
		expect(example.fields.InvoiceId).toEqual({ type: 'string', value: 'INV-2025-001', confidence: expect.any(Number), content: 'INV-2025-001' });
		expect(example.fields.InvoiceTotal.value).toEqual({ Amount: 1500, CurrencyCode: 'USD' });
	});

	test('filters, search, sorting, paging, validation', async () => {
		expect(((await list('?type=receipt')).json as Page).data.map((d) => d._id)).toEqual(['document-id-3']);
		expect(((await list('?status=approved')).json as Page).data.map((d) => d._id)).toEqual(['document-id-2']);
		expect(((await list('?search=acme')).json as Page).data.map((d) => d._id)).toEqual(['document-id']);
		expect(((await list('?sortBy=createdAt&sortOrder=asc&skip=1&top=1')).json as Page).data.map((d) => d._id)).toEqual(['document-id-2']);
		expect(((await list('?createdFrom=2025-03-11T00:00:00Z&createdTo=2025-03-11T23:59:59Z')).json as Page).total).toBe(1);
		expect((await list('?top=-1')).status).toBe(400);
		expect((await list('?sortOrder=up')).status).toBe(400);
	});

	test('array list shape option; example webhook payload', async () => {
		fake.docflo.settings.listShape = 'array';
		try {
			expect(Array.isArray((await list()).json)).toBe(true);
		} finally {
			fake.docflo.settings.listShape = 'object';
		}
		const p = fake.examplePayloads.docflo.event('document.approved');
		expect(p).toMatchObject({ event: 'document.approved', tenantId: fake.credentials.docflo.tenantId, doc: { _id: 'document-id', status: 'APPROVED' } });
		expect(p.doc.fields.InvoiceTotal).toEqual({ Amount: 1500, CurrencyCode: 'USD' });
	});
});
