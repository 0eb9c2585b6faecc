/**
 * The service registry (nodes/services.ts) is the one list of services: package.json's `n8n`
 * section, the node and credential files, the README's tables and the descriptors' credential
 * fields must all agree with it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialType } from 'n8n-workflow';

import type { ServiceDescriptor } from '../../../core/service';
import { SERVICE_NAMES } from '../../providers/util';
import { SERVICES, packageN8nLists } from '../../../nodes/services';
import { PACKAGE_NAME, SERVICE_FILES, actionNode, credentialTypes, requiredCredentials, triggerNode } from '../../registry';

const repoRoot = join(__dirname, '..', '..', '..');
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** The fields a credential stores (its notices are text in the form, not data). */
const fieldNames = (credential: ICredentialType): string[] => credential.properties.filter((p) => p.type !== 'notice').map((p) => p.name);

/** Every credential field a descriptor names, checked against the credentials its service registers. */
function descriptorFieldProblems(descriptor: ServiceDescriptor, credentials: ICredentialType[]): string[] {
	const problems: string[] = [];
	const byType = new Map(credentials.map((c) => [c.name, c]));
	if (!byType.has(descriptor.api.credentialType)) problems.push(`api.credentialType ${descriptor.api.credentialType} is not registered`);
	const { credential } = descriptor.delivery;
	if (!credential) return problems;
	const webhookCredential = byType.get(credential.type);
	if (!webhookCredential) return [...problems, `delivery.credential.type ${credential.type} is not registered`];
	const named = [credential.secretField, credential.previousSecretField];
	for (const check of descriptor.delivery.checks) {
		if (check.kind !== 'incomingAuth') continue;
		const { defaultHeaderName: _notAField, ...fields } = check.fields;
		named.push(...Object.values(fields));
	}
	const declared = fieldNames(webhookCredential);
	for (const field of named) {
		if (field !== undefined && !declared.includes(field)) problems.push(`${credential.type} has no field ${field}`);
	}
	return problems;
}

describe('the service registry', () => {
	test('package.json lists exactly the registered nodes and credentials (npm run sync:package writes them)', () => {
		const expected = packageN8nLists();
		expect([...packageJson.n8n.nodes].sort()).toEqual(expected.nodes);
		expect([...packageJson.n8n.credentials].sort()).toEqual(expected.credentials);
	});

	test('every registered service has a fake provider in test/providers, and only those', () => {
		expect([...SERVICE_NAMES].sort()).toEqual(SERVICE_FILES.map((s) => s.id.toLowerCase()).sort());
	});

	test('the registry has five services with distinct ids, folders and display names', () => {
		for (const key of ['id', 'folder', 'displayName'] as const) {
			expect(new Set(SERVICE_FILES.map((s) => s[key])).size).toBe(SERVICE_FILES.length);
		}
		expect(SERVICES).toHaveLength(5);
	});

	test('the field check fails for a descriptor naming a field its credential lacks', () => {
		const docflo = SERVICES.find((s) => s.descriptor.id === 'docflo')!;
		const credentials = credentialTypes(SERVICE_FILES.find((s) => s.id === 'docflo')!);
		const typo: ServiceDescriptor = {
			...docflo.descriptor,
			delivery: { ...docflo.descriptor.delivery, credential: { ...docflo.descriptor.delivery.credential!, secretField: 'signingSecretx' } },
		};
		expect(descriptorFieldProblems(typo, credentials)).toEqual(['docfloWebhookApi has no field signingSecretx']);
		const otherAuth: ServiceDescriptor = {
			...docflo.descriptor,
			delivery: {
				...docflo.descriptor.delivery,
				checks: docflo.descriptor.delivery.checks.map((check) =>
					check.kind === 'incomingAuth' ? { ...check, fields: { ...check.fields, bearerToken: 'token' } } : check,
				),
			},
		};
		expect(descriptorFieldProblems(otherAuth, credentials)).toEqual(['docfloWebhookApi has no field token']);
	});
});

describe.each(SERVICE_FILES.map((s) => [s.displayName, s] as const))('%s: node and credential classes', (_name, service) => {
	const credentials = credentialTypes(service);

	test('its node classes are where the registry says, named after the descriptor', () => {
		const trigger = triggerNode(service).description;
		const action = actionNode(service).description;
		expect(trigger.name).toBe(service.trigger.type);
		expect(trigger.displayName).toBe(`${service.displayName} Trigger`);
		expect(action.name).toBe(service.action.type);
		expect(action.displayName).toBe(service.displayName);
	});

	test('its credential classes are named as the registry derives them, and the nodes use only those', () => {
		expect(credentials.map((c) => c.name)).toEqual(service.credentials.map((c) => c.type));
		const used = [triggerNode(service), actionNode(service)].flatMap((node) => (node.description.credentials ?? []).map((c) => c.name));
		for (const name of used) expect(service.credentials.map((c) => c.type)).toContain(name);
	});

});

