/**
 * DocGenLab, as its webhook page (../shared/provider-docs/docgenlab-webhooks.txt) and API
 * docs (API-NOTES.md) describe it: an unsigned `document.generated` POST with a 24-hour
 * signed download URL, retried after 1, 5 and 15 minutes; a `webhook.test` ping from the
 * settings page.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { getObject, getString } from '../../core/delivery/parse';
import { configuredBaseUrl } from '../../core/actions/policy';
import { accountKey, recallConfirmation, rememberConfirmation, takeCall } from '../../core/delivery/confirmBudget';
import { isSafeId } from '../../core/ids';
import type { ConfirmationLimits, ConfirmationResult, RecognisedEvent, ServiceDescriptor } from '../../core/service';
import { DOCGENLAB_API_FIELDS } from '../../credentials/DocGenLabApi.credentials';

export const DOCGENLAB_API_BASE_URL = 'https://api.docgenlab.com/api/v1';

/** What GET /documents/{id} must say for a webhook status to be believed. */
const API_STATUS_FOR_EVENT_STATUS: Record<string, string> = { completed: 'ready', failed: 'failed' };

/**
 * The one answer a sender gets for every event the API does not confirm, whatever the reason:
 * it must not tell a prober whether a document exists or what state it is in. The reason goes
 * to n8n's log only.
 */
const NOT_CONFIRMED = 'DocGenLab did not confirm the event';

/** `ready` and `failed` are final, so a confirmation stays true: repeats within a day cost no call. */
const CONFIRMATION_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * With Confirm With API, what the workflow gets comes from the API's answer, not from the
 * unauthenticated body: the document's ID, status, template, creation time and error message.
 * The API reports no signed link, so `downloadUrl` is null and DocGenLab Download fetches the
 * file by the confirmed ID through GET /documents/{id}/download; a forged delivery for a real
 * document cannot slip in a link of its own.
 */
function confirmedEvent(eventName: string, document: IDataObject): RecognisedEvent {
	const status = getString(document, 'status') === 'ready' ? 'completed' : 'failed';
	const jobId = String(document.id);
	const item: IDataObject = {
		event: eventName,
		jobId,
		status,
		succeeded: status === 'completed',
		downloadUrl: null,
		templateId: getString(document, 'template_id') ?? null,
		createdAt: getString(document, 'created_at') ?? null,
		errorCode: status === 'completed' ? null : status,
		errorMessage: getString(document, 'error_message') ?? null,
		confirmed: true,
	};
	return { event: eventName, items: [item], dedupeKey: `${jobId}|${status}` };
}

/** What GET /documents/{id} said, within the confirmation budget. */
export type DocumentLookup =
	| { outcome: 'found'; document: IDataObject; apiKey: string }
	/** No such document, or the API answered for another one. */
	| { outcome: 'missing'; message: string }
	/** Over budget, no answer in time, or an unexpected status: the sender should retry later. */
	| { outcome: 'unavailable'; message: string }
	| { outcome: 'misconfigured'; message: string };

/**
 * Asks the API about one document for a webhook (the trigger's Confirm With API, Generate and
 * Wait's callback), within `budget` (a pool of calls per API key and minute, fairly shared
 * between senders). Final states are remembered for a day, so repeats cost no call.
 */
export async function lookUpDocument(
	this: IWebhookFunctions,
	jobId: string,
	budget: { pool: string; callsPerMinute: number; sender: string },
): Promise<DocumentLookup> {
	let baseUrl: string;
	let apiKey: string;
	try {
		const credentials = await this.getCredentials('docGenLabApi');
		baseUrl = configuredBaseUrl(credentials, DOCGENLAB_API_BASE_URL);
		apiKey = String(credentials[DOCGENLAB_API_FIELDS.apiKey] ?? '');
	} catch {
		return { outcome: 'misconfigured', message: 'no DocGenLab API credential is selected' };
	}
	const account = accountKey(baseUrl, apiKey);
	const now = Date.now();
	const known = recallConfirmation<IDataObject>(account, jobId, now);
	if (known) return { outcome: 'found', document: known, apiKey };
	if (!takeCall(accountKey(budget.pool, account), budget.callsPerMinute, budget.sender, now)) {
		return { outcome: 'unavailable', message: `the ${budget.callsPerMinute} DocGenLab API calls a minute for ${budget.pool} are used up, or this sender's share of them; answered 503 so DocGenLab retries later` };
	}
	let response: { statusCode: number; body: IDataObject };
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, 'docGenLabApi', {
			method: 'GET',
			// isSafeId (in recognise, and in Generate and Wait) keeps '..' and friends out of this path.
			url: `${baseUrl}/documents/${encodeURIComponent(jobId)}`,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// The answer must reach DocGenLab well within its patience; it retries a 503 later.
			timeout: 3500,
		})) as { statusCode: number; body: IDataObject };
	} catch {
		return { outcome: 'unavailable', message: 'DocGenLab API did not answer in time' };
	}
	if (response.statusCode === 404) return { outcome: 'missing', message: 'no such document' };
	if (response.statusCode !== 200 || typeof response.body !== 'object' || response.body === null) {
		return { outcome: 'unavailable', message: `DocGenLab API answered ${response.statusCode}` };
	}
	const document = response.body;
	if (String(document.id) !== jobId) return { outcome: 'missing', message: 'the API answered for another document' };
	const status = getString(document, 'status');
	if (status === 'ready' || status === 'failed') rememberConfirmation(account, jobId, document, now, CONFIRMATION_TTL_MS);
	return { outcome: 'found', document, apiKey };
}

async function confirmWithDocumentsApi(this: IWebhookFunctions, event: RecognisedEvent, limits: ConfirmationLimits): Promise<ConfirmationResult> {
	const item = event.items[0];
	const jobId = typeof item?.jobId === 'string' ? item.jobId : undefined;
	// Test pings name no document; there is nothing to confirm.
	if (event.event === 'webhook.test' || !jobId) return { outcome: 'confirmed' };
	const expected = API_STATUS_FOR_EVENT_STATUS[String(item.status)];
	if (!expected) return { outcome: 'rejected', message: `${NOT_CONFIRMED} (its status is neither completed nor failed)` };
	const lookup = await lookUpDocument.call(this, jobId, { pool: 'Confirm With API', callsPerMinute: limits.callsPerMinute, sender: limits.sender });
	switch (lookup.outcome) {
		case 'misconfigured':
			return { outcome: 'misconfigured', message: `Confirm With API is on but ${lookup.message}` };
		case 'unavailable':
			return { outcome: 'unavailable', message: `${NOT_CONFIRMED}: ${lookup.message}` };
		case 'missing':
			return { outcome: 'rejected', message: `${NOT_CONFIRMED} (${lookup.message})` };
	}
	if (getString(lookup.document, 'status') !== expected) return { outcome: 'rejected', message: `${NOT_CONFIRMED} (the API reports another status)` };
	return { outcome: 'confirmed', event: confirmedEvent(event.event, lookup.document), payload: lookup.document };
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
		// A third of the 60 API calls a minute DocGenLab allows an organisation by default.
		confirmCallsPerMinute: 20,
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
			// It goes into GET /documents/{id} with the API key (Confirm With API, Download's fallback).
			if (!isSafeId(jobId)) return { ok: false, message: 'job_id is not a DocGenLab document ID' };
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
		// Keys look like dgl_live_… (API-NOTES).
		keyPrefixes: ['dgl_'],
	},
};
