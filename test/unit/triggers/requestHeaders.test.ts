/**
 * Include Request Headers: off by default; when on, every item carries the delivery's headers,
 * values shown by allowlist (generic descriptive headers and the service's documented event and
 * timestamp headers), everything else `[redacted]`, so no secret or identity token that a proxy
 * adds ends up in the stored execution.
 */
import type { IDataObject } from 'n8n-workflow';

import { GENERIC_SHOWN_HEADERS, REDACTED, headerRedactionFor, redactedHeaders } from '../../../core/delivery/headers';
import { pdfGorilla } from '../../../nodes/PdfGorilla/descriptor';
import { DocfloTrigger } from '../../../nodes/Docflo/DocfloTrigger.node';
import { PdfGorillaTrigger } from '../../../nodes/PdfGorilla/PdfGorillaTrigger.node';
import { PdfSignTrigger } from '../../../nodes/PdfSign/PdfSignTrigger.node';
import { ReportFlowTrigger } from '../../../nodes/ReportFlow/ReportFlowTrigger.node';
import { atTimeOfVectors, runWebhook } from './context';
import {
	CURRENT_SECRET,
	DOCFLO_CREDENTIALS,
	DOCFLO_DOCUMENT_PROCESSED,
	GORILLA_CREDENTIALS,
	PDF_GORILLA_COMPLETED,
	PDF_SIGN_CREDENTIALS,
	PDF_SIGN_GENERATED,
	REPORTFLOW_TWO_FILES,
	docfloRequest,
	gorillaRequest,
	hmacHex,
	pdfSignRequest,
	plainRequest,
} from './vectors';

const BEARER = 'docflo-bearer-token-for-headers-test';
const API_KEY = 'docflo-api-key-for-headers-test-123';

function itemsOf(run: Awaited<ReturnType<typeof runWebhook>>): IDataObject[] {
	expect(run.result.workflowData).toHaveLength(1);
	return run.result.workflowData![0].map((item) => item.json);
}

describe('Include Request Headers on a genuine delivery', () => {
	atTimeOfVectors('2026-04-06T10:05:00.000Z');

	test('off by default: items carry no headers', async () => {
		const run = await runWebhook(new PdfGorillaTrigger(), { credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(PDF_GORILLA_COMPLETED) });
		for (const item of itemsOf(run)) expect(item).not.toHaveProperty('headers');
	});

	test('PDF Gorilla: the signature is redacted, the event id and the rest are kept', async () => {
		const request = gorillaRequest(PDF_GORILLA_COMPLETED, CURRENT_SECRET, { headers: { 'User-Agent': 'PDFGorilla-Webhooks/1.0' } });
		const run = await runWebhook(new PdfGorillaTrigger(), {
			credentials: GORILLA_CREDENTIALS(),
			parameters: { options: { includeHeaders: true } },
			request,
		});
		const [item] = itemsOf(run);
		expect(item.headers).toEqual({
			'content-type': 'application/json',
			'x-pdfg-signature': REDACTED,
			'x-pdfg-event-id': 'cma1b2c3d4e5f6g7h8i9j0k',
			'user-agent': 'PDFGorilla-Webhooks/1.0',
		});
		const stored = JSON.stringify(run.result);
		expect(stored).not.toContain(hmacHex('sha256', CURRENT_SECRET, request.rawBody!));
		expect(stored).not.toContain(CURRENT_SECRET);
	});

	test('PDF-Sign: the shared secret header is redacted wherever it appears', async () => {
		// A proxy that copies the secret into another header must not leak it either.
		const run = await runWebhook(new PdfSignTrigger(), {
			credentials: PDF_SIGN_CREDENTIALS(),
			parameters: { options: { includeHeaders: true, maxTimestampAgeSeconds: 0 } },
			request: pdfSignRequest(PDF_SIGN_GENERATED, CURRENT_SECRET, { headers: { 'X-Original-Headers': `x-webhook-secret=${CURRENT_SECRET}` } }),
		});
		const [item] = itemsOf(run);
		expect(item.headers).toMatchObject({ 'x-webhook-secret': REDACTED, 'x-original-headers': REDACTED, 'x-webhook-event': 'pdf.generated', 'x-webhook-timestamp': expect.not.stringMatching(/redacted/) });
		expect(JSON.stringify(run.result)).not.toContain(CURRENT_SECRET);
	});

	test.each([
		['bearerToken', { bearerToken: BEARER }, { Authorization: `Bearer ${BEARER}` }, 'authorization', BEARER],
		['apiKeyHeader', { headerName: 'X-Docflo-Key', headerApiKey: API_KEY }, { 'X-Docflo-Key': API_KEY }, 'x-docflo-key', API_KEY],
		['basicAuth', { basicAuthUser: 'docflo', basicAuthPassword: 'docflo-basic-password' }, { Authorization: `Basic ${Buffer.from('docflo:docflo-basic-password').toString('base64')}` }, 'authorization', 'docflo-basic-password'],
	])('Docflo with %s: the signature and the configured auth header are redacted', async (type, fields, authHeaders, headerName, secret) => {
		const run = await runWebhook(new DocfloTrigger(), {
			credentials: DOCFLO_CREDENTIALS({ incomingAuthentication: type, ...fields }),
			parameters: { options: { includeHeaders: true, maxTimestampAgeSeconds: 0 } },
			request: docfloRequest(DOCFLO_DOCUMENT_PROCESSED, CURRENT_SECRET, { headers: { ...authHeaders, Cookie: 'session=abc123' } }),
		});
		const [item] = itemsOf(run);
		expect(item.headers).toMatchObject({ [headerName]: REDACTED, 'x-docflo-signature': REDACTED, cookie: REDACTED, 'content-type': 'application/json' });
		const stored = JSON.stringify(run.result);
		expect(stored).not.toContain(secret);
		expect(stored).not.toContain(CURRENT_SECRET);
		expect(stored).not.toContain('abc123');
	});

	test('ReportFlow, one item per file: every item carries the headers', async () => {
		const run = await runWebhook(new ReportFlowTrigger(), {
			parameters: { options: { includeHeaders: true, maxTimestampAgeSeconds: 0 } },
			request: plainRequest(REPORTFLOW_TWO_FILES, { headers: { 'X-Forwarded-For': '198.51.100.7' } }),
		});
		const items = itemsOf(run);
		expect(items).toHaveLength(2);
		// A client address is personal data and not needed to use the event: not on the allowlist.
		for (const item of items) expect(item.headers).toEqual({ 'content-type': 'application/json', 'x-forwarded-for': REDACTED });
	});

	test('identity headers that proxies add, and anything unknown, are redacted (issue 23)', async () => {
		const identity = {
			'Cf-Access-Jwt-Assertion': 'eyJhbGciOiJSUzI1NiJ9.cf.sig',
			'X-Goog-IAP-JWT-Assertion': 'eyJhbGciOiJFUzI1NiJ9.iap.sig',
			'X-Amzn-Oidc-Data': 'eyJ0eXAiOiJKV1QifQ.alb.sig',
			'X-Forwarded-Client-Cert': 'By=spiffe://mesh/ns/n8n;Hash=abc123;Subject="CN=client"',
			'x-pwd': 'hunter2-pass',
			'X-Totally-New-Header': 'anything',
		};
		const run = await runWebhook(new PdfGorillaTrigger(), {
			credentials: GORILLA_CREDENTIALS(),
			parameters: { options: { includeHeaders: true } },
			request: gorillaRequest(PDF_GORILLA_COMPLETED, CURRENT_SECRET, { headers: identity }),
		});
		const [item] = itemsOf(run);
		for (const name of Object.keys(identity)) expect((item.headers as IDataObject)[name.toLowerCase()]).toBe(REDACTED);
		const stored = JSON.stringify(run.result);
		for (const value of Object.values(identity)) expect(stored).not.toContain(value);
	});
});

