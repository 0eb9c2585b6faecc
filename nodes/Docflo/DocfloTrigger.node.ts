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
import { docflo } from './descriptor';
import { docfloSamples } from './samples';

const SETUP: TriggerSetupTexts = {
	productionSetup:
		'In Docflo create (or edit) a webhook with the Production URL as its HTTPS endpoint, pick the platform event and set it to Active. Enter the Signing Secret and the Authorization option (Basic, Bearer token or API key) you chose there in this node\'s Docflo Webhook credential: deliveries that cannot be verified are refused with 401.',
	testEvent:
		'point a Docflo webhook (Active) at the Test URL and make its platform event happen, e.g. upload, process or approve a document',
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
		triggerPanel: triggerPanel(docflo, SETUP),
		activationMessage: activationMessage(docflo, SETUP),
		eventTriggerDescription: eventTriggerDescription(docflo),
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

	webhookMethods = webhooksRegisteredByTheUser(docflo);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleTriggerRequest.call(this, docflo, docfloSamples);
	}
}
