/**
 * Runs an action node's execute() the way n8n's own node tests do, against a mocked
 * IExecuteFunctions: parameters as the editor saved them (unset ones take the description's
 * default, `={{ $json.x }}` read from the item), the credential applied to authenticated
 * requests as n8n applies it, scripted HTTP answers (test/unit/fetch/fakeExecute.ts), and
 * n8n's deduplication helpers backed by memory, so "Skip Already Processed" runs for real.
 *
 * Test files mock n8n-workflow's `sleep` onto `fakeSleep` (see mockSleep below), so retries
 * and polling advance a fake clock instead of waiting.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodeProperties,
	INodeType,
} from 'n8n-workflow';

import { DocfloApi } from '../../../credentials/DocfloApi.credentials';
import { DocGenLabApi } from '../../../credentials/DocGenLabApi.credentials';
import { PdfGorillaApi } from '../../../credentials/PdfGorillaApi.credentials';
import { PdfSignApi } from '../../../credentials/PdfSignApi.credentials';
import { ReportFlowApi } from '../../../credentials/ReportFlowApi.credentials';
import { createExecuteContext, type ByteMeter, type ExecuteInit, type RecordedRequest, type Scripted } from '../fetch/fakeExecute';

const CREDENTIAL_TYPES: Record<string, ICredentialType> = Object.fromEntries(
	[new ReportFlowApi(), new DocGenLabApi(), new DocfloApi(), new PdfGorillaApi(), new PdfSignApi()].map((type) => [type.name, type]),
);

/** The fake clock: moves only when the code under test sleeps. */
const clock = { now: 1_750_000_000_000, sleeps: [] as number[] };

/** The fake clock's time: what Date.now() says inside runAction. */
export function fakeNow(): number {
	return clock.now;
}

export async function fakeSleep(ms: number): Promise<void> {
	clock.sleeps.push(ms);
	clock.now += ms;
}

/** For jest.mock('n8n-workflow', mockSleep) in a test file. */
export function mockSleep(): object {
	return { ...jest.requireActual<object>('n8n-workflow'), sleep: async (ms: number) => await fakeSleep(ms) };
}

/** n8n's processed_data table, per workflow and scope. */
export class ProcessedStore {
	private readonly rows = new Map<string, Set<string>>();

	private row(scope: string, workflowId: string, nodeId: string): Set<string> {
		const key = scope === 'node' ? `${workflowId}/node/${nodeId}` : `${workflowId}/workflow`;
		let row = this.rows.get(key);
		if (!row) this.rows.set(key, (row = new Set()));
		return row;
	}

	helpers(workflowId: string, nodeId: string) {
		return {
			checkProcessedAndRecord: jest.fn(async (items: string[], scope: string) => {
				const row = this.row(scope, workflowId, nodeId);
				const fresh = items.filter((item) => !row.has(item));
				for (const item of fresh) row.add(item);
				return { new: fresh, processed: items.filter((item) => !fresh.includes(item)) };
			}),
			removeProcessed: jest.fn(async (items: string[], scope: string) => {
				const row = this.row(scope, workflowId, nodeId);
				for (const item of items) row.delete(item);
			}),
			clearAllProcessedItems: jest.fn(async (scope: string) => this.row(scope, workflowId, nodeId).clear()),
		};
	}

	has(workflowId: string, key: string): boolean {
		return this.rows.get(`${workflowId}/workflow`)?.has(key) ?? false;
	}
}

export interface RunInit {
	node: INodeType;
	/** Values as saved; a function gives a value per item. */
	parameters: Record<string, unknown>;
	/** The input items' json (one empty item when left out). */
	items?: IDataObject[];
	/** The credential n8n decrypts for whichever type the node asks for. */
	credentials?: ICredentialDataDecryptedObject;
	responses?: Scripted[];
	mode?: string;
	continueOnFail?: boolean;
	/** The node's typeVersion (default 1, what the existing tests were written for). */
	typeVersion?: number;
	/** The same workflow and store across runs: later executions of one workflow. */
	workflowId?: string;
	executionId?: string;
	processed?: ProcessedStore;
	/** How the fake prepareBinaryData stores files (see ExecuteInit.store). */
	store?: ExecuteInit['store'];
}