describe('redactedHeaders', () => {
	const none = { shownHeaderNames: GENERIC_SHOWN_HEADERS, secretValues: [] };

	test.each(['Authorization', 'Proxy-Authorization', 'Cookie', 'X-Api-Key', 'X-Hub-Signature-256', 'X-Webhook-Secret', 'Cf-Access-Jwt-Assertion', 'X-Goog-IAP-JWT-Assertion', 'X-Amzn-Oidc-Data', 'X-Amzn-Oidc-Accesstoken', 'X-Forwarded-Client-Cert', 'X-Ssl-Client-Cert', 'x-pwd', 'X-Forwarded-For', 'Forwarded', 'Via', 'X-Request-Id', 'Keyboard-Layout'])(
		'%s is not on the allowlist: redacted',
		(name) => {
			expect(redactedHeaders({ [name]: 'value-1234' }, none)).toEqual({ [name.toLowerCase()]: REDACTED });
		},
	);

	test.each(['Content-Type', 'Content-Length', 'Content-Encoding', 'User-Agent', 'Accept', 'Accept-Encoding', 'Date', 'Host'])('%s is shown', (name) => {
		expect(redactedHeaders({ [name]: 'value' }, none)).toEqual({ [name.toLowerCase()]: 'value' });
	});

	test("a service's documented headers are shown for that service only", () => {
		const forPdfGorilla = headerRedactionFor(pdfGorilla, {});
		expect(redactedHeaders({ 'X-Pdfg-Event-Id': 'job-1', 'X-Webhook-Event': 'pdf.generated' }, forPdfGorilla)).toEqual({ 'x-pdfg-event-id': 'job-1', 'x-webhook-event': REDACTED });
	});

	test('a shown value that contains a secret of the credential is redacted, in arrays too', () => {
		const redaction = { shownHeaderNames: GENERIC_SHOWN_HEADERS, secretValues: ['s3cr3t-value'] };
		expect(redactedHeaders({ 'User-Agent': 'agent s3cr3t-value', accept: ['a', 'b s3cr3t-value'], date: 'today', missing: undefined }, redaction)).toEqual({
			'user-agent': REDACTED,
			accept: ['a', REDACTED],
			date: 'today',
		});
	});
});
