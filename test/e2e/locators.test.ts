/**
 * The Template pickers (node version 1.1) in real n8n: the editor's "From List" request
 * (POST /rest/dynamic-node-parameters/resource-locator-results, as n8n's editor sends it) runs
 * the node's list search with the chosen credential against the fake services, searches,
 * and reports a refused key clearly; a version 1.1 node saved with a picked template runs.
 * Version 1 nodes with a text Template ID are covered by reportflow.test.ts and docgenlab.test.ts.
 */
import { httpRequest, type HttpResponse } from '../harness/http';
import { versionsUnderTest } from '../harness/versions';
import { PACKAGE } from '../harness/workflows';
import { errorOf, jsonOf, startedFlow, useStack } from './support';

type Credentials = Record<string, { id: string; name: string }>;

const picked = (value: string, cachedResultName: string) => ({ __rl: true, mode: 'list', value, cachedResultName });

describe.each(versionsUnderTest())('Template pickers on n8n %s', (version) => {
	const stack = useStack(version);
	const credentials: Record<'reportFlow' | 'reportFlowWrong' | 'docGenLab' | 'docGenLabWrong', Credentials> = {} as never;

	beforeAll(async () => {
		const { n8n, fake } = stack;
		const create = async (type: string, name: string, data: Record<string, unknown>): Promise<Credentials> => await n8n.createNodeCredential({ name, type, data });
		const reportFlowBase = `${fake.origin}${new URL(fake.baseUrl('reportflow')).pathname}`;
		credentials.reportFlow = await create('reportFlowApi', 'ReportFlow (fake)', { environment: 'custom', baseUrl: reportFlowBase, apiKey: fake.credentials.reportflow.appKey });
		credentials.reportFlowWrong = await create('reportFlowApi', 'ReportFlow (wrong key)', { environment: 'custom', baseUrl: reportFlowBase, apiKey: 'ak_wrong_e2e_0123456789abcdef' });
		credentials.docGenLab = await create('docGenLabApi', 'DocGenLab (fake)', { apiKey: fake.credentials.docgenlab.apiKey, baseUrl: fake.baseUrl('docgenlab') });
		credentials.docGenLabWrong = await create('docGenLabApi', 'DocGenLab (wrong key)', { apiKey: 'dgl_wrong_0000000000000000000000', baseUrl: fake.baseUrl('docgenlab') });
	});

	/** What the editor posts when "From List" opens or its search box changes. */
	async function listSearch(node: 'reportFlow' | 'docGenLab', credential: Credentials, filter?: string): Promise<HttpResponse> {
		const [path, methodName, parameters] =
			node === 'reportFlow'
				? ['designId', 'searchDesigns', { resource: 'file', operation: 'generate', designId: { __rl: true, mode: 'list', value: '' } }]
				: ['templateId', 'searchTemplates', { resource: 'document', operation: 'generate', templateId: { __rl: true, mode: 'list', value: '' } }];
		return await httpRequest(`${stack.n8n.baseUrl}/rest/dynamic-node-parameters/resource-locator-results`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: stack.n8n.ownerCookie },
			body: JSON.stringify({
				nodeTypeAndVersion: { name: `${PACKAGE}.${node}`, version: 1.1 },
				path,
				methodName,
				currentNodeParameters: parameters,
				credentials: credential,
				...(filter === undefined ? {} : { filter }),
			}),
		});
	}

	const resultsOf = (res: HttpResponse) => (res.json() as { data: { results: Array<{ name: string; value: string }> } }).data.results;

	test('ReportFlow: the workspace\'s designs by label, searchable', async () => {
		const all = await listSearch('reportFlow', credentials.reportFlow);
		expect(all.status).toBe(200);
		expect(resultsOf(all)).toEqual(stack.fake.reportflow.designs.map((design) => ({ name: design.label, value: design.id })));
		const found = await listSearch('reportFlow', credentials.reportFlow, 'quotation');
		expect(resultsOf(found)).toEqual([{ name: '見積書 (Quotation)', value: 'design_456' }]);
	});

	test('DocGenLab: the organisation\'s templates by name, searchable', async () => {
		const all = await listSearch('docGenLab', credentials.docGenLab);
		expect(all.status).toBe(200);
		expect(resultsOf(all)).toEqual(stack.fake.docgenlab.templates.map((template) => ({ name: template.name, value: template.id })));
		expect(resultsOf(await listSearch('docGenLab', credentials.docGenLab, 'CONTRACT'))).toEqual([{ name: 'Contract', value: 'template-contract' }]);
	});

	test.each([
		['reportFlow', 'reportFlowWrong', /ReportFlow answered HTTP 401/],
		['docGenLab', 'docGenLabWrong', /DocGenLab answered HTTP 401/],
	] as const)('%s: a refused key reaches the editor as a clear error', async (node, credential, message) => {
		const res = await listSearch(node, credentials[credential]);
		expect(res.status).toBeGreaterThanOrEqual(400);
		// The editor's "Could not load list" shows httpCode, message and description from this body.
		const body = res.json() as { message?: string; description?: string; httpCode?: string };
		expect(body.message).toMatch(message);
		expect(body.httpCode).toBe('401');
		expect(body.description).toMatch(/^Check the API key in the credential\./);
		expect(res.text).not.toContain('ak_wrong_e2e_0123456789abcdef');
		expect(res.text).not.toContain('dgl_wrong_0000000000000000000000');
	});

	test('version 1.1 nodes saved with a template From List or By ID run (Get Parameters, Generate, Generate and Wait)', async () => {
		const flow = await startedFlow(stack.n8n, 'Pickers', [
			{
				name: 'Parameters',
				type: `${PACKAGE}.reportFlow`,
				typeVersion: 1.1,
				parameters: { resource: 'template', operation: 'getParameters', designId: { __rl: true, mode: 'id', value: 'design_456' } },
				credentials: credentials.reportFlow,
			},
			{
				name: 'Generate',
				type: `${PACKAGE}.docGenLab`,
				typeVersion: 1.1,
				parameters: { resource: 'document', operation: 'generate', templateId: picked('template-contract', 'Contract'), inputJson: '{"customer": "ACME"}' },
				credentials: credentials.docGenLab,
			},
			{
				// No public URL here, so it polls (see generate-and-wait.test.ts for the callback).
				name: 'Generate and Wait',
				type: `${PACKAGE}.docGenLab`,
				typeVersion: 1.1,
				parameters: {
					resource: 'document',
					operation: 'generateAndWait',
					templateId: { __rl: true, mode: 'id', value: 'template-xyz' },
					inputJson: '{}',
					downloadOptions: { allowPrivateNetwork: true },
				},
				credentials: credentials.docGenLab,
			},
		]);
		const execution = await flow.run({});
		expect(errorOf(execution)).toBeUndefined();
		expect(JSON.stringify(jsonOf(execution, 'Parameters'))).toContain('customer');
		expect(jsonOf(execution, 'Generate')).toEqual([expect.objectContaining({ template_id: 'template-contract' })]);
		const [waited] = jsonOf(execution, 'Generate and Wait');
		expect(waited).toMatchObject({ status: 'ready' });
		expect(stack.fake.docgenlab.documents.get(String(waited.documentId))?.template_id).toBe('template-xyz');
	});
});
