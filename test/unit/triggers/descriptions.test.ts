/**
 * The five trigger nodes' descriptions: what n8n reads before any delivery arrives.
 */
import { credentialMemory } from '../../../core/delivery/credentialMemory';
import { mock } from 'jest-mock-extended';
import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type INodeCredentialTestResult,
	type INodeProperties,
	type INodeType,
	type IHookFunctions,
} from 'n8n-workflow';

import { docflo } from '../../../nodes/Docflo/descriptor';
import { DocfloTrigger } from '../../../nodes/Docflo/DocfloTrigger.node';
import { docGenLab } from '../../../nodes/DocGenLab/descriptor';
import { DocGenLabTrigger } from '../../../nodes/DocGenLab/DocGenLabTrigger.node';
import { pdfGorilla } from '../../../nodes/PdfGorilla/descriptor';
import { PdfGorillaTrigger } from '../../../nodes/PdfGorilla/PdfGorillaTrigger.node';
import { pdfSign } from '../../../nodes/PdfSign/descriptor';
import { PdfSignTrigger } from '../../../nodes/PdfSign/PdfSignTrigger.node';
import { reportFlow } from '../../../nodes/ReportFlow/descriptor';
import { ReportFlowTrigger } from '../../../nodes/ReportFlow/ReportFlowTrigger.node';
import type { ServiceDescriptor } from '../../../core/service';
import { defaultParameters } from './context';
import { CURRENT_SECRET } from './vectors';
import { DOCFLO_WEBHOOK_API_FIELDS as DOCFLO_FIELDS } from '../../../credentials/DocfloWebhookApi.credentials';
import { PDF_GORILLA_API_FIELDS as PDF_GORILLA_FIELDS } from '../../../credentials/PdfGorillaApi.credentials';
import { PDF_SIGN_WEBHOOK_API_FIELDS as PDF_SIGN_FIELDS } from '../../../credentials/PdfSignWebhookApi.credentials';
import { triggerTypes } from '../../registry';

interface Case {
	name: string;
	node: INodeType;
	service: ServiceDescriptor;
	/** Options that only some services offer. */
	hasTestEvents: boolean;
	hasMaxAge: boolean;
	hasConfirm: boolean;
	/** A webhook credential the trigger can verify deliveries with (undefined: the service does not sign). */
	complete?: ICredentialDataDecryptedObject;
	/** Incomplete ones, each with the field the activation error must name. */
	incomplete: Array<{ data: ICredentialDataDecryptedObject; names: string }>;
}

const CASES: Case[] = [
	{ name: 'reportFlowTrigger', node: new ReportFlowTrigger(), service: reportFlow, hasTestEvents: false, hasMaxAge: true, hasConfirm: false, incomplete: [] },
	{ name: 'docGenLabTrigger', node: new DocGenLabTrigger(), service: docGenLab, hasTestEvents: true, hasMaxAge: false, hasConfirm: true, incomplete: [] },
	{
		name: 'docfloTrigger',
		node: new DocfloTrigger(),
		service: docflo,
		hasTestEvents: false,
		hasMaxAge: true,
		hasConfirm: false,
		complete: { [DOCFLO_FIELDS.signingSecret]: CURRENT_SECRET, [DOCFLO_FIELDS.incomingAuthentication]: 'none' },
		incomplete: [
			{ data: { [DOCFLO_FIELDS.signingSecret]: '', [DOCFLO_FIELDS.incomingAuthentication]: 'none' }, names: 'the Signing Secret is empty and no authentication method is chosen' },
			{ data: {}, names: 'the Signing Secret is empty and no authentication method is chosen' },
			{ data: { [DOCFLO_FIELDS.incomingAuthentication]: 'basicAuth', [DOCFLO_FIELDS.basicAuthUser]: 'u' }, names: 'Basic Authentication needs both a user name and a password' },
		],
	},
	{
		name: 'pdfGorillaTrigger',
		node: new PdfGorillaTrigger(),
		service: pdfGorilla,
		hasTestEvents: false,
		hasMaxAge: true,
		hasConfirm: false,
		complete: { apiKey: 'pg_key', [PDF_GORILLA_FIELDS.webhookSecret]: CURRENT_SECRET },
		incomplete: [
			{ data: { apiKey: 'pg_key', [PDF_GORILLA_FIELDS.webhookSecret]: '' }, names: 'the Webhook Secret is empty' },
			// A previous secret alone does not verify new jobs' deliveries.
			{ data: { apiKey: 'pg_key', [PDF_GORILLA_FIELDS.previousWebhookSecret]: CURRENT_SECRET }, names: 'the Webhook Secret is empty' },
		],
	},
	{
		name: 'pdfSignTrigger',
		node: new PdfSignTrigger(),
		service: pdfSign,
		hasTestEvents: true,
		hasMaxAge: true,
		hasConfirm: false,
		complete: { [PDF_SIGN_FIELDS.webhookSecret]: CURRENT_SECRET },
		incomplete: [{ data: { [PDF_SIGN_FIELDS.webhookSecret]: '' }, names: 'the Webhook Secret is empty' }],
	},
];

