/**
 * PDF Gorilla, as its webhook page (../shared/provider-docs/pdfgorilla-webhooks.txt) and
 * public API docs describe it: a signed POST when an async job reaches a final state.
 */
import type { IDataObject } from 'n8n-workflow';

import { getObject, getString } from '../../core/delivery/parse';
import { configuredBaseUrl } from '../../core/actions/policy';
import type { ServiceDescriptor } from '../../core/service';

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
		credential: { type: 'pdfGorillaApi', secretField: 'webhookSecret', previousSecretField: 'previousWebhookSecret' },
		// "Your handler should return 2xx within about 5 seconds"
		responseDeadlineSeconds: 5,
		recognise({ payload }) {
			const jobId = getString(payload, 'jobId');
			const status = getString(payload, 'status');
			if (!jobId) return { ok: false, message: 'jobId is missing' };
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
			return { ok: true, event: { event: status, items: [item], dedupeKey: jobId } };
		},
	},
	download: {
		allowedHosts: ['pdfgorilla.io', '*.pdfgorilla.io'],
	},
	api: {
		credentialType: 'pdfGorillaApi',
		baseUrl: (credentials) => configuredBaseUrl(credentials, PDF_GORILLA_API_BASE_URL),
	},
};
