import type { ActionResource } from '../../../../core/actions/router';
import * as download from './download';
import * as generate from './generate';
import * as generateAndWait from './generateAndWait';
import * as get from './get';

export const document: ActionResource = {
	option: { name: 'Document', value: 'document' },
	operations: [download, generateAndWait, get, generate],
	defaultOperation: 'download',
};
