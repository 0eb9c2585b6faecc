import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { IncomingAuth } from './incomingAuth';

/**
 * Field names a webhook credential uses for the header authentication a service sends
 * (the credential mirrors the service's own webhook form: None / Basic / Bearer / API key).
 */
export const INCOMING_AUTH_FIELDS = {
	type: 'incomingAuthentication',
	basicUser: 'basicAuthUser',
	basicPassword: 'basicAuthPassword',
	bearerToken: 'bearerToken',
	headerName: 'headerName',
	headerValue: 'headerApiKey',
} as const;

export type IncomingAuthType = 'none' | 'basicAuth' | 'bearerToken' | 'apiKeyHeader';

function text(data: ICredentialDataDecryptedObject, field: string): string {
	const value = data[field];
	return typeof value === 'string' ? value : '';
}

export function incomingAuthFromCredential(data: ICredentialDataDecryptedObject): IncomingAuth {
	const f = INCOMING_AUTH_FIELDS;
	switch (data[f.type] as IncomingAuthType | undefined) {
		case 'basicAuth':
			return { type: 'basic', username: text(data, f.basicUser), password: text(data, f.basicPassword) };
		case 'bearerToken':
			return { type: 'bearer', token: text(data, f.bearerToken) };
		case 'apiKeyHeader':
			return { type: 'header', headerName: text(data, f.headerName) || 'x-api-key', value: text(data, f.headerValue) };
		default:
			return { type: 'none' };
	}
}
