/**
 * Issue 15, class by class: the attacks a review tried, each shown to be refused. The fuzz
 * tests mutate genuine deliveries (header, body bytes, JSON re-formatting, number spellings,
 * encodings) and require that no mutation changing what was signed starts the workflow.
 */
import fc from 'fast-check';

import { resetConfirmationState } from '../../../core/delivery/confirmBudget';
import { compactJson } from '../../../core/delivery/authenticity';
import { MAX_BODY_BYTES } from '../../../core/delivery/requestChecks';
import { sameJsonValue } from '../../../core/delivery/parse';
import { redactDetail } from '../../../core/fetch/redact';
import { docGenLab as docGenLabDescriptor } from '../../../nodes/DocGenLab/descriptor';
import { isSafeId } from '../../../core/ids';
import { DocGenLabTrigger } from '../../../nodes/DocGenLab/DocGenLabTrigger.node';
import { DocfloTrigger } from '../../../nodes/Docflo/DocfloTrigger.node';
import { PdfGorillaTrigger } from '../../../nodes/PdfGorilla/PdfGorillaTrigger.node';
import { PdfSignTrigger } from '../../../nodes/PdfSign/PdfSignTrigger.node';
import { ReportFlowTrigger } from '../../../nodes/ReportFlow/ReportFlowTrigger.node';
import { atTimeOfVectors, expectRejected, newWorkflowId, runWebhook } from '../triggers/context';
import {
	CURRENT_SECRET,
	DOCFLO_CREDENTIALS,
	DOCFLO_DOCUMENT_PROCESSED,
	DOCGENLAB_API_CREDENTIALS,
	DOCGENLAB_COMPLETED,
	GORILLA_CREDENTIALS,
	PDF_GORILLA_COMPLETED,
	PDF_SIGN_CREDENTIALS,
	PDF_SIGN_GENERATED,
	REPORTFLOW_FILE_COMPLETED,
	UNRELATED_SECRET,
	docfloRequest,
	gorillaRequest,
	hmacHex,
	json,
	pdfSignRequest,
	plainRequest,
} from '../triggers/vectors';

const gorilla = new PdfGorillaTrigger();
const docflo = new DocfloTrigger();
const pdfSign = new PdfSignTrigger();
const docGenLab = new DocGenLabTrigger();
const reportFlow = new ReportFlowTrigger();

/** A fixed "now" a few minutes after each service's example: inside the replay window. */
const NOW = Date.parse('2026-04-06T10:05:00.000Z');
atTimeOfVectors('2026-04-06T10:05:00.000Z');
const fresh = (text: string) => text.replace(/"timestamp": "[^"]+"/, `"timestamp": "${new Date(NOW - 60_000).toISOString()}"`);

