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
	type TriggerTexts,
	webhooksRegisteredByTheUser,
} from '../../core/description/trigger';
import { pdfSign } from './descriptor';
import { pdfSignSamples } from './samples';

const TEXTS: TriggerTexts = {
	setup: "In PDF-Sign, add {url} under <b>Developer → Webhooks</b> and choose the events. Copy the secret PDF-Sign shows into this node's credential.",
	sendTestEvent: 'add the Test URL as a PDF-Sign webhook and generate a PDF',
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
		triggerPanel: triggerPanel(TEXTS),
		activationMessage: activationMessage(pdfSign, TEXTS),
		eventTriggerDescription: eventTriggerDescription(pdfSign),
		properties: triggerProperties(pdfSign, {
			texts: TEXTS,
		}),
	};

	methods = {
		credentialTest: {
			async pdfSignWebhookApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return checkWebhookCredential(credential, pdfSign.delivery);
			},
		},
	};

	webhookMethods = webhooksRegisteredByTheUser(pdfSign);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleTriggerRequest.call(this, pdfSign, pdfSignSamples);
	}
}
