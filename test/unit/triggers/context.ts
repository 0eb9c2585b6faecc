/**
 * A mocked IWebhookFunctions for calling a trigger node's `webhook()` in-process, in the
 * pattern of n8n's own nodes-base trigger tests (packages/nodes-base/test/nodes/TriggerHelpers.ts):
 * `jest-mock-extended`'s `mock<IWebhookFunctions>()` with the handful of methods the pipeline
 * uses filled in, plus a response object that records `res.status(…).json(…)` and
 * `res.setHeader(…)` and is an EventEmitter, so a test can play n8n answering the delivery
 * later ('finish' with a status code, or a 'close' without one).
 *
 * The trigger's retry filter lives in process memory (core/ledger.ts), keyed by workflow id
 * and node id: every context gets a workflow id of its own unless the test passes one, so
 * tests only see each other's deliveries when they share `workflowId` on purpose.
 */
import { EventEmitter } from 'node:events';

import { mock } from 'jest-mock-extended';
import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

export type Headers = Record<string, string | string[] | undefined>;

export interface RequestInit {
	/** Any casing; lower-cased like Node does. */
	headers?: Headers;
	/** What n8n puts on req.rawBody: the exact bytes received. */
	rawBody?: Buffer;
	/** n8n's parsed req.body; by default the JSON-parsed rawBody when it parses, else {}. */
	body?: unknown;
	ip?: string;
}

export interface ContextInit {
	/** The node's parameters; description defaults are filled in for the rest, as n8n's Workflow does. */
	parameters?: IDataObject;
	/** Credential data by credential type name; a type not listed is "not selected" (getCredentials throws). */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/**
	 * The credential ids the node references by type (node.credentials), as in a saved workflow.
	 * With an id the trigger remembers the credential's secrets for a few seconds (credentialMemory.ts).
	 */
	credentialIds?: Record<string, string>;
	/** Counts getCredentials calls, across contexts that share it. */
	credentialReads?: { count: number };
	request?: RequestInit;
	/** 'webhook' = production URL of an active workflow; 'manual' = the editor listening for a test event. */
	mode?: 'webhook' | 'manual';
	/**
	 * The workflow the trigger belongs to; deliveries to the same workflow id (and node id) see
	 * each other as retries. Default: a new id per context (see newWorkflowId).
	 */
	workflowId?: string;
	/** The trigger node's id; null: a node without one (n8n 0.x workflows), scoped by its name. */
	nodeId?: string | null;
	/** The node's workflow static data; the triggers must leave it untouched. */
	staticData?: IDataObject;
	/** Which of the node's webhooks was called: the POST `default` (a delivery) or the GET `setup` (the sample event). */
	webhookName?: 'default' | 'setup';
	/** What getNodeWebhookUrl answers (the Test URL in manual mode). */
	webhookUrl?: string;
	/** helpers.httpRequestWithAuthentication; by default any call fails the test. */
	httpRequestWithAuthentication?: jest.Mock;
}

/**
 * `this.helpers` as a trigger may use it inside the webhook call: httpRequestWithAuthentication
 * only (DocGenLab's Confirm With API). Reading any other helper (httpRequest, prepareBinaryData,
 * …) throws and is recorded, and runWebhook fails the test for it even if the trigger caught the
 * throw: a trigger never downloads or fetches anything while the service waits for its answer.
 */
function strictHelpers(httpRequestWithAuthentication: jest.Mock, touched: string[]): IWebhookFunctions['helpers'] {
	const allowed: Record<string, unknown> = { httpRequestWithAuthentication };
	return new Proxy(allowed, {
		get(target, name) {
			if (typeof name === 'symbol') return undefined;
			if (name in target) return target[name];
			touched.push(name);
			throw new Error(`webhook() reached for this.helpers.${name}: a trigger must answer without downloading or calling anything but its confirmation`);
		},
	}) as unknown as IWebhookFunctions['helpers'];
}

