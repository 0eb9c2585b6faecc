/**
 * Docflo Trigger at the node level (docflo-webhooks.txt): five platform events, an optional
 * X-Docflo-Signature (sha256=hex HMAC), and optional Basic / Bearer / API-key header auth.
 */
import { NodeOperationError } from 'n8n-workflow';

import { DocfloTrigger } from '../../../nodes/Docflo/DocfloTrigger.node';
import { atTimeOfVectors, expectAcknowledged, expectNoLeak, expectRejected, expectStarted, newWorkflowId, runWebhook } from './context';
import {
	ALL_SECRETS,
	CURRENT_SECRET,
	DOCFLO_CREDENTIALS,
	DOCFLO_DOCUMENT_PROCESSED,
	DOCFLO_EVENTS,
	PREVIOUS_SECRET,
	UNRELATED_SECRET,
	buf,
	docfloPayload,
	docfloRequest,
	flipByte,
	flipChar,
	hmacHex,
	json,
	signaturesOf,
} from './vectors';

const trigger = new DocfloTrigger();

// The docs' example payloads are stamped 2025-03-10: the tests run at that time (replay window).
atTimeOfVectors('2025-03-10T17:55:00.000Z');

const FIELDS = {
	InvoiceId: 'INV-2025-001',
	VendorName: 'Acme Corporation',
	InvoiceDate: '2025-03-01',
	InvoiceTotal: { Amount: 1500, CurrencyCode: 'USD' },
	Items: [{ Description: 'Professional Services', Quantity: 10, UnitPrice: 150, Amount: 1500 }],
};

function itemFor(event: string, body = docfloPayload(event)) {
	return {
		event,
		tenantId: 'your-tenant-id',
		timestamp: '2025-03-10T17:53:46.000Z',
		documentId: 'document-id',
		documentType: 'invoice',
		documentStatus: 'ANALYZED',
		createdAt: '2025-03-10T17:50:00.000Z',
		updatedAt: '2025-03-10T17:53:46.000Z',
		fields: FIELDS,
		payload: json(body),
	};
}

const BODY = buf(DOCFLO_DOCUMENT_PROCESSED);
const SIGNATURE = 'sha256=' + hmacHex('sha256', CURRENT_SECRET, BODY);

describe('Docflo Trigger: genuine deliveries (signed over the raw body)', () => {
	test.each(DOCFLO_EVENTS)('%s', async (event) => {
		const body = docfloPayload(event);
		const run = await runWebhook(trigger, { credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(body) });
		expectStarted(run, [itemFor(event)]);
	});

	test('the raw bytes of the docs\' pretty-printed body (1500.00 stays as sent) are what is verified', async () => {
		// Parsing turns 1500.00 into 1500: a signature over a re-serialisation would differ.
		expect(JSON.stringify(json(DOCFLO_DOCUMENT_PROCESSED))).not.toContain('1500.00');
		const run = await runWebhook(trigger, { credentials: DOCFLO_CREDENTIALS(), request: { rawBody: BODY, headers: { 'x-docflo-signature': SIGNATURE } } });
		expectStarted(run, [itemFor('document.processed')]);
	});

	test('fallback: a signature over JSON.stringify(parsed body) of a pretty-printed body, as the docs\' example computes it', async () => {
		const compact = JSON.stringify(json(DOCFLO_DOCUMENT_PROCESSED));
		const run = await runWebhook(trigger, {
			credentials: DOCFLO_CREDENTIALS(),
			request: docfloRequest(DOCFLO_DOCUMENT_PROCESSED, CURRENT_SECRET, { signedBytes: compact }),
		});
		expectStarted(run, [itemFor('document.processed')]);
	});

	test('fallback does not accept a compact signature made with another secret', async () => {
		const compact = JSON.stringify(json(DOCFLO_DOCUMENT_PROCESSED));
		const run = await runWebhook(trigger, {
			credentials: DOCFLO_CREDENTIALS(),
			request: docfloRequest(DOCFLO_DOCUMENT_PROCESSED, UNRELATED_SECRET, { signedBytes: compact }),
		});
		expectRejected(run, 401, 'Invalid x-docflo-signature signature');
	});

	test('fallback does not accept a compact signature over different content', async () => {
		const tampered = DOCFLO_DOCUMENT_PROCESSED.replace('"InvoiceTotal": {\n"Amount": 1500.00', '"InvoiceTotal": {\n"Amount": 9500.00');
		expect(tampered).not.toBe(DOCFLO_DOCUMENT_PROCESSED);
		const compactOriginal = JSON.stringify(json(DOCFLO_DOCUMENT_PROCESSED));
		const run = await runWebhook(trigger, { credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(tampered, CURRENT_SECRET, { signedBytes: compactOriginal }) });
		expectRejected(run, 401);
	});

	test('the prefix and hex digits are compared case-insensitively (SHA256=ABC… is the same claim)', async () => {
		const run = await runWebhook(trigger, {
			credentials: DOCFLO_CREDENTIALS(),
			request: { rawBody: BODY, headers: { 'x-docflo-signature': SIGNATURE.toUpperCase() } },
		});
		expectStarted(run, [itemFor('document.processed')]);
	});

	test('rotation: a signature made with the previous secret is accepted', async () => {
		const run = await runWebhook(trigger, {
			credentials: DOCFLO_CREDENTIALS({ previousSigningSecret: PREVIOUS_SECRET }),
			request: docfloRequest(DOCFLO_DOCUMENT_PROCESSED, PREVIOUS_SECRET),
		});
		expectStarted(run, [itemFor('document.processed')]);
	});
});