// ---------------------------------------------------------------------------------------------
// 1. Confirmation binds what is used downstream
// ---------------------------------------------------------------------------------------------
describe('class 1: Confirm With API binds the event to the API\'s answer', () => {
	beforeEach(() => resetConfirmationState());
	const confirmOn = { options: { confirmWithApi: true } };
	const document = { id: 'abc-123-def-456', status: 'ready', template_id: 'template-xyz', created_at: '2024-01-15T10:30:00Z' };
	const api = () => jest.fn(async () => ({ statusCode: 200, body: document, headers: {} }));

	test('a forged delivery for a real job with its own download URL starts with the API\'s data and no URL', async () => {
		const forged = JSON.stringify({ ...json(DOCGENLAB_COMPLETED), download_url: 'https://storage.googleapis.com/attacker/x.pdf', metadata: { template_id: 'evil' } });
		const run = await runWebhook(docGenLab, { parameters: confirmOn, credentials: DOCGENLAB_API_CREDENTIALS(), httpRequestWithAuthentication: api(), request: plainRequest(forged) });
		const [item] = run.result.workflowData![0];
		expect(item.json).toMatchObject({ jobId: document.id, downloadUrl: null, templateId: 'template-xyz', confirmed: true, payload: document });
		expect(JSON.stringify(item.json)).not.toContain('attacker');
	});

	test('rejections look the same whether the job does not exist or is in another state', async () => {
		const answers = [
			{ statusCode: 404, body: { detail: 'Document not found' } },
			{ statusCode: 200, body: { ...document, status: 'rendering' } },
			{ statusCode: 200, body: { ...document, status: 'failed' } },
		];
		const bodies = [];
		for (const answer of answers) {
			resetConfirmationState();
			const run = await runWebhook(docGenLab, { parameters: confirmOn, credentials: DOCGENLAB_API_CREDENTIALS(), httpRequestWithAuthentication: jest.fn(async () => ({ ...answer, headers: {} })), request: plainRequest(DOCGENLAB_COMPLETED) });
			expectRejected(run, 401, 'DocGenLab did not confirm the event');
			bodies.push(JSON.stringify(run.response.jsonCalls));
		}
		expect(new Set(bodies).size).toBe(1);
		expect(bodies[0]).toBe('[{"error":"Unauthorized"}]');
	});

	test('an unconfirmed delivery takes no dedupe slot: the genuine event still starts', async () => {
		// One trigger (workflow and node): the retry filter is kept per trigger in process memory.
		const workflowId = newWorkflowId();
		const rendering = jest.fn(async () => ({ statusCode: 200, body: { ...document, status: 'rendering' }, headers: {} }));
		expectRejected(await runWebhook(docGenLab, { workflowId, parameters: confirmOn, credentials: DOCGENLAB_API_CREDENTIALS(), httpRequestWithAuthentication: rendering, request: plainRequest(DOCGENLAB_COMPLETED) }), 401);
		const run = await runWebhook(docGenLab, { workflowId, parameters: confirmOn, credentials: DOCGENLAB_API_CREDENTIALS(), httpRequestWithAuthentication: api(), request: plainRequest(DOCGENLAB_COMPLETED) });
		expect(run.result.workflowData?.[0]).toHaveLength(1);
	});

	test('a flood of forgeries from one address spends at most half of Confirmations per Minute; another address still gets calls; repeats of a confirmed job cost none', async () => {
		const calls = jest.fn(async () => ({ statusCode: 404, body: {}, headers: {} }));
		const statuses: number[] = [];
		for (let i = 0; i < 30; i++) {
			const forged = JSON.stringify({ ...json(DOCGENLAB_COMPLETED), job_id: `forged-${i}` });
			const run = await runWebhook(docGenLab, { parameters: { options: { confirmWithApi: true, confirmCallsPerMinute: 6 } }, credentials: DOCGENLAB_API_CREDENTIALS(), httpRequestWithAuthentication: calls, request: plainRequest(forged) });
			statuses.push(run.response.statusCalls[0]);
		}
		expect(calls).toHaveBeenCalledTimes(3);
		expect(statuses.filter((s) => s === 401)).toHaveLength(3);
		expect(statuses.filter((s) => s === 503)).toHaveLength(27);
		// The genuine event, from DocGenLab's address, during the flood.
		const genuine = await runWebhook(docGenLab, { parameters: { options: { confirmWithApi: true, confirmCallsPerMinute: 6 } }, credentials: DOCGENLAB_API_CREDENTIALS(), httpRequestWithAuthentication: api(), request: { ...plainRequest(DOCGENLAB_COMPLETED), ip: '34.120.0.1' } });
		expect(genuine.result.workflowData?.[0]).toHaveLength(1);

		resetConfirmationState();
		const confirmedOnce = api();
		for (let i = 0; i < 10; i++) {
			await runWebhook(docGenLab, { parameters: confirmOn, credentials: DOCGENLAB_API_CREDENTIALS(), httpRequestWithAuthentication: confirmedOnce, request: plainRequest(DOCGENLAB_COMPLETED) });
		}
		expect(confirmedOnce).toHaveBeenCalledTimes(1);
	});
});