export interface CapturedResponse {
	/** Every res.status(code) call. */
	statusCalls: number[];
	/** Every res.json(body) call. */
	jsonCalls: unknown[];
	/** Any other way of answering (send/end/sendStatus). */
	otherCalls: string[];
	/** Every res.setHeader(name, value) call, in order. */
	headers: Array<[string, unknown]>;
}

export interface WebhookRun {
	result: IWebhookResponseData;
	response: CapturedResponse;
	/** Messages given to logger.warn/error/info/debug. */
	logs: string[];
	httpRequestWithAuthentication: jest.Mock;
	staticData: IDataObject;
	context: IWebhookFunctions;
	/** How many times getWorkflowStaticData was called (the triggers no longer need it). */
	staticDataReads: () => number;
	/** n8n answers the delivery with `status` once the execution is over: 'finish', then 'close'. */
	answer: (status: number) => void;
	/** The connection closes without an answer (the sender gave up, the process died): 'close' only. */
	disconnect: () => void;
}

let workflows = 0;

/** A workflow id no other test uses, so the process-wide delivery memory starts empty for it. */
export function newWorkflowId(label = 'wf'): string {
	return `${label}-${++workflows}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Top-level parameter defaults, as n8n fills them into node.parameters when it loads a workflow. */
export function defaultParameters(nodeType: INodeType): IDataObject {
	const defaults: IDataObject = {};
	for (const property of nodeType.description.properties) {
		if (property.type === 'notice') continue;
		defaults[property.name] = structuredClone(property.default) as IDataObject[string];
	}
	return defaults;
}

function lowerCaseHeaders(headers: Headers): Headers {
	const lowered: Headers = {};
	for (const [name, value] of Object.entries(headers)) lowered[name.toLowerCase()] = value;
	return lowered;
}

function parsedBodyOf(rawBody: Buffer | undefined): unknown {
	if (!rawBody) return {};
	try {
		return JSON.parse(rawBody.toString('utf8'));
	} catch {
		return {};
	}
}

function getPath(source: IDataObject, path: string): unknown {
	let value: unknown = source;
	for (const key of path.split('.')) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as IDataObject)[key];
	}
	return value;
}

export function createWebhookContext(nodeType: INodeType, init: ContextInit = {}) {
	const description = nodeType.description;
	const parameters: IDataObject = { ...defaultParameters(nodeType), ...(init.parameters ?? {}) };
	const node = {
		...(init.nodeId === null ? {} : { id: init.nodeId ?? 'b7c1f6e2-0000-4000-8000-000000000001' }),
		name: description.defaults.name ?? description.displayName,
		type: `n8n-nodes-pdf-webhooks.${description.name}`,
		typeVersion: typeof description.version === 'number' ? description.version : Math.max(...description.version),
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		...(init.credentialIds
			? { credentials: Object.fromEntries(Object.entries(init.credentialIds).map(([type, id]) => [type, { id, name: `${type} ${id}` }])) }
			: {}),
	} as INode;

	const rawBody = init.request?.rawBody;
	const request = {
		method: init.webhookName === 'setup' ? 'GET' : 'POST',
		headers: lowerCaseHeaders(init.request?.headers ?? {}),
		body: init.request && 'body' in init.request ? init.request.body : parsedBodyOf(rawBody),
		ip: init.request?.ip ?? '203.0.113.10',
		...(rawBody !== undefined ? { rawBody } : {}),
	};

	const captured: CapturedResponse = { statusCalls: [], jsonCalls: [], otherCalls: [], headers: [] };
	interface RecordingResponse extends EventEmitter {
		statusCode: number;
		setHeader: jest.Mock<RecordingResponse, [string, unknown]>;
		status: jest.Mock<RecordingResponse, [number]>;
		json: jest.Mock<RecordingResponse, [unknown]>;
		send: jest.Mock<RecordingResponse, []>;
		end: jest.Mock<RecordingResponse, []>;
		sendStatus: jest.Mock<RecordingResponse, []>;
	}
	const response = Object.assign(new EventEmitter(), {
		// What a Node ServerResponse reports until someone sets another code.
		statusCode: 200,
		setHeader: jest.fn((name: string, value: unknown) => {
			captured.headers.push([name, value]);
			return response;
		}),
		status: jest.fn((code: number) => {
			captured.statusCalls.push(code);
			response.statusCode = code;
			return response;
		}),
		json: jest.fn((body: unknown) => {
			captured.jsonCalls.push(body);
			return response;
		}),
		send: jest.fn(() => {
			captured.otherCalls.push('send');
			return response;
		}),
		end: jest.fn(() => {
			captured.otherCalls.push('end');
			return response;
		}),
		sendStatus: jest.fn(() => {
			captured.otherCalls.push('sendStatus');
			return response;
		}),
	}) as RecordingResponse;
	const answer = (status: number) => {
		response.statusCode = status;
		response.emit('finish');
		response.emit('close');
	};
	const disconnect = () => {
		response.emit('close');
	};

	const logs: string[] = [];
	const log = (message: string) => {
		logs.push(message);
	};
	const logger = { warn: jest.fn(log), error: jest.fn(log), info: jest.fn(log), debug: jest.fn(log), verbose: jest.fn(log) };

	const httpRequestWithAuthentication =
		init.httpRequestWithAuthentication ??
		jest.fn(async () => {
			throw new Error('Unexpected API call in this test');
		});
	const staticData = init.staticData ?? {};
	let staticDataReads = 0;
	const workflowId = init.workflowId ?? newWorkflowId();
	const credentials = init.credentials ?? {};

	const getNodeParameter = (name: string, fallback?: unknown): unknown => {
		const value = getPath(parameters, name);
		if (value !== undefined) return value;
		if (fallback !== undefined) return fallback;
		throw new Error(`Could not get parameter "${name}"`);
	};

	const helpersTouched: string[] = [];
	const context = mock<IWebhookFunctions>({
		logger: logger as unknown as IWebhookFunctions['logger'],
		getNode: () => node,
		getWorkflow: () => ({ id: workflowId, name: `Workflow ${workflowId}`, active: true }),
		getMode: () => init.mode ?? 'webhook',
		getWebhookName: () => init.webhookName ?? 'default',
		getNodeWebhookUrl: () => init.webhookUrl ?? 'https://n8n.example.com/webhook-test/0c1f5b7a/webhook',
		getRequestObject: () => request as unknown as ReturnType<IWebhookFunctions['getRequestObject']>,
		getResponseObject: () => response as unknown as ReturnType<IWebhookFunctions['getResponseObject']>,
		getHeaderData: () => request.headers as ReturnType<IWebhookFunctions['getHeaderData']>,
		getBodyData: () => request.body as IDataObject,
		getQueryData: () => ({}),
		getParamsData: () => ({}),
		getWorkflowStaticData: () => {
			staticDataReads++;
			return staticData;
		},
		getNodeParameter: getNodeParameter as IWebhookFunctions['getNodeParameter'],
		getCredentials: (async (type: string) => {
			if (init.credentialReads) init.credentialReads.count++;
			// n8n decrypts a new object on every call.
			if (Object.prototype.hasOwnProperty.call(credentials, type)) return { ...credentials[type] };
			throw new NodeOperationError(node, `Node "${node.name}" does not have any credentials of type "${type}" set`);
		}) as IWebhookFunctions['getCredentials'],
	});

	// Assigned afterwards: mock() would wrap it in a proxy that invents every missing member.
	context.helpers = strictHelpers(httpRequestWithAuthentication, helpersTouched);

	return {
		context,
		helpersTouched,
		captured,
		logs,
		httpRequestWithAuthentication,
		staticData,
		workflowId,
		response,
		staticDataReads: () => staticDataReads,
		answer,
		disconnect,
	};
}

/** Calls the trigger's webhook() with a fresh mocked context. Throws what webhook() throws. */
export async function runWebhook(nodeType: INodeType, init: ContextInit = {}): Promise<WebhookRun> {
	const { context, helpersTouched, captured, logs, httpRequestWithAuthentication, staticData, staticDataReads, answer, disconnect } = createWebhookContext(
		nodeType,
		init,
	);
	if (!nodeType.webhook) throw new Error(`${nodeType.description.name} has no webhook()`);
	const result = await nodeType.webhook.call(context);
	if (helpersTouched.length > 0) throw new Error(`webhook() reached for this.helpers.${helpersTouched.join(', this.helpers.')}`);
	return { result, response: captured, logs, httpRequestWithAuthentication, staticData, context, staticDataReads, answer, disconnect };
}

// ---------------------------------------------------------------------------------------------
// Expectations shared by the trigger tests
// ---------------------------------------------------------------------------------------------

/** `<serviceId>:<24 base64url characters of a hash>`, and `/<n>` for the n-th item fanned out from one event. */
export const DELIVERY_KEY = /^([a-zA-Z]+):([A-Za-z0-9_-]{24})(?:\/([1-9][0-9]*))?$/;

/** The service id the trigger's node type stands for: `reportFlowTrigger` → `reportFlow`. */
function serviceIdOf(run: WebhookRun): string {
	return run.context.getNode().type.replace(/^.*\./, '').replace(/Trigger$/, '');
}

/**
 * Every started item carries a well-formed deliveryKey of this trigger's service: one item
 * has the event's key, n items share it with the suffixes /1 … /n. Returns the event's key.
 */
export function expectDeliveryKeys(run: WebhookRun): string {
	const items = run.result.workflowData?.[0] ?? [];
	expect(items.length).toBeGreaterThan(0);
	const keys = items.map((item) => item.json.deliveryKey);
	for (const key of keys) expect(key).toEqual(expect.stringMatching(DELIVERY_KEY));
	const parts = (keys as string[]).map((key) => DELIVERY_KEY.exec(key)!);
	for (const [, service] of parts) expect(service).toBe(serviceIdOf(run));
	const base = `${parts[0][1]}:${parts[0][2]}`;
	if (items.length === 1) expect(keys).toEqual([base]);
	else expect(keys).toEqual(items.map((_, index) => `${base}/${index + 1}`));
	return base;
}

/** The items' json without the fields the pipeline adds for deduplication. */
function withoutDeliveryFields(items: INodeExecutionData[]): INodeExecutionData[] {
	return items.map(({ json, ...rest }) => {
		const { deliveryKey: _key, deliveryRetry: _retry, ...data } = json;
		return { ...rest, json: data };
	});
}

/**
 * The workflow started with exactly these items (each `json` given in full, apart from the
 * deliveryKey checked by expectDeliveryKeys) and answered {received:true}. Returns the event's deliveryKey.
 */
export function expectStarted(run: WebhookRun, items: IDataObject[]): string {
	expect(run.result.workflowData).toHaveLength(1);
	const key = expectDeliveryKeys(run);
	const expected: INodeExecutionData[] = items.map((json) => ({ json }));
	expect(withoutDeliveryFields(run.result.workflowData![0])).toEqual(expected);
	// Only "When the Workflow Has Finished" says whether this is a retry.
	for (const item of run.result.workflowData![0]) expect(item.json).not.toHaveProperty('deliveryRetry');
	expect(run.result.webhookResponse).toEqual({ received: true });
	expect(run.result.noWebhookResponse).toBeUndefined();
	expect(run.response.statusCalls).toEqual([]);
	expect(run.response.jsonCalls).toEqual([]);
	return key;
}

/**
 * With Respond "When the Workflow Has Finished": started, nothing answered yet (n8n answers
 * from the finished execution), every item saying whether an earlier delivery failed. Returns the deliveryKey.
 */
export function expectStartedToAnswerLater(run: WebhookRun, deliveryRetry: boolean): string {
	expect(Object.keys(run.result)).toEqual(['workflowData']);
	expect(run.result.workflowData).toHaveLength(1);
	const key = expectDeliveryKeys(run);
	for (const item of run.result.workflowData![0]) expect(item.json.deliveryRetry).toBe(deliveryRetry);
	expect(run.response.statusCalls).toEqual([]);
	expect(run.response.jsonCalls).toEqual([]);
	expect(run.response.otherCalls).toEqual([]);
	return key;
}

/** "Try again later": 503 {error} with a Retry-After header, the workflow not started. */
export function expectTryLater(run: WebhookRun, message?: string | RegExp): string {
	return expectRejected(run, 503, message);
}

/** What a sender is told for 401, 403 and 503: nothing about the setup (core/delivery/pipeline.ts). */
export const PUBLIC_REJECTIONS: Record<number, string> = {
	401: 'Unauthorized',
	403: 'Forbidden',
	503: 'Service unavailable, try again later',
};

/**
 * Refused with `status` and `{ error }`, the workflow not started, n8n told not to answer itself.
 * For 401, 403 and 503 the body is the generic one and `message` is looked for in n8n's log,
 * where the reason goes; for 400 and 413 the body says what is wrong. Returns the reason.
 */
export function expectRejected(run: WebhookRun, status: number, message?: string | RegExp): string {
	expect(run.result).toEqual({ noWebhookResponse: true });
	expect(run.result.workflowData).toBeUndefined();
	expect(run.response.statusCalls).toEqual([status]);
	// Only a deliberate "try again later" says when: in 30 s (docs/guarantees.md, Respond).
	expect(run.response.headers).toEqual(status === 503 ? [['Retry-After', '30']] : []);
	expect(run.response.jsonCalls).toHaveLength(1);
	const body = run.response.jsonCalls[0] as { error?: unknown };
	expect(Object.keys(body)).toEqual(['error']);
	expect(typeof body.error).toBe('string');
	const generic = PUBLIC_REJECTIONS[status];
	let reason = body.error as string;
	if (generic !== undefined) {
		expect(reason).toBe(generic);
		const logged = run.logs.find((line) => line.includes(`rejected a delivery (${status})`));
		expect(logged).toBeDefined();
		reason = logged!.replace(/^.*?rejected a delivery \(\d+\): /, '');
	}
	if (typeof message === 'string') expect(reason).toContain(message);
	else if (message) expect(reason).toMatch(message);
	return reason;
}

/** Genuine but deliberately not run: 200 with {received, started:false, reason}. */
export function expectAcknowledged(run: WebhookRun, reason: 'filtered' | 'unknown_event' | 'duplicate' | 'test_event'): void {
	expect(run.result).toEqual({ webhookResponse: { received: true, started: false, reason } });
	expect(run.response.statusCalls).toEqual([]);
	expect(run.response.jsonCalls).toEqual([]);
}

/** Neither the error JSON nor the log lines contain any of `forbidden` (secrets, expected signatures). */
export function expectNoLeak(run: WebhookRun, forbidden: string[]): void {
	const answered = JSON.stringify(run.response.jsonCalls);
	const logged = run.logs.join('\n');
	for (const value of forbidden.filter((text) => text.length > 0)) {
		expect(answered).not.toContain(value);
		expect(logged).not.toContain(value);
		// Hex digests also in upper case, and the bare digest without its prefix.
		expect(answered.toLowerCase()).not.toContain(value.toLowerCase());
	}
}

/**
 * Freezes Date.now at `iso` for the tests of this file (or describe block): the providers' own
 * example payloads carry fixed timestamps, which the replay window (Maximum Event Age) would
 * otherwise refuse as old.
 */
export function atTimeOfVectors(iso: string): void {
	let spy: jest.SpyInstance<number, []> | undefined;
	beforeAll(() => {
		spy = jest.spyOn(Date, 'now').mockReturnValue(Date.parse(iso));
	});
	afterAll(() => spy?.mockRestore());
}