function property(node: INodeType, name: string): INodeProperties {
	const found = node.description.properties.find((p) => p.name === name);
	if (!found) throw new Error(`${node.description.name} has no ${name} property`);
	return found;
}

function optionNames(node: INodeType): string[] {
	const options = property(node, 'options').options ?? [];
	return options.map((o) => (o as INodeProperties).name);
}

/** Every string anywhere inside `value`, with its path. */
function strings(value: unknown, path = ''): Array<[string, string]> {
	if (typeof value === 'string') return [[path, value]];
	if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
	if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
	return [];
}

test('the cases cover every registered trigger', () => {
	expect(CASES.map((c) => c.name).sort()).toEqual(triggerTypes());
});

describe.each(CASES)('$name description', (c) => {
	const d = c.node.description;

	test('is a trigger: no inputs, one main output, group trigger', () => {
		expect(d.inputs).toEqual([]);
		expect(d.outputs).toEqual(['main']);
		expect(d.group).toEqual(['trigger']);
	});

	test('name ends in Trigger and follows the service id', () => {
		expect(d.name).toBe(c.name);
		expect(d.name.endsWith('Trigger')).toBe(true);
		expect(d.name).toBe(`${c.service.id}Trigger`);
		expect(d.displayName).toBe(`${c.service.displayName} Trigger`);
		expect(d.defaults.name).toBe(d.displayName);
	});

	test('version 2', () => {
		expect(d.version).toBe(2);
	});

	test('one POST webhook whose expressions n8n 2.x resolves without its engine, each resolver matching its template', () => {
		expect(d.webhooks!.filter((w) => w.httpMethod === 'POST')).toHaveLength(1);
		const webhook = d.webhooks![0];
		expect(webhook).toMatchObject({ name: 'default', httpMethod: 'POST', path: 'webhook' });
		const resolvers = (webhook as unknown as Record<symbol, Record<string, { template: string; resolve: (p: Record<string, unknown>) => unknown }>>)[
			Symbol.for('n8n.webhookDescriptionResolvers')
		];
		for (const [path, value] of strings(webhook)) {
			if (!value.startsWith('=')) continue;
			// Every expression field carries a resolver for exactly that template (what 2.x checks).
			expect({ path, template: resolvers?.[path]?.template }).toEqual({ path, template: value });
		}
		// Parity with the template, as n8n 1.x evaluates it: `$parameter["responseMode"] === "lastNode" ? … : …`.
		for (const responseMode of ['onReceived', 'lastNode', undefined]) {
			const lastNode = responseMode === 'lastNode';
			expect(resolvers.responseMode.resolve({ responseMode })).toBe(lastNode ? 'lastNode' : 'onReceived');
			expect(resolvers.responseData.resolve({ responseMode })).toBe(lastNode ? 'noData' : '');
		}
		expect(webhook.isFullPath).toBeFalsy();
	});

	test('a plain GET webhook on the same path beside it (the sample event), hidden from the URL list', () => {
		const get = d.webhooks!.filter((w) => w.httpMethod === 'GET');
		expect(get).toEqual([{ name: 'setup', httpMethod: 'GET', path: 'webhook', responseMode: 'onReceived', responseData: '', ndvHideUrl: true }]);
		expect(d.webhooks).toHaveLength(2);
	});

	/** n8n's hook context: `credentials` by type (a type left out is "not selected"), the node's `options`. */
	function hookContext(
		mode: 'webhook' | 'manual' | 'trigger',
		url: string,
		credentials: Record<string, ICredentialDataDecryptedObject> = completeCredentials(),
		options: IDataObject = {},
		workflowId = 'workflow-1',
	) {
		const warnings: string[] = [];
		const context = mock<IHookFunctions>({
			getMode: () => mode,
			getNode: () => ({ id: 'node-1', name: d.defaults.name }) as ReturnType<IHookFunctions['getNode']>,
			getWorkflow: () => ({ id: workflowId, active: true }),
			getNodeWebhookUrl: () => url,
			getNodeParameter: ((name: string, fallback?: unknown) => (name === 'options' ? options : fallback)) as IHookFunctions['getNodeParameter'],
			getCredentials: (async (type: string) => {
				if (!credentials[type]) throw new Error('Node does not have any credentials set');
				return credentials[type];
			}) as IHookFunctions['getCredentials'],
			logger: mock<IHookFunctions['logger']>({ warn: (message: string) => void warnings.push(message) }),
		});
		return { context, warnings };
	}

	function completeCredentials(): Record<string, ICredentialDataDecryptedObject> {
		const webhook = c.service.delivery.credential;
		return webhook && c.complete ? { [webhook.type]: c.complete } : {};
	}

	test('webhookMethods report success with a complete setup (the URL is pasted in by the user)', async () => {
		const hooks = c.node.webhookMethods?.default;
		expect(hooks).toBeDefined();
		const { context, warnings } = hookContext('trigger', 'https://n8n.example.com/webhook/abc/webhook');
		await expect(hooks!.checkExists.call(context)).resolves.toBe(true);
		await expect(hooks!.create.call(context)).resolves.toBe(true);
		await expect(hooks!.delete.call(context)).resolves.toBe(true);
		expect(warnings).toEqual([]);
	});

	test('activation (and Execute step) fails with a message naming the field when the credential would make it refuse every delivery', async () => {
		const webhook = c.service.delivery.credential;
		expect(c.incomplete.length > 0).toBe(webhook !== undefined);
		for (const mode of ['trigger', 'manual'] as const) {
			for (const { data, names } of c.incomplete) {
				const { context } = hookContext(mode, 'https://n8n.example.com/webhook/abc/webhook', { [webhook!.type]: data });
				const failure = c.node.webhookMethods!.default!.checkExists.call(context);
				await expect(failure).rejects.toThrow(NodeOperationError);
				await expect(failure).rejects.toThrow(`${c.service.displayName} Trigger cannot verify deliveries: in its ${webhook!.displayName} credential, ${names}`);
				// n8n stops retrying a start-up activation whose message mentions "Authorization".
				await expect(failure).rejects.not.toThrow(/Authorization/);
			}
			if (webhook) {
				const { context } = hookContext(mode, 'https://n8n.example.com/webhook/abc/webhook', {});
				await expect(c.node.webhookMethods!.default!.checkExists.call(context)).rejects.toThrow(`${c.service.displayName} Trigger needs a ${webhook.displayName} credential`);
			}
		}
	});

	test('Confirm With API without the API credential fails activation; with it, or with the option off, activation goes on', async () => {
		const hooks = c.node.webhookMethods!.default!;
		const url = 'https://n8n.example.com/webhook/abc/webhook';
		const apiType = c.service.api.credentialType;
		const confirm = { confirmWithApi: true };
		if (!c.hasConfirm) {
			// The option does not exist for this service: a stray value changes nothing.
			await expect(hooks.checkExists.call(hookContext('trigger', url, completeCredentials(), confirm).context)).resolves.toBe(true);
			return;
		}
		await expect(hooks.checkExists.call(hookContext('trigger', url, completeCredentials(), confirm).context)).rejects.toThrow(
			`${c.service.displayName} Trigger: Confirm With API needs a ${c.service.displayName} API credential`,
		);
		await expect(hooks.checkExists.call(hookContext('trigger', url, { ...completeCredentials(), [apiType]: { apiKey: 'k' } }, confirm).context)).resolves.toBe(true);
		await expect(hooks.checkExists.call(hookContext('trigger', url, completeCredentials(), { confirmWithApi: false }).context)).resolves.toBe(true);
	});

	test('the activation error never contains a secret', async () => {
		const webhook = c.service.delivery.credential;
		if (!webhook) return;
		// A previous secret set, the current one missing: the message must not echo what is there.
		const data = { ...c.incomplete[0].data, [webhook.previousSecretField ?? 'unused']: CURRENT_SECRET };
		const failure = c.node.webhookMethods!.default!.checkExists.call(hookContext('trigger', 'https://n8n.example.com/webhook/abc/webhook', { [webhook.type]: data }).context);
		const error = await failure.catch((e: unknown) => e as NodeOperationError);
		expect(JSON.stringify({ message: (error as Error).message, description: (error as NodeOperationError).description })).not.toContain(CURRENT_SECRET);
	});

	test('deactivating the trigger drops the secrets this process remembers for it, and only those', async () => {
		const read = jest.fn(async () => ({ secret: 'remembered' }));
		const workflowId = `deactivated-${c.name}`;
		await credentialMemory.current(`${workflowId}/node-1/someApi:1`, read, Date.now());
		await credentialMemory.current(`${workflowId}/node-2/someApi:1`, read, Date.now());
		const { context } = hookContext('trigger', 'https://n8n.example.com/webhook/abc/webhook', completeCredentials(), {}, workflowId);
		await c.node.webhookMethods!.default!.delete.call(context);
		await credentialMemory.current(`${workflowId}/node-1/someApi:1`, read, Date.now());
		await credentialMemory.current(`${workflowId}/node-2/someApi:1`, read, Date.now());
		expect(read).toHaveBeenCalledTimes(3);
	});

	test('activating with a Production URL the service cannot reach logs how to fix it, and still activates', async () => {
		// n8n asks checkExists on every activation and calls create only when it answers false.
		const { context, warnings } = hookContext('trigger', 'http://localhost:5678/webhook/abc/webhook');
		await expect(c.node.webhookMethods!.default!.checkExists.call(context)).resolves.toBe(true);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain(`${d.defaults.name}: ${c.service.displayName} cannot reach`);
		expect(warnings[0]).toContain('localhost');
		expect(warnings[0]).toContain('N8N_WEBHOOK_URL');
		// Listening in the editor is not activation: nothing is logged there.
		const listening = hookContext('manual', 'http://localhost:5678/webhook-test/abc/webhook');
		await c.node.webhookMethods!.default!.checkExists.call(listening.context);
		expect(listening.warnings).toEqual([]);
	});

	test('Events: a required multiOptions whose default is every non-test event, and no test event offered', () => {
		const events = property(c.node, 'events');
		const regular = c.service.delivery.events.filter((e) => !e.isTest).map((e) => e.value);
		const testEvents = c.service.delivery.events.filter((e) => e.isTest).map((e) => e.value);
		expect(events.type).toBe('multiOptions');
		expect(events.required).toBe(true);
		expect([...(events.default as string[])].sort()).toEqual([...regular].sort());
		const offered = (events.options ?? []).map((o) => (o as { value: string }).value);
		expect([...offered].sort()).toEqual([...regular].sort());
		for (const t of testEvents) expect(offered).not.toContain(t);
		expect(testEvents.length > 0).toBe(c.hasTestEvents);
	});

	test('the documented events are all there', () => {
		const documented: Record<string, string[]> = {
			reportFlowTrigger: ['file.completed'],
			docGenLabTrigger: ['document.generated'],
			docfloTrigger: ['document.created', 'document.processed', 'document.approved', 'document.rejected', 'document.status_changed'],
			pdfGorillaTrigger: ['completed', 'failed', 'canceled'],
			pdfSignTrigger: ['pdf.generated', 'pdf.failed', 'quota.warning', 'quota.exceeded'],
		};
		expect([...(property(c.node, 'events').default as string[])].sort()).toEqual([...documented[c.name]].sort());
	});

	test('Options: the common ones, plus only what this service supports', () => {
		const names = optionNames(c.node);
		expect(names).toEqual(expect.arrayContaining(['deduplicate', 'allowedIpAddresses', 'passUnknownEvents']));
		expect(names.includes('acceptTestEventsInProduction')).toBe(c.hasTestEvents);
		expect(names.includes('maxTimestampAgeSeconds')).toBe(c.hasMaxAge);
		expect(names.includes('confirmWithApi')).toBe(c.hasConfirm);
		// Defaults that keep a fresh node safe.
		const byName = Object.fromEntries((property(c.node, 'options').options as INodeProperties[]).map((o) => [o.name, o.default]));
		expect(byName.deduplicate).toBe(true);
		expect(byName.allowedIpAddresses).toBe('');
		expect(byName.passUnknownEvents).toBe(false);
		if (c.hasTestEvents) expect(byName.acceptTestEventsInProduction).toBe(false);
		// Replay window on by default: an hour, inside the 48 h dedupe window.
		if (c.hasMaxAge) expect(byName.maxTimestampAgeSeconds).toBe(3600);
		if (c.hasConfirm) expect(byName.confirmWithApi).toBe(false);
	});

	test('every property name is unique and every default fills in', () => {
		const names = d.properties.map((p) => p.name);
		expect(new Set(names).size).toBe(names.length);
		const defaults = defaultParameters(c.node);
		expect(defaults.options).toEqual({});
	});

	test('credentials: the webhook credential the delivery checks read, required when the service signs', () => {
		const credential = c.service.delivery.credential;
		const declared = d.credentials ?? [];
		if (credential) {
			const entry = declared.find((x) => x.name === credential.type);
			expect(entry).toBeDefined();
			expect(entry!.required).toBe(true);
		} else {
			expect(declared.every((x) => !x.required)).toBe(true);
		}
	});

	test('every testedBy names a method in methods.credentialTest', () => {
		for (const credential of d.credentials ?? []) {
			if (typeof credential.testedBy === 'string') {
				expect(Object.keys(c.node.methods?.credentialTest ?? {})).toContain(credential.testedBy);
			}
		}
	});
});

