/**
 * The "Include Request Headers" option: the delivery's headers on each output item. Output
 * items are stored with the execution and shown to anyone who can open it, and proxies in
 * front of n8n add identity headers nobody can list in advance (Cloudflare Access, Google
 * IAP, AWS ALB OIDC, client certificates, …). So values are shown by allowlist: the generic
 * headers below and the service's documented event and timestamp headers; every other header
 * keeps its name with the value `[redacted]`, and a shown value that contains one of the
 * credential's secrets is redacted too.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import type { IncomingAuthFields, ServiceDescriptor } from '../service';
import { verifiedCredentialFields } from './authenticity';

export const REDACTED = '[redacted]';

/** Headers that describe the request and carry nothing that could authenticate it. */
export const GENERIC_SHOWN_HEADERS: readonly string[] = Object.freeze([
	'accept',
	'accept-encoding',
	'content-encoding',
	'content-length',
	'content-type',
	'date',
	'host',
	'user-agent',
]);

export interface HeaderRedaction {
	/** Lower-case names whose values are shown (generic + the service's documented ones). */
	shownHeaderNames: readonly string[];
	/** The credential's secret values; a shown value containing one is redacted all the same. */
	secretValues: string[];
}

export function isShownHeaderName(name: string, redaction: Pick<HeaderRedaction, 'shownHeaderNames'>): boolean {
	return redaction.shownHeaderNames.includes(name.toLowerCase());
}

/** The request headers as an item field: lower-case names, arrays kept, values shown by allowlist. */
export function redactedHeaders(headers: Record<string, string | string[] | undefined>, redaction: HeaderRedaction): IDataObject {
	// Short values (a one-character secret) would match too much; the credential forms ask for real secrets.
	const secretValues = redaction.secretValues.filter((value) => value.length >= 4);
	const shown = (value: string) => (secretValues.some((secret) => value.includes(secret)) ? REDACTED : value);
	const result: IDataObject = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		const lower = name.toLowerCase();
		if (!isShownHeaderName(lower, redaction)) result[lower] = REDACTED;
		else result[lower] = Array.isArray(value) ? value.map(shown) : shown(value);
	}
	return result;
}

/** What to show for one service: the generic headers, its documented ones, and every secret the credential holds. */
export function headerRedactionFor(service: ServiceDescriptor, credentialData: Readonly<Record<string, unknown>>): HeaderRedaction {
	const incomingAuth = service.delivery.checks.find((check): check is { kind: 'incomingAuth'; fields: IncomingAuthFields } => check.kind === 'incomingAuth');
	const credential = service.delivery.credential;
	const secretFields = [
		credential?.secretField,
		credential?.previousSecretField,
		incomingAuth?.fields.basicPassword,
		incomingAuth?.fields.bearerToken,
		incomingAuth?.fields.headerValue,
	];
	const secretValues = secretFields
		.map((field) => (field ? credentialData[field] : undefined))
		.filter((value): value is string => typeof value === 'string' && value.length > 0);
	return { shownHeaderNames: [...GENERIC_SHOWN_HEADERS, ...(service.delivery.shownHeaders ?? [])], secretValues };
}

/** Adds the redacted request headers to every item, under `headers`. */
export async function addRequestHeaders(
	this: IWebhookFunctions,
	service: ServiceDescriptor,
	items: INodeExecutionData[],
	headers: Record<string, string | string[] | undefined>,
): Promise<void> {
	// The secrets verification read (remembered), not a read of its own. None (an optional check
	// passed without a credential): the allowlist still redacts every other header.
	const credentialData = (await verifiedCredentialFields.call(this, service)) ?? {};
	const field = redactedHeaders(headers, headerRedactionFor(service, credentialData));
	for (const item of items) item.json.headers = { ...field };
}
