/** ReportFlow's templates ("designs"), for Template → List, the latest version Generate uses and the Template ID picker. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { TemplateListEndpoint } from '../../../core/actions/locator';
import { isPlainObject } from '../../../core/values';
import { apiCall, type ServiceConnection } from '../../../core/actions/policy';
import { requestJson } from '../../../core/fetch/transport';
import { reportFlow } from '../descriptor';

export interface Design extends IDataObject {
	id: string;
	latestVersion: number;
}

const DESIGNS_PATH = '/file/designs';

/** `{ designs: [{ id, label, latestVersion, thumbnail, updatedAt }] }`. */
function designsOf(body: unknown): Design[] {
	const designs = isPlainObject(body) ? body.designs : undefined;
	if (!Array.isArray(designs)) throw new Error(`ReportFlow answered GET ${DESIGNS_PATH} without a designs list`);
	return designs.filter(isPlainObject) as Design[];
}

export async function fetchDesigns(ctx: IExecuteFunctions, connection: ServiceConnection, itemIndex: number): Promise<Design[]> {
	const { body } = await requestJson<unknown>(ctx, apiCall(connection, { method: 'GET', path: DESIGNS_PATH }, itemIndex));
	try {
		return designsOf(body);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, { itemIndex });
	}
}

/** The Template ID picker's list: each design by its label. */
export const designList: TemplateListEndpoint = {
	service: reportFlow,
	path: DESIGNS_PATH,
	entries: (body) =>
		designsOf(body)
			.filter((design) => typeof design.id === 'string' && design.id !== '')
			.map((design) => ({ id: design.id, name: typeof design.label === 'string' && design.label.trim() ? design.label.trim() : design.id })),
};
