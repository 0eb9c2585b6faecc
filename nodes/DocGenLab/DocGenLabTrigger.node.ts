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
import { docGenLab } from './descriptor';
import { docGenLabSamples } from './samples';

const SETUP: TriggerSetupTexts = {
	productionSetup:
		'In DocGenLab open Settings → Developer, paste the Production URL as the webhook URL and click Save Webhook URL. DocGenLab does not sign its webhooks and needs no secret here: keep the URL private and use Options → IP Allowlist and/or Confirm With API (with the DocGenLab API credential).',
	testEvent:
		'put the Test URL into the webhook URL under Settings → Developer in DocGenLab and click Test Webhook, or generate a document through the API (documents made in DocGenLab\'s own UI send no webhook)',
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
		triggerPanel: triggerPanel(docGenLab, SETUP),
		activationMessage: activationMessage(docGenLab, SETUP),
		eventTriggerDescription: eventTriggerDescription(docGenLab),
		properties: triggerProperties(docGenLab, {
			setupNotice:
				'In DocGenLab open <b>Settings → Developer</b>, paste this node\'s Production URL as the webhook URL and click <b>Save Webhook URL</b>; <b>Test Webhook</b> sends a test event while this node is listening. DocGenLab does not sign its webhooks: use Options → IP Allowlist and/or Confirm With API.',
		}),
	};

	webhookMethods = webhooksRegisteredByTheUser(docGenLab);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleTriggerRequest.call(this, docGenLab, docGenLabSamples);
	}
}
