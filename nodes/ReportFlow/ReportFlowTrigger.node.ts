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
import { reportFlow } from './descriptor';
import { reportFlowSamples } from './samples';

const SETUP: TriggerSetupTexts = {
	productionSetup:
		'In ReportFlow open Workspace settings → Developer, paste the Production URL into Webhook URL and click Update. ReportFlow does not sign its webhooks and needs no secret: keep the URL private and, if you know ReportFlow\'s sending addresses, list them under Options → IP Allowlist.',
	testEvent:
		'put the Test URL into Webhook URL under Workspace settings → Developer in ReportFlow and generate a PDF through the API (any /file/sync or /file/async endpoint); the workspace has one Webhook URL, so put the Production URL back afterwards',
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
		triggerPanel: triggerPanel(reportFlow, SETUP),
		activationMessage: activationMessage(reportFlow, SETUP),
		eventTriggerDescription: eventTriggerDescription(reportFlow),
		properties: triggerProperties(reportFlow, {
			setupNotice:
				'In ReportFlow open <b>Workspace settings → Developer</b>, paste this node\'s Production URL into <b>Webhook URL</b> and click <b>Update</b>. ReportFlow does not sign its webhooks: keep the URL private and, if you know ReportFlow\'s sending addresses, add them under Options → IP Allowlist. ReportFlow only accepts public https URLs.',
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