// ---------------------------------------------------------------------------------------------
// 2. Signature fallbacks do not widen what verifies, and the fuzz tests per signing service
// ---------------------------------------------------------------------------------------------
describe('class 2: Docflo\'s compact-JSON fallback accepts only the signed values', () => {
	test.each([
		['1e400 is Infinity but serialises as null', '{"a":null}', '{"a":1e400}'],
		['-1e400', '{"a":null}', '{"a":-1e400}'],
		['-0 serialises as 0', '{"a":0}', '{"a":-0}'],
		['-0.0', '{"a":0}', '{"a":-0.0}'],
		['-0e5 in an array', '[0]', '[-0e5]'],
		['-1e-400 underflows to -0', '{"a":0}', '{"a":-1e-400}'],
		['a 400-digit integer is Infinity', '{"a":null}', `{"a":${'9'.repeat(400)}}`],
		['invalid UTF-8 decodes to U+FFFD', '{"a":"\uFFFD"}', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])],
	])('%s: no fallback', (_name, signed, sent) => {
		const body = Buffer.isBuffer(sent) ? sent : Buffer.from(sent);
		expect(compactJson(body)).toBeUndefined();
		// Without the check, JSON.stringify(JSON.parse(sent)) would equal the signed text.
		expect(JSON.stringify(JSON.parse(body.toString('utf8')))).toBe(signed);
	});

	test.each([
		['numbers that keep their value', '{"a":[1.0,-1,1e3,-2.5E-3,12345678901234567890]}'],
		['digits and minus signs inside strings are not numbers', '{"a":"-0","b":"1e400","c":"\\"-0"}'],
	])('%s: the fallback is offered', (_name, sent) => {
		expect(compactJson(Buffer.from(sent))?.toString()).toBe(JSON.stringify(JSON.parse(sent)));
	});

	test('a forged body nested a million levels deep gets no fallback, and the trigger answers 401 instead of throwing (JSON.stringify overflowed the stack)', async () => {
		const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
		expect(compactJson(Buffer.from(deep))).toBeUndefined();
		const run = await runWebhook(docflo, { credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(deep, 'not-the-secret') });
		expectRejected(run, 401, 'Invalid x-docflo-signature signature');
	});

	test('1e400 in a Docflo body signed as null → 401', async () => {
		const signed = `{"event":"document.created","timestamp":"${new Date(NOW).toISOString()}","doc":{"_id":"d1","total":null}}`;
		const sent = signed.replace('null', '1e400');
		const run = await runWebhook(docflo, { credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(sent, CURRENT_SECRET, { signedBytes: signed }) });
		expectRejected(run, 401, 'Invalid x-docflo-signature signature');
	});
});