export interface RunResult {
	output: INodeExecutionData[];
	requests: RecordedRequest[];
	credentialTypesRead: string[];
	hints: string[];
	logs: string[];
	sleeps: number[];
	remaining: number;
	/** Bytes of generated bodies: made, stored, and the most held in between. */
	meter: ByteMeter;
}

let runs = 0;

/** `={{ $json.field }}`: the only kind of expression the nodes' defaults use. */
function evaluateDefault(value: unknown, item: IDataObject): unknown {
	const match = typeof value === 'string' ? /^=\{\{ \$json\.(\w+) \}\}$/.exec(value) : null;
	return match ? (item[match[1]] ?? '') : value;
}

/** n8n's `@version` display rule: version numbers, or `{ _cnd: { gte | lt … } }` conditions. */
function versionShown(rule: unknown[] | undefined, version: number): boolean {
	if (!rule) return true;
	return rule.some((entry) => {
		if (typeof entry === 'number') return entry === version;
		const [[operator, bound]] = Object.entries((entry as { _cnd: Record<string, number> })._cnd);
		const checks: Record<string, boolean> = { eq: version === bound, gte: version >= bound, lte: version <= bound, gt: version > bound, lt: version < bound };
		if (!(operator in checks)) throw new Error(`unhandled @version condition ${operator}`);
		return checks[operator];
	});
}

/** The description's default for an unset parameter shown for this node version, resource and operation. */
function defaultOf(properties: INodeProperties[], parameters: Record<string, unknown>, name: string, version: number): INodeProperties | undefined {
	return properties.find((property) => {
		if (property.name !== name) return false;
		const show = property.displayOptions?.show ?? {};
		if (!versionShown(show['@version'] as unknown[] | undefined, version)) return false;
		return ['resource', 'operation'].every((key) => !show[key] || parameters[key] === undefined || (show[key] as unknown[]).includes(parameters[key]));
	});
}

/** What n8n does with a credential type's `authenticate` before sending a request. */
async function authenticate(type: string, credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const auth = CREDENTIAL_TYPES[type]?.authenticate;
	if (!auth) throw new Error(`No credential type ${type}`);
	if (typeof auth === 'function') return await auth(credentials, options);
	const headers: IDataObject = { ...(options.headers ?? {}) };
	for (const [name, template] of Object.entries(auth.properties.headers ?? {})) {
		headers[name] = String(template).replace(/^=\{\{\s*\$credentials\.(\w+)\s*\}\}$/, (_all, field: string) => String(credentials[field] ?? ''));
	}
	return { ...options, headers };
}

function contextFor(init: RunInit) {
	runs += 1;
	const fake = createExecuteContext({ responses: init.responses, store: init.store });
	const ctx = fake.ctx;
	const items = (init.items ?? [{}]).map((json) => ({ json }));
	const properties = init.node.description.properties;
	const workflowId = init.workflowId ?? `workflow-${runs}`;
	const credentialTypesRead: string[] = [];
	const hints: string[] = [];
	const credentials = init.credentials ?? {};

	ctx.getInputData.mockReturnValue(items);
	const node = { ...ctx.getNode(), typeVersion: init.typeVersion ?? 1 };
	Object.assign(ctx, { getNode: () => node });
	ctx.getNodeParameter.mockImplementation(((name: string, itemIndex: number, fallback?: unknown) => {
		if (name in init.parameters) {
			const value = init.parameters[name];
			return typeof value === 'function' ? (value as (i: number) => unknown)(itemIndex) : value;
		}
		const property = defaultOf(properties, init.parameters, name, init.typeVersion ?? 1);
		return property ? evaluateDefault(property.default, items[itemIndex]?.json ?? {}) : fallback;
	}) as IExecuteFunctions['getNodeParameter']);
	ctx.getCredentials.mockImplementation((async (type: string) => {
		credentialTypesRead.push(type);
		return credentials;
	}) as IExecuteFunctions['getCredentials']);
	ctx.continueOnFail.mockReturnValue(init.continueOnFail ?? false);
	ctx.getMode.mockReturnValue((init.mode ?? 'trigger') as ReturnType<IExecuteFunctions['getMode']>);
	ctx.getExecutionId.mockReturnValue(init.executionId ?? `execution-${runs}`);
	ctx.getWorkflow.mockReturnValue({ id: workflowId, name: 'Test', active: true });
	ctx.evaluateExpression.mockReturnValue(0);
	ctx.addExecutionHints.mockImplementation((...added) => hints.push(...added.map((hint) => hint.message)));

	const sendAuthenticated = fake.httpRequestWithAuthentication.getMockImplementation()!;
	const helpers = ctx.helpers as unknown as Record<string, unknown>;
	helpers.httpRequestWithAuthentication = jest.fn(async function (this: unknown, type: string, options: IHttpRequestOptions) {
		return await sendAuthenticated.call(this, type, await authenticate(type, credentials, options));
	});
	Object.assign(helpers, (init.processed ?? new ProcessedStore()).helpers(workflowId, ctx.getNode().id));
	return { fake, ctx, credentialTypesRead, hints };
}

