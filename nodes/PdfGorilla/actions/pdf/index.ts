import type { ActionResource } from '../../../../core/actions/router';
import * as download from './download';
import * as generate from './generate';
import * as generateAndWait from './generateAndWait';
import * as generateAsync from './generateAsync';
import * as get from './get';

/** Every operation, from version 2 (see ../job/index.ts for version 1). */
export const pdf: ActionResource = {
	option: { name: 'PDF', value: 'pdf' },
	operations: [download, generate, generateAndWait, get, generateAsync],
	defaultOperation: 'download',
};

/** Version 1: the operations that generate (Download and Get were under Job). */
export const pdfBeforeVersion2: ActionResource = {
	option: { name: 'PDF', value: 'pdf' },
	operations: [generate, generateAndWait, generateAsync],
	defaultOperation: 'generate',
};
