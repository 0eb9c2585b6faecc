import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Mirrors Docflo's webhook form: an optional Signing Secret (X-Docflo-Signature) and one
 * Authorization option (None, Basic, Bearer Token, API Key header). Field names match
 * core/delivery/incomingAuthCredential.ts.
 */
export class DocfloWebhookApi implements ICredentialType {
	name = 'docfloWebhookApi';

	displayName = 'Docflo Webhook API';

	icon = { light: 'file:../nodes/Docflo/docflo.svg', dark: 'file:../nodes/Docflo/docflo.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-pdf-webhooks/n8n-nodes-pdf-webhooks#docflo';

	properties: INodeProperties[] = [
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The Signing Secret set on the Docflo webhook. When set, every delivery must carry a valid X-Docflo-Signature.',
		},
		{
			displayName: 'Previous Signing Secret',
			name: 'previousSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'While rotating: signatures made with either secret are accepted',
		},
		{
			displayName: 'Authorization',
			name: 'incomingAuthentication',
			type: 'options',
			default: 'none',
			options: [
				{ name: 'None', value: 'none' },
				{ name: 'Basic Authentication', value: 'basicAuth' },
				{ name: 'Bearer Token', value: 'bearerToken' },
				{ name: 'API Key', value: 'apiKeyHeader' },
			],
			description: 'The Authorization option chosen on the Docflo webhook; deliveries without it are refused',
		},
		{
			displayName: 'Username',
			name: 'basicAuthUser',
			type: 'string',
			default: '',
			displayOptions: { show: { incomingAuthentication: ['basicAuth'] } },
		},
		{
			displayName: 'Password',
			name: 'basicAuthPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { incomingAuthentication: ['basicAuth'] } },
		},
		{
			displayName: 'Token',
			name: 'bearerToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { incomingAuthentication: ['bearerToken'] } },
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'x-api-key',
			displayOptions: { show: { incomingAuthentication: ['apiKeyHeader'] } },
		},
		{
			displayName: 'API Key',
			name: 'headerApiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { incomingAuthentication: ['apiKeyHeader'] } },
		},
	];
}
