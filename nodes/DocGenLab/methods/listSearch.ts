/** The editor's "From List" searches (resource locators) of the DocGenLab node. */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { searchTemplateList } from '../../../core/actions/locator';
import { templateList } from '../actions/templates';

/** Template: the organisation's templates from GET /templates/. */
export async function searchTemplates(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchTemplateList(this, templateList, filter);
}
