/**
 * Include Request Headers: off by default; when on, every item carries the delivery's headers
 * with anything that could authenticate a request replaced, so no secret ends up in the
 * stored execution.
 */
import type { IDataObject } from 'n8n-workflow';

import { REDACTED, isSecretHeaderName, redactedHeaders } from '../../../core/delivery/headers';
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
		expect(item.headers).toMatchObject({ 'x-webhook-secret': REDACTED, 'x-original-headers': REDACTED, 'x-webhook-event': 'pdf.generated' });
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
		for (const item of items) expect(item.headers).toEqual({ 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7' });
	});
});

describe('redactedHeaders', () => {
	const none = { secretHeaderNames: [], secretValues: [] };

	test.each(['Authorization', 'Proxy-Authorization', 'Cookie', 'Set-Cookie', 'X-Api-Key', 'api_key', 'X-Auth-Token', 'X-Hub-Signature-256', 'X-Webhook-Secret', 'X-Session-Id', 'X-CSRF-Token', 'X-Access-Key', 'X-Password'])(
		'%s is a secret by its name alone',
		(name) => {
			expect(isSecretHeaderName(name, none)).toBe(true);
			expect(redactedHeaders({ [name]: 'value-1234' }, none)).toEqual({ [name.toLowerCase()]: REDACTED });
		},
	);

	test.each(['Content-Type', 'User-Agent', 'X-Forwarded-For', 'X-Pdfg-Event-Id', 'X-Webhook-Event', 'X-Webhook-Timestamp', 'Accept-Encoding', 'Content-Length', 'Keyboard-Layout'])(
		'%s is kept',
		(name) => {
			expect(redactedHeaders({ [name]: 'value' }, none)).toEqual({ [name.toLowerCase()]: 'value' });
		},
	);

	test('a name the service or credential uses is redacted; a value containing a secret is redacted in arrays too', () => {
		const redaction = { secretHeaderNames: ['x-custom-auth-header', 'x-my-header'], secretValues: ['s3cr3t-value'] };
		expect(
			redactedHeaders({ 'X-My-Header': 'plain', forwarded: ['a', 'for=1 s3cr3t-value'], via: '1.1 proxy', missing: undefined }, redaction),
		).toEqual({ 'x-my-header': REDACTED, forwarded: ['a', REDACTED], via: '1.1 proxy' });
	});
});
