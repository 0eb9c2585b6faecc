/**
 * PDF Gorilla, as its webhook page (../shared/provider-docs/pdfgorilla-webhooks.txt) and
 * public API docs describe it: a signed POST when an async job reaches a final state.
 */
import type { IDataObject } from 'n8n-workflow';

import { getObject, getString } from '../../core/delivery/parse';
import { configuredBaseUrl } from '../../core/actions/policy';
import { isSafeId } from '../../core/ids';
import type { ServiceDescriptor } from '../../core/service';
import { PDF_GORILLA_API_FIELDS } from '../../credentials/PdfGorillaApi.credentials';

export const PDF_GORILLA_API_BASE_URL = 'https://pdfgorilla.io/api/v1';

export const pdfGorilla: ServiceDescriptor = {
	id: 'pdfGorilla',
	displayName: 'PDF Gorilla',
	delivery: {
		events: [
			{ value: 'completed', name: 'Job Completed', description: 'The PDF is ready; the event carries a short-lived download URL' },
			{ value: 'failed', name: 'Job Failed', description: 'Rendering failed; the event carries an error code and message' },
			{ value: 'canceled', name: 'Job Canceled', description: 'The job was canceled before it finished' },
		],
		checks: [
			{
				kind: 'signature',
				header: 'x-pdfg-signature',
				// "hex( HMAC-SHA256( webhookSecret, rawBodyBytes ) )"
				scheme: { algorithm: 'sha256', encoding: 'hex' },
				// webhookSecret is mandatory whenever webhookUrl is set, so every delivery is signed.
				required: 'always',
			},
		],
		credential: {
			type: 'pdfGorillaApi',
			displayName: 'PDF Gorilla API',
			secretField: PDF_GORILLA_API_FIELDS.webhookSecret,
			secretLabel: 'Webhook Secret',
			previousSecretField: PDF_GORILLA_API_FIELDS.previousWebhookSecret,
		},
		// "Your handler should return 2xx within about 5 seconds"
		responseDeadlineSeconds: 5,
		// Documented: x-pdfg-event-id (the job ID) beside the signature.
		shownHeaders: ['x-pdfg-event-id'],
		// The signed body's `timestamp` (when the job ended). The docs give no retry schedule; an
		// hour covers the usual few retries and stays far inside the 48 h dedupe window.
		replayWindow: { defaultMaxAgeSeconds: 3600, source: 'the signed body\'s timestamp' },
		recognise({ payload }) {
			const jobId = getString(payload, 'jobId');
			const status = getString(payload, 'status');
			if (!jobId) return { ok: false, message: 'jobId is missing' };
			// It goes into GET /jobs/{jobId} with the API key (Download File's fresh link).
			if (!isSafeId(jobId)) return { ok: false, message: 'jobId is not a PDF Gorilla job ID' };
			if (!status) return { ok: false, message: 'status is missing' };
			const error = getObject(payload, 'error');

			const item: IDataObject = {
				event: status,
				jobId,
				status,
				succeeded: status === 'completed',
				downloadUrl: getString(payload, 'downloadUrl') ?? null,
				expiresAt: getString(payload, 'expiresAt') ?? null,
				errorCode: getString(error, 'code') ?? null,
				errorMessage: getString(error, 'message') ?? null,
				timestamp: getString(payload, 'timestamp') ?? null,
			};
			// "x-pdfg-event-id: Same as jobId (dedupe deliveries)". The key comes from the signed body,
			// not the unsigned header, so a replay with a changed header is still a duplicate.
			return { ok: true, event: { event: status, items: [item], dedupeKey: jobId, timestamp: getString(payload, 'timestamp') } };
		},
	},
	download: {
		allowedHosts: ['pdfgorilla.io', '*.pdfgorilla.io'],
	},
	api: {
		credentialType: 'pdfGorillaApi',
		baseUrl: (credentials) => configuredBaseUrl(credentials, PDF_GORILLA_API_BASE_URL),
		// A 429 carries "x-ratelimit-reset (ms)" and no Retry-After (API-NOTES).
		rateLimitResetHeader: 'x-ratelimit-reset',
	},
};
