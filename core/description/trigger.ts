/**
 * Pieces of a trigger node's description that follow from its service descriptor, so the
 * five trigger nodes stay thin and alike.
 */
import type { IHookFunctions, INodeProperties, IWebhookDescription, TriggerPanelDefinition } from 'n8n-workflow';

import { credentialMemory } from '../delivery/credentialMemory';
import { unreachableUrlHint } from '../delivery/reachability';
import { SAMPLE_WEBHOOK_NAME } from '../delivery/sampleEvent';
import { triggerScope } from '../delivery/scope';
import type { ServiceDescriptor } from '../service';

/**
 * n8n 2.x resolves a webhook description field without its expression engine (no isolate per
 * request) when the field carries a resolver under this registered symbol and still has the
 * template the resolver stands for; n8n 1.x evaluates the template, which means the same.
 */
const WEBHOOK_RESOLVERS = Symbol.for('n8n.webhookDescriptionResolvers');

type Parameters = Record<string, unknown>;

const responseModeOf = (parameters: Parameters) => (parameters.responseMode === 'lastNode' ? 'lastNode' : 'onReceived');

/**
 * `responseData: ''` makes n8n answer with our `webhookResponse` instead of its
 * `firstEntryJson` default; when answering after the workflow, `noData` keeps the workflow's
 * data (e.g. the email node's recipients) from going back to the sender.
 */
export const TRIGGER_WEBHOOKS: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		path: 'webhook',
		responseMode: '={{$parameter["responseMode"] === "lastNode" ? "lastNode" : "onReceived"}}',
		responseData: '={{$parameter["responseMode"] === "lastNode" ? "noData" : ""}}',
		[WEBHOOK_RESOLVERS]: {
			responseMode: {
				template: '={{$parameter["responseMode"] === "lastNode" ? "lastNode" : "onReceived"}}',
				resolve: responseModeOf,
			},
			responseData: {
				template: '={{$parameter["responseMode"] === "lastNode" ? "noData" : ""}}',
				resolve: (parameters: Parameters) => (responseModeOf(parameters) === 'lastNode' ? 'noData' : ''),
			},
		},
	} as IWebhookDescription,
	{
		// GET on the same URL: a sample event while the editor listens, 405 in production.
		// Hidden in the editor's URL list, which would otherwise show the same URL twice.
		name: SAMPLE_WEBHOOK_NAME,
		httpMethod: 'GET',
		path: 'webhook',
		responseMode: 'onReceived',
		// As above: answer with our webhookResponse, not n8n's literal `firstEntryJson`.
		responseData: '',
		ndvHideUrl: true,
	},
];

/**
 * None of the five services has an API to register webhooks: the user pastes the URL into
 * the service's settings (or passes it per request). These hooks therefore only report
 * success; the URL stays valid as long as the workflow is active. n8n asks `checkExists` on
 * every activation (and calls `create` only when it says no), so that is where a Production
 * URL the service cannot reach is reported: in n8n's log, as activation cannot show a message.
 */
export function webhooksRegisteredByTheUser(service: ServiceDescriptor) {
	return {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				if (this.getMode() !== 'manual') {
					const hint = unreachableUrlHint(service.displayName, this.getNodeWebhookUrl('default') ?? '');
					if (hint) this.logger.warn(`${this.getNode().name}: ${hint}`);
				}
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				// Deactivated: the secrets this process remembers for the trigger go at once.
				credentialMemory.forget(`${triggerScope(this)}/`);
				return true;
			},
		},
	};
}

export interface TriggerPropertyOptions {
	/** Where to paste the URL, in the service's own words. */
	setupNotice: string;
	/** Properties only this service has (e.g. one item per file), shown before Options. */
	extraProperties?: INodeProperties[];
}

