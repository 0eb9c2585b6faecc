import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { handleTriggerRequest } from '../../core/delivery/sampleEvent';
import {
	TRIGGER_WEBHOOKS,
	activationMessage,
	eventTriggerDescription,
	triggerPanel,
	triggerProperties,
	type TriggerSetupTexts,
	webhooksRegisteredByTheUser,
} from '../../core/description/trigger';
import { pdfGorilla } from './descriptor';
import { pdfGorillaSamples } from './samples';

const SETUP: TriggerSetupTexts = {
	productionSetup:
		'PDF Gorilla has no webhook settings page: pass the Production URL as webhookUrl and the Webhook Secret of this node\'s PDF Gorilla credential as webhookSecret with each POST /templates/{id}/generate-async call (the PDF Gorilla node\'s Generate (Async) operation does both). PDF Gorilla signs every delivery with that secret (x-pdfg-signature).',
	testEvent:
		'start an asynchronous generation with the Test URL as webhookUrl and your credential\'s Webhook Secret as webhookSecret',
};

export class PdfGorillaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PDF Gorilla Trigger',
		name: 'pdfGorillaTrigger',
		icon: { light: 'file:pdfgorilla.svg', dark: 'file:pdfgorilla.dark.svg' },
		group: ['trigger'],
		// Not 1: n8n evaluates a legacy binary-data expression per request for version-1 start nodes.
		version: 2,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when a PDF Gorilla async job completes, fails or is canceled',
		defaults: { name: 'PDF Gorilla Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pdfGorillaApi', required: true }],
		webhooks: TRIGGER_WEBHOOKS,
		triggerPanel: triggerPanel(pdfGorilla, SETUP),
		activationMessage: activationMessage(pdfGorilla, SETUP),
		eventTriggerDescription: eventTriggerDescription(pdfGorilla),
		properties: triggerProperties(pdfGorilla, {
			setupNotice:
				'Pass this node\'s Production URL as <b>webhookUrl</b> and your credential\'s Webhook Secret as <b>webhookSecret</b> when you call <b>POST /templates/{id}/generate-async</b> (the PDF Gorilla node\'s Generate (Async) operation does both). PDF Gorilla requires an https URL reachable from the internet.',
		}),
	};

	webhookMethods = webhooksRegisteredByTheUser(pdfGorilla);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleTriggerRequest.call(this, pdfGorilla, pdfGorillaSamples);
	}
}
