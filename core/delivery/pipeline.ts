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
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { hashKey } from '../ledger';
import type { AuthenticityCheck, RecognisedEvent, ServiceDescriptor } from '../service';
import { headerValue } from '../values';
import { admitDelivery, settleDelivery, type Admission, type ConfirmOn } from './dedupe';
import { checkIncomingAuth } from './incomingAuth';
import { incomingAuthFromCredential } from './incomingAuthCredential';
import { isIpAllowed, parseAllowlist } from './ipAllowlist';
import { jsonNestingExceeds, parseJsonObject, sameJsonValue, valueNestingExceeds } from './parse';
import { checkTimestamp, matchesSharedSecret, verifySignature } from './verify';

/**
 * A "your PDF is ready" event is a few KB; Docflo's, which carries every extracted field, is
 * the largest. Anything above 2 MiB is refused with 413 before its signature is computed.
 */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** No service nests deeper than a handful of levels; 32 leaves room for Docflo's fields and keeps walks over the value shallow. */
export const MAX_JSON_DEPTH = 32;
/** Default of Confirm With API's call budget: a third of DocGenLab's default 60 API calls a minute. */
export const DEFAULT_CONFIRMATIONS_PER_MINUTE = 20;

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
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * Why a delivery does not start the workflow. `reject`: refused with `status` and
 * `{ error }`. `acknowledge`: genuine but deliberately not run, answered 200 so the service
 * does not retry. `misconfiguration` marks causes in the node's own setup, which the
 * editor should show.
 */
type Stop =
	| { kind: 'reject'; status: number; message: string; misconfiguration?: boolean }
	| { kind: 'acknowledge'; reason: 'filtered' | 'unknown_event' | 'duplicate' | 'test_event' };

const reject = (status: number, message: string, misconfiguration = false): Stop => ({ kind: 'reject', status, message, misconfiguration });
const acknowledge = (reason: Extract<Stop, { kind: 'acknowledge' }>['reason']): Stop => ({ kind: 'acknowledge', reason });

export async function handleDelivery(this: IWebhookFunctions, service: ServiceDescriptor): Promise<IWebhookResponseData> {
	const request = this.getRequestObject();
	const headers = request.headers as Headers;
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	const isEditorTest = this.getMode() === 'manual';
	const rawBody = rawBodyOf(request);

	const stopped =
		checkAllowlist(options.allowedIpAddresses, request.ip) ??
		checkSize(rawBody) ??
		(await checkAuthenticity.call(this, service, rawBody, headers, options)) ??
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
		checkReplayWindow(service, event, options) ??
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
	const workflowData = [toItems(trusted, payload, delivery)];
	// "When the workflow has finished": n8n answers from the finished execution (5xx if it
	// failed), so nothing is answered here.
	return confirmOn === 'success' ? { workflowData } : { workflowData, webhookResponse: { received: true } };
}

