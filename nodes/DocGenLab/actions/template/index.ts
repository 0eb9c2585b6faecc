import type { ActionResource } from '../../../../core/actions/router';
import * as getAll from './getAll';

export const template: ActionResource = {
	option: { name: 'Template', value: 'template' },
	operations: [getAll],
	defaultOperation: 'getAll',
};