type Mutation = { name: string; apply: (body: Buffer, headers: Record<string, string>) => { body: Buffer; headers: Record<string, string> } };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
	fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, xor]): Mutation => ({
		name: `byte ${at} ^ ${xor}`,
		apply: (body: Buffer, headers: Record<string, string>) => {
			const copy = Buffer.from(body);
			copy[at % copy.length] ^= xor;
			return { body: copy, headers };
		},
	})),
	fc.constantFrom<Mutation>(
		{ name: 'reformat (indent 2)', apply: (b, h) => ({ body: Buffer.from(JSON.stringify(JSON.parse(b.toString()), null, 2)), headers: h }) },
		{ name: 'compact', apply: (b, h) => ({ body: Buffer.from(JSON.stringify(JSON.parse(b.toString()))), headers: h }) },
		{ name: 'trailing newline', apply: (b, h) => ({ body: Buffer.concat([b, Buffer.from('\n')]), headers: h }) },
		{ name: 'BOM', apply: (b, h) => ({ body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]), headers: h }) },
		{ name: 'UTF-16', apply: (b, h) => ({ body: Buffer.from(b.toString(), 'utf16le'), headers: h }) },
		{ name: 'latin1 re-encoding', apply: (b, h) => ({ body: Buffer.from(b.toString('latin1'), 'utf8'), headers: h }) },
		{ name: 'a number as 1e400', apply: (b, h) => ({ body: Buffer.from(b.toString().replace(/(":\s*)(-?\d+(?:\.\d+)?)/, '$11e400')), headers: h }) },
		{ name: 'a number as -0', apply: (b, h) => ({ body: Buffer.from(b.toString().replace(/(":\s*)(-?\d+(?:\.\d+)?)/, '$1-0')), headers: h }) },
		{ name: 'a number with exponent', apply: (b, h) => ({ body: Buffer.from(b.toString().replace(/(":\s*)(\d+)\b(?![.e])/, '$1$2e0')), headers: h }) },
		{ name: 'a string escaped', apply: (b, h) => ({ body: Buffer.from(b.toString().replace(/"([a-z])/, (_m, c: string) => `"\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)), headers: h }) },
		{ name: 'a value changed', apply: (b, h) => ({ body: Buffer.from(b.toString().replace(/"status": "[^"]*"/, '"status": "forged"')), headers: h }) },
		{ name: 'duplicate key appended', apply: (b, h) => ({ body: Buffer.from(b.toString().replace(/}\s*$/, ', "event": "document.rejected"}')), headers: h }) },
		{ name: 'signature header dropped', apply: (b, h) => ({ body: b, headers: Object.fromEntries(Object.entries(h).filter(([k]) => !/signature|secret/i.test(k))) }) },
		{ name: 'signature of another secret', apply: (b, h) => ({ body: b, headers: Object.fromEntries(Object.entries(h).map(([k, v]) => [k, /signature/i.test(k) ? v.replace(/[0-9a-f]{64}/, hmacHex('sha256', UNRELATED_SECRET, b)) : /secret/i.test(k) ? UNRELATED_SECRET : v])) }) },
		{ name: 'signature upper-cased and doubled', apply: (b, h) => ({ body: b, headers: Object.fromEntries(Object.entries(h).map(([k, v]) => [k, /signature/i.test(k) ? `${v}x` : v])) }) },
	),
);

/** What the workflow would get from a body: its parsed value, or nothing when it is not JSON. */
function valueOf(body: Buffer): unknown {
	try {
		return JSON.parse(body.toString('utf8').replace(/^\ufeff/, ''));
	} catch {
		return undefined;
	}
}

const SIGNING = [
	{ name: 'PDF Gorilla', trigger: gorilla, credentials: GORILLA_CREDENTIALS, genuine: fresh(PDF_GORILLA_COMPLETED), request: (b: Buffer) => gorillaRequest(b), rawOnly: true },
	{ name: 'Docflo', trigger: docflo, credentials: DOCFLO_CREDENTIALS, genuine: fresh(DOCFLO_DOCUMENT_PROCESSED), request: (b: Buffer) => docfloRequest(b), rawOnly: false },
];

describe.each(SIGNING)('fuzz: $name, mutations of a genuine delivery', (c) => {
	test('no mutation that changes the signed content starts the workflow', async () => {
		const signed = Buffer.from(c.genuine);
		const genuine = c.request(signed);
		const genuineHeaders = genuine.headers as Record<string, string>;
		// The unmutated delivery starts (so the property is not vacuous).
		expect((await runWebhook(c.trigger, { credentials: c.credentials(), request: genuine })).result.workflowData).toBeDefined();
		let rejected = 0;
		await fc.assert(
			fc.asyncProperty(mutationArb, async (mutation) => {
				const { body, headers } = mutation.apply(signed, genuineHeaders);
				const run = await runWebhook(c.trigger, { credentials: c.credentials(), request: { rawBody: body, headers } });
				const started = run.result.workflowData !== undefined;
				const sameBytes = body.equals(signed) && JSON.stringify(headers) === JSON.stringify(genuineHeaders);
				if (!started) {
					rejected++;
					return;
				}
				if (sameBytes) return;
				// Anything else that starts must carry the signature unchanged and, for Docflo's
				// documented compact fallback only, exactly the signed values.
				expect(c.rawOnly).toBe(false);
				expect(headers).toEqual(genuineHeaders);
				expect(sameJsonValue(valueOf(body), valueOf(signed))).toBe(true);
			}),
			{ numRuns: 300, seed: 15 },
		);
		expect(rejected).toBeGreaterThan(200);
	});
});

describe('fuzz: PDF-Sign (shared secret in a header, body not signed)', () => {
	test('any change to the secret header, or a timestamp outside the window, starts nothing', async () => {
		await fc.assert(
			fc.asyncProperty(fc.string({ minLength: 0, maxLength: 80 }), fc.integer({ min: 3601, max: 10 ** 7 }), fc.boolean(), async (secret, offset, future) => {
				fc.pre(secret.trim() !== CURRENT_SECRET);
				const wrongSecret = await runWebhook(pdfSign, { credentials: PDF_SIGN_CREDENTIALS(), request: pdfSignRequest(fresh(PDF_SIGN_GENERATED), secret) });
				expect(wrongSecret.result.workflowData).toBeUndefined();
				const stamped = new Date(NOW + (future ? offset : -offset) * 1000).toISOString();
				const stale = PDF_SIGN_GENERATED.replace(/"timestamp": "[^"]+"/, `"timestamp": "${stamped}"`);
				const replay = await runWebhook(pdfSign, { credentials: PDF_SIGN_CREDENTIALS(), request: pdfSignRequest(stale) });
				expect(replay.result.workflowData).toBeUndefined();
			}),
			{ numRuns: 100, seed: 15 },
		);
	});
});

// ---------------------------------------------------------------------------------------------
// 3. Replay
// ---------------------------------------------------------------------------------------------
describe('class 3: a correctly signed but old delivery is refused (Maximum Event Age, 1 h by default)', () => {
	test.each([
		['PDF Gorilla', gorilla, () => ({ credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(PDF_GORILLA_COMPLETED.replace(/"timestamp": "[^"]+"/, '"timestamp": "2026-04-03T10:00:00.000Z"')) })],
		['Docflo', docflo, () => ({ credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(DOCFLO_DOCUMENT_PROCESSED) })],
		['ReportFlow', reportFlow, () => ({ request: plainRequest(REPORTFLOW_FILE_COMPLETED) })],
	] as const)('%s: days old → 401, and not remembered: with the window off the same delivery then starts', async (_name, trigger, delivery) => {
		const workflowId = newWorkflowId();
		expectRejected(await runWebhook(trigger, { workflowId, ...delivery() }), 401, 'refused as a possible replay');
		const off = await runWebhook(trigger, { workflowId, ...delivery(), parameters: { options: { maxTimestampAgeSeconds: 0 } } });
		expect(off.result.workflowData).toBeDefined();
	});

	test('a signed body without a timestamp is refused while the window is on, accepted with it off', async () => {
		const body = '{"jobId":"cma1","status":"failed","error":{"code":"X","message":"y"}}';
		expectRejected(await runWebhook(gorilla, { credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(body) }), 401, 'has no timestamp');
		const off = await runWebhook(gorilla, { parameters: { options: { maxTimestampAgeSeconds: 0 } }, credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(body) });
		expect(off.result.workflowData).toBeDefined();
	});
});

// ---------------------------------------------------------------------------------------------
// 4. Dedupe integrity
// ---------------------------------------------------------------------------------------------
describe('class 4: only verified deliveries reach the dedupe store; keys tell genuine events apart', () => {
	test('a forged (badly signed) delivery leaves the store untouched: the genuine one then starts', async () => {
		const workflowId = newWorkflowId();
		const body = fresh(PDF_GORILLA_COMPLETED);
		expectRejected(await runWebhook(gorilla, { workflowId, credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(body, UNRELATED_SECRET) }), 401);
		expect((await runWebhook(gorilla, { workflowId, credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(body) })).result.workflowData).toBeDefined();
	});

	test('Docflo: two genuine changes of one document in the same second are two events; a retry is one', async () => {
		const workflowId = newWorkflowId();
		const first = fresh(DOCFLO_DOCUMENT_PROCESSED);
		const second = first.replace('"ANALYZED"', '"APPROVED"');
		expect(second).not.toBe(first);
		const run = (body: string) => runWebhook(docflo, { workflowId, credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(body) });
		expect((await run(first)).result.workflowData).toBeDefined();
		expect((await run(second)).result.workflowData).toBeDefined();
		expect((await run(first)).result.webhookResponse).toEqual({ received: true, started: false, reason: 'duplicate' });
	});

	test('Docflo without a timestamp: later changes of the document are not merged', async () => {
		const workflowId = newWorkflowId();
		const parameters = { options: { maxTimestampAgeSeconds: 0 } };
		const base = JSON.parse(DOCFLO_DOCUMENT_PROCESSED) as { timestamp?: string; doc: { status: string } };
		delete base.timestamp;
		const a = JSON.stringify(base);
		const b = JSON.stringify({ ...base, doc: { ...base.doc, status: 'REJECTED' } });
		for (const body of [a, b]) {
			const run = await runWebhook(docflo, { workflowId, parameters, credentials: DOCFLO_CREDENTIALS(), request: docfloRequest(body) });
			expect(run.result.workflowData).toBeDefined();
		}
	});
});

// ---------------------------------------------------------------------------------------------
// 5. Event data never steers API paths
// ---------------------------------------------------------------------------------------------
describe('class 5: IDs from payloads are checked before they go into an API path', () => {
	test.each(['..', '.', 'a/../b', '%2e%2e', '%2F', '..%2f', 'a b', 'a\\b', 'x?y=1', 'ok.', '', 'a'.repeat(201), '\u0000'])('%j is refused', (id) => {
		expect(isSafeId(id)).toBe(false);
	});
	test.each(['cma1b2c3d4e5f6g7h8i9j0k', 'abc-123-def-456', '550e8400-e29b-41d4-a716-446655440000', 'file_xyz', 'uuid_456', 'v1.2'])('%s is a valid ID', (id) => {
		expect(isSafeId(id)).toBe(true);
	});
	test('ReportFlow and PDF Gorilla events with a path-steering ID → 400', async () => {
		const rf = fresh(REPORTFLOW_FILE_COMPLETED).replace('"fileId": "file_xyz"', '"fileId": ".."');
		expectRejected(await runWebhook(reportFlow, { request: plainRequest(rf) }), 400, 'fileId is not a ReportFlow file ID');
		const pg = fresh(PDF_GORILLA_COMPLETED).replace('"jobId": "cma1b2c3d4e5f6g7h8i9j0k"', '"jobId": "../templates"');
		expectRejected(await runWebhook(gorilla, { credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(pg) }), 400, 'jobId is not a PDF Gorilla job ID');
	});
});

// ---------------------------------------------------------------------------------------------
// 6. Bounded resources
// ---------------------------------------------------------------------------------------------
describe('class 6: size, depth and fan-out limits', () => {
	test('a body over 2 MiB → 413 before its signature is checked', async () => {
		const body = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
		const run = await runWebhook(gorilla, { credentials: GORILLA_CREDENTIALS(), request: { rawBody: body, headers: { 'x-pdfg-signature': 'nope' } } });
		expectRejected(run, 413, 'at most 2097152 bytes');
	});
	test('JSON nested deeper than 32 levels → 400 (after authenticity for signed services)', async () => {
		const deep = `{"event":"file.completed","x":${'['.repeat(40)}${']'.repeat(40)}}`;
		expectRejected(await runWebhook(reportFlow, { request: plainRequest(deep) }), 400, 'more than 32 levels deep');
		expectRejected(await runWebhook(gorilla, { credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(deep, UNRELATED_SECRET) }), 401);
	});
	test('more than 100 files in one ReportFlow event → 400', async () => {
		const files = Array.from({ length: 101 }, (_, i) => ({ fileId: `f${i}`, uuid: 'u1' }));
		const body = JSON.stringify({ ...json(fresh(REPORTFLOW_FILE_COMPLETED)), files });
		expectRejected(await runWebhook(reportFlow, { request: plainRequest(body) }), 400, 'at most 100 per event');
	});
	test('fanned-out items do not each carry the whole files list', async () => {
		const files = Array.from({ length: 50 }, (_, i) => ({ fileId: `f${i}`, uuid: 'u1', params: { big: 'x'.repeat(1000) } }));
		const run = await runWebhook(reportFlow, { request: plainRequest(JSON.stringify({ ...json(fresh(REPORTFLOW_FILE_COMPLETED)), files })) });
		const items = run.result.workflowData![0];
		expect(items).toHaveLength(50);
		expect(JSON.stringify(items).length).toBeLessThan(50 * 1500);
		for (const item of items) expect(item.json.payload).not.toHaveProperty('files');
	});
});

// ---------------------------------------------------------------------------------------------
// 7. Errors say enough, not too much
// ---------------------------------------------------------------------------------------------
describe('class 7: rejection bodies and service error texts', () => {
	test('every 401 and 403 body is generic; the reason is only in the log', async () => {
		const runs = [
			await runWebhook(gorilla, { credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(PDF_GORILLA_COMPLETED, UNRELATED_SECRET) }),
			await runWebhook(gorilla, { credentials: {}, request: gorillaRequest(PDF_GORILLA_COMPLETED) }),
			await runWebhook(docflo, { credentials: DOCFLO_CREDENTIALS(), request: { rawBody: Buffer.from(DOCFLO_DOCUMENT_PROCESSED), headers: {} } }),
			await runWebhook(pdfSign, { credentials: PDF_SIGN_CREDENTIALS(), request: pdfSignRequest(PDF_SIGN_GENERATED, UNRELATED_SECRET) }),
		];
		for (const run of runs) expect(run.response.jsonCalls).toEqual([{ error: 'Unauthorized' }]);
		const blocked = await runWebhook(reportFlow, { parameters: { options: { allowedIpAddresses: '10.0.0.0/8' } }, request: plainRequest(REPORTFLOW_FILE_COMPLETED) });
		expect(blocked.response.jsonCalls).toEqual([{ error: 'Forbidden' }]);
		expect(blocked.logs.join('\n')).toContain('not in the IP allowlist');
	});

	test('service error texts are truncated and have keys, tokens and signed links masked', () => {
		const text = `Invalid API key dgl_live_0123456789abcdef for https://storage.googleapis.com/b/x.pdf?X-Goog-Signature=abcdef123 Bearer eyJhbGciOiJIUzI1NiJ9.payload token=s3cr3t-value ${'x'.repeat(500)}`;
		const redacted = redactDetail(text, ['my-own-api-key-123'], docGenLabDescriptor.api.keyPrefixes);
		expect(redacted).not.toMatch(/dgl_live|X-Goog-Signature|eyJhbGci|s3cr3t/);
		expect(redacted.length).toBeLessThanOrEqual(301);
		expect(redactDetail('Key my-own-api-key-123 refused', ['my-own-api-key-123'])).toBe('Key [redacted] refused');
		expect(redactDetail('Document 550e8400-e29b-41d4-a716-446655440000 not found')).toContain('550e8400-e29b-41d4-a716-446655440000');
	});
});

describe('class 6: download limits are not unlimited by default', () => {
	test('Max File Size defaults to 100 MB and Total Timeout to 600 s; 0 still means no limit', () => {
		const { readDownloadSettings, downloadProperties } = jest.requireActual<typeof import('../../../core/actions/properties')>('../../../core/actions/properties');
		const ctx = (options: Record<string, unknown>) =>
			({ getNode: () => ({ typeVersion: 2 }), getNodeParameter: (name: string, _i: number, fallback: unknown) => (name === 'downloadOptions' ? options : fallback) }) as unknown as Parameters<typeof readDownloadSettings>[0];
		expect(readDownloadSettings(ctx({}), 0)).toMatchObject({ maxBytes: 100 * 1024 * 1024, totalTimeoutMs: 600_000 });
		expect(readDownloadSettings(ctx({ maxFileSizeMb: 0, totalTimeoutSeconds: 0 }), 0)).toMatchObject({ maxBytes: 0, totalTimeoutMs: 0 });
		const options = (downloadProperties({ operation: ['download'] })[1].options ?? []) as Array<{ name: string; default: unknown }>;
		expect(Object.fromEntries(options.map((o) => [o.name, o.default]))).toMatchObject({ maxFileSizeMb: 100, totalTimeoutSeconds: 600 });
	});
});
