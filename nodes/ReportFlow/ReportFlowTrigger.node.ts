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
import { reportFlow } from './descriptor';
import { reportFlowSamples } from './samples';

const TEXTS: TriggerTexts = {
	setup: 'In ReportFlow, paste {url} under <b>Workspace settings → Developer → Webhook URL</b> and click <b>Update</b>. ReportFlow does not sign its webhooks, so keep the URL private.',
	sendTestEvent: 'generate a PDF in ReportFlow with the Test URL as its Webhook URL',
};

export class ReportFlowTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ReportFlow Trigger',
		name: 'reportFlowTrigger',
		icon: { light: 'file:reportflow.svg', dark: 'file:reportflow.dark.svg' },
		group: ['trigger'],
		// Not 1: n8n evaluates a legacy binary-data expression per request for version-1 start nodes.
		version: 2,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when ReportFlow finishes generating PDF files',
		defaults: { name: 'ReportFlow Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: TRIGGER_WEBHOOKS,
		triggerPanel: triggerPanel(TEXTS),
		activationMessage: activationMessage(reportFlow, TEXTS),
		eventTriggerDescription: eventTriggerDescription(reportFlow),
		properties: triggerProperties(reportFlow, {
			texts: TEXTS,
			extraProperties: [
				{
					displayName: 'One Item per File',
					name: 'splitFiles',
					type: 'boolean',
					default: true,
					description:
						'Whether to output one item per generated file (with the event\'s workspace, design and version on each), ready for a download and an email per file; otherwise one item with a files list',
				},
			],
		}),
	};

	webhookMethods = webhooksRegisteredByTheUser(reportFlow);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleTriggerRequest.call(this, reportFlow, reportFlowSamples);
	}
}