describe.each(SERVICE_FILES.map((s) => [s.displayName, s] as const))('%s: descriptor and credential fields', (_name, service) => {
	const entry = SERVICES.find((s) => s.descriptor.id === service.id)!;
	const credentials = credentialTypes(service);

	test('a descriptor that confirms with its API names the default call budget', () => {
		if (entry.descriptor.delivery.confirm) expect(entry.descriptor.delivery.confirmCallsPerMinute).toBeGreaterThan(0);
	});

	test('its descriptor names only credential fields that exist', () => {
		expect(descriptorFieldProblems(entry.descriptor, credentials)).toEqual([]);
	});

	test.each(service.credentials.map((c) => [c.className, c.file] as const))('%s declares its field names once and uses only those', (className, file) => {
		const credential = credentials.find((c) => c.name === className.charAt(0).toLowerCase() + className.slice(1))!;
		const module = require(join(repoRoot, `${file}.ts`)) as Record<string, unknown>;
		const fieldsConstant = Object.entries(module).find(([name]) => name.endsWith('_FIELDS'));
		expect(fieldsConstant).toBeDefined();
		expect(Object.values(fieldsConstant![1] as Record<string, string>).sort()).toEqual(fieldNames(credential).sort());
		// What n8n's credential-password-field lint rule checks, which cannot read names held in constants.
		for (const field of credential.properties.filter((p) => /secret|key|token|password/i.test(p.name))) {
			expect([field.name, field.typeOptions?.password]).toEqual([field.name, true]);
		}
		// Expressions in authenticate and test may only read declared fields.
		const expressions = JSON.stringify([credential.authenticate ?? null, credential.test ?? null]);
		for (const [, field] of expressions.matchAll(/\$credentials\.(\w+)/g)) expect(fieldNames(credential)).toContain(field);
	});
});


/** The first column of the first table after a `## heading`. */
function firstColumn(heading: string): string[] {
	const section = readme.split(/^## /m).find((part) => part.startsWith(`${heading}\n`));
	if (!section) throw new Error(`README has no "## ${heading}" section`);
	const rows = section.split('\n').filter((line) => line.startsWith('|'));
	// Header and separator rows first.
	return rows.slice(2).map((row) => row.split('|')[1].trim());
}

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

describe('the README names exactly the registered services', () => {
	const names = SERVICE_FILES.map((s) => s.displayName).sort();

	test('"What you get" has one row per service', () => {
		expect(firstColumn('What you get').sort()).toEqual(names);
	});

	test('"How deliveries are checked" covers every service once, and its "all N" row counts them', () => {
		const cells = firstColumn('How deliveries are checked');
		const all = cells.filter((cell) => cell.startsWith('all '));
		expect(all).toEqual([`all ${NUMBER_WORDS[names.length]}`]);
		const named = cells.filter((cell) => !cell.startsWith('all ')).flatMap((cell) => cell.split(/,\s*/));
		expect(named.sort()).toEqual(names);
	});

	test('every service has its own section', () => {
		for (const name of names) expect(readme).toMatch(new RegExp(`^## ${name.replace(/[-]/g, '\\-')}$`, 'm'));
	});
});

describe('the example workflows', () => {
	const examples = readdirSync(join(repoRoot, 'examples'))
		.filter((file) => file.endsWith('.json'))
		.map((file) => ({ file, nodes: (JSON.parse(readFileSync(join(repoRoot, 'examples', file), 'utf8')) as { nodes: Array<{ type: string; parameters: Record<string, unknown> }> }).nodes }));
	const ours = examples.flatMap((e) => e.nodes.filter((n) => n.type.startsWith(`${PACKAGE_NAME}.`)));

	test('use only registered node types of this package', () => {
		for (const node of ours) expect(requiredCredentials(node.type, node.parameters)).toBeDefined();
	});

	test('start every registered service from its own trigger into its own action', () => {
		for (const service of SERVICE_FILES) {
			const example = examples.find((e) => e.nodes.some((n) => n.type === `${PACKAGE_NAME}.${service.trigger.type}`));
			expect(example?.nodes.map((n) => n.type)).toContain(`${PACKAGE_NAME}.${service.action.type}`);
		}
	});
});
