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
import { sampleDocs } from './descriptor';
import { sampleDocsSamples } from './samples';

const TEXTS: TriggerTexts = {
	setup: 'In Sample Docs, paste {url} as the webhook URL, and enter the same Signing Secret in this node\'s credential.',
	sendTestEvent: 'point a Sample Docs webhook at the Test URL and finish a document',
};

export class SampleDocsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sample Docs Trigger',
		name: 'sampleDocsTrigger',
		icon: 'file:sampledocs.svg',
		group: ['trigger'],
		version: 2,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when a Sample Docs document is ready',
		defaults: { name: 'Sample Docs Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sampleDocsApi', required: true }],
		webhooks: TRIGGER_WEBHOOKS,
		triggerPanel: triggerPanel(TEXTS),
		activationMessage: activationMessage(sampleDocs, TEXTS),
		eventTriggerDescription: eventTriggerDescription(sampleDocs),
		properties: triggerProperties(sampleDocs, {
			texts: TEXTS,
		}),
	};

	webhookMethods = webhooksRegisteredByTheUser(sampleDocs);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleTriggerRequest.call(this, sampleDocs, sampleDocsSamples);
	}
}