export function triggerProperties(service: ServiceDescriptor, extra: TriggerPropertyOptions): INodeProperties[] {
	const regularEvents = service.delivery.events.filter((e) => !e.isTest).sort((a, b) => a.name.localeCompare(b.name));
	const options = [...commonOptions(service), ...serviceOptions(service)].sort((a, b) => a.displayName.localeCompare(b.displayName));

	return [
		{
			displayName: extra.setupNotice,
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			// Not "Events": n8n's node creator turns a trigger property with that display name into
			// one "On <event>" entry per option, each narrowing the filter to that single event. Under
			// this name it offers one "On new <service> event" entry that keeps the default (all).
			displayName: 'Event Types',
			name: 'events',
			type: 'multiOptions',
			required: true,
			default: regularEvents.map((e) => e.value),
			description: 'The events that start the workflow. Others are acknowledged and ignored.',
			options: regularEvents.map((e) => ({ name: e.name, value: e.value, description: e.description })),
		},
		...(extra.extraProperties ?? []),
		responseModeProperty(service),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options,
		},
	];
}

/** The options every trigger has. */
function commonOptions(service: ServiceDescriptor): INodeProperties[] {
	return [
		{
			displayName: 'Deduplicate Retries',
			name: 'deduplicate',
			type: 'boolean',
			default: true,
			description: `Whether to answer a repeated delivery of the same ${service.displayName} event with 200 without starting the workflow again`,
		},
		{
			displayName: 'IP Allowlist',
			name: 'allowedIpAddresses',
			type: 'string',
			default: '',
			placeholder: 'e.g. 34.123.45.67, 2001:db8::/32',
			description:
				'Comma-separated IP addresses or CIDR ranges allowed to call this webhook; others get 403. Empty allows any address. Behind a reverse proxy, set N8N_PROXY_HOPS so n8n sees the real sender.',
		},
		{
			displayName: 'Pass Unknown Events',
			name: 'passUnknownEvents',
			type: 'boolean',
			default: false,
			description: `Whether to start the workflow for event types this node does not know yet (e.g. new ${service.displayName} events); otherwise they are acknowledged and ignored`,
		},
		{
			displayName: 'Include Request Headers',
			name: 'includeHeaders',
			type: 'boolean',
			default: false,
			description:
				'Whether to add the delivery\'s HTTP headers to each item under "headers". Signatures, secrets, Authorization, cookies, API keys and anything named like a secret are replaced by [redacted].',
		},
	];
}

/** The options that follow from what the service offers: test events, timestamps, an API to confirm with. */
function serviceOptions(service: ServiceDescriptor): INodeProperties[] {
	const delivery = service.delivery;
	const options: INodeProperties[] = [];
	if (delivery.events.some((e) => e.isTest)) {
		options.push({
			displayName: 'Accept Test Events in Production',
			name: 'acceptTestEventsInProduction',
			type: 'boolean',
			default: false,
			description: `Whether the test event ${service.displayName} sends from its settings page starts the active workflow too. While listening in the editor it always does.`,
		});
	}
	if (delivery.replayWindow) {
		options.push({
			displayName: 'Maximum Event Age (Seconds)',
			name: 'maxTimestampAgeSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: delivery.replayWindow.defaultMaxAgeSeconds,
			description: `Reject deliveries whose timestamp (${delivery.replayWindow.source}) is older, or further in the future, than this many seconds, so a captured delivery cannot be replayed later. 0 turns the check off.`,
		});
	}
	if (delivery.confirm) {
		options.push({
			displayName: 'Confirm With API',
			name: 'confirmWithApi',
			type: 'boolean',
			default: false,
			description: `Whether to ask the ${service.displayName} API about each event before the workflow starts, rejecting events it does not confirm (needs the API credential). The workflow then gets the API's account of the event, not the unauthenticated body.`,
		});
		options.push({
			displayName: 'Confirmations per Minute',
			name: 'confirmCallsPerMinute',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: delivery.confirmCallsPerMinute ?? 1,
			description: `At most this many ${service.displayName} API calls a minute for Confirm With API; beyond it deliveries get 503 and the service retries them later. Keeps a flood of forged events from using up the API rate limit your other calls need.`,
		});
	}
	return options;
}

