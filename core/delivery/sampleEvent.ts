/**
 * Sample events, for building a workflow before the service has sent anything. n8n starts a
 * webhook trigger only when a request arrives, so "Listen for test event" cannot produce data
 * on its own; instead the trigger also answers GET on its URL. While the editor listens, opening
 * the Test URL in a browser emits one of the service's documented example events through the
 * same parse path a real delivery takes, each item marked `sample: true`. On the Production
 * URL a GET is refused with 405 and never starts the workflow.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { ServiceDescriptor } from '../service';
import { addRequestHeaders } from './headers';
import { parseJsonObject } from './parse';
import { deliveryKeyOf, handleDelivery, toItems, type DeliveryFields, type TriggerOptions } from './pipeline';
import { unreachableUrlHint } from './reachability';

/**
 * The name of the trigger's GET webhook (see TRIGGER_WEBHOOKS). n8n's own triggers use `setup`
 * for a GET beside their POST webhook (Facebook's and Trello's verification handshakes, the
 * Form Trigger's form page); the type allows only `default` and `setup`.
 */
export const SAMPLE_WEBHOOK_NAME = 'setup';

/**
 * One documented example delivery. Download links point at a `.invalid` host (RFC 6761: never
 * resolves) that no service's download allowlist contains, so a download node fed a sample
 * refuses it instead of fetching a real file.
 */
export interface SampleEvent {
	payload: IDataObject;
	/** The non-secret headers the service documents for the delivery. */
	headers?: Record<string, string>;
}

/** The items a sample produces, exactly as a delivery of its payload would, plus `sample: true`. */
export function sampleEventItems(
	service: ServiceDescriptor,
	sample: SampleEvent,
	parameters: IDataObject,
): { event: string; items: INodeExecutionData[] } {
	const rawBody = Buffer.from(JSON.stringify(sample.payload));
	const parsed = parseJsonObject(rawBody);
	if (!parsed.ok) throw new Error(`The ${service.displayName} sample event does not parse: ${parsed.message}`);
	const recognised = service.delivery.recognise({ payload: parsed.payload, headers: lowerCased(sample.headers ?? {}), parameters });
	if (!recognised.ok) throw new Error(`The ${service.displayName} sample event is not recognised: ${recognised.message}`);
	const event = recognised.event;
	const delivery: DeliveryFields = { deliveryKey: deliveryKeyOf(service, event, rawBody) };
	// "When the workflow has finished" adds deliveryRetry to real items; a sample is never a retry.
	if (parameters.responseMode === 'lastNode') delivery.deliveryRetry = false;
	const items = toItems(event, parsed.payload, delivery);
	for (const item of items) item.json.sample = true;
	return { event: event.event, items };
}

/** The sample for the node's current settings: the first one of a selected event type, else the first. */
export function chooseSample(service: ServiceDescriptor, samples: SampleEvent[], parameters: IDataObject) {
	const selected = Array.isArray(parameters.events) ? (parameters.events as string[]) : [];
	const built = samples.map((sample) => ({ sample, ...sampleEventItems(service, sample, parameters) }));
	return built.find((candidate) => selected.includes(candidate.event)) ?? built[0];
}

/** A trigger's `webhook()`: deliveries (POST) go through the pipeline, GET to the sample path. */
export async function handleTriggerRequest(
	this: IWebhookFunctions,
	service: ServiceDescriptor,
	samples: SampleEvent[],
): Promise<IWebhookResponseData> {
	if (this.getWebhookName() !== SAMPLE_WEBHOOK_NAME) return await handleDelivery.call(this, service);
	return await emitSampleEvent.call(this, service, samples);
}

async function emitSampleEvent(this: IWebhookFunctions, service: ServiceDescriptor, samples: SampleEvent[]): Promise<IWebhookResponseData> {
	const response = this.getResponseObject();
	if (this.getMode() !== 'manual' || samples.length === 0) {
		// The Production URL takes deliveries only; the answer says no more than n8n's own 404 would.
		response.setHeader('Allow', 'POST');
		response.status(405).json({ error: 'Method Not Allowed' });
		return { noWebhookResponse: true };
	}
	const parameters = this.getNode().parameters as IDataObject;
	const chosen = chooseSample(service, samples, parameters);
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	if (options.includeHeaders) await addRequestHeaders.call(this, service, chosen.items, lowerCased(chosen.sample.headers ?? {}));
	const hint = unreachableUrlHint(service.displayName, this.getNodeWebhookUrl('default') ?? '');
	const message = `A sample ${service.displayName} "${chosen.event}" event from ${service.displayName}'s documentation was sent to the n8n editor. Its items carry sample: true, and its IDs and links are the documentation's placeholders, which lead to no real file.`;
	return {
		workflowData: [chosen.items],
		webhookResponse: hint ? { sample: true, message, warning: hint } : { sample: true, message },
	};
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