/** Fields every output item carries, for the download action's and any user's deduplication. */
interface DeliveryFields extends IDataObject {
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

function checkSize(rawBody: Buffer | undefined): Stop | undefined {
	if (!rawBody || rawBody.length <= MAX_BODY_BYTES) return undefined;
	return reject(413, `Request body is ${rawBody.length} bytes; at most ${MAX_BODY_BYTES} bytes (2 MiB) are accepted`);
}

function checkNesting(rawBody: Buffer | undefined, parsedBody: unknown): Stop | undefined {
	const tooDeep = rawBody ? jsonNestingExceeds(rawBody, MAX_JSON_DEPTH) : valueNestingExceeds(parsedBody, MAX_JSON_DEPTH);
	return tooDeep ? reject(400, `Request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`) : undefined;
}

/**
 * Replay protection: a correctly signed body captured once must not start the workflow again
 * once its dedupe entry has expired. The window is two-sided (a far-future stamp would stay
 * fresh forever) and 0 turns it off.
 */
function checkReplayWindow(service: ServiceDescriptor, event: RecognisedEvent, options: TriggerOptions): Stop | undefined {
	const window = service.delivery.replayWindow;
	if (!window) return undefined;
	const configured = options.maxTimestampAgeSeconds;
	const maxAge = typeof configured === 'number' && Number.isFinite(configured) && configured >= 0 ? configured : window.defaultMaxAgeSeconds;
	if (maxAge === 0) return undefined;
	const verdict = checkTimestamp(event.timestamp, maxAge, Date.now());
	if (verdict.ok) return undefined;
	const why = { missing: 'has no timestamp', unparseable: 'has a timestamp that cannot be read', too_old: 'is older than', too_new: 'is further in the future than' }[verdict.reason];
	const limit = verdict.reason === 'too_old' || verdict.reason === 'too_new' ? ` Maximum Event Age (${maxAge} s)` : '';
	return reject(401, `The delivery ${why}${limit}: refused as a possible replay (${window.source})`);
}

function checkAllowlist(allowlist: string | undefined, clientIp: string | undefined): Stop | undefined {
	if (!allowlist?.trim()) return undefined;
	const { ranges, errors } = parseAllowlist(allowlist);
	// A typo must not silently open the trigger to everyone.
	if (errors.length > 0) return reject(403, `IP Allowlist option is invalid: ${errors.join('; ')}`, true);
	if (!isIpAllowed(clientIp, ranges)) return reject(403, 'Sender address is not in the IP allowlist');
	return undefined;
}

function rawBodyOf(request: ReturnType<IWebhookFunctions['getRequestObject']>): Buffer | undefined {
	const raw = (request as unknown as { rawBody?: unknown }).rawBody;
	if (Buffer.isBuffer(raw)) return raw;
	if (typeof raw === 'string') return Buffer.from(raw);
	return undefined;
}

async function checkAuthenticity(
	this: IWebhookFunctions,
	service: ServiceDescriptor,
	rawBody: Buffer | undefined,
	headers: Headers,
	options: TriggerOptions,
): Promise<Stop | undefined> {
	const { checks, credential } = service.delivery;
	if (checks.length === 0) return undefined;
	let credentialData: ICredentialDataDecryptedObject = {};
	if (credential) {
		const loaded = await loadCredential.call(this, credential.type);
		if (!loaded) return reject(401, `Select a ${service.displayName} credential in the trigger so deliveries can be verified`, true);
		credentialData = loaded;
	}
	const secrets = credential
		? [credential.secretField, credential.previousSecretField]
				.map((field) => (field ? credentialData[field] : undefined))
				.filter((value): value is string => typeof value === 'string' && value.length > 0)
		: [];

	let verifiedSomething = false;
	for (const check of checks) {
		const result = verifyCheck(check, { service, rawBody, headers, options, secrets, credentialData });
		if (result === 'verified') verifiedSomething = true;
		else if (result !== 'not_configured') return result;
	}
	if (!verifiedSomething) {
		return reject(
			401,
			`No way to verify ${service.displayName} deliveries is configured: set a secret or an authentication method in the credential`,
			true,
		);
	}
	return undefined;
}

interface CheckInput {
	service: ServiceDescriptor;
	rawBody: Buffer | undefined;
	headers: Headers;
	options: TriggerOptions;
	secrets: string[];
	credentialData: ICredentialDataDecryptedObject;
}

/** `verified`, `not_configured` (an optional check the user did not set up), or why it failed. */
function verifyCheck(check: AuthenticityCheck, input: CheckInput): 'verified' | 'not_configured' | Stop {
	const { service, rawBody, headers, secrets } = input;
	const noSecret = reject(401, `The ${service.displayName} credential has no webhook secret`, true);
	switch (check.kind) {
		case 'signature': {
			if (secrets.length === 0) return check.required === 'always' ? noSecret : 'not_configured';
			const provided = headerValue(headers, check.header);
			if (!provided) return reject(401, `Missing ${check.header} signature header`);
			// Without the exact bytes the signature cannot be checked against what the workflow would get.
			if (!rawBody) return reject(401, 'The request body could not be read as received, so its signature cannot be checked');
			const body = rawBody;
			if (verifySignature(check.scheme, provided, body, secrets)) return 'verified';
			if (check.compactJsonFallback) {
				const compact = compactJson(body);
				if (compact && verifySignature(check.scheme, provided, compact, secrets)) return 'verified';
			}
			return reject(401, `Invalid ${check.header} signature`);
		}
		case 'sharedSecretHeader': {
			if (secrets.length === 0) return noSecret;
			if (!matchesSharedSecret(headerValue(headers, check.header), secrets)) {
				return reject(401, `Missing or invalid ${check.header} header`);
			}
			return 'verified';
		}
		case 'incomingAuth': {
			const auth = incomingAuthFromCredential(input.credentialData, check.fields);
			if (auth.type === 'none') return 'not_configured';
			const verdict = checkIncomingAuth(auth, headers);
			return verdict.ok ? 'verified' : reject(401, verdict.reason);
		}
	}
}

/**
 * `JSON.stringify(JSON.parse(body))`: what a service signs when its code re-serialises. Only
 * offered when that re-serialisation holds exactly the values the workflow will receive: the
 * body must be valid UTF-8 (invalid bytes would decode to U+FFFD and match a signed U+FFFD)
 * and parse back to the same value (`1e400` is Infinity but serialises as `null`, `-0` as
 * `0`). Otherwise a body with other values than the signed one could verify.
 */
export function compactJson(body: Buffer): Buffer | undefined {
	const text = body.toString('utf8');
	// Valid UTF-8 decodes and re-encodes to the same bytes; invalid bytes come back as U+FFFD.
	if (!Buffer.from(text, 'utf8').equals(body)) return undefined;
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return undefined;
	}
	const compact = JSON.stringify(value);
	if (compact === undefined || !sameJsonValue(value, JSON.parse(compact))) return undefined;
	return Buffer.from(compact);
}

