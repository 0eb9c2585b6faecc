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

import { handleDelivery } from '../../core/delivery/pipeline';
import { checkWebhookCredential } from '../../core/delivery/webhookCredentialCheck';
import { TRIGGER_WEBHOOKS, WEBHOOKS_REGISTERED_BY_THE_USER, triggerProperties } from '../../core/description/trigger';
import { docflo } from './descriptor';

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
		properties: triggerProperties(docflo, {
			setupNotice:
				'In Docflo create a webhook with this node\'s Production URL as the HTTPS endpoint and pick the platform event. Set a <b>Signing Secret</b> and/or an <b>Authorization</b> option there and enter the same in this node\'s credential: deliveries that cannot be verified are refused. Docflo sends one event per webhook; select it below or keep all.',
		}),
	};

	methods = {
		credentialTest: {
			async docfloWebhookApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return checkWebhookCredential(credential, docflo.delivery, { label: 'Signing Secret', optional: true });
			},
		},
	};

	webhookMethods = WEBHOOKS_REGISTERED_BY_THE_USER;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery.call(this, docflo);
	}
}
