import type { SampleEvent } from '../../core/delivery/sampleEvent';

const headers = (event: string) => ({
	'content-type': 'application/json',
	'x-webhook-event': event,
	'x-webhook-timestamp': '2024-01-15T10:30:45.123Z',
	// A placeholder: redacted wherever headers are shown, like the real secret.
	'x-webhook-secret': 'sample-secret',
});

/**
 * The four payloads on PDF-Sign's webhook events page (provider-docs/pdfsign-webhooks.txt). The
 * documented pdf_url is a real-looking public storage link on api.pdf-sign.com; the sample's
 * points at a `.invalid` host, so a download node refuses it instead of fetching a file.
 */
export const pdfSignSamples: SampleEvent[] = [
	{
		headers: headers('pdf.generated'),
		payload: {
			event: 'pdf.generated',
			timestamp: '2024-01-15T10:30:45.123Z',
			data: {
				template_id: '550e8400-e29b-41d4-a716-446655440000',
				pdf_url: 'https://storage.sample.invalid/pdf-sign/pdfs/user-id/template-id/1705312245123.pdf',
				storage_path: 'user-id/template-id/1705312245123.pdf',
				file_size: 156789,
				render_time_ms: 2450,
				variables: { clientName: 'John Doe', invoiceNumber: 'INV-2024-001', amount: '1500.00' },
				created_at: '2024-01-15T10:30:45.123Z',
			},
		},
	},
	{
		headers: headers('pdf.failed'),
		payload: {
			event: 'pdf.failed',
			timestamp: '2024-01-15T10:30:45.123Z',
			data: {
				template_id: '550e8400-e29b-41d4-a716-446655440000',
				error_code: 'RENDER_FAILED',
				error_message: 'Failed to render PDF: Template contains invalid HTML',
				variables: { clientName: 'John Doe' },
			},
		},
	},
	{
		headers: headers('quota.warning'),
		payload: {
			event: 'quota.warning',
			timestamp: '2024-01-15T10:30:45.123Z',
			data: { current_usage: 240, quota_limit: 300, percentage: 80, subscription_plan: 'starter' },
		},
	},
	{
		headers: headers('quota.exceeded'),
		payload: {
			event: 'quota.exceeded',
			timestamp: '2024-01-15T10:30:45.123Z',
			data: { current_usage: 300, quota_limit: 300, subscription_plan: 'starter' },
		},
	},
];
