/**
 * Docflo, as its webhook page (../shared/provider-docs/docflo-webhooks.txt) describes it:
 * a POST with the event and the full document, optionally signed with X-Docflo-Signature
 * and optionally sent with Basic, Bearer or API-key authentication.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { getObject, getString } from '../../core/delivery/parse';
import { configuredBaseUrl } from '../../core/actions/policy';
import type { ServiceDescriptor } from '../../core/service';
import { DOCFLO_INCOMING_AUTH_FIELDS, DOCFLO_WEBHOOK_API_FIELDS } from '../../credentials/DocfloWebhookApi.credentials';

export const DOCFLO_API_BASE_URL = 'https://api.docflo.ai';

export const docflo: ServiceDescriptor = {
	id: 'docflo',
	displayName: 'Docflo',
	delivery: {
		events: [
			{ value: 'document.created', name: 'Document Created', description: 'A new document has been uploaded to the platform' },
			{ value: 'document.processed', name: 'Document Processed', description: 'Processing and extraction have completed' },
			{ value: 'document.approved', name: 'Document Approved', description: 'The document was approved in the approval workflow' },
			{ value: 'document.rejected', name: 'Document Rejected', description: 'The document was rejected in the approval workflow' },
			{ value: 'document.status_changed', name: 'Document Status Changed', description: 'The document status has changed' },
		],
		checks: [
			{
				kind: 'signature',
				header: 'x-docflo-signature',
				scheme: { algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' },
				required: 'whenSecretSet',
				// Docflo's own example signs JSON.stringify(req.body) while it tells you to verify the
				// payload; try the exact bytes first and the compact re-serialisation only after.
				compactJsonFallback: true,
			},
			{ kind: 'incomingAuth', fields: DOCFLO_INCOMING_AUTH_FIELDS },
		],
		credential: {
			type: 'docfloWebhookApi',
			displayName: 'Docflo Webhook API',
			secretField: DOCFLO_WEBHOOK_API_FIELDS.signingSecret,
			secretLabel: 'Signing Secret',
			previousSecretField: DOCFLO_WEBHOOK_API_FIELDS.previousSigningSecret,
		},
		// "Return a 2xx response within 30 seconds"
		responseDeadlineSeconds: 30,
		// `timestamp`: "when the event occurred" (signed when a signing secret is set). "Docflo may
		// retry" without a schedule; an hour covers the usual retries, far inside the dedupe window.
		replayWindow: { defaultMaxAgeSeconds: 3600, source: 'the body\'s timestamp' },
		recognise({ payload }) {
			const event = getString(payload, 'event');
			if (!event) return { ok: false, message: 'event is missing' };
			const doc = getObject(payload, 'doc');
			if (!doc) return { ok: false, message: 'doc is missing or not an object' };
			const documentId = getString(doc, '_id');
			if (!documentId) return { ok: false, message: 'doc._id is missing' };
			const timestamp = getString(payload, 'timestamp') ?? null;
			const fields = getObject(doc, 'fields') ?? {};
			const item: IDataObject = {
				event,
				tenantId: getString(payload, 'tenantId') ?? null,
				timestamp,
				documentId,
				documentType: getString(doc, 'type') ?? null,
				documentStatus: getString(doc, 'status') ?? null,
				createdAt: getString(doc, 'createdAt') ?? null,
				updatedAt: getString(doc, 'updatedAt') ?? null,
				fields,
			};
			// Docflo sends no event ID. A retry repeats the delivery as it was ("Docflo may retry
			// failed webhook deliveries"), while two genuine changes of one document differ somewhere
			// in the body (status, fields, updatedAt) even within the same second or with no
			// timestamp at all. So the key is the event, the document and a hash of the whole
			// (verified) body, serialised from the parsed value so it does not depend on spacing.
			const bodyHash = createHash('sha256').update(JSON.stringify(payload)).digest('base64url');
			return { ok: true, event: { event, items: [item], dedupeKey: `${event}|${documentId}|${bodyHash}`, timestamp: timestamp ?? undefined } };
		},
	},
	download: {
		allowedHosts: ['api.docflo.ai', '*.docflo.ai'],
	},
	api: {
		credentialType: 'docfloApi',
		baseUrl: (credentials) => configuredBaseUrl(credentials, DOCFLO_API_BASE_URL),
	},
};
