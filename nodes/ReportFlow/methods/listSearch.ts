/** The editor's "From List" searches (resource locators) of the ReportFlow node. */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { searchTemplateList } from '../../../core/actions/locator';
import { designList } from '../actions/designs';

/** Template: the workspace's designs from GET /file/designs. */
export async function searchDesigns(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchTemplateList(this, designList, filter);
}