async function loadCredential(this: IWebhookFunctions, type: string): Promise<ICredentialDataDecryptedObject | undefined> {
	try {
		return await this.getCredentials<ICredentialDataDecryptedObject>(type);
	} catch {
		// No credential selected (or it cannot be decrypted): the caller fails closed.
		return undefined;
	}
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
	const callsPerMinute = typeof perMinute === 'number' && Number.isFinite(perMinute) && perMinute > 0 ? perMinute : DEFAULT_CONFIRMATIONS_PER_MINUTE;
	const confirmation = await service.delivery.confirm.call(this, event, { callsPerMinute });
	if (confirmation.outcome === 'rejected') return { stop: reject(401, confirmation.message) };
	if (confirmation.outcome === 'misconfigured') return { stop: reject(401, confirmation.message, true) };
	// 503 makes the service retry later instead of dropping the event.
	if (confirmation.outcome === 'unavailable') return { stop: reject(503, confirmation.message) };
	return { event: confirmation.event, payload: confirmation.payload };
}

/** Where retries are filtered: per trigger node, in this n8n process. */
function dedupeScope(ctx: IWebhookFunctions): string {
	const node = ctx.getNode();
	return `${ctx.getWorkflow().id ?? ''}/${node.id ?? node.name}`;
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
	const scope = dedupeScope(this);
	const key = `${service.id}:${event.dedupeKey}`;
	const admission = admitDelivery(scope, key, confirmOn, Date.now());
	if (confirmOn === 'success' && (admission === 'new' || admission === 'retry')) {
		settleWhenAnswered(this.getResponseObject(), (succeeded) => settleDelivery(scope, key, succeeded, Date.now()));
	}
	return admission;
}

/**
 * n8n answers a "When the workflow has finished" delivery once the execution is over: 2xx if
 * it succeeded, 500 if it failed. A connection that closes unanswered (a sender that gave
 * up, a crashed worker) counts as failed, so the service's retry runs.
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
		// 503 (not 409): every service retries server errors, and ReportFlow drops on any 4xx.
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
function deliveryKeyOf(service: ServiceDescriptor, event: RecognisedEvent, rawBody: Buffer | undefined): string {
	const identity = event.dedupeKey ?? `body:${rawBody?.toString('base64') ?? ''}`;
	return `${service.id}:${hashKey(`${service.id}:${identity}`)}`;
}

/**
 * One item per recognised item, each with the event under `payload` and its `deliveryKey`. An
 * event that fans out (ReportFlow's one item per file) puts only `payloadPerItem`, the event
 * without the list it was split on, into each item: n8n stores every item on its own, so the
 * whole body in each of N items would store N copies of it. Fanned-out items' keys are numbered.
 */
function toItems(event: RecognisedEvent, payload: IDataObject, delivery: DeliveryFields): INodeExecutionData[] {
	if (event.items.length <= 1) return event.items.map((json) => ({ json: { ...json, ...delivery, payload } }));
	const shared = event.payloadPerItem;
	return event.items.map((json, index) => {
		const fields = { ...json, ...delivery, deliveryKey: `${delivery.deliveryKey}/${index + 1}` };
		return { json: shared === undefined ? fields : { ...fields, payload: shared } };
	});
}
