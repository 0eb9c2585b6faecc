/**
 * Request vectors for the trigger tests. The docs' example payloads come from
 * ../delivery/providerVectors.ts where they already are; the others are copied here from
 * /work/shared/provider-docs in the same way (layout included). Payloads the docs do not show
 * (a DocGenLab failure, a PDF Gorilla cancellation, PDF-Sign's `test` event) are built in the
 * documented shape and say so.
 */
import { createHmac } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import {
	CURRENT_SECRET,
	DOCFLO_DOCUMENT_PROCESSED,
	PDF_GORILLA_COMPLETED,
	PDF_GORILLA_FAILED,
	PDF_SIGN_FAILED,
	PDF_SIGN_GENERATED,
	PREVIOUS_SECRET,
	UNRELATED_SECRET,
	hmacHex,
} from '../delivery/providerVectors';
import type { Headers, RequestInit } from './context';
import { DOCFLO_WEBHOOK_API_FIELDS } from '../../../credentials/DocfloWebhookApi.credentials';
import { DOCGENLAB_API_FIELDS } from '../../../credentials/DocGenLabApi.credentials';
import { PDF_GORILLA_API_FIELDS } from '../../../credentials/PdfGorillaApi.credentials';
import { PDF_SIGN_WEBHOOK_API_FIELDS } from '../../../credentials/PdfSignWebhookApi.credentials';

export {
	CURRENT_SECRET,
	DOCFLO_DOCUMENT_PROCESSED,
	PDF_GORILLA_COMPLETED,
	PDF_GORILLA_FAILED,
	PDF_SIGN_FAILED,
	PDF_SIGN_GENERATED,
	PREVIOUS_SECRET,
	UNRELATED_SECRET,
};
export { flipByte, flipChar, hmacHex } from '../delivery/providerVectors';

// ---------------------------------------------------------------------------------------------
// ReportFlow (reportflow-webhooks.txt, "Payload Format")
// ---------------------------------------------------------------------------------------------

export const REPORTFLOW_FILE_COMPLETED = `{
"event": "file.completed",
"timestamp": "2026-02-15T10:30:45.123Z",
"workspaceId": "ws_abc123",
"designId": "design_123",
"version": 5,
"files": [
{
"fileId": "file_xyz",
"uuid": "uuid_456",
"fileName": "invoice.pdf",
"params": {
"companyName": "Company A",
"amount": 50000
}
}
]
}`;

/** The same event from a /multiple endpoint: two files, the second in the current API docs' form (`requestId`). */
export const REPORTFLOW_TWO_FILES = `{
"event": "file.completed",
"timestamp": "2026-02-15T10:31:00.000Z",
"workspaceId": "ws_abc123",
"designId": "design_123",
"version": 5,
"files": [
{
"fileId": "file_a",
"uuid": "uuid_789",
"fileName": "invoice-a.pdf",
"params": {
"companyName": "Company A"
}
},
{
"fileId": "file_b",
"requestId": "uuid_789",
"fileName": "invoice-b.pdf",
"params": {
"companyName": "Company B"
}
}
]
}`;

// ---------------------------------------------------------------------------------------------
// DocGenLab (docgenlab-webhooks.txt)
// ---------------------------------------------------------------------------------------------

/** "Webhook Payload". */
export const DOCGENLAB_COMPLETED = `{
"event": "document.generated",
"job_id": "abc-123-def-456",
"status": "completed",
"download_url": "https://storage.googleapis.com/...",
"metadata": {
"template_id": "template-xyz",
"created_at": "2024-01-15T10:30:00Z",
"error_message": null
}
}`;

/** Not shown in the docs: the same event with status failed and metadata.error_message set. */
export const DOCGENLAB_FAILED = `{
"event": "document.generated",
"job_id": "abc-123-def-456",
"status": "failed",
"download_url": null,
"metadata": {
"template_id": "template-xyz",
"created_at": "2024-01-15T10:30:00Z",
"error_message": "Template rendering failed: missing variable customer_name"
}
}`;

