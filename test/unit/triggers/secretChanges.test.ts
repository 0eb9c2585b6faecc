/**
 * Changing a trigger's secret while deliveries flow, at the node level: the triggers remember a
 * credential's secrets for a few seconds (core/delivery/credentialMemory.ts) instead of reading
 * the credential for every delivery, and must still behave as users expect:
 * - a delivery signed with a new secret is accepted the first time it arrives;
 * - a removed secret stops verifying within CREDENTIAL_MEMORY.maxAgeMs;
 * - Previous Secret rotation works as before;
 * - forged deliveries read the credential at most once per rereadIntervalMs.
 * The real-n8n side (the credential changed through n8n's API) is test/e2e/secret-rotation.test.ts.
 */
import type { ICredentialDataDecryptedObject, INodeType } from 'n8n-workflow';

import { CREDENTIAL_MEMORY, credentialMemory } from '../../../core/delivery/credentialMemory';
import { DocfloTrigger } from '../../../nodes/Docflo/DocfloTrigger.node';
import { PdfGorillaTrigger } from '../../../nodes/PdfGorilla/PdfGorillaTrigger.node';
import { PdfSignTrigger } from '../../../nodes/PdfSign/PdfSignTrigger.node';
import { expectNoLeak, expectRejected, expectStarted, newWorkflowId, runWebhook, type RequestInit, type WebhookRun } from './context';
import {
	CURRENT_SECRET,
	DOCFLO_CREDENTIALS,
	DOCFLO_DOCUMENT_PROCESSED,
	GORILLA_CREDENTIALS,
	PDF_GORILLA_COMPLETED,
	PDF_SIGN_CREDENTIALS,
	PDF_SIGN_GENERATED,
	UNRELATED_SECRET,
	docfloRequest,
	gorillaRequest,
	json,
	pdfSignRequest,
} from './vectors';

/** The node id test/unit/triggers/context.ts gives a trigger node. */
const NODE_ID = 'b7c1f6e2-0000-4000-8000-000000000001';
const NEW_SECRET = 'whsec_rotated_0f1e2d3c4b5a69788796a5b4c3d2e1f0';

interface Case {
	name: string;
	trigger: INodeType;
	type: string;
	secretField: string;
	previousField: string;
	credentials: (data?: ICredentialDataDecryptedObject) => Record<string, ICredentialDataDecryptedObject>;
	body: string;
	request: (body: string, secret: string) => RequestInit;
}

const CASES: Case[] = [
	{ name: 'PDF Gorilla (HMAC)', trigger: new PdfGorillaTrigger(), type: 'pdfGorillaApi', secretField: 'webhookSecret', previousField: 'previousWebhookSecret', credentials: GORILLA_CREDENTIALS, body: PDF_GORILLA_COMPLETED, request: gorillaRequest },
	{ name: 'Docflo (HMAC)', trigger: new DocfloTrigger(), type: 'docfloWebhookApi', secretField: 'signingSecret', previousField: 'previousSigningSecret', credentials: DOCFLO_CREDENTIALS, body: DOCFLO_DOCUMENT_PROCESSED, request: (body, secret) => docfloRequest(body, secret) },
	{ name: 'PDF-Sign (shared secret)', trigger: new PdfSignTrigger(), type: 'pdfSignWebhookApi', secretField: 'webhookSecret', previousField: 'previousWebhookSecret', credentials: PDF_SIGN_CREDENTIALS, body: PDF_SIGN_GENERATED, request: pdfSignRequest },
];

/** Date.now under the test's control (the memory's clock); the replay window is off in these deliveries. */
let now = Date.parse('2026-04-06T10:05:00.000Z');
beforeEach(() => {
	jest.spyOn(Date, 'now').mockImplementation(() => now);
});
afterEach(() => jest.restoreAllMocks());

/** One trigger node of one saved workflow, its credential (changeable) and a read counter. */
function setUp(c: Case, options: Record<string, unknown> = {}) {
	const credentials = c.credentials();
	const reads = { count: 0 };
	const workflowId = newWorkflowId('rotation');
	const deliver = async (secret: string): Promise<WebhookRun> =>
		await runWebhook(c.trigger, {
			workflowId,
			credentials,
			credentialIds: { [c.type]: 'cred-1' },
			credentialReads: reads,
			parameters: { options: { maxTimestampAgeSeconds: 0, deduplicate: false, ...options } },
			request: c.request(c.body, secret),
		});
	const change = (data: ICredentialDataDecryptedObject) => {
		credentials[c.type] = { ...credentials[c.type], ...data };
	};
	/** Deleted in n8n: getCredentials throws from now on. */
	const remove = () => {
		delete credentials[c.type];
	};
	return { deliver, change, remove, reads, workflowId };
}

