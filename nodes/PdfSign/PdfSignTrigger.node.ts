import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { handleTriggerRequest } from '../../core/delivery/sampleEvent';
import { checkWebhookCredential } from '../../core/delivery/webhookCredentialCheck';
import {
	TRIGGER_WEBHOOKS,
	activationMessage,
	eventTriggerDescription,
	triggerPanel,
	triggerProperties,
	type TriggerSetupTexts,
	webhooksRegisteredByTheUser,
} from '../../core/description/trigger';
import { pdfSign } from './descriptor';
import { pdfSignSamples } from './samples';

const SETUP: TriggerSetupTexts = {
	productionSetup:
		'In PDF-Sign open Developer → Webhooks (paid plans), add the Production URL, choose the events and copy the generated secret into Webhook Secret of this node\'s PDF-Sign Webhook credential. PDF-Sign sends that secret in X-Webhook-Secret with every delivery; others are refused with 401.',
	testEvent:
		'add the Test URL as a webhook under Developer → Webhooks in PDF-Sign and generate a PDF, or send PDF-Sign\'s test delivery',
};

export class PdfSignTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PDF-Sign Trigger',
		name: 'pdfSignTrigger',
		icon: { light: 'file:pdfsign.svg', dark: 'file:pdfsign.dark.svg' },
		group: ['trigger'],
		// Not 1: n8n evaluates a legacy binary-data expression per request for version-1 start nodes.
		version: 2,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when PDF-Sign generates a PDF, fails to, or warns about the quota',
		defaults: { name: 'PDF-Sign Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pdfSignWebhookApi', required: true, testedBy: 'pdfSignWebhookApiTest' }],
		webhooks: TRIGGER_WEBHOOKS,
		triggerPanel: triggerPanel(pdfSign, SETUP),
		activationMessage: activationMessage(pdfSign, SETUP),
		eventTriggerDescription: eventTriggerDescription(pdfSign),
		properties: triggerProperties(pdfSign, {
			setupNotice:
				'In PDF-Sign open <b>Developer → Webhooks</b> (paid plans), add this node\'s Production URL, choose the events and copy the generated secret into this node\'s credential. Every delivery must carry that secret in X-Webhook-Secret.',
		}),
	};

	methods = {
		credentialTest: {
			async pdfSignWebhookApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return checkWebhookCredential(credential, pdfSign.delivery, { label: 'Webhook Secret' });
			},
		},
	};

	webhookMethods = webhooksRegisteredByTheUser(pdfSign);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleTriggerRequest.call(this, pdfSign, pdfSignSamples);
	}
}
