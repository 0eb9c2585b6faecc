import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { IncomingAuthFields, IncomingAuthMethod } from '../service';
import { stringField } from '../values';
import type { IncomingAuth } from './incomingAuth';

/** The header auth a webhook credential asks for, read from the fields its service's descriptor names. */
export function incomingAuthFromCredential(data: ICredentialDataDecryptedObject, fields: IncomingAuthFields): IncomingAuth {
	switch (data[fields.method] as IncomingAuthMethod | undefined) {
		case 'basicAuth':
			return { type: 'basic', username: stringField(data, fields.basicUser), password: stringField(data, fields.basicPassword) };
		case 'bearerToken':
			return { type: 'bearer', token: stringField(data, fields.bearerToken) };
		case 'apiKeyHeader':
			return { type: 'header', headerName: stringField(data, fields.headerName) || fields.defaultHeaderName, value: stringField(data, fields.headerValue) };
		default:
			return { type: 'none' };
	}
}
