import type { ActionResource } from '../../../../core/actions/router';
import * as download from './download';
import * as downloadZip from './downloadZip';
import * as generate from './generate';
import * as generateAsync from './generateAsync';

export const file: ActionResource = {
	option: { name: 'File', value: 'file' },
	operations: [download, downloadZip, generate, generateAsync],
	defaultOperation: 'download',
};
