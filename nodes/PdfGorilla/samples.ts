import type { SampleEvent } from '../../core/delivery/sampleEvent';

const JOB_ID = 'cma1b2c3d4e5f6g7h8i9j0k';
/** The documented headers; the signature is a placeholder (and redacted wherever headers are shown). */
const headers = { 'content-type': 'application/json', 'x-pdfg-event-id': JOB_ID, 'x-pdfg-signature': 'sample-signature' };

/**
 * The completed and failed payloads on PDF Gorilla's webhooks page
 * (provider-docs/pdfgorilla-webhooks.txt). The documented downloadUrl ("https://...") points at a
 * `.invalid` host, so a download node refuses the sample instead of fetching a file.
 */
export const pdfGorillaSamples: SampleEvent[] = [
	{
		headers,
		payload: {
			jobId: JOB_ID,
			status: 'completed',
			downloadUrl: `https://files.sample.invalid/pdfgorilla/${JOB_ID}.pdf`,
			expiresAt: '2026-04-13T10:00:00.000Z',
			error: null,
			timestamp: '2026-04-06T10:01:23.456Z',
		},
	},
	{
		headers,
		payload: {
			jobId: JOB_ID,
			status: 'failed',
			error: { code: 'RENDER_TIMEOUT', message: 'PDF rendering timed out.' },
			timestamp: '2026-04-06T10:01:23.456Z',
		},
	},
];
