/**
 * The one path every delivery takes: IP allowlist → size → authenticity → nesting → parse →
 * recognise → replay window → filter → confirm → dedupe → items. A rejection leaves with a
 * status and a short JSON error and never starts the workflow; nothing here echoes a secret,
 * a signature or the value we expected. Only a delivery that passed every check (and, with
 * Confirm With API, was confirmed) reaches the dedupe store, so a forgery cannot take the
 * place of the genuine event there.
 */
import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { senderGroup } from '../ip';
import { hashKey } from '../ledger';
import type { RecognisedEvent, ServiceDescriptor } from '../service';
import { verifyDelivery } from './authenticity';
import { admitDelivery, settleDelivery, type Admission, type ConfirmOn } from './dedupe';
import { addRequestHeaders } from './headers';
import { parseJsonObject } from './parse';
import { triggerScope } from './scope';
import { checkAllowlist, checkNesting, checkReplayWindow, checkSize } from './requestChecks';
import { acknowledge, reject, type Stop } from './stop';

/** Confirm With API's call budget when neither the option nor the service names one (the registry test requires the service to). */
const MINIMAL_CONFIRMATIONS_PER_MINUTE = 1;

/**
 * What a sender learns from a rejection for authenticity (401), the allowlist (403) or an
 * unavailable confirmation (503): nothing about the setup. The reason goes to n8n's log.
 */
const PUBLIC_REJECTION: Record<number, string> = {
	401: 'Unauthorized',
	403: 'Forbidden',
	503: 'Service unavailable, try again later',
};

export interface TriggerOptions {
	allowedIpAddresses?: string;
	deduplicate?: boolean;
	passUnknownEvents?: boolean;
	acceptTestEventsInProduction?: boolean;
	maxTimestampAgeSeconds?: number;
	confirmWithApi?: boolean;
	confirmCallsPerMinute?: number;
	includeHeaders?: boolean;
}

type Headers = Record<string, string | string[] | undefined>;

export async function handleDelivery(this: IWebhookFunctions, service: ServiceDescriptor): Promise<IWebhookResponseData> {
	const request = this.getRequestObject();
	const headers = request.headers as Headers;
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	const isEditorTest = this.getMode() === 'manual';
	const rawBody = rawBodyOf(request);

	const stopped =
		checkAllowlist(options.allowedIpAddresses, request.ip) ??
		checkSize(rawBody) ??
		(await checkAuthenticity.call(this, service, rawBody, headers)) ??
		checkNesting(rawBody, request.body);
	if (stopped) return respond.call(this, service, stopped, isEditorTest);

	const parsed = parseJsonObject(rawBody, request.body);
	if (!parsed.ok) return respond.call(this, service, reject(400, parsed.message), isEditorTest);
	const recognised = service.delivery.recognise({
		payload: parsed.payload,
		headers,
		parameters: this.getNode().parameters as IDataObject,
	});
	if (!recognised.ok) {
		return respond.call(this, service, reject(400, `Not a ${service.displayName} event: ${recognised.message}`), isEditorTest);
	}
	const event = recognised.event;

	const skipped =
		checkReplayWindow(service, event, options.maxTimestampAgeSeconds) ??
		selectEvent.call(this, service, event.event, options, isEditorTest);
	if (skipped) return respond.call(this, service, skipped, isEditorTest);

	// Confirmation comes before the dedupe store: an event the API does not confirm never takes
	// the key of the genuine one. What the workflow gets is then the API's account of the event.
	const confirmation = await confirmWithService.call(this, service, event, options);
	if ('stop' in confirmation) return respond.call(this, service, confirmation.stop, isEditorTest);
	const trusted = confirmation.event ?? event;
	const payload = confirmation.payload ?? parsed.payload;

	const confirmOn = confirmOnOf(this);
	const admission = admit.call(this, service, trusted, options, confirmOn, isEditorTest);
	const stop = stopFor(admission);
	if (stop) return respond.call(this, service, stop, isEditorTest);

	const delivery: DeliveryFields = { deliveryKey: deliveryKeyOf(service, trusted, rawBody) };
	if (confirmOn === 'success') delivery.deliveryRetry = admission === 'retry';
	const items = toItems(trusted, payload, delivery);
	if (options.includeHeaders) await addRequestHeaders.call(this, service, items, headers);
	const workflowData = [items];
	// "When the workflow has finished": n8n answers from the finished execution (5xx if it
	// failed), so nothing is answered here.
	return confirmOn === 'success' ? { workflowData } : { workflowData, webhookResponse: { received: true } };
}

