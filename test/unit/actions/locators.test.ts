/**
 * The Template pickers (node version 1.1): "From List" searches through the services' list
 * endpoints with the node's credential, and execute reads a version 1 text field and a
 * version 1.1 locator alike.
 */
import { isSafeId, SAFE_ID_PATTERN } from '../../../core/ids';
import { DocGenLab } from '../../../nodes/DocGenLab/DocGenLab.node';
import { ReportFlow } from '../../../nodes/ReportFlow/ReportFlow.node';
import { json, runAction, runActionError, runListSearch, shape } from './runAction';

jest.mock('n8n-workflow', () => jest.requireActual<{ mockSleep: () => object }>('./runAction').mockSleep());

const reportFlow = new ReportFlow();
const docGenLab = new DocGenLab();
const RF_API = 'https://api.re-port-flow.com/v1';
const RF_CREDENTIALS = { environment: 'production', apiKey: 'rf-app-SECRET', secretKey: 'rf-secret-SECRET' };
const DGL_API = 'https://api.docgenlab.com/api/v1';
const DGL_CREDENTIALS = { apiKey: 'dgl-key-SECRET', baseUrl: '' };

const DESIGNS = {
	designs: [
		{ id: 'design_1', label: 'Invoice', latestVersion: 4, thumbnail: 'https://t/1.png', updatedAt: '2026-01-02T00:00:00Z' },
		{ id: 'design_2', label: 'Delivery note', latestVersion: 1 },
		{ id: 'design_3', label: '  ', latestVersion: 2 },
		{ label: 'no id' },
	],
};

const locator = (value: string, mode = 'list') => ({ __rl: true, mode, value, ...(mode === 'list' ? { cachedResultName: 'Invoice' } : {}) });

