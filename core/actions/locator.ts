/**
 * Template pickers as n8n's own nodes build them: a resource locator with "From List" (the
 * service's list endpoint, searched in the editor) and "By ID". Action nodes show it from
 * version 1.1; a version 1 node keeps its plain text field, and both read the same way
 * (see optionalString in ./execute.ts). No "By URL" mode: no service has a stable page per
 * template whose address carries the ID.
 */
import {
	NodeOperationError,
	type IDisplayOptions,
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
	type INodeProperties,
} from 'n8n-workflow';

import { requestJson } from '../fetch/transport';
import { SAFE_ID_PATTERN } from '../ids';
import type { ServiceDescriptor } from '../service';
import { apiCall, connect } from './policy';
import { NO_DOWNLOAD_SETTINGS } from './properties';

/** The node version that introduced the pickers; earlier nodes keep a text field. */
export const LOCATOR_VERSION = 1.1;

/** Shown only to nodes saved before the pickers (their text field stays exactly as it was). */
export function beforeLocators(property: INodeProperties): INodeProperties {
	const show = property.displayOptions?.show ?? {};
	return { ...property, displayOptions: { ...property.displayOptions, show: { ...show, '@version': [1] } } };
}

export interface TemplateLocatorSpec {
	displayName: string;
	name: string;
	/** The method in the node's `methods.listSearch`. */
	searchListMethod: string;
	/** An example ID for the "By ID" field. */
	placeholder: string;
	description: string;
	show: NonNullable<IDisplayOptions['show']>;
}

export function templateLocator(spec: TemplateLocatorSpec): INodeProperties {
	return {
		displayName: spec.displayName,
		name: spec.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		displayOptions: { show: { ...spec.show, '@version': [{ _cnd: { gte: LOCATOR_VERSION } }] } },
		description: spec.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a template...',
				typeOptions: { searchListMethod: spec.searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: spec.placeholder,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: SAFE_ID_PATTERN,
							errorMessage: 'Not a valid template ID: only letters, digits, "_", "-", "~" and single dots',
						},
					},
				],
			},
		],
	};
}

/** One entry of a service's template list. */
export interface TemplateEntry {
	id: string;
	name: string;
}

export interface TemplateListEndpoint {
	service: ServiceDescriptor;
	/** Under the credential's base URL, e.g. `/templates/`. */
	path: string;
	/** The entries of the answer; throws an Error saying so (service named) when the answer is not a template list. */
	entries(body: unknown): TemplateEntry[];
}

/**
 * The editor's "From List": the whole list in one request (neither service pages or searches
 * its template list), filtered here by name or ID, case-insensitively. The request goes through
 * the same credential, URL policy, retries and error wording as the node's other API calls.
 */
export async function searchTemplateList(ctx: ILoadOptionsFunctions, endpoint: TemplateListEndpoint, filter?: string): Promise<INodeListSearchResult> {
	const connection = await connect(ctx, endpoint.service, NO_DOWNLOAD_SETTINGS);
	const { body } = await requestJson<unknown>(ctx, apiCall(connection, { method: 'GET', path: endpoint.path }, 0));
	let entries: TemplateEntry[];
	try {
		entries = endpoint.entries(body);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, {
			description: `The answer to GET ${endpoint.path} was not the template list this node knows. Enter the template's ID with "By ID" instead.`,
		});
	}
	return { results: filterEntries(entries, filter) };
}

export function filterEntries(entries: TemplateEntry[], filter?: string): INodeListSearchItems[] {
	const wanted = filter?.trim().toLowerCase() ?? '';
	return entries
		.filter((entry) => !wanted || entry.name.toLowerCase().includes(wanted) || entry.id.toLowerCase().includes(wanted))
		.map((entry) => ({ name: entry.name, value: entry.id }));
}
