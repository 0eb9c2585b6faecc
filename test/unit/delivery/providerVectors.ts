/**
 * Example payloads copied verbatim (layout included) from the provider webhook docs in
 * /work/shared/provider-docs, used as raw request bodies in the delivery tests.
 */
import { createHmac } from 'node:crypto';

/** pdfgorilla-webhooks.txt, "Completed job". */
export const PDF_GORILLA_COMPLETED = `{
  "jobId": "cma1b2c3d4e5f6g7h8i9j0k",
  "status": "completed",
  "downloadUrl": "https://...",
  "expiresAt": "2026-04-13T10:00:00.000Z",
  "error": null,
  "timestamp": "2026-04-06T10:01:23.456Z"
}`;

/** pdfgorilla-webhooks.txt, "Failed job". */
export const PDF_GORILLA_FAILED = `{
  "jobId": "cma1b2c3d4e5f6g7h8i9j0k",
  "status": "failed",
  "error": {
    "code": "RENDER_TIMEOUT",
    "message": "PDF rendering timed out."
  },
  "timestamp": "2026-04-06T10:01:23.456Z"
}`;

/** docflo-webhooks.txt, "Webhook Payload". */
export const DOCFLO_DOCUMENT_PROCESSED = `{
"event": "document.processed",
"tenantId": "your-tenant-id",
"timestamp": "2025-03-10T17:53:46.000Z",
"doc": {
"_id": "document-id",
"type": "invoice",
"status": "ANALYZED",
"createdAt": "2025-03-10T17:50:00.000Z",
"updatedAt": "2025-03-10T17:53:46.000Z",
"fields": {
"InvoiceId": "INV-2025-001",
"VendorName": "Acme Corporation",
"InvoiceDate": "2025-03-01",
"InvoiceTotal": {
"Amount": 1500.00,
"CurrencyCode": "USD"
},
"Items": [
{
"Description": "Professional Services",
"Quantity": 10,
"UnitPrice": 150.00,
"Amount": 1500.00
}
]
}
}
}`;

/** pdfsign-webhooks.txt, "pdf.generated". */
export const PDF_SIGN_GENERATED = `{
  "event": "pdf.generated",
  "timestamp": "2024-01-15T10:30:45.123Z",
  "data": {
    "template_id": "550e8400-e29b-41d4-a716-446655440000",
    "pdf_url": "https://api.pdf-sign.com/storage/v1/object/public/pdfs/user-id/template-id/1705312245123.pdf",
    "storage_path": "user-id/template-id/1705312245123.pdf",
    "file_size": 156789,
    "render_time_ms": 2450,
    "variables": {
      "clientName": "John Doe",
      "invoiceNumber": "INV-2024-001",
      "amount": "1500.00"
    },
    "created_at": "2024-01-15T10:30:45.123Z"
  }
}`;

/** pdfsign-webhooks.txt, "pdf.failed". */
export const PDF_SIGN_FAILED = `{
  "event": "pdf.failed",
  "timestamp": "2024-01-15T10:30:45.123Z",
  "data": {
    "template_id": "550e8400-e29b-41d4-a716-446655440000",
    "error_code": "RENDER_FAILED",
    "error_message": "Failed to render PDF: Template contains invalid HTML",
    "variables": {
      "clientName": "John Doe"
    }
  }
}`;

/** Test-only secrets, in the shape the docs suggest (openssl rand -hex 32). */
export const CURRENT_SECRET = 'test-secret-current-0f3c9a1e7b5d2468ace0f3c9a1e7b5d2';
export const PREVIOUS_SECRET = 'test-secret-previous-91b2c3d4e5f60718293a4b5c6d7e8f90';
export const UNRELATED_SECRET = 'test-secret-unrelated-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

/** Independent reference implementation of the providers' signing, straight from node:crypto. */
export function hmacHex(algorithm: 'sha1' | 'sha256' | 'sha512', secret: string, body: Buffer | string): string {
	return createHmac(algorithm, secret).update(body).digest('hex');
}

export function hmacBase64(algorithm: 'sha1' | 'sha256' | 'sha512', secret: string, body: Buffer | string): string {
	return createHmac(algorithm, secret).update(body).digest('base64');
}

/** Changes one character of `text` at `index` to a different character of the same alphabet. */
export function flipChar(text: string, index: number): string {
	const original = text[index];
	const replacement = original === '0' ? '1' : original === 'A' ? 'B' : original === 'a' ? 'b' : '0';
	return text.slice(0, index) + replacement + text.slice(index + 1);
}

/** Copies `buffer` with one byte XOR-ed, so exactly one byte differs. */
export function flipByte(buffer: Buffer, index: number): Buffer {
	const copy = Buffer.from(buffer);
	copy[index] ^= 0x01;
	return copy;
}
