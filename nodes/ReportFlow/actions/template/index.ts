import type { ActionResource } from '../../../../core/actions/router';
import * as getParameters from './getParameters';
import * as list from './list';

export const template: ActionResource = {
	option: { name: 'Template', value: 'template' },
	operations: [list, getParameters],
	defaultOperation: 'list',
};
