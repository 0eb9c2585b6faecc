/**
 * A made-up service, to prove that a new service plugs in through its folder and a registry
 * line: a signed `document.ready` POST naming a document whose PDF the API serves.
 */
import type { IDataObject } from 'n8n-workflow';

import { configuredBaseUrl } from '../../core/actions/policy';
import { getString } from '../../core/delivery/parse';
import { isSafeId } from '../../core/ids';
import type { ServiceDescriptor } from '../../core/service';
import { SAMPLE_DOCS_API_FIELDS } from './SampleDocsApi.credentials';

export const SAMPLE_DOCS_API_BASE_URL = 'https://api.sample-docs.example/v1';

export const sampleDocs: ServiceDescriptor = {
	id: 'sampleDocs',
	displayName: 'Sample Docs',
	delivery: {
		events: [{ value: 'document.ready', name: 'Document Ready', description: 'A document\'s PDF can be downloaded' }],
		checks: [
			{
				kind: 'signature',
				header: 'x-sample-signature',
				scheme: { algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' },
				required: 'always',
			},
		],
		credential: { type: 'sampleDocsApi', displayName: 'Sample Docs API', secretField: SAMPLE_DOCS_API_FIELDS.signingSecret, secretLabel: 'Signing Secret' },
		responseDeadlineSeconds: 10,
		recognise({ payload }) {
			const event = getString(payload, 'event');
			if (!event) return { ok: false, message: 'event is missing' };
			const documentId = getString(payload, 'documentId');
			if (!documentId || !isSafeId(documentId)) return { ok: false, message: 'documentId is missing or not an ID' };
			const item: IDataObject = { event, documentId, timestamp: getString(payload, 'timestamp') ?? null };
			return { ok: true, event: { event, items: [item], dedupeKey: `${event}|${documentId}` } };
		},
	},
	download: { allowedHosts: ['api.sample-docs.example'] },
	api: {
		credentialType: 'sampleDocsApi',
		baseUrl: (credentials) => configuredBaseUrl(credentials, SAMPLE_DOCS_API_BASE_URL),
	},
};
