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
import { docGenLab } from './descriptor';
import { docGenLabSamples } from './samples';

const TEXTS: TriggerTexts = {
	setup: 'In DocGenLab, paste {url} under <b>Settings → Developer</b> and click <b>Save Webhook URL</b>. DocGenLab does not sign its webhooks, so keep the URL private.',
	sendTestEvent: 'save the Test URL in DocGenLab and click Test Webhook',
};

export class DocGenLabTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DocGenLab Trigger',
		name: 'docGenLabTrigger',
		icon: { light: 'file:docgenlab.svg', dark: 'file:docgenlab.dark.svg' },
		group: ['trigger'],
		// Not 1: n8n evaluates a legacy binary-data expression per request for version-1 start nodes.
		version: 2,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when DocGenLab finishes generating a document',
		defaults: { name: 'DocGenLab Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Only for Options → Confirm With API.
		credentials: [{ name: 'docGenLabApi', required: false }],
		webhooks: TRIGGER_WEBHOOKS,
		triggerPanel: triggerPanel(TEXTS),
		activationMessage: activationMessage(docGenLab, TEXTS),
		eventTriggerDescription: eventTriggerDescription(docGenLab),
		properties: triggerProperties(docGenLab, {
			texts: TEXTS,
		}),
	};

	webhookMethods = webhooksRegisteredByTheUser(docGenLab);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleTriggerRequest.call(this, docGenLab, docGenLabSamples);
	}
}
