import type { ActionResource } from '../../../../core/actions/router';
import * as download from './download';
import * as generate from './generate';

export const pdf: ActionResource = {
	option: { name: 'PDF', value: 'pdf' },
	operations: [download, generate],
	defaultOperation: 'download',
};
