/** Links carried by events: signed or short-lived, so an expired one must fall back to the API. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { downloadToBinary, type DownloadOptions, type DownloadedFile } from '../fetch/download';
import { settle } from './execute';
import { eventLinkCall, type ServiceConnection } from './policy';

/**
 * Downloads from an event's link, which never carries the API key (a link is only as
 * trustworthy as the event). When the host answers with one of `refusedStatuses` (the link has
 * expired or is not valid) the status is returned, for the caller to fetch the file another
 * way; any other failure is thrown as it is.
 */
export async function downloadFromEventLink(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	link: string,
	options: DownloadOptions & { timeoutMs: number; refusedStatuses: number[] },
	itemIndex: number,
): Promise<{ file: DownloadedFile } | { refusedWith: number }> {
	const { timeoutMs, refusedStatuses, ...download } = options;
	const attempt = await settle(downloadToBinary(ctx, eventLinkCall(connection, link, itemIndex, timeoutMs), download));
	if ('value' in attempt) return { file: attempt.value };
	const status = Number((attempt.error as { httpCode?: string }).httpCode);
	if (!refusedStatuses.includes(status)) throw attempt.error;
	return { refusedWith: status };
}
