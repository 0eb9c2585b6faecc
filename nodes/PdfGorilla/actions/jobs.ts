/** What PDF Gorilla's operations share: jobs, their fresh download links, and the template endpoints. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { requiredId } from '../../../core/actions/execute';
import { downloadFromEventLink } from '../../../core/actions/link';
import { apiCall, fileCall, type ServiceConnection } from '../../../core/actions/policy';
import type { DownloadSettings } from '../../../core/actions/properties';
import { downloadToBinary, type DownloadedFile } from '../../../core/fetch/download';
import { requestJson } from '../../../core/fetch/transport';

export interface Job extends IDataObject {
	jobId: string;
	status: string;
	downloadUrl?: string | null;
	expiresAt?: string | null;
	error?: IDataObject | null;
}

export const FINAL_STATES = ['completed', 'failed', 'canceled', 'expired'];

/** "Links in the webhook expire after a few minutes": these answers mean fetch a new one. */
const EXPIRED_LINK_STATUSES = [401, 403, 404, 410];

export function templatePath(ctx: IExecuteFunctions, itemIndex: number, suffix: '' | '-async'): string {
	return `/templates/${encodeURIComponent(requiredId(ctx, 'templateId', 'Template ID', itemIndex))}/generate${suffix}`;
}

export async function getJob(ctx: IExecuteFunctions, connection: ServiceConnection, jobId: string, itemIndex: number): Promise<Job> {
	const { body } = await requestJson<Job>(ctx, apiCall(connection, { method: 'GET', path: `/jobs/${encodeURIComponent(jobId)}` }, itemIndex));
	return body;
}

/** The event's link first; a fresh one from GET /jobs/{id} when it is missing or has expired. */
export async function downloadJob(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	jobId: string,
	eventUrl: string | undefined,
	settings: DownloadSettings,
	itemIndex: number,
): Promise<DownloadedFile> {
	const options = { expectedFormat: 'pdf' as const, maxBytes: settings.maxBytes, totalTimeoutMs: settings.totalTimeoutMs, fileName: settings.fileName ?? `${jobId}.pdf` };
	if (eventUrl) {
		// A link that needs the API key is refused (401/403) and the job's own fresh link is used below.
		const attempt = await downloadFromEventLink(
			ctx,
			connection,
			eventUrl,
			{ ...options, timeoutMs: settings.timeoutMs, refusedStatuses: EXPIRED_LINK_STATUSES },
			itemIndex,
		);
		if ('file' in attempt) return attempt.file;
		ctx.logger.info(`PDF Gorilla: the event's download link for job ${jobId} answered ${attempt.refusedWith}; fetching a fresh one`);
	}
	const job = await getJob(ctx, connection, jobId, itemIndex);
	if (job.status !== 'completed' || !job.downloadUrl) {
		throw new NodeOperationError(ctx.getNode(), `PDF Gorilla job ${jobId} is ${job.status}, so there is no PDF to download`, {
			itemIndex,
			description: job.error && typeof job.error === 'object' ? `${job.error.code ?? ''} ${job.error.message ?? ''}`.trim() : undefined,
		});
	}
	return await downloadToBinary(ctx, fileCall(connection, job.downloadUrl, itemIndex, settings.timeoutMs), options);
}
