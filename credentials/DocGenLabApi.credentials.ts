import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class DocGenLabApi implements ICredentialType {
	name = 'docGenLabApi';

	displayName = 'DocGenLab API';

	icon = { light: 'file:../nodes/DocGenLab/docgenlab.svg', dark: 'file:../nodes/DocGenLab/docgenlab.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-pdf-webhooks/n8n-nodes-pdf-webhooks#docgenlab';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'dgl_…',
			description: 'Sent as the X-API-Key header',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
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
