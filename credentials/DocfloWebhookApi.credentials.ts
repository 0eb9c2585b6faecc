import type { ICredentialType, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { IncomingAuthFields, IncomingAuthMethod } from '../core/service';

/** This credential's field names: the one place they are spelled; descriptors, nodes and tests use these. */
export const DOCFLO_WEBHOOK_API_FIELDS = {
	signingSecret: 'signingSecret',
	previousSigningSecret: 'previousSigningSecret',
	incomingAuthentication: 'incomingAuthentication',
	basicAuthUser: 'basicAuthUser',
	basicAuthPassword: 'basicAuthPassword',
	bearerToken: 'bearerToken',
	headerName: 'headerName',
	headerApiKey: 'headerApiKey',
} as const;

const DEFAULT_API_KEY_HEADER = 'x-api-key';

/** Where this credential keeps the Authorization option Docflo sends; the descriptor hands it to the trigger. */
export const DOCFLO_INCOMING_AUTH_FIELDS: IncomingAuthFields = {
	method: DOCFLO_WEBHOOK_API_FIELDS.incomingAuthentication,
	basicUser: DOCFLO_WEBHOOK_API_FIELDS.basicAuthUser,
	basicPassword: DOCFLO_WEBHOOK_API_FIELDS.basicAuthPassword,
	bearerToken: DOCFLO_WEBHOOK_API_FIELDS.bearerToken,
	headerName: DOCFLO_WEBHOOK_API_FIELDS.headerName,
	headerValue: DOCFLO_WEBHOOK_API_FIELDS.headerApiKey,
	defaultHeaderName: DEFAULT_API_KEY_HEADER,
};

const AUTHORIZATION_OPTIONS: Array<INodePropertyOptions & { value: IncomingAuthMethod }> = [
	{ name: 'None', value: 'none' },
	{ name: 'Basic Authentication', value: 'basicAuth' },
	{ name: 'Bearer Token', value: 'bearerToken' },
	{ name: 'API Key', value: 'apiKeyHeader' },
];

/**
 * Mirrors Docflo's webhook form: an optional Signing Secret (X-Docflo-Signature) and one
 * Authorization option (None, Basic, Bearer Token, API Key header).
 */
export class DocfloWebhookApi implements ICredentialType {
	name = 'docfloWebhookApi';

	displayName = 'Docflo Webhook API';

	icon = { light: 'file:../nodes/Docflo/docflo.svg', dark: 'file:../nodes/Docflo/docflo.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-pdf-webhooks/n8n-nodes-pdf-webhooks#docflo';

	properties: INodeProperties[] = [
		{
			displayName: 'Signing Secret',
			name: DOCFLO_WEBHOOK_API_FIELDS.signingSecret,
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The Signing Secret set on the Docflo webhook. When set, every delivery must carry a valid X-Docflo-Signature.',
		},
		{
			displayName: 'Previous Signing Secret',
			name: DOCFLO_WEBHOOK_API_FIELDS.previousSigningSecret,
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'While rotating: signatures made with either secret are accepted',
		},
		{
			displayName: 'Authorization',
			name: DOCFLO_WEBHOOK_API_FIELDS.incomingAuthentication,
			type: 'options',
			default: 'none',
			options: AUTHORIZATION_OPTIONS,
			description: 'The Authorization option chosen on the Docflo webhook; deliveries without it are refused',
		},
		{
			displayName: 'With Authorization None, the Docflo Trigger needs the Signing Secret: it refuses events it cannot verify.',
			name: 'triggerNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { [DOCFLO_WEBHOOK_API_FIELDS.incomingAuthentication]: ['none'] } },
		},
		{
			displayName: 'Username',
			name: DOCFLO_WEBHOOK_API_FIELDS.basicAuthUser,
			type: 'string',
			default: '',
			displayOptions: { show: { [DOCFLO_WEBHOOK_API_FIELDS.incomingAuthentication]: ['basicAuth'] } },
		},
		{
			displayName: 'Password',
			name: DOCFLO_WEBHOOK_API_FIELDS.basicAuthPassword,
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { [DOCFLO_WEBHOOK_API_FIELDS.incomingAuthentication]: ['basicAuth'] } },
		},
		{
			displayName: 'Token',
			name: DOCFLO_WEBHOOK_API_FIELDS.bearerToken,
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { [DOCFLO_WEBHOOK_API_FIELDS.incomingAuthentication]: ['bearerToken'] } },
		},
		{
			displayName: 'Header Name',
			name: DOCFLO_WEBHOOK_API_FIELDS.headerName,
			type: 'string',
			default: DEFAULT_API_KEY_HEADER,
			displayOptions: { show: { [DOCFLO_WEBHOOK_API_FIELDS.incomingAuthentication]: ['apiKeyHeader'] } },
		},
		{
			displayName: 'API Key',
			name: DOCFLO_WEBHOOK_API_FIELDS.headerApiKey,
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { [DOCFLO_WEBHOOK_API_FIELDS.incomingAuthentication]: ['apiKeyHeader'] } },
		},
	];
}