/** Fields every output item carries, for the download action's and any user's deduplication. */
export interface DeliveryFields extends IDataObject {
	/** The same for every delivery of one event, different for different events (and items). */
	deliveryKey: string;
	/** With "When the workflow has finished" only: an earlier delivery of this event got an error answer. */
	deliveryRetry?: boolean;
}

function confirmOnOf(ctx: IWebhookFunctions): ConfirmOn {
	return ctx.getNodeParameter('responseMode', 'onReceived') === 'lastNode' ? 'success' : 'receipt';
}

function respond(this: IWebhookFunctions, service: ServiceDescriptor, stop: Stop, isEditorTest: boolean): IWebhookResponseData {
	if (stop.kind === 'acknowledge') {
		return { webhookResponse: { received: true, started: false, reason: stop.reason } };
	}
	const request = this.getRequestObject();
	this.logger.warn(`${service.displayName} Trigger rejected a delivery (${stop.status}): ${stop.message}`, {
		node: this.getNode().name,
		clientIp: request.ip,
	});
	if (stop.misconfiguration && isEditorTest) {
		// While the user is listening in the editor, show the setup problem there.
		throw new NodeOperationError(this.getNode(), stop.message);
	}
	const response = this.getResponseObject();
	// A deliberate "try later" says when; every service retries 5xx on its own schedule anyway.
	if (stop.status === 503) response.setHeader('Retry-After', '30');
	// 400 and 413 say what is wrong with the body (that is public knowledge: the service's
	// format); 401, 403 and 503 say nothing about secrets, allowlists or whether a job exists.
	response.status(stop.status).json({ error: PUBLIC_REJECTION[stop.status] ?? stop.message });
	return { noWebhookResponse: true };
}

function rawBodyOf(request: ReturnType<IWebhookFunctions['getRequestObject']>): Buffer | undefined {
	const raw = (request as unknown as { rawBody?: unknown }).rawBody;
	if (Buffer.isBuffer(raw)) return raw;
	if (typeof raw === 'string') return Buffer.from(raw);
	return undefined;
}

/** The service's authenticity checks (authenticity.ts), as a 401 when one fails. */
async function checkAuthenticity(this: IWebhookFunctions, service: ServiceDescriptor, rawBody: Buffer | undefined, headers: Headers): Promise<Stop | undefined> {
	const verdict = await verifyDelivery.call(this, service, rawBody, headers);
	return verdict.ok ? undefined : reject(401, verdict.message, verdict.misconfiguration);
}

function selectEvent(
	this: IWebhookFunctions,
	service: ServiceDescriptor,
	eventName: string,
	options: TriggerOptions,
	isEditorTest: boolean,
): Stop | undefined {
	const definition = service.delivery.events.find((e) => e.value === eventName);
	if (definition?.isTest) {
		// Test pings from the service's settings page reach the editor; production only on request.
		return isEditorTest || options.acceptTestEventsInProduction ? undefined : acknowledge('test_event');
	}
	if (!definition) return options.passUnknownEvents ? undefined : acknowledge('unknown_event');
	const selected = this.getNodeParameter('events', []) as string[];
	return selected.includes(eventName) ? undefined : acknowledge('filtered');
}

type Confirmation = { stop: Stop } | { event?: RecognisedEvent; payload?: IDataObject };

async function confirmWithService(
	this: IWebhookFunctions,
	service: ServiceDescriptor,
	event: RecognisedEvent,
	options: TriggerOptions,
): Promise<Confirmation> {
	if (!options.confirmWithApi || !service.delivery.confirm) return {};
	const perMinute = options.confirmCallsPerMinute;
	const callsPerMinute = typeof perMinute === 'number' && Number.isFinite(perMinute) && perMinute > 0 ? perMinute : (service.delivery.confirmCallsPerMinute ?? MINIMAL_CONFIRMATIONS_PER_MINUTE);
	const confirmation = await service.delivery.confirm.call(this, event, { callsPerMinute, sender: senderGroup(this.getRequestObject().ip) });
	if (confirmation.outcome === 'rejected') return { stop: reject(401, confirmation.message) };
	if (confirmation.outcome === 'misconfigured') return { stop: reject(401, confirmation.message, true) };
	// 503 makes the service retry later instead of dropping the event.
	if (confirmation.outcome === 'unavailable') return { stop: reject(503, confirmation.message) };
	return { event: confirmation.event, payload: confirmation.payload };
}