describe('Docflo Trigger: forgeries → 401 and nothing started', () => {
	const forgeries: Array<[string, () => { rawBody: Buffer; signature?: string }, string]> = [
		['wrong secret', () => ({ rawBody: BODY, signature: 'sha256=' + hmacHex('sha256', UNRELATED_SECRET, BODY) }), 'Invalid x-docflo-signature signature'],
		['one flipped byte in the body', () => ({ rawBody: flipByte(BODY, 120), signature: SIGNATURE }), 'Invalid x-docflo-signature signature'],
		['one flipped char in the signature', () => ({ rawBody: BODY, signature: flipChar(SIGNATURE, 20) }), 'Invalid x-docflo-signature signature'],
		['last char of the signature flipped', () => ({ rawBody: BODY, signature: flipChar(SIGNATURE, SIGNATURE.length - 1) }), 'Invalid'],
		['truncated signature header', () => ({ rawBody: BODY, signature: SIGNATURE.slice(0, 40) }), 'Invalid x-docflo-signature signature'],
		['signature header with only the prefix', () => ({ rawBody: BODY, signature: 'sha256=' }), 'Invalid'],
		['missing header', () => ({ rawBody: BODY }), 'Missing x-docflo-signature signature header'],
		['empty header', () => ({ rawBody: BODY, signature: '' }), 'Missing x-docflo-signature signature header'],
		['digest without the sha256= prefix', () => ({ rawBody: BODY, signature: SIGNATURE.slice('sha256='.length) }), 'Invalid'],
		['wrong prefix sha1=', () => ({ rawBody: BODY, signature: 'sha1=' + SIGNATURE.slice('sha256='.length) }), 'Invalid'],
		['sha1 HMAC with the sha1= prefix', () => ({ rawBody: BODY, signature: 'sha1=' + hmacHex('sha1', CURRENT_SECRET, BODY) }), 'Invalid'],
		['sha512 HMAC with the sha256= prefix', () => ({ rawBody: BODY, signature: 'sha256=' + hmacHex('sha512', CURRENT_SECRET, BODY) }), 'Invalid'],
		['signed with the previous secret, but no previous secret configured', () => ({ rawBody: BODY, signature: 'sha256=' + hmacHex('sha256', PREVIOUS_SECRET, BODY) }), 'Invalid'],
		['the secret itself as the signature', () => ({ rawBody: BODY, signature: 'sha256=' + CURRENT_SECRET }), 'Invalid'],
	];

	test.each(forgeries)('%s', async (_name, make, message) => {
		const { rawBody, signature } = make();
		const headers = signature === undefined ? {} : { 'X-Docflo-Signature': signature };
		const run = await runWebhook(trigger, { credentials: DOCFLO_CREDENTIALS(), request: { rawBody, headers } });
		expectRejected(run, 401, message);
		expectNoLeak(run, [...ALL_SECRETS, ...signaturesOf(BODY), ...signaturesOf(rawBody), ...signaturesOf(JSON.stringify(json(DOCFLO_DOCUMENT_PROCESSED)))]);
	});

	test('a forgery is refused in manual mode too (401, no exception: it is not a setup problem)', async () => {
		const run = await runWebhook(trigger, { mode: 'manual', credentials: DOCFLO_CREDENTIALS(), request: { rawBody: flipByte(BODY, 50), headers: { 'x-docflo-signature': SIGNATURE } } });
		expectRejected(run, 401);
	});

	test('a second signature value in the header does not help a forgery', async () => {
		const run = await runWebhook(trigger, {
			credentials: DOCFLO_CREDENTIALS(),
			request: { rawBody: flipByte(BODY, 50), headers: { 'x-docflo-signature': `${SIGNATURE}, sha256=${'0'.repeat(64)}` } },
		});
		expectRejected(run, 401);
	});
});