/** "Test Button". */
export const DOCGENLAB_TEST = `{
"event": "webhook.test",
"message": "This is a test webhook from DocGenLab"
}`;

// ---------------------------------------------------------------------------------------------
// Docflo (docflo-webhooks.txt): the documented payload, once per platform event
// ---------------------------------------------------------------------------------------------

export const DOCFLO_EVENTS = [
	'document.created',
	'document.processed',
	'document.approved',
	'document.rejected',
	'document.status_changed',
] as const;

/** The docs' payload (layout kept) with another event name. */
export function docfloPayload(event: string): string {
	return DOCFLO_DOCUMENT_PROCESSED.replace('"event": "document.processed"', `"event": "${event}"`);
}

// ---------------------------------------------------------------------------------------------
// PDF Gorilla (pdfgorilla-webhooks.txt)
// ---------------------------------------------------------------------------------------------

/** Not shown in the docs: a canceled job in the shape of the completed one (no URL, error null). */
export const PDF_GORILLA_CANCELED = `{
  "jobId": "cma1b2c3d4e5f6g7h8i9j0k",
  "status": "canceled",
  "error": null,
  "timestamp": "2026-04-06T10:01:23.456Z"
}`;

// ---------------------------------------------------------------------------------------------
// PDF-Sign (pdfsign-webhooks.txt)
// ---------------------------------------------------------------------------------------------

export const PDF_SIGN_QUOTA_WARNING = `{
  "event": "quota.warning",
  "timestamp": "2024-01-15T10:30:45.123Z",
  "data": {
    "current_usage": 240,
    "quota_limit": 300,
    "percentage": 80,
    "subscription_plan": "starter"
  }
}`;

export const PDF_SIGN_QUOTA_EXCEEDED = `{
  "event": "quota.exceeded",
  "timestamp": "2024-01-15T10:30:45.123Z",
  "data": {
    "current_usage": 300,
    "quota_limit": 300,
    "subscription_plan": "starter"
  }
}`;

/** Only named in the docs' sample handler (`case 'test'`); built in the shape of the others. */
export const PDF_SIGN_TEST = `{
  "event": "test",
  "timestamp": "2024-01-15T10:30:45.123Z",
  "data": {}
}`;

// ---------------------------------------------------------------------------------------------
// Requests as each service sends them
// ---------------------------------------------------------------------------------------------

export const buf = (text: string): Buffer => Buffer.from(text, 'utf8');
export const json = (text: string | Buffer): IDataObject => JSON.parse(text.toString()) as IDataObject;

/** An unsigned POST (ReportFlow, DocGenLab). */
export function plainRequest(body: string | Buffer, extra: Partial<RequestInit> = {}): RequestInit {
	return { rawBody: Buffer.isBuffer(body) ? body : buf(body), headers: { 'Content-Type': 'application/json', ...extra.headers }, ...omitHeaders(extra) };
}

/** PDF Gorilla: x-pdfg-signature = hex(HMAC-SHA256(webhookSecret, rawBody)), x-pdfg-event-id = jobId. */
export function gorillaRequest(body: string | Buffer, secret = CURRENT_SECRET, extra: Partial<RequestInit> = {}): RequestInit {
	const rawBody = Buffer.isBuffer(body) ? body : buf(body);
	const headers: Headers = { 'Content-Type': 'application/json', 'x-pdfg-signature': hmacHex('sha256', secret, rawBody) };
	const jobId = jobIdOf(rawBody);
	if (jobId) headers['x-pdfg-event-id'] = jobId;
	return { rawBody, headers: { ...headers, ...extra.headers }, ...omitHeaders(extra) };
}