/** undefined: not deduplicated (the editor's listener, the option off, test pings). */
function admit(
	this: IWebhookFunctions,
	service: ServiceDescriptor,
	event: RecognisedEvent,
	options: TriggerOptions,
	confirmOn: ConfirmOn,
	isEditorTest: boolean,
): Admission | undefined {
	// The editor's test listener is for trying things out: re-sending the same event must work.
	if (isEditorTest || options.deduplicate === false || event.dedupeKey === undefined) return undefined;
	// Where retries are filtered: per trigger node, in this n8n process.
	const scope = triggerScope(this);
	const key = `${service.id}:${event.dedupeKey}`;
	const admission = admitDelivery(scope, key, confirmOn, Date.now(), senderGroup(this.getRequestObject().ip));
	if (admission === 'new' || admission === 'retry') {
		settleWhenAnswered(this.getResponseObject(), (succeeded) => settleDelivery(scope, key, succeeded, Date.now()));
	}
	return admission;
}

/**
 * Records how n8n answered an admitted delivery. "When the workflow has finished": once the
 * execution is over, 2xx if it succeeded, 500 if it failed. "Immediately": 200 once n8n has
 * stored the execution, an error if it could not start it (n8n shutting down, a pre-execute
 * hook refusing it), and then no execution exists. Either way an error answer, or a
 * connection that closes unanswered (a sender that gave up, a crashed process), counts as
 * failed, so the service's retry runs instead of being taken for a duplicate.
 */
function settleWhenAnswered(response: ReturnType<IWebhookFunctions['getResponseObject']>, settle: (succeeded: boolean) => void): void {
	let settled = false;
	const once = (succeeded: boolean) => {
		if (settled) return;
		settled = true;
		settle(succeeded);
	};
	response.once('finish', () => once(response.statusCode >= 200 && response.statusCode < 300));
	response.once('close', () => once(false));
}

function stopFor(admission: Admission | undefined): Stop | undefined {
	switch (admission) {
		case 'duplicate':
			return acknowledge('duplicate');
		// 503 (not 409): every service retries server errors, and some drop an event on any 4xx.
		case 'inFlight':
			return reject(503, 'This event is being processed; try again later');
		case 'full':
			return reject(503, 'Too many recent events to remember another; try again later');
		default:
			return undefined;
	}
}

/**
 * A stable, opaque key: a hash of the service's own event identity, or of the signed body for
 * events that have none (test pings), so it never carries payload data. Items fanned out from
 * one event are numbered.
 */
export function deliveryKeyOf(service: ServiceDescriptor, event: RecognisedEvent, rawBody: Buffer | undefined): string {
	const identity = event.dedupeKey ?? `body:${rawBody?.toString('base64') ?? ''}`;
	return `${service.id}:${hashKey(`${service.id}:${identity}`)}`;
}

/**
 * One item per recognised item, each with the event under `payload` and its `deliveryKey`. An
 * event that fans out (e.g. one item per file) puts only `payloadPerItem`, the event
 * without the list it was split on, into each item: n8n stores every item on its own, so the
 * whole body in each of N items would store N copies of it. Fanned-out items' keys are numbered.
 */
export function toItems(event: RecognisedEvent, payload: IDataObject, delivery: DeliveryFields): INodeExecutionData[] {
	if (event.items.length <= 1) return event.items.map((json) => ({ json: { ...json, ...delivery, payload } }));
	const shared = event.payloadPerItem;
	return event.items.map((json, index) => {
		const fields = { ...json, ...delivery, deliveryKey: `${delivery.deliveryKey}/${index + 1}` };
		return { json: shared === undefined ? fields : { ...fields, payload: shared } };
	});
}
