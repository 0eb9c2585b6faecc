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
	type TriggerTexts,
	webhooksRegisteredByTheUser,
} from '../../core/description/trigger';
import { pdfGorilla } from './descriptor';
import { pdfGorillaSamples } from './samples';

const TEXTS: TriggerTexts = {
	setup: "Put {url} in <b>Webhook URL</b> of the PDF Gorilla node's <b>Start Generation</b>; PDF Gorilla calls it when the PDF is ready. Select the same credential in both nodes: its Webhook Secret signs the events.",
	sendTestEvent: 'start a generation with the Test URL as its Webhook URL',
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
		description: 'Starts the workflow when a PDF Gorilla render completes, fails or is canceled',
		defaults: { name: 'PDF Gorilla Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pdfGorillaApi', required: true }],
		webhooks: TRIGGER_WEBHOOKS,
		triggerPanel: triggerPanel(TEXTS),
		activationMessage: activationMessage(pdfGorilla, TEXTS),
		eventTriggerDescription: eventTriggerDescription(pdfGorilla),
		properties: triggerProperties(pdfGorilla, {
			texts: TEXTS,
		}),
	};

	webhookMethods = webhooksRegisteredByTheUser(pdfGorilla);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleTriggerRequest.call(this, pdfGorilla, pdfGorillaSamples);
	}
}
