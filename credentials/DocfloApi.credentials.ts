import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** This credential's field names: the one place they are spelled; descriptors, nodes and tests use these. */
export const DOCFLO_API_FIELDS = {
	tenantId: 'tenantId',
	apiKey: 'apiKey',
	baseUrl: 'baseUrl',
} as const;

export class DocfloApi implements ICredentialType {
	name = 'docfloApi';

	displayName = 'Docflo API';

	icon = { light: 'file:../nodes/Docflo/docflo.svg', dark: 'file:../nodes/Docflo/docflo.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-pdf-webhooks/n8n-nodes-pdf-webhooks#docflo';

	properties: INodeProperties[] = [
		{
			displayName: 'Tenant ID',
			name: DOCFLO_API_FIELDS.tenantId,
			type: 'string',
			required: true,
			default: '',
			description: 'Sent as the x-tenant-id header',
		},
		{
			displayName: 'API Key',
			name: DOCFLO_API_FIELDS.apiKey,
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Sent as the apiKey header',
		},
		{
			displayName: 'Base URL',
			name: DOCFLO_API_FIELDS.baseUrl,
			type: 'string',
			default: 'https://api.docflo.ai',
			description: 'Change only for a proxy or a test server',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'x-tenant-id': '={{$credentials.tenantId}}', apiKey: '={{$credentials.apiKey}}' } },
	};

	// Docflo documents no "who am I" call; listing one document is read-only.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/docs/v1/document',
			qs: { top: 1 },
			method: 'GET',
		},
		rules: [{ type: 'responseCode', properties: { value: 401, message: 'Docflo rejected the tenant ID or API key (401)' } }],
	};
}
