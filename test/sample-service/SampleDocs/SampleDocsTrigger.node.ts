import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { handleDelivery } from '../../core/delivery/pipeline';
import { TRIGGER_WEBHOOKS, WEBHOOKS_REGISTERED_BY_THE_USER, triggerProperties } from '../../core/description/trigger';
import { sampleDocs } from './descriptor';

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
		properties: triggerProperties(sampleDocs, {
			setupNotice: 'Paste this node\'s Production URL into Sample Docs and use the same signing secret in the credential.',
		}),
	};

	webhookMethods = WEBHOOKS_REGISTERED_BY_THE_USER;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery.call(this, sampleDocs);
	}
}