describe('credential tests (methods.credentialTest)', () => {
	const decrypted = (type: string, data: ICredentialDataDecryptedObject): ICredentialsDecrypted => ({ id: 'c1', name: 'test', type, data });
	const runTest = async (node: INodeType, method: string, type: string, data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> => {
		const fn = node.methods?.credentialTest?.[method];
		if (!fn) throw new Error(`${method} missing`);
		return await fn.call(mock<ICredentialTestFunctions>(), decrypted(type, data));
	};

	describe('PDF-Sign: pdfSignWebhookApiTest', () => {
		const node = new PdfSignTrigger();
		const test_ = (data: ICredentialDataDecryptedObject) => runTest(node, 'pdfSignWebhookApiTest', 'pdfSignWebhookApi', data);

		test('filled secret → OK', async () => {
			expect(await test_({ [PDF_SIGN_FIELDS.webhookSecret]: CURRENT_SECRET })).toEqual({ status: 'OK', message: expect.any(String) });
		});
		test('empty secret → Error', async () => {
			expect((await test_({ [PDF_SIGN_FIELDS.webhookSecret]: '' })).status).toBe('Error');
			expect((await test_({})).status).toBe('Error');
		});
		test('secret with surrounding white space → Error', async () => {
			expect((await test_({ [PDF_SIGN_FIELDS.webhookSecret]: ` ${CURRENT_SECRET}` })).status).toBe('Error');
		});
		test('the message never contains the secret', async () => {
			for (const data of [{ [PDF_SIGN_FIELDS.webhookSecret]: CURRENT_SECRET }, { [PDF_SIGN_FIELDS.webhookSecret]: ` ${CURRENT_SECRET} ` }]) {
				expect((await test_(data)).message).not.toContain(CURRENT_SECRET);
			}
		});
	});

	describe('Docflo: docfloWebhookApiTest', () => {
		const node = new DocfloTrigger();
		const test_ = (data: ICredentialDataDecryptedObject) => runTest(node, 'docfloWebhookApiTest', 'docfloWebhookApi', data);

		test('filled signing secret → OK', async () => {
			expect((await test_({ [DOCFLO_FIELDS.signingSecret]: CURRENT_SECRET, [DOCFLO_FIELDS.incomingAuthentication]: 'none' })).status).toBe('OK');
		});
		test('neither secret nor auth → Error (the trigger would refuse everything)', async () => {
			expect((await test_({ [DOCFLO_FIELDS.signingSecret]: '', [DOCFLO_FIELDS.incomingAuthentication]: 'none' })).status).toBe('Error');
			expect((await test_({})).status).toBe('Error');
		});
		test('no secret but complete header auth → OK', async () => {
			expect((await test_({ [DOCFLO_FIELDS.signingSecret]: '', [DOCFLO_FIELDS.incomingAuthentication]: 'bearerToken', [DOCFLO_FIELDS.bearerToken]: 'tok' })).status).toBe('OK');
			expect((await test_({ [DOCFLO_FIELDS.signingSecret]: '', [DOCFLO_FIELDS.incomingAuthentication]: 'basicAuth', [DOCFLO_FIELDS.basicAuthUser]: 'u', [DOCFLO_FIELDS.basicAuthPassword]: 'p' })).status).toBe('OK');
			expect((await test_({ [DOCFLO_FIELDS.signingSecret]: '', [DOCFLO_FIELDS.incomingAuthentication]: 'apiKeyHeader', [DOCFLO_FIELDS.headerName]: 'x-api-key', [DOCFLO_FIELDS.headerApiKey]: 'k' })).status).toBe('OK');
		});
		test('incomplete header auth → Error, even with a secret', async () => {
			expect((await test_({ [DOCFLO_FIELDS.signingSecret]: CURRENT_SECRET, [DOCFLO_FIELDS.incomingAuthentication]: 'basicAuth', [DOCFLO_FIELDS.basicAuthUser]: 'u', [DOCFLO_FIELDS.basicAuthPassword]: '' })).status).toBe('Error');
			expect((await test_({ [DOCFLO_FIELDS.signingSecret]: '', [DOCFLO_FIELDS.incomingAuthentication]: 'bearerToken', [DOCFLO_FIELDS.bearerToken]: '   ' })).status).toBe('Error');
			expect((await test_({ [DOCFLO_FIELDS.signingSecret]: '', [DOCFLO_FIELDS.incomingAuthentication]: 'apiKeyHeader', [DOCFLO_FIELDS.headerName]: 'bad header', [DOCFLO_FIELDS.headerApiKey]: 'k' })).status).toBe('Error');
		});
	});

	test('only Docflo and PDF-Sign define local credential tests (the API credentials are tested with a request)', () => {
		const withTests = CASES.filter((c) => Object.keys(c.node.methods?.credentialTest ?? {}).length > 0).map((c) => c.name);
		expect(withTests.sort()).toEqual(['docfloTrigger', 'pdfSignTrigger']);
	});
});

describe('IP Allowlist says where it is the only real defence (issue 23)', () => {
	const allowlistText = (trigger: { description: { properties: Array<{ name: string; options?: unknown[] }> } }) => {
		const options = trigger.description.properties.find((p) => p.name === 'options')!.options as Array<{ name: string; description?: string }>;
		return options.find((o) => o.name === 'allowedIpAddresses')!.description ?? '';
	};

	test.each([
		['DocGenLab', new DocGenLabTrigger()],
		['ReportFlow', new ReportFlowTrigger()],
	])('%s, which does not sign: the option says so', (name, trigger) => {
		expect(allowlistText(trigger)).toContain(`${name} does not sign its webhooks, so this is the only real defence against forged events from many addresses.`);
	});

	test.each([new PdfGorillaTrigger(), new DocfloTrigger(), new PdfSignTrigger()])('signing services: no such sentence', (trigger) => {
		expect(allowlistText(trigger)).not.toContain('only real defence');
	});
});
