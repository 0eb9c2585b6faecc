import type { SampleEvent } from '../../core/delivery/sampleEvent';

/**
 * The payload in DocGenLab's webhooks guide (provider-docs/docgenlab-webhooks.txt). Its
 * download_url ("https://storage.googleapis.com/...") points at a `.invalid` host instead, so a
 * download node refuses the sample rather than calling Google Cloud Storage.
 */
export const docGenLabSamples: SampleEvent[] = [
	{
		headers: { 'content-type': 'application/json' },
		payload: {
			event: 'document.generated',
			job_id: 'abc-123-def-456',
			status: 'completed',
			download_url: 'https://storage.sample.invalid/docgenlab/abc-123-def-456.pdf',
			metadata: { template_id: 'template-xyz', created_at: '2024-01-15T10:30:00Z', error_message: null },
		},
	},
];
