/**
 * Issue 15 in a real n8n, one test per class: what a forger, replayer or prober gets, and that
 * none of it starts an execution (the genuine delivery sent last is the only one that does).
 */
import { createHmac } from 'node:crypto';
import { join } from 'node:path';

import { N8nInstance } from '../harness/n8n';
import { repoRoot, versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, triggerNode } from '../harness/workflows';
import { createTestCa, sendWebhook, startFakeProviders, type FakeProviders } from '../providers';

const GORILLA_SECRET = 'pdfg-secret-security-e2e-0123456789abcdef0123';
const DOCFLO_SECRET = 'docflo-signing-secret-security-e2e';
const hmac = (secret: string, body: Buffer | string) => createHmac('sha256', secret).update(body).digest('hex');

describe.each(versionsUnderTest())('security hardening on n8n %s', (version) => {
	let n8n: N8nInstance;
	let fake: FakeProviders;
	const t: Record<string, { workflowId: string; url: string }> = {};

	async function addTrigger(key: string, type: string, parameters: Record<string, unknown>, credentials?: Record<string, { id: string; name: string }>) {
		const hook = newWebhookId();
		const workflowId = await n8n.createWorkflow(linearWorkflow(`security ${key}`, [triggerNode(type, hook, parameters, credentials)]));
		t[key] = { workflowId, url: n8n.webhookUrl(hook) };
	}
	async function credential(name: string, type: string, data: Record<string, unknown>) {
		return await n8n.createNodeCredential({ name, type, data });
	}
	const post = async (key: string, body: Buffer | string, headers: Record<string, string> = {}) =>
		await n8n.postWebhook(t[key].url, body, { 'content-type': 'application/json', ...headers });
	/** After the refused ones, one genuine delivery: exactly one execution means none of the others ran. */
	async function onlyTheGenuineRan(key: string, expected = 1) {
		await n8n.waitForExecutions(t[key].workflowId, expected);
		const all = await n8n.executions(t[key].workflowId);
		expect(all).toHaveLength(expected);
	}
	const trigger = (e: { data?: { resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>> } } }) =>
		e.data!.resultData.runData.Trigger[0].data!.main[0]!.map((i) => i.json);

	beforeAll(async () => {
		const ca = await createTestCa(join(repoRoot, '.cache', 'test-ca'));
		fake = await startFakeProviders({ tls: ca });
		n8n = await N8nInstance.start({ version });
		const gorilla = await credential('PDF Gorilla', 'pdfGorillaApi', { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: GORILLA_SECRET, baseUrl: fake.baseUrl('pdfgorilla') });
		const docflo = await credential('Docflo webhook', 'docfloWebhookApi', { signingSecret: DOCFLO_SECRET, incomingAuthentication: 'none' });
		const docgenlab = await credential('DocGenLab', 'docGenLabApi', { apiKey: fake.credentials.docgenlab.apiKey, baseUrl: fake.baseUrl('docgenlab') });
		await addTrigger('gorilla', 'pdfGorillaTrigger', {}, gorilla);
		await addTrigger('docflo', 'docfloTrigger', {}, docflo);
		// 6 a minute, of which one sender alone may spend half (issue 23's fair share): the three calls below.
		await addTrigger('docgenlab', 'docGenLabTrigger', { options: { confirmWithApi: true, confirmCallsPerMinute: 6 } }, docgenlab);
		await addTrigger('reportflow', 'reportFlowTrigger', {});
		for (const trig of Object.values(t)) await n8n.waitForWebhook(trig.url);
	});
	afterAll(async () => {
		await n8n?.stop();
		await fake?.close();
	});
	afterEach(() => {
		const state = expect.getState();
		if (state.assertionCalls !== state.numPassingAsserts) process.stderr.write(`n8n ${version} log tail:\n${n8n.logTail(80)}\n`);
	});

	test('classes 2, 3, 7 — fuzzed PDF Gorilla and Docflo deliveries, a days-old signed body: 401 Unauthorized, no execution', async () => {
		const now = new Date(Date.now() - 60_000).toISOString();
		const cases = [
			{ key: 'gorilla', header: 'x-pdfg-signature', prefix: '', secret: GORILLA_SECRET, body: JSON.stringify({ jobId: 'cmsec1', status: 'completed', downloadUrl: null, total: 0, note: 'null', timestamp: now }) },
			{ key: 'docflo', header: 'x-docflo-signature', prefix: 'sha256=', secret: DOCFLO_SECRET, body: JSON.stringify({ event: 'document.processed', timestamp: now, doc: { _id: 'secdoc1', status: 'ANALYZED', total: null, zero: 0 } }) },
		];
		for (const c of cases) {
			const signature = c.prefix + hmac(c.secret, c.body);
			const unauthorized = [401, { error: 'Unauthorized' }];
			const mutations: Array<[string, Buffer | string, string, unknown[]]> = [
				['1e400 for null', c.body.replace('null', '1e400'), signature, unauthorized],
				['-0 for 0', c.body.replace(':0', ':-0'), signature, unauthorized],
				['a changed value', c.body.replace('"status":"', '"status":"x'), signature, unauthorized],
				// Not JSON any more: n8n's own body parser answers 422 before the node runs.
				['UTF-16', Buffer.from(c.body, 'utf16le'), signature, [422, expect.anything()]],
				['another secret', c.body, c.prefix + hmac('another-secret', c.body), unauthorized],
				['no signature', c.body, '', unauthorized],
				['a days-old timestamp, signed', c.body.replace(now, '2026-01-01T00:00:00.000Z'), c.prefix + hmac(c.secret, c.body.replace(now, '2026-01-01T00:00:00.000Z')), unauthorized],
			];
			for (const [what, body, sig, expected] of mutations) {
				const res = await post(c.key, body, sig ? { [c.header]: sig } : {});
				expect([what, res.status, res.status === 422 ? res.text : res.json()]).toEqual([what, ...expected]);
			}
			expect((await post(c.key, c.body, { [c.header]: signature })).status).toBe(200);
			await onlyTheGenuineRan(c.key);
		}
	});

	test('class 1 — a forged DocGenLab delivery for a real job runs with the API\'s data, not its URL; probes all look alike', async () => {
		const doc = fake.docgenlab.createDocument({ status: 'ready' });
		const pending = fake.docgenlab.createDocument({ status: 'rendering' });
		const forged = { ...fake.docgenlab.webhookPayload(doc.id), download_url: 'https://storage.googleapis.com/attacker/evil.pdf' };
		const missing = await sendWebhook('docgenlab', t.docgenlab.url, { ...forged, job_id: 'no-such-document' });
		const early = await sendWebhook('docgenlab', t.docgenlab.url, { ...forged, job_id: pending.id });
		expect([missing.status, missing.json]).toEqual([401, { error: 'Unauthorized' }]);
		expect([early.status, early.json]).toEqual([401, { error: 'Unauthorized' }]);
		expect((await sendWebhook('docgenlab', t.docgenlab.url, forged)).status).toBe(200);
		const [execution] = await n8n.waitForExecutions(t.docgenlab.workflowId, 1, { includeData: true });
		expect(trigger(execution)[0]).toMatchObject({ jobId: doc.id, downloadUrl: null, confirmed: true });
		expect(JSON.stringify(trigger(execution))).not.toContain('attacker');
		// This sender's share (3 of the 6 a minute) is spent: more forgeries get 503 without an API call.
		fake.clearRequests();
		const flood = await sendWebhook('docgenlab', t.docgenlab.url, { ...forged, job_id: 'flood-1' });
		expect([flood.status, flood.json]).toEqual([503, { error: 'Service unavailable, try again later' }]);
		expect(fake.requests({ service: 'docgenlab', path: '/docgenlab/api/v1/documents/' })).toHaveLength(0);
	});

	test('class 4 — two genuine Docflo changes of one document in the same second are two executions; a retry of one is a duplicate', async () => {
		const stamp = new Date(Date.now() - 1000).toISOString();
		const a = JSON.stringify({ event: 'document.status_changed', timestamp: stamp, doc: { _id: 'secdoc2', status: 'APPROVED' } });
		const b = JSON.stringify({ event: 'document.status_changed', timestamp: stamp, doc: { _id: 'secdoc2', status: 'REJECTED' } });
		const before = (await n8n.executions(t.docflo.workflowId)).length;
		const answers = [];
		for (const body of [a, b, a]) answers.push((await post('docflo', body, { 'x-docflo-signature': 'sha256=' + hmac(DOCFLO_SECRET, body) })).json());
		expect(answers).toEqual([{ received: true }, { received: true }, { received: true, started: false, reason: 'duplicate' }]);
		await onlyTheGenuineRan('docflo', before + 2);
	});

	test('classes 5, 6 — path-steering IDs, over-size, over-deep and over-wide bodies get 4xx with a message', async () => {
		const stamp = new Date().toISOString();
		const event = (files: unknown[]) => JSON.stringify({ event: 'file.completed', timestamp: stamp, workspaceId: 'ws', designId: 'd', version: 1, files });
		const dots = await post('reportflow', event([{ fileId: '..', uuid: 'u1' }]));
		expect([dots.status, dots.json()]).toEqual([400, { error: 'Not a ReportFlow event: files[0].fileId is not a ReportFlow file ID' }]);
		const wide = await post('reportflow', event(Array.from({ length: 101 }, (_, i) => ({ fileId: `f${i}`, uuid: 'u1' }))));
		expect(wide.status).toBe(400);
		expect(wide.json()).toEqual({ error: expect.stringContaining('at most 100 per event') });
		const deep = await post('reportflow', `{"event":"file.completed","x":${'['.repeat(40)}${']'.repeat(40)}}`);
		expect([deep.status, deep.json()]).toEqual([400, { error: 'Request body nests objects and arrays more than 32 levels deep' }]);
		const big = await post('reportflow', event([{ fileId: 'f1', uuid: 'u1', params: { x: 'y'.repeat(3 * 1024 * 1024) } }]));
		expect(big.status).toBe(413);
		expect(big.json()).toEqual({ error: expect.stringContaining('at most 2097152 bytes') });
		expect((await post('reportflow', event([{ fileId: 'f1', uuid: 'u1' }]))).status).toBe(200);
		await onlyTheGenuineRan('reportflow');
	});
});
