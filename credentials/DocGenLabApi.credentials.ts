import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** This credential's field names: the one place they are spelled; descriptors, nodes and tests use these. */
export const DOCGENLAB_API_FIELDS = {
	apiKey: 'apiKey',
	baseUrl: 'baseUrl',
} as const;

export class DocGenLabApi implements ICredentialType {
	name = 'docGenLabApi';

	displayName = 'DocGenLab API';

	icon = { light: 'file:../nodes/DocGenLab/docgenlab.svg', dark: 'file:../nodes/DocGenLab/docgenlab.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-pdf-webhooks/n8n-nodes-pdf-webhooks#docgenlab';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: DOCGENLAB_API_FIELDS.apiKey,
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'dgl_…',
			description: 'Sent as the X-API-Key header',
		},
		{
			displayName: 'Base URL',
			name: DOCGENLAB_API_FIELDS.baseUrl,
			type: 'string',
			default: 'https://api.docgenlab.com/api/v1',
			description: 'Change only for a proxy or a test server',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-API-Key': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/templates/',
			method: 'GET',
		},
		rules: [{ type: 'responseCode', properties: { value: 401, message: 'DocGenLab rejected the API key (401)' } }],
	};
}
