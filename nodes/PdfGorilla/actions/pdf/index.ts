import type { ActionResource } from '../../../../core/actions/router';
import * as generate from './generate';
import * as generateAndWait from './generateAndWait';
import * as generateAsync from './generateAsync';

export const pdf: ActionResource = {
	option: { name: 'PDF', value: 'pdf' },
	operations: [generate, generateAsync, generateAndWait],
	defaultOperation: 'generate',
};
