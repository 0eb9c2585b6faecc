import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { forEachItem } from '../../../../core/actions/execute';
import { parseJsonParameter } from '../../../../core/actions/json';
import { withFile } from '../../../../core/actions/output';
import { apiCall, connect } from '../../../../core/actions/policy';
import { readDownloadSettings } from '../../../../core/actions/properties';
import { downloadToBinary } from '../../../../core/fetch/download';
import { pdfGorilla } from '../../descriptor';
import { templatePath } from '../jobs';

export const option: INodePropertyOptions = {
	name: 'Generate',
	value: 'generate',
	action: 'Generate a PDF',
	description: 'Render a template and return the PDF',
};

/** Template ID and Data are shared with Start Generation (see ../fields.ts). */
export const properties: INodeProperties[] = [];

/** POST /templates/{id}/generate answers with the PDF itself, streamed into n8n. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const settings = readDownloadSettings(this, itemIndex);
		const connection = await connect(this, pdfGorilla, settings);
		const body = { data: parseJsonParameter(this, 'data', itemIndex) };
		const file = await downloadToBinary(
			this,
			apiCall(connection, { method: 'POST', path: templatePath(this, itemIndex, ''), body }, itemIndex, { timeoutMs: settings.timeoutMs }),
			{ expectedFormat: 'pdf', maxBytes: settings.maxBytes, totalTimeoutMs: settings.totalTimeoutMs, fileName: settings.fileName },
		);
		return [withFile({}, file, settings.binaryPropertyName)];
	});
}