describe('Docflo Trigger: header authentication', () => {
	const basic = (user: string, password: string) => 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
	const basicCredential = DOCFLO_CREDENTIALS({ signingSecret: '', incomingAuthentication: 'basicAuth', basicAuthUser: 'docflo', basicAuthPassword: 'p@ss:word' });
	const bearerCredential = DOCFLO_CREDENTIALS({ signingSecret: '', incomingAuthentication: 'bearerToken', bearerToken: 'tok_0123456789abcdef' });
	const apiKeyCredential = DOCFLO_CREDENTIALS({ signingSecret: '', incomingAuthentication: 'apiKeyHeader', headerName: 'x-api-key', headerApiKey: 'key_fedcba9876543210' });
	const request = (headers: Record<string, string>) => ({ rawBody: BODY, headers });
	const processed = [itemFor('document.processed')];

	test('Basic: right user and password → starts', async () => {
		expectStarted(await runWebhook(trigger, { credentials: basicCredential, request: request({ Authorization: basic('docflo', 'p@ss:word') }) }), processed);
	});
	test('Basic: wrong password → 401', async () => {
		const run = await runWebhook(trigger, { credentials: basicCredential, request: request({ Authorization: basic('docflo', 'guess') }) });
		expectRejected(run, 401, 'Invalid username or password');
		expectNoLeak(run, ['p@ss:word']);
	});
	test('Basic: missing Authorization → 401', async () => {
		expectRejected(await runWebhook(trigger, { credentials: basicCredential, request: request({}) }), 401, 'Missing Authorization header');
	});
	test('Basic: Bearer scheme sent instead → 401', async () => {
		expectRejected(await runWebhook(trigger, { credentials: basicCredential, request: request({ Authorization: 'Bearer p@ss:word' }) }), 401, 'Basic scheme');
	});

	test('Bearer: right token → starts', async () => {
		expectStarted(await runWebhook(trigger, { credentials: bearerCredential, request: request({ Authorization: 'Bearer tok_0123456789abcdef' }) }), processed);
	});
	test('Bearer: wrong token → 401', async () => {
		const run = await runWebhook(trigger, { credentials: bearerCredential, request: request({ Authorization: 'Bearer tok_0123456789abcdeX' }) });
		expectRejected(run, 401, 'Invalid bearer token');
		expectNoLeak(run, ['tok_0123456789abcdef']);
	});
	test('Bearer: missing → 401', async () => {
		expectRejected(await runWebhook(trigger, { credentials: bearerCredential, request: request({}) }), 401, 'Missing Authorization header');
	});

	test('API key: right key in x-api-key → starts', async () => {
		expectStarted(await runWebhook(trigger, { credentials: apiKeyCredential, request: request({ 'X-API-Key': 'key_fedcba9876543210' }) }), processed);
	});
	test('API key: wrong key → 401', async () => {
		const run = await runWebhook(trigger, { credentials: apiKeyCredential, request: request({ 'x-api-key': 'key_fedcba987654321' }) });
		expectRejected(run, 401, 'Invalid value in x-api-key header');
		expectNoLeak(run, ['key_fedcba9876543210']);
	});
	test('API key: the key in another header → 401', async () => {
		expectRejected(await runWebhook(trigger, { credentials: apiKeyCredential, request: request({ authorization: 'key_fedcba9876543210' }) }), 401, 'Missing x-api-key header');
	});

	test('secret and auth both configured: both must pass', async () => {
		const both = DOCFLO_CREDENTIALS({ incomingAuthentication: 'bearerToken', bearerToken: 'tok_0123456789abcdef' });
		const good = { 'x-docflo-signature': SIGNATURE, authorization: 'Bearer tok_0123456789abcdef' };
		expectStarted(await runWebhook(trigger, { credentials: both, request: request(good) }), processed);
		expectRejected(await runWebhook(trigger, { credentials: both, request: request({ ...good, authorization: 'Bearer nope' }) }), 401, 'Invalid bearer token');
		expectRejected(await runWebhook(trigger, { credentials: both, request: request({ ...good, 'x-docflo-signature': flipChar(SIGNATURE, 30) }) }), 401, 'Invalid x-docflo-signature');
		expectRejected(await runWebhook(trigger, { credentials: both, request: request({ authorization: 'Bearer tok_0123456789abcdef' }) }), 401, 'Missing x-docflo-signature');
	});

	test('auth only: a signature header nobody can check is ignored', async () => {
		const run = await runWebhook(trigger, { credentials: bearerCredential, request: request({ authorization: 'Bearer tok_0123456789abcdef', 'x-docflo-signature': 'sha256=00' }) });
		expectStarted(run, processed);
	});

	test('auth selected but left empty → 401 (fail closed)', async () => {
		const emptyBearer = DOCFLO_CREDENTIALS({ signingSecret: '', incomingAuthentication: 'bearerToken', bearerToken: '' });
		expectRejected(await runWebhook(trigger, { credentials: emptyBearer, request: request({ authorization: 'Bearer ' }) }), 401, 'incomplete');
	});
});