/** n8n's own `responseMode` parameter, limited to the two modes a delivery can use. */
function responseModeProperty(service: ServiceDescriptor): INodeProperties {
	const deadline = service.delivery.responseDeadlineSeconds;
	return {
		displayName: 'Respond',
		name: 'responseMode',
		type: 'options',
		default: 'onReceived',
		options: [
			{
				name: 'Immediately',
				value: 'onReceived',
				description: `Answer ${service.displayName} with 200 as soon as the workflow has started. An event whose execution n8n loses (a crashed worker) is not sent again.`,
			},
			{
				name: 'When the Workflow Has Finished',
				value: 'lastNode',
				description: `Answer 200 only once the workflow has succeeded, and 500 if it failed, so ${service.displayName} sends the event again. A retry is not skipped as a duplicate.`,
			},
		],
		hint: `${service.displayName} waits about ${deadline} seconds for the answer. With "When the Workflow Has Finished", a slower workflow counts as failed there and the event is sent again; the download's Skip Already Processed keeps a retry from emailing twice.`,
	};
}

/** What the trigger's panel and activation message say about one service, in its own words. */
export interface TriggerSetupTexts {
	/** Where the Production URL goes and which secret goes where; plain text (also the activation message). */
	productionSetup: string;
	/** What makes the service send an event to the Test URL while the editor listens; plain text, starts lower-case. */
	testEvent: string;
}

/** n8n 2.x "publishes" a workflow, 1.x "activates" it; the editor shows both texts as written. */
const PUBLISH = 'Publish (on n8n 1.x: activate)';

/**
 * The panel n8n shows while the trigger has no data: a header, help on test vs production
 * executions (like n8n's Webhook and Form Trigger nodes) and the activation hint, plus the
 * sample-event path and what to do when the service cannot reach this n8n.
 */
export function triggerPanel(service: ServiceDescriptor, texts: TriggerSetupTexts): TriggerPanelDefinition {
	const name = service.displayName;
	const testMode =
		`<b>Use test mode while you build your workflow.</b> Click 'Execute step' so the node listens for a test event, then ${texts.testEvent}. ` +
		`No ${name} event at hand? While listening, open the <b>Test URL</b> in your browser: the node emits a sample ${name} event from ${name}'s documentation, its items marked <code>sample: true</code>. Test executions show up in the editor.`;
	const production = (start: string) =>
		`<b>Use production mode to run your workflow automatically.</b> ${start} ${texts.productionSetup} These executions show up in the executions list, but not in the editor.`;
	const reachability = `${name} only delivers to a public https URL. If this n8n runs on localhost or a private network, put it behind a reverse proxy or tunnel and set N8N_WEBHOOK_URL (WEBHOOK_URL on n8n 1.x), so the URLs above are the ones ${name} can call.`;
	const help = (start: string) => `${name} Trigger has two modes: test and production.<br /><br />${testMode}<br /><br />${production(start)}<br /><br />${reachability}`;
	return {
		header: `Pull in a ${name} event`,
		executionsHelp: {
			inactive: help(`${PUBLISH} the workflow, then use its Production URL.`),
			active: help('The workflow is published (active), so its Production URL takes deliveries now.'),
		},
		activationHint: {
			active: `This node also runs the workflow for every ${name} event sent to the Production URL (those executions do not show up here).`,
			inactive: `${PUBLISH} this workflow to have it run for every ${name} event sent to the Production URL.`,
		},
	};
}

/** Shown once the workflow is published (activated): the one thing left to do in the service. */
export function activationMessage(service: ServiceDescriptor, texts: TriggerSetupTexts): string {
	return `${service.displayName} can now deliver to this workflow's Production URL. ${texts.productionSetup}`;
}

/** What the editor's canvas shows while the node listens. */
export function eventTriggerDescription(service: ServiceDescriptor): string {
	return `Waiting for a ${service.displayName} event at the Test URL (open it in a browser for a sample)`;
}
