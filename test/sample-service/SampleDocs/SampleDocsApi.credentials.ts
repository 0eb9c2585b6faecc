import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

/** This credential's field names: the one place they are spelled. */
export const SAMPLE_DOCS_API_FIELDS = {
	apiKey: 'apiKey',
	signingSecret: 'signingSecret',
	baseUrl: 'baseUrl',
} as const;

export class SampleDocsApi implements ICredentialType {
	name = 'sampleDocsApi';

	displayName = 'Sample Docs API';

	icon = { light: 'file:sampledocs.svg', dark: 'file:sampledocs.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-pdf-webhooks/n8n-nodes-pdf-webhooks#development';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: SAMPLE_DOCS_API_FIELDS.apiKey,
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		{
			displayName: 'Signing Secret',
			name: SAMPLE_DOCS_API_FIELDS.signingSecret,
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Deliveries must carry x-sample-signature: sha256=<hex HMAC-SHA256 of the body with this secret>',
		},
		{
			displayName: 'Base URL',
			name: SAMPLE_DOCS_API_FIELDS.baseUrl,
			type: 'string',
			default: 'https://api.sample-docs.example/v1',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'x-api-key': '={{$credentials.apiKey}}' } },
	};
}