describe('Docflo Trigger: nothing to verify with → fail closed', () => {
	const nothing = DOCFLO_CREDENTIALS({ signingSecret: '', previousSigningSecret: '', incomingAuthentication: 'none' });

	test('production: 401, whatever the request carries', async () => {
		const run = await runWebhook(trigger, { credentials: nothing, request: docfloRequest(DOCFLO_DOCUMENT_PROCESSED) });
		expectRejected(run, 401, 'No way to verify Docflo deliveries is configured');
	});

	test('manual mode: a NodeOperationError says why in the editor', async () => {
		const attempt = runWebhook(trigger, { mode: 'manual', credentials: nothing, request: docfloRequest(DOCFLO_DOCUMENT_PROCESSED) });
		await expect(attempt).rejects.toThrow(NodeOperationError);
		await expect(runWebhook(trigger, { mode: 'manual', credentials: nothing, request: docfloRequest(DOCFLO_DOCUMENT_PROCESSED) })).rejects.toThrow(
			/set a secret or an authentication method in the credential/,
		);
	});

	test('no credential selected at all: 401 in production, NodeOperationError in manual mode', async () => {
		expectRejected(await runWebhook(trigger, { request: docfloRequest(DOCFLO_DOCUMENT_PROCESSED) }), 401, 'Select a Docflo credential');
		await expect(runWebhook(trigger, { mode: 'manual', request: docfloRequest(DOCFLO_DOCUMENT_PROCESSED) })).rejects.toThrow(NodeOperationError);
	});

	test('only the previous secret filled: still verified with it', async () => {
		const previousOnly = DOCFLO_CREDENTIALS({ signingSecret: '', previousSigningSecret: PREVIOUS_SECRET });
		expectStarted(await runWebhook(trigger, { credentials: previousOnly, request: docfloRequest(DOCFLO_DOCUMENT_PROCESSED, PREVIOUS_SECRET) }), [itemFor('document.processed')]);
		expectRejected(await runWebhook(trigger, { credentials: previousOnly, request: { rawBody: BODY } }), 401);
	});
});

describe('Docflo Trigger: hostile bodies', () => {
	const cases: Array<[string, Buffer, string | RegExp]> = [
		['empty body', Buffer.alloc(0), 'Request body is empty'],
		['not JSON', buf('event=document.processed'), /^Request body is not valid JSON/],
		['a JSON array', buf('[{"event": "document.processed"}]'), 'Expected a JSON object but the request body is an array'],
		['a JSON string', buf('"document.processed"'), 'Expected a JSON object but the request body is a string'],
		['no event', buf('{"doc": {"_id": "d"}}'), 'Not a Docflo event: event is missing'],
		['no doc', buf('{"event": "document.processed"}'), 'Not a Docflo event: doc is missing or not an object'],
		['doc is an array', buf('{"event": "document.processed", "doc": [{"_id": "d"}]}'), 'doc is missing or not an object'],
		['doc without _id', buf('{"event": "document.processed", "doc": {"type": "invoice"}}'), 'Not a Docflo event: doc._id is missing'],
	];

	test.each(cases)('validly signed %s → 400 naming the problem', async (_name, rawBody, message) => {
		const run = await runWebhook(trigger, { credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(rawBody) });
		expectRejected(run, 400, message);
	});

	test.each(cases)('unsigned %s → 401 (authenticity is checked before the body is read)', async (_name, rawBody) => {
		const run = await runWebhook(trigger, { credentials: DOCFLO_CREDENTIALS(), request: { rawBody } });
		expectRejected(run, 401, 'Missing x-docflo-signature signature header');
	});

	test.each(cases)('%s with a wrong signature → 401', async (_name, rawBody) => {
		const run = await runWebhook(trigger, { credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(rawBody, UNRELATED_SECRET) });
		expectRejected(run, 401, 'Invalid x-docflo-signature signature');
	});

	test('1.5 MB (under the 2 MiB limit) of valid, signed JSON starts the workflow', async () => {
		const payload = json(DOCFLO_DOCUMENT_PROCESSED);
		const doc = payload.doc as Record<string, unknown>;
		const body = JSON.stringify({ ...payload, doc: { ...doc, fields: { Notes: 'z'.repeat(1536 * 1024) } } }, null, 2);
		const run = await runWebhook(trigger, { credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(body) });
		expect(run.result.webhookResponse).toEqual({ received: true });
		expect(run.result.workflowData?.[0][0].json.documentId).toBe('document-id');
	});
});

