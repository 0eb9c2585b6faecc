import type { ActionResource } from '../../../../core/actions/router';
import * as download from './download';
import * as get from './get';

export const job: ActionResource = {
	option: { name: 'Job', value: 'job' },
	operations: [download, get],
	defaultOperation: 'download',
};
