/**
 * The README's "add a service" claim, proven: the sample service of test/sample-service,
 * plugged in through its folder and the registry alone (test/harness/variant.ts), packed and
 * installed into a real n8n, gets a trigger that verifies its HMAC signature over the raw body
 * and an action that downloads the document from the (fake) service's API with the API key.
 *
 * One n8n version only (the first under test): the variant is a second build and a second
 * n8n install next to the suites' own, and what it proves does not depend on the version.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';

import { N8nInstance } from '../harness/n8n';
import { installPackageInto } from '../harness/package';
import { scratchDir } from '../harness/scratch';
import { packSampleVariant } from '../harness/variant';
import { repoRoot, versionsUnderTest } from '../harness/versions';
import { PACKAGE, linearWorkflow, newWebhookId, triggerNode } from '../harness/workflows';
import { createTestCa, makePdf } from '../providers';
import { itemsOf, jsonOf, sha256 } from './support';

const SECRET = 'sample-docs-signing-secret-0123456789abcdef';
const API_KEY = 'sample-docs-api-key-0123456789';
const PDF = makePdf({ sizeBytes: 20_000, title: 'Sample Docs document' });

/** The service's API: GET /v1/documents/{id}/file with the API key answers the PDF. */
async function startSampleApi(requests: Array<{ path: string; apiKey: string | undefined }>): Promise<{ api: Server; port: number }> {
	const ca = await createTestCa(join(repoRoot, '.cache', 'test-ca'));
	const api = createServer({ cert: ca.certPem, key: ca.keyPem }, (req, res) => {
		const apiKey = req.headers['x-api-key'] as string | undefined;
		requests.push({ path: req.url ?? '', apiKey });
		if (apiKey !== API_KEY) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
		if (req.method !== 'GET' || req.url !== '/v1/documents/doc_123/file') return void res.writeHead(404).end();
		res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(PDF.length) }).end(PDF);
	});
	await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
	return { api, port: (api.address() as { port: number }).port };
}

/** Sample Docs Trigger → Sample Docs Download, with one credential holding the API key and the signing secret. */
async function createSampleWorkflow(n8n: N8nInstance, hook: string, apiPort: number): Promise<string> {
	const credentialName = 'Sample Docs (fake)';
	const credentialId = await n8n.createCredential({
		name: credentialName,
		type: 'sampleDocsApi',
		data: { apiKey: API_KEY, signingSecret: SECRET, baseUrl: `https://127.0.0.1:${apiPort}/v1` },
	});
	const credentials = { sampleDocsApi: { id: credentialId, name: credentialName } };
	return await n8n.createWorkflow(
		linearWorkflow('Sample Docs: trigger → download', [
			triggerNode('sampleDocsTrigger', hook, {}, credentials),
			{
				name: 'Download',
				type: `${PACKAGE}.sampleDocs`,
				typeVersion: 1,
				parameters: { resource: 'document', operation: 'download', downloadOptions: { allowPrivateNetwork: true } },
				credentials,
			},
		]),
	);
}

const [version] = versionsUnderTest();

describe(`a sixth service added through the registry alone, on n8n ${version}`, () => {
	let n8n: N8nInstance;
	let api: Server;
	let apiPort = 0;
	const apiRequests: Array<{ path: string; apiKey: string | undefined }> = [];
	let webhookUrl = '';
	let workflowId = '';

	beforeAll(async () => {
		const tarball = packSampleVariant();
		const userFolder = scratchDir(`n8n-sample-${version}-`);
		installPackageInto(join(userFolder, '.n8n', 'nodes'), tarball);

		({ api, port: apiPort } = await startSampleApi(apiRequests));

		n8n = await N8nInstance.start({ version, userFolder });
		const hook = newWebhookId();
		workflowId = await createSampleWorkflow(n8n, hook, apiPort);
		webhookUrl = n8n.webhookUrl(hook);
		await n8n.waitForWebhook(webhookUrl);
	});

	afterAll(async () => {
		await n8n?.stop();
		await new Promise((resolve) => (api ? api.close(resolve) : resolve(undefined)));
	});

	afterEach(() => {
		const state = expect.getState();
		if (state.assertionCalls !== state.numPassingAsserts && n8n) process.stderr.write(`n8n ${version} log tail:\n${n8n.logTail(80)}\n`);
	});

	const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

	test('a forged delivery gets 401 and starts nothing; a signed one runs and downloads the file with the API key', async () => {
		const body = JSON.stringify({ event: 'document.ready', documentId: 'doc_123', timestamp: new Date().toISOString() });
		const forged = await n8n.postWebhook(webhookUrl, body, { 'x-sample-signature': sign('not-the-secret', body) });
		expect([forged.status, forged.json()]).toEqual([401, { error: 'Unauthorized' }]);
		const unsigned = await n8n.postWebhook(webhookUrl, body);
		expect(unsigned.status).toBe(401);
		const tampered = await n8n.postWebhook(webhookUrl, body.replace('doc_123', 'doc_124'), { 'x-sample-signature': sign(SECRET, body) });
		expect(tampered.status).toBe(401);

		const genuine = await n8n.postWebhook(webhookUrl, body, { 'x-sample-signature': sign(SECRET, body) });
		expect(genuine.status).toBe(200);
		const executions = await n8n.waitForExecutions(workflowId, 1, { includeData: true });
		// The three refused deliveries came first: the one execution is the genuine delivery's.
		expect(executions).toHaveLength(1);
		const [execution] = executions;
		expect(execution.status).toBe('success');
		expect(jsonOf(execution, 'Trigger')[0]).toMatchObject({ event: 'document.ready', documentId: 'doc_123' });
		const [downloaded] = itemsOf(execution, 'Download');
		expect(downloaded.binary!.data).toMatchObject({ mimeType: 'application/pdf' });
		expect(sha256(await n8n.binaryBytes(downloaded.binary!.data))).toBe(createHash('sha256').update(PDF).digest('hex'));
		expect(apiRequests).toEqual([{ path: '/v1/documents/doc_123/file', apiKey: API_KEY }]);
	});
});