describe('Docflo Trigger: event filter', () => {
	test('a deselected event → filtered', async () => {
		const run = await runWebhook(trigger, {
			parameters: { events: ['document.approved', 'document.rejected'] },
			credentials: DOCFLO_CREDENTIALS(),
			request: docfloRequest(DOCFLO_DOCUMENT_PROCESSED),
		});
		expectAcknowledged(run, 'filtered');
	});

	test('only the selected event starts', async () => {
		const run = await runWebhook(trigger, { parameters: { events: ['document.approved'] }, credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(docfloPayload('document.approved')) });
		expectStarted(run, [itemFor('document.approved')]);
	});

	test('an unknown event → unknown_event, or passed with Pass Unknown Events', async () => {
		const body = docfloPayload('document.archived');
		expectAcknowledged(await runWebhook(trigger, { credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(body) }), 'unknown_event');
		const passed = await runWebhook(trigger, { parameters: { options: { passUnknownEvents: true } }, credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(body) });
		expectStarted(passed, [itemFor('document.archived')]);
	});

	test('an unknown event with a forged signature is still 401, not acknowledged', async () => {
		const run = await runWebhook(trigger, { credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(docfloPayload('document.archived'), UNRELATED_SECRET) });
		expectRejected(run, 401);
	});
});

describe('Docflo Trigger: dedupe', () => {
	test('the same delivery twice → duplicate', async () => {
		const workflowId = newWorkflowId();
		const init = { workflowId, credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(DOCFLO_DOCUMENT_PROCESSED) };
		expectStarted(await runWebhook(trigger, init), [itemFor('document.processed')]);
		expectAcknowledged(await runWebhook(trigger, init), 'duplicate');
	});

	test('the same document with a different timestamp is a new event', async () => {
		const workflowId = newWorkflowId();
		const later = DOCFLO_DOCUMENT_PROCESSED.replace('"timestamp": "2025-03-10T17:53:46.000Z"', '"timestamp": "2025-03-11T08:00:00.000Z"');
		expect(later).not.toBe(DOCFLO_DOCUMENT_PROCESSED);
		// 14 hours apart: the replay window is off here, this is about the key.
		const parameters = { options: { maxTimestampAgeSeconds: 0 } };
		await runWebhook(trigger, { workflowId, parameters, credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(DOCFLO_DOCUMENT_PROCESSED) });
		const run = await runWebhook(trigger, { workflowId, parameters, credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(later) });
		expect(run.result.workflowData?.[0][0].json.timestamp).toBe('2025-03-11T08:00:00.000Z');
	});

	test('the same document and timestamp under another event is a new event', async () => {
		const workflowId = newWorkflowId();
		await runWebhook(trigger, { workflowId, credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(docfloPayload('document.processed')) });
		expectStarted(await runWebhook(trigger, { workflowId, credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(docfloPayload('document.approved')) }), [
			itemFor('document.approved'),
		]);
	});

	test('manual mode never dedupes', async () => {
		const workflowId = newWorkflowId();
		const init = { mode: 'manual' as const, workflowId, credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(DOCFLO_DOCUMENT_PROCESSED) };
		expectStarted(await runWebhook(trigger, init), [itemFor('document.processed')]);
		expectStarted(await runWebhook(trigger, init), [itemFor('document.processed')]);
	});
});
