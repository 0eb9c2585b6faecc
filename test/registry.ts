/**
 * The service registry (nodes/services.ts) as the tests use it: the node and credential
 * classes loaded from the files the registry names, and the checks that a hand-written
 * per-service list covers exactly the registered services.
 */
import { join, resolve } from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

import { SERVICES, serviceFiles, type ServiceFiles } from '../nodes/services';

const repoRoot = resolve(__dirname, '..');

export const SERVICE_FILES: readonly ServiceFiles[] = SERVICES.map(serviceFiles);

/** The package name n8n prefixes the node types with. */
export const PACKAGE_NAME = 'n8n-nodes-pdf-webhooks';

function load<T>(file: string, className: string): T {
	const module = require(join(repoRoot, `${file}.ts`)) as Record<string, new () => T>;
	const Class = module[className];
	if (typeof Class !== 'function') throw new Error(`${file} does not export ${className}`);
	return new Class();
}

export const triggerNode = (service: ServiceFiles): INodeType => load(service.trigger.file, service.trigger.className);
export const actionNode = (service: ServiceFiles): INodeType => load(service.action.file, service.action.className);
export const credentialTypes = (service: ServiceFiles): ICredentialType[] => service.credentials.map((c) => load(c.file, c.className));

export const triggerTypes = (): string[] => SERVICE_FILES.map((s) => s.trigger.type).sort();
export const actionTypes = (): string[] => SERVICE_FILES.map((s) => s.action.type).sort();
export const serviceIds = (): string[] => SERVICE_FILES.map((s) => s.id).sort();
export const credentialTypeNames = (): string[] => SERVICE_FILES.flatMap((s) => s.credentials.map((c) => c.type)).sort();

/**
 * The credential types a node of this package needs with these parameters, by full node type,
 * as its description lists them (required ones whose displayOptions match): what an imported
 * example workflow must be given. Undefined for node types that are not ours.
 */
export function requiredCredentials(nodeType: string, parameters: Record<string, unknown>): string[] | undefined {
	const service = SERVICE_FILES.find((s) => nodeType === `${PACKAGE_NAME}.${s.trigger.type}` || nodeType === `${PACKAGE_NAME}.${s.action.type}`);
	if (!service) return undefined;
	const node = nodeType.endsWith('Trigger') ? triggerNode(service) : actionNode(service);
	const shown = (show: Record<string, unknown[] | undefined> | undefined) =>
		Object.entries(show ?? {}).every(([name, values]) => (values ?? []).includes(parameters[name]));
	return (node.description.credentials ?? [])
		.filter((c) => c.required && shown(c.displayOptions?.show as Record<string, unknown[] | undefined> | undefined))
		.map((c) => c.name);
}
