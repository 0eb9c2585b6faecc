/**
 * ReportFlow, as its webhook page (../shared/provider-docs/reportflow-webhooks.txt) and
 * current API docs (API-NOTES.md) describe it: an unsigned `file.completed` POST listing
 * the generated files, sent for every generation endpoint and retried up to 3 times on 5xx.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { getArray, getString } from '../../core/delivery/parse';
import { isSafeId } from '../../core/ids';
import { isPlainObject, withoutTrailingSlashes } from '../../core/values';
import type { RecognisedEvent, ServiceDescriptor } from '../../core/service';
import { REPORT_FLOW_API_FIELDS as FIELDS } from '../../credentials/ReportFlowApi.credentials';

/**
 * At most this many files per event: each becomes an item and a download, so an unbounded list
 * in one (unsigned) POST could fan out into any number of API calls.
 */
export const MAX_FILES_PER_EVENT = 100;

/** The four API hosts the credential offers; see credentials/ReportFlowApi.credentials.ts. */
export function reportFlowBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	switch (credentials[FIELDS.environment]) {
		case 'custom':
			return withoutTrailingSlashes(String(credentials[FIELDS.baseUrl] ?? ''));
		case 'workspace':
			return `https://${encodeURIComponent(String(credentials[FIELDS.workspaceId] ?? ''))}.re-port-flow.com/v1`;
		case 'staging':
			return 'https://api.stg.re-port-flow.com/v1';
		default:
			return 'https://api.re-port-flow.com/v1';
	}
}

interface ReportFlowFile extends IDataObject {
	fileId: string;
	/** The download id: `uuid` on the webhook page, `requestId` in the current API docs. */
	requestId: string;
	fileName: string | null;
	params: IDataObject;
}

function readFiles(entries: unknown[]): ReportFlowFile[] | string {
	const files: ReportFlowFile[] = [];
	for (const [index, entry] of entries.entries()) {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return `files[${index}] is not an object`;
		const file = entry as IDataObject;
		const fileId = getString(file, 'fileId');
		const requestId = getString(file, 'uuid') ?? getString(file, 'requestId');
		if (!fileId) return `files[${index}].fileId is missing`;
		if (!requestId) return `files[${index}] has neither uuid nor requestId`;
		// Both go into GET /file/download/{requestId}/{fileId} with the credential.
		if (!isSafeId(fileId)) return `files[${index}].fileId is not a ReportFlow file ID`;
		if (!isSafeId(requestId)) return `files[${index}] has a uuid / requestId that is not a ReportFlow ID`;
		const params = file.params;
		files.push({
			fileId,
			requestId,
			fileName: getString(file, 'fileName') ?? null,
			params: isPlainObject(params) ? params : {},
		});
	}
	return files;
}

export const reportFlow: ServiceDescriptor = {
	id: 'reportFlow',
	displayName: 'ReportFlow',
	delivery: {
		events: [{ value: 'file.completed', name: 'File Completed', description: 'PDF generation finished; one or more files are ready' }],
		// "Currently, webhook notifications do not include payload signatures": IP allowlist and
		// the unguessable webhook URL are what ReportFlow recommends instead.
		checks: [],
		// "Webhook endpoints should respond within 5 seconds"
		responseDeadlineSeconds: 5,
		// `timestamp`: "Event occurrence time". Up to 3 retries on 5xx, schedule not given; an hour
		// covers them. The body is unsigned, so this stops replays, not forgeries.
		replayWindow: { defaultMaxAgeSeconds: 3600, source: 'the body\'s timestamp' },
		recognise({ payload, parameters }) {
			const event = getString(payload, 'event');
			if (!event) return { ok: false, message: 'event is missing' };
			if (event !== 'file.completed') return { ok: true, event: { event, items: [{ event }], timestamp: getString(payload, 'timestamp') } };
			const entries = getArray(payload, 'files');
			if (!entries) return { ok: false, message: 'files is missing or not an array' };
			if (entries.length === 0) return { ok: false, message: 'files is empty' };
			if (entries.length > MAX_FILES_PER_EVENT) {
				return { ok: false, message: `files lists ${entries.length} files; at most ${MAX_FILES_PER_EVENT} per event are accepted` };
			}
			const files = readFiles(entries);
			if (typeof files === 'string') return { ok: false, message: files };

			const common: IDataObject = {
				event,
				workspaceId: getString(payload, 'workspaceId') ?? null,
				designId: getString(payload, 'designId') ?? null,
				version: typeof payload.version === 'number' ? payload.version : null,
				timestamp: getString(payload, 'timestamp') ?? null,
				fileCount: files.length,
			};
			const items: IDataObject[] =
				parameters.splitFiles === false
					? [{ ...common, files }]
					: files.map((file, fileIndex) => ({ ...common, fileIndex, ...file }));
			const envelope: IDataObject = { ...payload };
			delete envelope.files;
			const recognised: RecognisedEvent = {
				event,
				items,
				timestamp: getString(payload, 'timestamp'),
				// Each item already holds its own file; the list stays out of their copies of the event.
				payloadPerItem: envelope,
				dedupeKey: [common.workspaceId, common.designId, common.version, ...files.map((f) => `${f.fileId}/${f.requestId}`).sort()].join('|'),
			};
			return { ok: true, event: recognised };
		},
	},
	download: {
		allowedHosts: ['re-port-flow.com', '*.re-port-flow.com'],
	},
	api: {
		credentialType: 'reportFlowApi',
		baseUrl: reportFlowBaseUrl,
	},
};
