import type { ActionResource } from '../../../../core/actions/router';
import * as generate from './generate';
import * as generateAsync from './generateAsync';

export const pdf: ActionResource = {
	option: { name: 'PDF', value: 'pdf' },
	operations: [generate, generateAsync],
	defaultOperation: 'generate',
};
