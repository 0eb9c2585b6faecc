/** ReportFlow's templates ("designs"), for Template → List and for the latest version Generate uses. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { isPlainObject } from '../../../core/values';
import { apiCall, type ServiceConnection } from '../../../core/actions/policy';
import { requestJson } from '../../../core/fetch/transport';

export interface Design extends IDataObject {
	id: string;
	latestVersion: number;
}

export async function fetchDesigns(ctx: IExecuteFunctions, connection: ServiceConnection, itemIndex: number): Promise<Design[]> {
	const { body } = await requestJson<IDataObject>(ctx, apiCall(connection, { method: 'GET', path: '/file/designs' }, itemIndex));
	if (!Array.isArray(body.designs)) {
		throw new NodeOperationError(ctx.getNode(), 'ReportFlow answered GET /file/designs without a designs list', { itemIndex });
	}
	return body.designs.filter(isPlainObject) as Design[];
}
