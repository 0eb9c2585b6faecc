import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** This credential's field names: the one place they are spelled; descriptors, nodes and tests use these. */
export const PDF_GORILLA_API_FIELDS = {
	apiKey: 'apiKey',
	webhookSecret: 'webhookSecret',
	previousWebhookSecret: 'previousWebhookSecret',
	baseUrl: 'baseUrl',
} as const;

export class PdfGorillaApi implements ICredentialType {
	name = 'pdfGorillaApi';

	displayName = 'PDF Gorilla API';

	icon = { light: 'file:../nodes/PdfGorilla/pdfgorilla.svg', dark: 'file:../nodes/PdfGorilla/pdfgorilla.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-pdf-webhooks/n8n-nodes-pdf-webhooks#pdf-gorilla';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: PDF_GORILLA_API_FIELDS.apiKey,
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Sent as the x-api-key header to the PDF Gorilla API',
		},
		{
			displayName: 'Webhook Secret',
			name: PDF_GORILLA_API_FIELDS.webhookSecret,
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The webhookSecret sent with async jobs and used to verify the x-pdfg-signature of their webhooks. Use at least 32 random bytes (e.g. openssl rand -hex 32), at most 512 characters, and a different secret per URL.',
		},
		{
			// Not required: the PDF Gorilla node works without it (n8n's Stripe credential does the same for its signing secret).
			displayName: 'The PDF Gorilla Trigger needs a Webhook Secret: without one it refuses every event.',
			name: 'triggerNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Previous Webhook Secret',
			name: PDF_GORILLA_API_FIELDS.previousWebhookSecret,
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'While rotating: jobs started with the old secret still sign with it, so deliveries signed with either secret are accepted. Clear it once those jobs have finished.',
		},
		{
			displayName: 'Base URL',
			name: PDF_GORILLA_API_FIELDS.baseUrl,
			type: 'string',
			default: 'https://pdfgorilla.io/api/v1',
			description: 'Change only for a proxy or a test server',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-api-key': '={{$credentials.apiKey}}',
			},
		},
	};

	// PDF Gorilla has no read-only "who am I" endpoint: asking for a job that cannot exist
	// answers 404 to a valid key and 401 to a bad one.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/jobs/n8n-credential-test',
			method: 'GET',
			ignoreHttpStatusErrors: { ignore: true, except: [401, 403] },
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: 'PDF Gorilla rejected the API key (401)' } },
			{ type: 'responseCode', properties: { value: 403, message: 'PDF Gorilla refused the API key (403): check its permissions and plan' } },
		],
	};
}
