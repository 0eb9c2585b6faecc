/**
 * PDF-Sign, as its webhook events page (../shared/provider-docs/pdfsign-webhooks.txt) and
 * public API docs (API-NOTES.md) describe it: deliveries carry the webhook's secret itself in
 * X-Webhook-Secret (no HMAC), plus X-Webhook-Event and X-Webhook-Timestamp.
 */
import type { IDataObject } from 'n8n-workflow';

import { getObject, getString } from '../../core/delivery/parse';
import { headerValue } from '../../core/values';
import { configuredBaseUrl } from '../../core/actions/policy';
import type { ServiceDescriptor } from '../../core/service';
import { PDF_SIGN_WEBHOOK_API_FIELDS } from '../../credentials/PdfSignWebhookApi.credentials';

export const PDF_SIGN_API_BASE_URL = 'https://api.pdf-sign.com/functions/v1';

const numberOrNull = (data: IDataObject | undefined, key: string): number | null =>
	typeof data?.[key] === 'number' ? (data[key] as number) : null;

const objectOrEmpty = (data: IDataObject | undefined, key: string): IDataObject => getObject(data, key) ?? {};

/** A pdf.generated event's item, or what is wrong with it. */
function generatedItem(event: string, timestamp: string | null, data: IDataObject | undefined): IDataObject | string {
	const downloadUrl = getString(data, 'pdf_url');
	if (!downloadUrl) return 'data.pdf_url is missing';
	return {
		event,
		timestamp,
		succeeded: true,
		templateId: getString(data, 'template_id') ?? null,
		downloadUrl,
		storagePath: getString(data, 'storage_path') ?? null,
		fileSize: numberOrNull(data, 'file_size'),
		renderTimeMs: numberOrNull(data, 'render_time_ms'),
		variables: objectOrEmpty(data, 'variables'),
		createdAt: getString(data, 'created_at') ?? null,
		errorCode: null,
		errorMessage: null,
	};
}

export const pdfSign: ServiceDescriptor = {
	id: 'pdfSign',
	displayName: 'PDF-Sign',
	delivery: {
		events: [
			{ value: 'pdf.generated', name: 'PDF Generated', description: 'A PDF was generated and stored; the event carries its public URL' },
			{ value: 'pdf.failed', name: 'PDF Failed', description: 'PDF generation failed; the event carries an error code and message' },
			{ value: 'quota.warning', name: 'Quota Warning', description: 'Usage crossed 80% of the monthly quota (sent once)' },
			{ value: 'quota.exceeded', name: 'Quota Exceeded', description: 'A generation was blocked because the monthly quota is used up' },
			{ value: 'test', name: 'Test', description: 'A test delivery', isTest: true },
		],
		checks: [{ kind: 'sharedSecretHeader', header: 'x-webhook-secret' }],
		// The body's ISO 8601 `timestamp` (documented in every event), else X-Webhook-Timestamp.
		// Webhooks are "fire and forget" (no retries): an hour allows for delay and clock skew.
		replayWindow: { defaultMaxAgeSeconds: 3600, source: 'the body\'s timestamp, or X-Webhook-Timestamp' },
		credential: {
			type: 'pdfSignWebhookApi',
			displayName: 'PDF-Sign Webhook API',
			secretField: PDF_SIGN_WEBHOOK_API_FIELDS.webhookSecret,
			secretLabel: 'Webhook Secret',
			previousSecretField: PDF_SIGN_WEBHOOK_API_FIELDS.previousWebhookSecret,
		},
		// Not documented ("fire and forget"); we answer within the 5 s the other services ask for.
		responseDeadlineSeconds: 5,
		// Documented beside X-Webhook-Secret (the secret itself, never shown).
		shownHeaders: ['x-webhook-event', 'x-webhook-timestamp'],
		recognise({ payload, headers }) {
			const event = getString(payload, 'event') ?? headerValue(headers, 'x-webhook-event');
			if (!event) return { ok: false, message: 'event is missing' };
			const timestamp = getString(payload, 'timestamp') ?? headerValue(headers, 'x-webhook-timestamp') ?? null;
			const data = getObject(payload, 'data');
			const sentAt = timestamp ?? undefined;
			if (event === 'test') {
				return { ok: true, event: { event, items: [{ event, isTest: true, timestamp }], timestamp: sentAt } };
			}
			const known = ['pdf.generated', 'pdf.failed', 'quota.warning', 'quota.exceeded'];
			if (known.includes(event) && !data) return { ok: false, message: 'data is missing or not an object' };
			let item: IDataObject;
			let identity: unknown[];
			switch (event) {
				case 'pdf.generated': {
					const generated = generatedItem(event, timestamp, data);
					if (typeof generated === 'string') return { ok: false, message: generated };
					item = generated;
					identity = [item.storagePath ?? item.downloadUrl];
					break;
				}
				case 'pdf.failed':
					item = {
						event,
						timestamp,
						succeeded: false,
						templateId: getString(data, 'template_id') ?? null,
						variables: objectOrEmpty(data, 'variables'),
						errorCode: getString(data, 'error_code') ?? null,
						errorMessage: getString(data, 'error_message') ?? null,
					};
					identity = [item.templateId, item.errorCode, timestamp];
					break;
				case 'quota.warning':
				case 'quota.exceeded':
					item = {
						event,
						timestamp,
						currentUsage: numberOrNull(data, 'current_usage'),
						quotaLimit: numberOrNull(data, 'quota_limit'),
						percentage: numberOrNull(data, 'percentage'),
						subscriptionPlan: getString(data, 'subscription_plan') ?? null,
					};
					identity = [item.currentUsage, item.quotaLimit, timestamp];
					break;
				default:
					item = { event, timestamp, data: data ?? null };
					identity = [timestamp];
			}
			return { ok: true, event: { event, items: [item], dedupeKey: [event, ...identity].join('|'), timestamp: sentAt } };
		},
	},
	download: {
		// pdf_url points at the API host's public storage ("/storage/v1/object/public/pdfs/…").
		allowedHosts: ['api.pdf-sign.com', '*.pdf-sign.com'],
	},
	api: {
		credentialType: 'pdfSignApi',
		baseUrl: (credentials) => configuredBaseUrl(credentials, PDF_SIGN_API_BASE_URL),
		// Keys look like pdfsign_<uuid> (API-NOTES).
		keyPrefixes: ['pdfsign_'],
	},
};
