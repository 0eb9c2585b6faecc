import type { ActionResource } from '../../../../core/actions/router';
import * as download from '../pdf/download';
import * as get from '../pdf/get';

/** Version 1 only: Download and Get were under a resource of their own, Job (from version 2 they are PDF operations). */
export const job: ActionResource = {
	option: { name: 'Job', value: 'job' },
	operations: [download, get],
	defaultOperation: 'download',
};
