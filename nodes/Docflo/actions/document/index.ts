import type { ActionResource } from '../../../../core/actions/router';
import * as extractFields from './extractFields';
import * as getMany from './getMany';

export const document: ActionResource = {
	option: { name: 'Document', value: 'document' },
	operations: [extractFields, getMany],
	defaultOperation: 'extractFields',
};
