import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** This credential's field names: the one place they are spelled; descriptors, nodes and tests use these. */
export const PDF_SIGN_WEBHOOK_API_FIELDS = {
	webhookSecret: 'webhookSecret',
	previousWebhookSecret: 'previousWebhookSecret',
} as const;

/** The secret PDF-Sign generates for a webhook (Developer → Webhooks) and sends in X-Webhook-Secret. */
export class PdfSignWebhookApi implements ICredentialType {
	name = 'pdfSignWebhookApi';

	displayName = 'PDF-Sign Webhook API';

	icon = { light: 'file:../nodes/PdfSign/pdfsign.svg', dark: 'file:../nodes/PdfSign/pdfsign.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-pdf-webhooks/n8n-nodes-pdf-webhooks#pdf-sign';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook Secret',
			name: PDF_SIGN_WEBHOOK_API_FIELDS.webhookSecret,
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The secret PDF-Sign shows for this webhook under Developer → Webhooks; deliveries carry it in X-Webhook-Secret',
		},
		{
			displayName: 'Previous Webhook Secret',
			name: PDF_SIGN_WEBHOOK_API_FIELDS.previousWebhookSecret,
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'While rotating: deliveries carrying either secret are accepted. Clear it once PDF-Sign sends the new one.',
		},
	];
}
