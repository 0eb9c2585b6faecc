/**
 * What every trigger does alike, run against all five with each service's genuine delivery:
 * IP allowlist, dedupe switches, manual mode, the response contract.
 */
import { NodeOperationError, type ICredentialDataDecryptedObject, type INodeType } from 'n8n-workflow';

import { DocGenLabTrigger } from '../../../nodes/DocGenLab/DocGenLabTrigger.node';
import { DocfloTrigger } from '../../../nodes/Docflo/DocfloTrigger.node';
import { PdfGorillaTrigger } from '../../../nodes/PdfGorilla/PdfGorillaTrigger.node';
import { PdfSignTrigger } from '../../../nodes/PdfSign/PdfSignTrigger.node';
import { ReportFlowTrigger } from '../../../nodes/ReportFlow/ReportFlowTrigger.node';
import { type ContextInit, type RequestInit, atTimeOfVectors, createWebhookContext, expectAcknowledged, expectRejected, newWorkflowId, runWebhook, type WebhookRun } from './context';
import {
	DOCFLO_CREDENTIALS,
	DOCFLO_DOCUMENT_PROCESSED,
	DOCGENLAB_COMPLETED,
	GORILLA_CREDENTIALS,
	PDF_GORILLA_COMPLETED,
	PDF_SIGN_CREDENTIALS,
	PDF_SIGN_GENERATED,
	REPORTFLOW_FILE_COMPLETED,
	UNRELATED_SECRET,
	docfloRequest,
	gorillaRequest,
	pdfSignRequest,
	plainRequest,
} from './vectors';
import { triggerTypes } from '../../registry';

interface TriggerCase {
	name: string;
	trigger: INodeType;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	genuine: () => RequestInit;
	/** A delivery that fails the service's authenticity check, when it has one. */
	forged?: () => RequestInit;
	/** Events parameter that leaves out the genuine delivery's event. */
	deselected: string[];
	/** When the genuine delivery (the docs' example) was sent: the tests run then (replay window). */
	at: string;
}

const CASES: TriggerCase[] = [
	{
		name: 'reportFlowTrigger',
		trigger: new ReportFlowTrigger(),
		credentials: {},
		genuine: () => plainRequest(REPORTFLOW_FILE_COMPLETED),
		deselected: [],
		at: '2026-02-15T10:35:00.000Z',
	},
	{
		name: 'docGenLabTrigger',
		trigger: new DocGenLabTrigger(),
		credentials: {},
		genuine: () => plainRequest(DOCGENLAB_COMPLETED),
		deselected: [],
		at: '2024-01-15T10:35:00.000Z',
	},
	{
		name: 'docfloTrigger',
		trigger: new DocfloTrigger(),
		credentials: DOCFLO_CREDENTIALS(),
		genuine: () => docfloRequest(DOCFLO_DOCUMENT_PROCESSED),
		forged: () => docfloRequest(DOCFLO_DOCUMENT_PROCESSED, UNRELATED_SECRET),
		deselected: ['document.created', 'document.approved'],
		at: '2025-03-10T17:55:00.000Z',
	},
	{
		name: 'pdfGorillaTrigger',
		trigger: new PdfGorillaTrigger(),
		credentials: GORILLA_CREDENTIALS(),
		genuine: () => gorillaRequest(PDF_GORILLA_COMPLETED),
		forged: () => gorillaRequest(PDF_GORILLA_COMPLETED, UNRELATED_SECRET),
		deselected: ['failed', 'canceled'],
		at: '2026-04-06T10:05:00.000Z',
	},
	{
		name: 'pdfSignTrigger',
		trigger: new PdfSignTrigger(),
		credentials: PDF_SIGN_CREDENTIALS(),
		genuine: () => pdfSignRequest(PDF_SIGN_GENERATED),
		forged: () => pdfSignRequest(PDF_SIGN_GENERATED, UNRELATED_SECRET),
		deselected: ['pdf.failed', 'quota.warning', 'quota.exceeded'],
		at: '2024-01-15T10:35:00.000Z',
	},
];

const SENDER = '34.123.45.67';

function init(c: TriggerCase, extra: Partial<ContextInit> & { ip?: string; options?: Record<string, unknown> } = {}): ContextInit {
	const { ip, options, ...rest } = extra;
	return {
		credentials: c.credentials,
		...rest,
		parameters: { ...(rest.parameters ?? {}), ...(options ? { options } : {}) },
		request: { ...c.genuine(), ip: ip ?? SENDER },
	};
}

test('the cases cover every registered trigger', () => {
	expect(CASES.map((c) => c.name).sort()).toEqual(triggerTypes());
});

