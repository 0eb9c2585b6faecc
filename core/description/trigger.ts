/**
 * Pieces of a trigger node's description that follow from its service descriptor, so the
 * five trigger nodes stay thin and alike.
 */
import type { IHookFunctions, INodeProperties, IWebhookDescription, TriggerPanelDefinition } from 'n8n-workflow';

import { credentialMemory } from '../delivery/credentialMemory';
import { unreachableUrlHint } from '../delivery/reachability';
import { SAMPLE_WEBHOOK_NAME } from '../delivery/sampleEvent';
import { triggerScope } from '../delivery/scope';
import { refuseIncompleteSetup } from '../delivery/webhookCredentialCheck';
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
 * the service's settings (or passes it per request), so there is nothing to create or delete.
 * n8n asks `checkExists` on every activation, at start-up and when the editor starts listening
 * (and calls `create` only when it says no), so that is where the trigger's own setup is
 * checked: a credential that would make it refuse every delivery fails activation with a
 * message naming the field; a Production URL the service cannot reach is logged (a warning,
 * not a failure: a reverse proxy may make it reachable after all).
 */
export function webhooksRegisteredByTheUser(service: ServiceDescriptor) {
	return {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				await refuseIncompleteSetup(this, service);
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

/** What the trigger's panel and activation message say about one service, in its own words. */
export interface TriggerTexts {
	/**
	 * At most two plain sentences: where the Production URL goes, in the service's own UI terms
	 * (their names may be in <b>…</b>, no other markup), with `{url}` where the URL is named (the panel says "this node's Production URL", the
	 * activation message "its Production URL"). Details belong in the docs behind the Docs link.
	 */
	setup: string;
	/** How to make the service send an event to the Test URL, to follow "or " (starts lower-case). */
	sendTestEvent: string;
}

export interface TriggerPropertyOptions {
	texts: TriggerTexts;
	/** Properties only this service has (e.g. one item per file), shown before Options. */
	extraProperties?: INodeProperties[];
}

export function triggerProperties(service: ServiceDescriptor, extra: TriggerPropertyOptions): INodeProperties[] {
	const regularEvents = service.delivery.events.filter((e) => !e.isTest).sort((a, b) => a.name.localeCompare(b.name));
	const options = [...commonOptions(service), ...serviceOptions(service)].sort((a, b) => a.displayName.localeCompare(b.displayName));

	return [
		{
			displayName: extra.texts.setup.replace('{url}', "this node's Production URL"),
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
		responseDeadlineNotice(service),
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
			description: `Comma-separated IP addresses or CIDR ranges allowed to call this webhook; others get 403. Empty allows any address. Behind a reverse proxy, set N8N_PROXY_HOPS so n8n sees the real sender.${
				service.delivery.checks.length === 0 ? ` ${service.displayName} does not sign its webhooks, so this is the only real defence against forged events from many addresses.` : ''
			}`,
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
				'Whether to add the delivery\'s HTTP headers to each item under "headers". Only content type and length, user agent and the service\'s documented event and timestamp headers are shown; every other value is replaced by [redacted].',
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
	};
}

/** Only where it applies: answering after the workflow races the service's deadline. */
function responseDeadlineNotice(service: ServiceDescriptor): INodeProperties {
	const name = service.displayName;
	return {
		displayName: `${name} waits about ${service.delivery.responseDeadlineSeconds} seconds for the answer: a slower workflow counts as failed and the event comes again, which the download then skips.`,
		name: 'responseDeadlineNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { responseMode: ['lastNode'] } },
	};
}

/** The setup texts' only markup is <b> around UI names; the activation dialog shows plain text. */
const withoutBold = (html: string) => html.split('<b>').join('').split('</b>').join('');

/**
 * What n8n shows beside the trigger before it listens. Only the hint under Execute step is
 * ours: n8n's own header and "When will this node trigger my flow?" help say "publish" on 2.x
 * and "activate" on 1.x, which a node cannot tell apart, and while listening n8n shows its own
 * fixed line ("Go to {service} and create an event"), so this hint is where users learn, before
 * they click, that the Test URL opened in a browser brings a sample event.
 */
export function triggerPanel(texts: TriggerTexts): TriggerPanelDefinition {
	return {
		activationHint: `Click Execute step, then open the Test URL in a browser for a sample event, or ${texts.sendTestEvent}.`,
	};
}

/** Shown once the workflow is live (n8n's modal gives the title): the one thing left to do in the service. */
export function activationMessage(service: ServiceDescriptor, texts: TriggerTexts): string {
	return `${service.displayName} can now deliver to this workflow. ${withoutBold(texts.setup).replace('{url}', 'its Production URL')}`;
}

/** What the editor's canvas shows above the trigger while it listens (n8n's own panel line is fixed). */
export function eventTriggerDescription(service: ServiceDescriptor): string {
	return `Waiting for a ${service.displayName} event: open the Test URL in a browser for a sample`;
}