export async function runAction(init: RunInit): Promise<RunResult> {
	const { fake, ctx, credentialTypesRead, hints } = contextFor(init);
	const sleepsBefore = clock.sleeps.length;
	const nowSpy = jest.spyOn(Date, 'now').mockImplementation(() => clock.now);
	try {
		const [output] = (await init.node.execute!.call(ctx)) as INodeExecutionData[][];
		return {
			output,
			requests: fake.requests,
			credentialTypesRead,
			hints,
			logs: fake.logs,
			sleeps: clock.sleeps.slice(sleepsBefore),
			remaining: fake.remaining(),
			meter: fake.meter,
		};
	} finally {
		nowSpy.mockRestore();
	}
}

/** Runs the node expecting it to fail; the error and what was sent before. */
export async function runActionError(init: RunInit): Promise<{ error: Error & Record<string, unknown>; requests: RecordedRequest[] }> {
	const { fake, ctx } = contextFor(init);
	const nowSpy = jest.spyOn(Date, 'now').mockImplementation(() => clock.now);
	try {
		await init.node.execute!.call(ctx);
	} catch (error) {
		return { error: error as Error & Record<string, unknown>, requests: fake.requests };
	} finally {
		nowSpy.mockRestore();
	}
	throw new Error('Expected the node to fail, but it succeeded');
}

/**
 * Runs one of the node's `methods.listSearch` as the editor's "From List" does: the same
 * mocked context (credential, scripted answers), seen as ILoadOptionsFunctions.
 */
export async function runListSearch(
	init: Pick<RunInit, 'node' | 'credentials' | 'responses'> & { method: string; filter?: string },
): Promise<{ result?: INodeListSearchResult; error?: Error & Record<string, unknown>; requests: RecordedRequest[]; credentialTypesRead: string[] }> {
	const { fake, ctx, credentialTypesRead } = contextFor({ ...init, parameters: {} });
	const search = init.node.methods?.listSearch?.[init.method];
	if (!search) throw new Error(`The node has no listSearch method ${init.method}`);
	try {
		const result = await search.call(ctx as unknown as ILoadOptionsFunctions, init.filter);
		return { result, requests: fake.requests, credentialTypesRead };
	} catch (error) {
		return { error: error as Error & Record<string, unknown>, requests: fake.requests, credentialTypesRead };
	}
}

export const json = (body: unknown, status = 200): Scripted => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** A request as the tests compare it: method, URL with its query, body, and the headers that matter. */
export function shape(request: RecordedRequest, headerNames: string[] = []): IDataObject {
	const url = new URL(request.options.url);
	for (const [name, value] of Object.entries(request.options.qs ?? {})) url.searchParams.append(name, String(value));
	const headers = request.options.headers ?? {};
	const picked: IDataObject = {};
	for (const name of headerNames) {
		const found = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
		if (found) picked[name] = headers[found] as string;
	}
	return { via: request.via, method: request.options.method ?? 'GET', url: url.toString(), body: request.options.body, ...(headerNames.length ? { headers: picked } : {}) };
}
