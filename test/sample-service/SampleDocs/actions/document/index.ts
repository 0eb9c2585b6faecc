import type { ActionResource } from '../../../../core/actions/router';
import * as download from './download';

export const document: ActionResource = {
	option: { name: 'Document', value: 'document' },
	operations: [download],
	defaultOperation: 'download',
};
