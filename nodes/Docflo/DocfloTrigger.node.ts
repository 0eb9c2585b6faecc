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
import { docflo } from './descriptor';
import { docfloSamples } from './samples';

const TEXTS: TriggerTexts = {
	setup: "In Docflo, create a webhook with {url} as its <b>HTTPS endpoint</b> and set it to Active. Enter the Signing Secret or Authorization you chose there in this node's credential.",
	sendTestEvent: 'point a Docflo webhook at the Test URL and make its event happen',
};

export class DocfloTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Docflo Trigger',
		name: 'docfloTrigger',
		icon: { light: 'file:docflo.svg', dark: 'file:docflo.dark.svg' },
		group: ['trigger'],
		// Not 1: n8n evaluates a legacy binary-data expression per request for version-1 start nodes.
		version: 2,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when a Docflo document is created, processed, approved, rejected or changes status',
		defaults: { name: 'Docflo Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'docfloWebhookApi', required: true, testedBy: 'docfloWebhookApiTest' }],
		webhooks: TRIGGER_WEBHOOKS,
		triggerPanel: triggerPanel(TEXTS),
		activationMessage: activationMessage(docflo, TEXTS),
		eventTriggerDescription: eventTriggerDescription(docflo),
		properties: triggerProperties(docflo, {
			texts: TEXTS,
		}),
	};

	methods = {
		credentialTest: {
			async docfloWebhookApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return checkWebhookCredential(credential, docflo.delivery);
			},
		},
	};

	webhookMethods = webhooksRegisteredByTheUser(docflo);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleTriggerRequest.call(this, docflo, docfloSamples);
	}
}
