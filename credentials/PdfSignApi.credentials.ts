import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** This credential's field names: the one place they are spelled; descriptors, nodes and tests use these. */
export const PDF_SIGN_API_FIELDS = {
	apiKey: 'apiKey',
	baseUrl: 'baseUrl',
} as const;

export class PdfSignApi implements ICredentialType {
	name = 'pdfSignApi';

	displayName = 'PDF-Sign API';

	icon = { light: 'file:../nodes/PdfSign/pdfsign.svg', dark: 'file:../nodes/PdfSign/pdfsign.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-pdf-webhooks/n8n-nodes-pdf-webhooks#pdf-sign';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: PDF_SIGN_API_FIELDS.apiKey,
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'pdfsign_…',
			description: 'Sent as the x-api-key header',
		},
		{
			displayName: 'Base URL',
			name: PDF_SIGN_API_FIELDS.baseUrl,
			type: 'string',
			default: 'https://api.pdf-sign.com/functions/v1',
			description: 'Change only for a proxy or a test server',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'x-api-key': '={{$credentials.apiKey}}' } },
	};

	// PDF-Sign has no read-only endpoint and every generation counts against the quota. An
	// empty preview request is refused as invalid (400) before anything is generated when the
	// key is good, and with 401 when it is not.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/generate-pdf-preview',
			method: 'POST',
			body: {},
			ignoreHttpStatusErrors: { ignore: true, except: [401] },
		},
		rules: [{ type: 'responseCode', properties: { value: 401, message: 'PDF-Sign rejected the API key (401)' } }],
	};
}
