/**
 * DocGenLab, as its webhook page (../shared/provider-docs/docgenlab-webhooks.txt) and API
 * docs (API-NOTES.md) describe it: an unsigned `document.generated` POST with a 24-hour
 * signed download URL, retried after 1, 5 and 15 minutes; a `webhook.test` ping from the
 * settings page.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { getObject, getString } from '../../core/delivery/parse';
import { configuredBaseUrl } from '../../core/actions/policy';
import type { ConfirmationResult, RecognisedEvent, ServiceDescriptor } from '../../core/service';

export const DOCGENLAB_API_BASE_URL = 'https://api.docgenlab.com/api/v1';

/** What GET /documents/{id} must say for a webhook status to be believed. */
const API_STATUS_FOR_EVENT_STATUS: Record<string, string> = { completed: 'ready', failed: 'failed' };

async function confirmWithDocumentsApi(this: IWebhookFunctions, event: RecognisedEvent): Promise<ConfirmationResult> {
	const item = event.items[0];
	const jobId = typeof item?.jobId === 'string' ? item.jobId : undefined;
	// Test pings name no document; there is nothing to confirm.
	if (event.event === 'webhook.test' || !jobId) return { outcome: 'confirmed' };
	const expected = API_STATUS_FOR_EVENT_STATUS[String(item.status)];
	if (!expected) return { outcome: 'rejected', message: `DocGenLab events report completed or failed, not ${String(item.status)}` };
	let baseUrl: string;
	try {
		const credentials = await this.getCredentials('docGenLabApi');
		baseUrl = configuredBaseUrl(credentials, DOCGENLAB_API_BASE_URL);
	} catch {
		return { outcome: 'misconfigured', message: 'Confirm With API is on but no DocGenLab API credential is selected' };
	}
	try {
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'docGenLabApi', {
			method: 'GET',
			url: `${baseUrl}/documents/${encodeURIComponent(jobId)}`,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// The answer must reach DocGenLab well within its patience; it retries a 503 later.
			timeout: 3500,
		})) as { statusCode: number; body: IDataObject };
		if (response.statusCode === 404) return { outcome: 'rejected', message: `DocGenLab has no document ${jobId}` };
		if (response.statusCode !== 200) {
			return { outcome: 'unavailable', message: `DocGenLab API answered ${response.statusCode} while confirming the event` };
		}
		const actual = getString(response.body, 'status');
		if (actual !== expected) {
			return { outcome: 'rejected', message: `DocGenLab reports document ${jobId} as ${actual ?? 'unknown'}, not ${expected}` };
		}
		return { outcome: 'confirmed' };
	} catch {
		return { outcome: 'unavailable', message: 'DocGenLab API did not answer in time to confirm the event' };
	}
}

export const docGenLab: ServiceDescriptor = {
	id: 'docGenLab',
	displayName: 'DocGenLab',
	delivery: {
		events: [
			{ value: 'document.generated', name: 'Document Generated', description: 'A document finished rendering (status completed) or failed (status failed)' },
			{ value: 'webhook.test', name: 'Test Webhook', description: 'Sent by Test Webhook in DocGenLab settings', isTest: true },
		],
		// No signature exists; an IP allowlist, the unguessable URL and Confirm With API are the options.
		checks: [],
		// Not stated; "Return 200 Quickly" and retries after 1, 5, 15 min. We keep to 5 s like the others.
		responseDeadlineSeconds: 5,
		confirm: confirmWithDocumentsApi,
		recognise({ payload }) {
			const event = getString(payload, 'event');
			if (!event) return { ok: false, message: 'event is missing' };
			if (event === 'webhook.test') {
				return { ok: true, event: { event, items: [{ event, isTest: true, message: getString(payload, 'message') ?? null }] } };
			}
			if (event !== 'document.generated') return { ok: true, event: { event, items: [{ event }] } };
			const jobId = getString(payload, 'job_id');
			const status = getString(payload, 'status');
			if (!jobId) return { ok: false, message: 'job_id is missing' };
			if (!status) return { ok: false, message: 'status is missing' };
			const metadata = getObject(payload, 'metadata');
			const errorMessage = getString(metadata, 'error_message') ?? null;
			const item: IDataObject = {
				event,
				jobId,
				status,
				succeeded: status === 'completed',
				downloadUrl: getString(payload, 'download_url') ?? null,
				templateId: getString(metadata, 'template_id') ?? null,
				createdAt: getString(metadata, 'created_at') ?? null,
				// DocGenLab reports failures with a message only.
				errorCode: status === 'completed' ? null : status,
				errorMessage,
			};
			return { ok: true, event: { event, items: [item], dedupeKey: `${jobId}|${status}` } };
		},
	},
	download: {
		// The API host, and the Google Cloud Storage host its signed download_url points at.
		allowedHosts: ['api.docgenlab.com', '*.docgenlab.com', 'storage.googleapis.com'],
	},
	api: {
		credentialType: 'docGenLabApi',
		baseUrl: (credentials) => configuredBaseUrl(credentials, DOCGENLAB_API_BASE_URL),
	},
};