describe('ReportFlow: Template → From List', () => {
	const search = (responses: Parameters<typeof runListSearch>[0]['responses'], filter?: string) =>
		runListSearch({ node: reportFlow, method: 'searchDesigns', credentials: RF_CREDENTIALS, responses, filter });

	test('GET /file/designs with AppKey and SecretKey, each design by its label (its ID without one)', async () => {
		const { result, requests, credentialTypesRead } = await search([json(DESIGNS)]);
		expect(credentialTypesRead).toContain('reportFlowApi');
		expect(requests.map((r) => shape(r, ['AppKey', 'SecretKey']))).toEqual([
			{ via: 'auth', method: 'GET', url: `${RF_API}/file/designs`, body: undefined, headers: { AppKey: 'rf-app-SECRET', SecretKey: 'rf-secret-SECRET' } },
		]);
		expect(result).toEqual({
			results: [
				{ name: 'Invoice', value: 'design_1' },
				{ name: 'Delivery note', value: 'design_2' },
				{ name: 'design_3', value: 'design_3' },
			],
		});
	});

	test.each([
		['invo', ['design_1']],
		['NOTE', ['design_2']],
		['design_3', ['design_3']],
		['  ', ['design_1', 'design_2', 'design_3']],
		['nothing like it', []],
	])('the search %p keeps names or IDs containing it, in any case', async (filter, values) => {
		const { result } = await search([json(DESIGNS)], filter);
		expect(result!.results.map((entry) => entry.value)).toEqual(values);
	});

	test('a refused key is a clear error naming ReportFlow and the status, without the secrets', async () => {
		const { error } = await search([json({ statusCode: 401, message: 'SecretKeyが正しくありません rf-secret-SECRET' }, 401)]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(/^ReportFlow answered HTTP 401/);
		expect(JSON.stringify({ message: error?.message, description: error?.description })).not.toMatch(/rf-secret-SECRET|rf-app-SECRET/);
	});

	test('an answer without a designs list says so and points to By ID', async () => {
		const { error } = await search([json({ items: [] })]);
		expect(error?.message).toBe('ReportFlow answered GET /file/designs without a designs list');
		expect(error?.description).toMatch(/By ID/);
	});
});

describe('DocGenLab: Template → From List', () => {
	const search = (responses: Parameters<typeof runListSearch>[0]['responses'], filter?: string) =>
		runListSearch({ node: docGenLab, method: 'searchTemplates', credentials: DGL_CREDENTIALS, responses, filter });
	const TEMPLATES = [
		{ id: 'tpl-invoice', name: 'Invoice', description: '', created_at: '2026-01-01T00:00:00Z' },
		{ id: 'tpl-letter', name: 'Cover letter' },
		{ id: 42 },
		{ name: 'no id' },
	];

	test('GET /templates/ with the API key, each template by its name (its ID without one)', async () => {
		const { result, requests } = await search([json(TEMPLATES)]);
		expect(requests.map((r) => shape(r, ['X-API-Key']))).toEqual([
			{ via: 'auth', method: 'GET', url: `${DGL_API}/templates/`, body: undefined, headers: { 'X-API-Key': 'dgl-key-SECRET' } },
		]);
		expect(result).toEqual({
			results: [
				{ name: 'Invoice', value: 'tpl-invoice' },
				{ name: 'Cover letter', value: 'tpl-letter' },
				{ name: '42', value: '42' },
			],
		});
	});

	test('a list wrapped in an object, and the search', async () => {
		const { result } = await search([json({ templates: TEMPLATES })], 'LETTER');
		expect(result).toEqual({ results: [{ name: 'Cover letter', value: 'tpl-letter' }] });
	});

	test('a rate limit is a clear error naming DocGenLab and the status', async () => {
		const limited = json({ detail: 'Rate limit exceeded. Try again later.' }, 429);
		const { error } = await search([limited, limited, limited, limited, limited, limited]);
		expect(error?.message).toMatch(/^DocGenLab answered HTTP 429/);
	});

	test('an answer that is not a list says so', async () => {
		const { error } = await search([json('maintenance')]);
		expect(error?.message).toBe('DocGenLab answered GET /templates/ without a template list');
	});
});

describe('execute reads a version 1 text field and a version 1.1 locator alike', () => {
	const rfParameters = { resource: 'file', operation: 'generateAsync', version: 2, contentFileName: 'invoice-1', params: '{}' };
	const accepted = { status: 202, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requestId: 'req-1' }) };

	test.each([
		['version 1 text', 'design_1'],
		['From List', locator('design_1')],
		['By ID', locator(' design_1 ', 'id')],
	])('ReportFlow Generate (Async) with %s sends designId design_1', async (_shape, designId) => {
		const { requests } = await runAction({ node: reportFlow, parameters: { ...rfParameters, designId }, credentials: RF_CREDENTIALS, responses: [accepted] });
		expect(requests[0].options.body).toMatchObject({ designId: 'design_1', version: 2 });
	});

	test('ReportFlow Get Parameters puts a locator\'s ID in the path, checked like any ID', async () => {
		const parameters = { resource: 'template', operation: 'getParameters', designId: locator('design_1', 'id') };
		const { requests } = await runAction({ node: reportFlow, parameters, credentials: RF_CREDENTIALS, responses: [json([])] });
		expect(shape(requests[0]).url).toBe(`${RF_API}/file/design/parameter/design_1`);
		const refused = await runActionError({ node: reportFlow, parameters: { ...parameters, designId: locator('../file/designs', 'id') }, credentials: RF_CREDENTIALS });
		expect(refused.error.message).toMatch(/Template ID "..\/file\/designs" is not a valid ID/);
		expect(refused.requests).toEqual([]);
	});

	test.each([
		['version 1 text', 'tpl-invoice'],
		['From List', locator('tpl-invoice')],
	])('DocGenLab Generate with %s sends template_id tpl-invoice', async (_shape, templateId) => {
		const parameters = { resource: 'document', operation: 'generate', templateId, inputJson: '{}' };
		const { requests } = await runAction({ node: docGenLab, parameters, credentials: DGL_CREDENTIALS, responses: [json({ id: 'doc-1', status: 'queued' }, 201)] });
		expect(requests[0].options.body).toMatchObject({ template_id: 'tpl-invoice' });
	});

	test('an empty locator is refused before any request', async () => {
		const parameters = { resource: 'document', operation: 'generate', templateId: locator(''), inputJson: '{}' };
		const { error, requests } = await runActionError({ node: docGenLab, parameters, credentials: DGL_CREDENTIALS });
		expect(error.message).toBe('Template ID is empty');
		expect(requests).toEqual([]);
	});
});

describe('By ID validation', () => {
	// n8n anchors the pattern as ^…$ (node-helpers validateResourceLocatorParameter).
	const byId = new RegExp(`^${SAFE_ID_PATTERN}$`);

	test.each(['design_123', 'template-xyz', 'a.b.c', 'cuid~1', '3f2b9c4e-8a1d-4c6f-9b2e-7d5a1e0c9f3a', '..', 'a..b', '.a', 'a.', 'a/b', 'a b', '%2e', ''])(
		'%p: the editor\'s check agrees with the one every operation applies',
		(value) => {
			expect(byId.test(value)).toBe(isSafeId(value));
		},
	);
});