/** Docflo: X-Docflo-Signature: sha256=hex(HMAC-SHA256(secret, bytes)), by default over the raw body. */
export function docfloRequest(
	body: string | Buffer,
	secret = CURRENT_SECRET,
	extra: Partial<RequestInit> & { signedBytes?: Buffer | string } = {},
): RequestInit {
	const rawBody = Buffer.isBuffer(body) ? body : buf(body);
	const { signedBytes, ...rest } = extra;
	const signature = 'sha256=' + hmacHex('sha256', secret, signedBytes ?? rawBody);
	return { rawBody, headers: { 'Content-Type': 'application/json', 'X-Docflo-Signature': signature, ...rest.headers }, ...omitHeaders(rest) };
}

/** PDF-Sign: the secret itself in X-Webhook-Secret, plus X-Webhook-Event and X-Webhook-Timestamp. */
export function pdfSignRequest(body: string | Buffer, secret = CURRENT_SECRET, extra: Partial<RequestInit> = {}): RequestInit {
	const rawBody = Buffer.isBuffer(body) ? body : buf(body);
	const parsed = tryJson(rawBody);
	const headers: Headers = { 'Content-Type': 'application/json', 'X-Webhook-Secret': secret };
	if (typeof parsed?.event === 'string') headers['X-Webhook-Event'] = parsed.event;
	headers['X-Webhook-Timestamp'] = new Date().toISOString();
	return { rawBody, headers: { ...headers, ...extra.headers }, ...omitHeaders(extra) };
}

function omitHeaders(extra: Partial<RequestInit>): Partial<RequestInit> {
	const { headers: _headers, ...rest } = extra;
	return rest;
}

function tryJson(body: Buffer): IDataObject | undefined {
	try {
		const value: unknown = JSON.parse(body.toString('utf8'));
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as IDataObject) : undefined;
	} catch {
		return undefined;
	}
}

function jobIdOf(body: Buffer): string | undefined {
	const jobId = tryJson(body)?.jobId;
	return typeof jobId === 'string' ? jobId : undefined;
}

/** Every signature a leak check must not find for `body`: hex HMACs with each test secret, bare and prefixed. */
export function signaturesOf(body: Buffer | string): string[] {
	return [CURRENT_SECRET, PREVIOUS_SECRET, UNRELATED_SECRET].map((secret) => createHmac('sha256', secret).update(body).digest('hex'));
}

export const ALL_SECRETS = [CURRENT_SECRET, PREVIOUS_SECRET, UNRELATED_SECRET];

// ---------------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------------

export const GORILLA_CREDENTIALS = (data: ICredentialDataDecryptedObject = {}) => ({
	pdfGorillaApi: { [PDF_GORILLA_API_FIELDS.apiKey]: 'pg_test_key', [PDF_GORILLA_API_FIELDS.webhookSecret]: CURRENT_SECRET, [PDF_GORILLA_API_FIELDS.previousWebhookSecret]: '', [PDF_GORILLA_API_FIELDS.baseUrl]: 'https://pdfgorilla.io/api/v1', ...data },
});

export const DOCFLO_CREDENTIALS = (data: ICredentialDataDecryptedObject = {}) => ({
	docfloWebhookApi: { [DOCFLO_WEBHOOK_API_FIELDS.signingSecret]: CURRENT_SECRET, [DOCFLO_WEBHOOK_API_FIELDS.previousSigningSecret]: '', [DOCFLO_WEBHOOK_API_FIELDS.incomingAuthentication]: 'none', ...data },
});

export const PDF_SIGN_CREDENTIALS = (data: ICredentialDataDecryptedObject = {}) => ({
	pdfSignWebhookApi: { [PDF_SIGN_WEBHOOK_API_FIELDS.webhookSecret]: CURRENT_SECRET, [PDF_SIGN_WEBHOOK_API_FIELDS.previousWebhookSecret]: '', ...data },
});

export const DOCGENLAB_API_CREDENTIALS = (data: ICredentialDataDecryptedObject = {}) => ({
	docGenLabApi: { [DOCGENLAB_API_FIELDS.apiKey]: 'dgl_test_key', [DOCGENLAB_API_FIELDS.baseUrl]: 'https://api.docgenlab.com/api/v1', ...data },
});
