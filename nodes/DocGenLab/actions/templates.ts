/** DocGenLab's templates, for Template → Get Many and the Template picker of Document → Generate and Generate and Wait. */
import type { IDataObject, IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { isPlainObject } from '../../../core/values';
import { beforeLocators, templateLocator, type TemplateListEndpoint } from '../../../core/actions/locator';
import { docGenLab } from '../descriptor';

/** No paging: the whole list comes in one answer. */
export const TEMPLATES_PATH = '/templates/';

/** GET /templates/ answers an array; an object wrapping one is accepted too. */
export function templatesOf(body: unknown): IDataObject[] {
	if (Array.isArray(body)) return body as IDataObject[];
	if (body && typeof body === 'object') {
		for (const key of ['templates', 'items', 'data']) {
			const value = (body as IDataObject)[key];
			if (Array.isArray(value)) return value as IDataObject[];
		}
		return [body as IDataObject];
	}
	return [];
}

function idOf(template: IDataObject): string {
	const id = template.id;
	return typeof id === 'string' ? id.trim() : typeof id === 'number' ? String(id) : '';
}

/** The Template picker's list: each template by its name. */
export const templateList: TemplateListEndpoint = {
	service: docGenLab,
	path: TEMPLATES_PATH,
	entries: (body) => {
		if (!Array.isArray(body) && !isPlainObject(body)) throw new Error(`DocGenLab answered GET ${TEMPLATES_PATH} without a template list`);
		return templatesOf(body)
			.filter(isPlainObject)
			.map((template) => ({ id: idOf(template), name: typeof template.name === 'string' && template.name.trim() ? template.name.trim() : idOf(template) }))
			.filter((entry) => entry.id !== '');
	},
};

/** The template parameter of Generate and Generate and Wait: a text field in version 1, the picker from 1.1. */
export function templateIdProperties(show: NonNullable<IDisplayOptions['show']>): INodeProperties[] {
	return [
		beforeLocators({ displayName: 'Template ID', name: 'templateId', type: 'string', default: '', required: true, placeholder: 'e.g. template-xyz', displayOptions: { show } }),
		templateLocator({
			displayName: 'Template',
			name: 'templateId',
			searchListMethod: 'searchTemplates',
			placeholder: 'e.g. template-xyz',
			description: 'The template to render: pick it from your organisation\'s list, or enter its ID',
			show,
		}),
	];
}

/** What a generation needs: the template, its input data and the output format. */
export function generationProperties(show: NonNullable<IDisplayOptions['show']>, outputFormatDescription?: string): INodeProperties[] {
	const outputFormat: INodeProperties = {
		displayName: 'Output Format',
		name: 'outputFormat',
		type: 'options',
		options: [
			{ name: 'Both', value: 'both', description: 'A PDF and a Word document' },
			{ name: 'PDF', value: 'pdf' },
			{ name: 'Word (DOCX)', value: 'docx' },
		],
		default: 'pdf',
		displayOptions: { show },
	};
	if (outputFormatDescription) outputFormat.description = outputFormatDescription;
	return [
		...templateIdProperties(show),
		{
			displayName: 'Input Data (JSON)',
			name: 'inputJson',
			type: 'json',
			default: '{}',
			required: true,
			displayOptions: { show },
			description: 'The values the template fills in (sent as input_json)',
		},
		outputFormat,
	];
}