describe.each(CASES)('$name Trigger: a changed secret', (c) => {
	const started = (run: WebhookRun) => expectStarted(run, [expect.objectContaining({ payload: json(c.body) }) as never]);

	test('deliveries within the memory time share one credential read', async () => {
		const { deliver, reads } = setUp(c);
		for (let i = 0; i < 5; i++, now += 100) started(await deliver(CURRENT_SECRET));
		expect(reads.count).toBe(1);
	});

	test('Include Request Headers redacts with the same remembered read: no second credential read per delivery', async () => {
		const { deliver, reads } = setUp(c, { includeHeaders: true });
		for (let i = 0; i < 3; i++, now += 100) {
			const run = await deliver(CURRENT_SECRET);
			started(run);
			expect(run.result.workflowData?.[0][0].json.headers).toBeDefined();
			expectNoLeak(run, [CURRENT_SECRET]);
		}
		expect(reads.count).toBe(1);
	});

	test('a delivery signed with a new secret is accepted the first time it arrives', async () => {
		const { deliver, change, reads } = setUp(c);
		started(await deliver(CURRENT_SECRET));
		now += 100;
		change({ [c.secretField]: NEW_SECRET });
		started(await deliver(NEW_SECRET));
		expect(reads.count).toBe(2);
		// And from then on without another read.
		now += 100;
		started(await deliver(NEW_SECRET));
		expect(reads.count).toBe(2);
	});

	test(`a removed secret stops verifying within ${CREDENTIAL_MEMORY.maxAgeMs / 1000} s`, async () => {
		const { deliver, change } = setUp(c);
		started(await deliver(CURRENT_SECRET));
		change({ [c.secretField]: NEW_SECRET });
		now += CREDENTIAL_MEMORY.maxAgeMs - 1;
		started(await deliver(CURRENT_SECRET));
		now += 1;
		const run = await deliver(CURRENT_SECRET);
		expectRejected(run, 401);
		expectNoLeak(run, [CURRENT_SECRET, NEW_SECRET]);
	});

	test('Previous Secret: both verify while rotating; the old one stops within the memory time once cleared', async () => {
		const { deliver, change } = setUp(c);
		started(await deliver(CURRENT_SECRET));
		now += 100;
		change({ [c.secretField]: NEW_SECRET, [c.previousField]: CURRENT_SECRET });
		started(await deliver(NEW_SECRET));
		started(await deliver(CURRENT_SECRET));
		now += CREDENTIAL_MEMORY.maxAgeMs;
		started(await deliver(CURRENT_SECRET));
		change({ [c.previousField]: '' });
		now += CREDENTIAL_MEMORY.maxAgeMs;
		expectRejected(await deliver(CURRENT_SECRET), 401);
		started(await deliver(NEW_SECRET));
	});

	test('a deleted credential: deliveries are refused within the memory time, and nothing of it stays in memory', async () => {
		const { deliver, remove, workflowId } = setUp(c);
		started(await deliver(CURRENT_SECRET));
		remove();
		now += CREDENTIAL_MEMORY.maxAgeMs - 1;
		started(await deliver(CURRENT_SECRET));
		now += 1;
		const run = await deliver(CURRENT_SECRET);
		expectRejected(run, 401);
		expect(run.logs.join('\n')).toContain('Select a');
		// Nothing remembered for this node and credential: asking the memory reads.
		const reader = jest.fn(async () => undefined);
		await credentialMemory.current(`${workflowId}/${NODE_ID}/${c.type}:cred-1`, reader, now);
		expect(reader).toHaveBeenCalledTimes(1);
	});

	test(`forged deliveries read the credential at most once per ${CREDENTIAL_MEMORY.rereadIntervalMs / 1000} s`, async () => {
		const { deliver, reads } = setUp(c);
		started(await deliver(CURRENT_SECRET));
		// 200 forged deliveries over 2 seconds.
		for (let i = 0; i < 200; i++, now += 10) expectRejected(await deliver(UNRELATED_SECRET), 401);
		expect(reads.count).toBeLessThanOrEqual(1 + 2 + 1);
	});

	test('only the fields the checks need are remembered, never the rest of the credential', async () => {
		const spy = jest.spyOn(credentialMemory, 'current');
		const { deliver } = setUp(c);
		started(await deliver(CURRENT_SECRET));
		const remembered = await spy.mock.results[0].value;
		expect(Object.keys(remembered.fields)).toEqual(expect.arrayContaining([c.secretField]));
		expect(JSON.stringify(remembered.fields)).not.toContain('pg_test_key');
		expect(Object.keys(remembered.fields)).not.toContain('apiKey');
		expect(Object.keys(remembered.fields)).not.toContain('baseUrl');
	});

	test('while the editor listens for a test event, every delivery reads the credential', async () => {
		const credentials = c.credentials();
		const reads = { count: 0 };
		const workflowId = newWorkflowId('manual');
		const deliver = async (secret: string) =>
			await runWebhook(c.trigger, {
				mode: 'manual',
				workflowId,
				credentials,
				credentialIds: { [c.type]: 'cred-1' },
				credentialReads: reads,
				parameters: { options: { maxTimestampAgeSeconds: 0 } },
				request: c.request(c.body, secret),
			});
		expect((await deliver(CURRENT_SECRET)).result.workflowData).toHaveLength(1);
		credentials[c.type] = { ...credentials[c.type], [c.secretField]: NEW_SECRET };
		// The old secret stops at once: nothing is remembered for the editor's test listener.
		expectRejected(await deliver(CURRENT_SECRET), 401);
		expect(reads.count).toBe(2);
	});

});