test('(control) the webhook context lets a trigger reach no n8n helper but its API confirmation', () => {
	const { context, helpersTouched } = createWebhookContext(CASES[0].trigger);
	expect(typeof context.helpers.httpRequestWithAuthentication).toBe('function');
	expect(() => context.helpers.httpRequest).toThrow('a trigger must answer without downloading');
	expect(() => context.helpers.prepareBinaryData).toThrow('a trigger must answer without downloading');
	expect(helpersTouched).toEqual(['httpRequest', 'prepareBinaryData']);
});

/** n8n's answer to an admitted delivery that counts as failed: an error status, or none before the connection closed. */
const FAILED_ANSWERS: Array<[string, (run: WebhookRun) => void]> = [
	['a 500 finish', (run) => run.answer(500)],
	['a close without finish', (run) => run.disconnect()],
];

describe.each(CASES)('$name', (c) => {
	atTimeOfVectors(c.at);
	test('genuine delivery starts with {received: true}, every item carrying the payload', async () => {
		const run = await runWebhook(c.trigger, init(c));
		expect(run.result.webhookResponse).toEqual({ received: true });
		expect(run.result.workflowData).toHaveLength(1);
		const items = run.result.workflowData![0];
		expect(items.length).toBeGreaterThan(0);
		const raw = JSON.parse(c.genuine().rawBody!.toString('utf8'));
		for (const item of items) expect(item.json.payload).toEqual(raw);
		expect(run.response.statusCalls).toEqual([]);
	});

	test('never downloads inside the webhook call: no n8n helper is reached, the item keeps the event for the action', async () => {
		// runWebhook fails for any helper the trigger reaches (see context.ts, strictHelpers).
		const run = await runWebhook(c.trigger, init(c));
		expect(run.result.workflowData).toHaveLength(1);
		expect(run.httpRequestWithAuthentication).not.toHaveBeenCalled();
	});

	if (c.forged) {
		const forged = c.forged;
		test('forged delivery: 401 {error}, noWebhookResponse, no workflowData', async () => {
			const run = await runWebhook(c.trigger, { credentials: c.credentials, request: forged() });
			expectRejected(run, 401);
			expect(run.logs.some((line) => line.includes('rejected a delivery (401)'))).toBe(true);
		});
	}

	describe('IP allowlist', () => {
		test('sender in the list → starts', async () => {
			const run = await runWebhook(c.trigger, init(c, { options: { allowedIpAddresses: `10.0.0.0/8, ${SENDER}` } }));
			expect(run.result.workflowData).toHaveLength(1);
		});

		test('sender inside a listed CIDR range → starts', async () => {
			const run = await runWebhook(c.trigger, init(c, { options: { allowedIpAddresses: '34.123.0.0/16' } }));
			expect(run.result.workflowData).toHaveLength(1);
		});

		test('sender not in the list → 403', async () => {
			const run = await runWebhook(c.trigger, init(c, { ip: '198.51.100.7', options: { allowedIpAddresses: SENDER } }));
			expectRejected(run, 403, 'Sender address is not in the IP allowlist');
		});

		test('IPv4-mapped IPv6 request ip (dual-stack socket) matches the IPv4 entry', async () => {
			const run = await runWebhook(c.trigger, init(c, { ip: `::ffff:${SENDER}`, options: { allowedIpAddresses: SENDER } }));
			expect(run.result.workflowData).toHaveLength(1);
		});

		test('IPv4-mapped IPv6 of another address → 403', async () => {
			const run = await runWebhook(c.trigger, init(c, { ip: '::ffff:198.51.100.7', options: { allowedIpAddresses: SENDER } }));
			expectRejected(run, 403);
		});

		test('IPv6 sender in an IPv6 range → starts; outside → 403', async () => {
			const allowed = await runWebhook(c.trigger, init(c, { ip: '2001:db8::1', options: { allowedIpAddresses: '2001:db8::/32' } }));
			expect(allowed.result.workflowData).toHaveLength(1);
			expectRejected(await runWebhook(c.trigger, init(c, { ip: '2001:db9::1', options: { allowedIpAddresses: '2001:db8::/32' } })), 403);
		});

		test('no request ip at all → 403', async () => {
			const base = init(c, { options: { allowedIpAddresses: SENDER } });
			const run = await runWebhook(c.trigger, { ...base, request: { ...base.request, ip: '' } });
			expectRejected(run, 403);
		});

		test('an invalid entry → 403 even for a listed sender (a typo must not open the trigger)', async () => {
			const run = await runWebhook(c.trigger, init(c, { options: { allowedIpAddresses: `${SENDER}, 34.123.45.678` } }));
			expectRejected(run, 403, 'IP Allowlist option is invalid');
		});

		test('an invalid entry in manual mode → NodeOperationError naming the entry', async () => {
			const attempt = runWebhook(c.trigger, init(c, { mode: 'manual', options: { allowedIpAddresses: '10.1.2.3/8' } }));
			await expect(attempt).rejects.toThrow(NodeOperationError);
			await expect(runWebhook(c.trigger, init(c, { mode: 'manual', options: { allowedIpAddresses: '10.1.2.3/8' } }))).rejects.toThrow(/10\.1\.2\.3\/8/);
		});

		test('the allowlist is checked first: a refused sender gets 403 for a body that would otherwise get 401 or 400', async () => {
			const refused = { ip: '198.51.100.7', options: { allowedIpAddresses: SENDER } };
			// Neither JSON nor signed: after the allowlist it would be 401 (signing services) or 400.
			const garbage = init(c, refused);
			expectRejected(await runWebhook(c.trigger, { ...garbage, request: { ...garbage.request, rawBody: Buffer.from('{not json'), body: {} } }), 403);
			if (c.forged) {
				const forged = init(c, refused);
				expectRejected(await runWebhook(c.trigger, { ...forged, request: { ...c.forged(), ip: '198.51.100.7' } }), 403);
			}
		});

		if (c.forged) {
			const forged = c.forged;
			test('an allowed sender with a forged delivery is still 401', async () => {
				const run = await runWebhook(c.trigger, {
					credentials: c.credentials,
					parameters: { options: { allowedIpAddresses: SENDER } },
					request: { ...forged(), ip: SENDER },
				});
				expectRejected(run, 401);
			});
		}

		test('white space only → no allowlist', async () => {
			const run = await runWebhook(c.trigger, init(c, { ip: '198.51.100.7', options: { allowedIpAddresses: '  \n ' } }));
			expect(run.result.workflowData).toHaveLength(1);
		});
	});

	describe('event filter', () => {
		test('the delivery\'s event deselected → {received, started:false, reason:filtered}', async () => {
			expectAcknowledged(await runWebhook(c.trigger, init(c, { parameters: { events: c.deselected } })), 'filtered');
		});

		test('manual mode applies the filter too', async () => {
			expectAcknowledged(await runWebhook(c.trigger, init(c, { mode: 'manual', parameters: { events: c.deselected } })), 'filtered');
		});
	});

	describe('dedupe', () => {
		test('the same delivery twice to one trigger → the second is a duplicate', async () => {
			const workflowId = newWorkflowId();
			expect((await runWebhook(c.trigger, init(c, { workflowId }))).result.workflowData).toHaveLength(1);
			expectAcknowledged(await runWebhook(c.trigger, init(c, { workflowId })), 'duplicate');
			expectAcknowledged(await runWebhook(c.trigger, init(c, { workflowId })), 'duplicate');
		});

		test('Deduplicate Retries off → both start, nothing stored', async () => {
			const workflowId = newWorkflowId();
			const options = { deduplicate: false };
			expect((await runWebhook(c.trigger, init(c, { workflowId, options }))).result.workflowData).toHaveLength(1);
			expect((await runWebhook(c.trigger, init(c, { workflowId, options }))).result.workflowData).toHaveLength(1);
			// Nor was anything recorded: with the option back on, the event still starts.
			expect((await runWebhook(c.trigger, init(c, { workflowId }))).result.workflowData).toHaveLength(1);
		});

		test('manual mode never dedupes and does not record either', async () => {
			const workflowId = newWorkflowId();
			expect((await runWebhook(c.trigger, init(c, { mode: 'manual', workflowId }))).result.workflowData).toHaveLength(1);
			expect((await runWebhook(c.trigger, init(c, { mode: 'manual', workflowId }))).result.workflowData).toHaveLength(1);
			// So the first production delivery after trying it out in the editor still starts.
			expect((await runWebhook(c.trigger, init(c, { workflowId }))).result.workflowData).toHaveLength(1);
		});

		test('a rejected delivery is not remembered', async () => {
			const workflowId = newWorkflowId();
			expectRejected(await runWebhook(c.trigger, init(c, { workflowId, ip: '198.51.100.7', options: { allowedIpAddresses: SENDER } })), 403);
			expect((await runWebhook(c.trigger, init(c, { workflowId }))).result.workflowData).toHaveLength(1);
		});

		test('a filtered delivery is not remembered (selecting the event later lets a retry through)', async () => {
			const workflowId = newWorkflowId();
			expectAcknowledged(await runWebhook(c.trigger, init(c, { workflowId, parameters: { events: c.deselected } })), 'filtered');
			expect((await runWebhook(c.trigger, init(c, { workflowId }))).result.workflowData).toHaveLength(1);
		});

		test('static data is neither read nor written: what it holds (even an old seenDeliveries) changes nothing', async () => {
			const staticData = { seenDeliveries: 'garbage' as unknown as string };
			const workflowId = newWorkflowId();
			const first = await runWebhook(c.trigger, init(c, { workflowId, staticData }));
			expect(first.result.workflowData).toHaveLength(1);
			expectAcknowledged(await runWebhook(c.trigger, init(c, { workflowId, staticData })), 'duplicate');
			expect(staticData).toEqual({ seenDeliveries: 'garbage' });
			expect(first.staticDataReads()).toBe(0);
		});

		test('another workflow (or another trigger node) does not see this one\'s deliveries', async () => {
			const workflowId = newWorkflowId();
			expect((await runWebhook(c.trigger, init(c, { workflowId }))).result.workflowData).toHaveLength(1);
			expect((await runWebhook(c.trigger, init(c, { workflowId: newWorkflowId() }))).result.workflowData).toHaveLength(1);
			expect((await runWebhook(c.trigger, init(c, { workflowId, nodeId: 'another-node' }))).result.workflowData).toHaveLength(1);
			expectAcknowledged(await runWebhook(c.trigger, init(c, { workflowId, nodeId: 'another-node' })), 'duplicate');
		});

		test('deliveryKey: on every item, the same for a re-delivery (option off), no payload data in it', async () => {
			const options = { deduplicate: false };
			const a = await runWebhook(c.trigger, init(c, { options }));
			const b = await runWebhook(c.trigger, init(c, { options }));
			const keys = (run: typeof a) => run.result.workflowData![0].map((item) => item.json.deliveryKey);
			expect(keys(a)).toEqual(keys(b));
			for (const key of keys(a)) expect(key).toMatch(/^[a-zA-Z]+:[A-Za-z0-9_-]{24}(\/[1-9][0-9]*)?$/);
		});

		test('Respond "When the Workflow Has Finished": no answer at start; a repeat in flight gets 503 + Retry-After; after a 2xx, duplicate', async () => {
			const workflowId = newWorkflowId();
			const parameters = { responseMode: 'lastNode' };
			const first = await runWebhook(c.trigger, init(c, { workflowId, parameters }));
			expect(Object.keys(first.result)).toEqual(['workflowData']);
			for (const item of first.result.workflowData![0]) expect(item.json.deliveryRetry).toBe(false);
			const repeat = await runWebhook(c.trigger, init(c, { workflowId, parameters }));
			expectRejected(repeat, 503, 'being processed');
			first.answer(200);
			expectAcknowledged(await runWebhook(c.trigger, init(c, { workflowId, parameters })), 'duplicate');
		});

		test.each(FAILED_ANSWERS)('Respond "When the Workflow Has Finished": after %s the next delivery starts with deliveryRetry true', async (_name, end) => {
			const workflowId = newWorkflowId();
			const parameters = { responseMode: 'lastNode' };
			const first = await runWebhook(c.trigger, init(c, { workflowId, parameters }));
			end(first);
			const retry = await runWebhook(c.trigger, init(c, { workflowId, parameters }));
			expect(Object.keys(retry.result)).toEqual(['workflowData']);
			for (const item of retry.result.workflowData![0]) expect(item.json.deliveryRetry).toBe(true);
		});

		test.each(FAILED_ANSWERS)('Respond Immediately: after %s (n8n could not start the workflow) the next delivery starts; after a 200 it is a duplicate', async (_name, end) => {
			const workflowId = newWorkflowId();
			const first = await runWebhook(c.trigger, init(c, { workflowId }));
			expect(first.result.workflowData).toHaveLength(1);
			end(first);
			const retry = await runWebhook(c.trigger, init(c, { workflowId }));
			expect(retry.result.workflowData).toHaveLength(1);
			for (const item of retry.result.workflowData![0]) expect(item.json).not.toHaveProperty('deliveryRetry');
			retry.answer(200);
			expectAcknowledged(await runWebhook(c.trigger, init(c, { workflowId })), 'duplicate');
		});

		test('concurrent deliveries of one event: exactly one starts', async () => {
			const workflowId = newWorkflowId();
			const runs = await Promise.all(Array.from({ length: 20 }, async () => await runWebhook(c.trigger, init(c, { workflowId }))));
			expect(runs.filter((run) => run.result.workflowData !== undefined)).toHaveLength(1);
			for (const run of runs.filter((r) => r.result.workflowData === undefined)) expectAcknowledged(run, 'duplicate');
		});
	});
});
