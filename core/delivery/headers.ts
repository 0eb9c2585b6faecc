/**
 * The "Include Request Headers" option: the delivery's headers on each output item, with every
 * value that could authenticate a request replaced. Output items are stored with the execution
 * and shown to anyone who can open it, so a header is redacted when its name is one the
 * service or the credential uses for a secret, when its name looks like it carries one, or
 * when its value contains one of the credential's secrets, whatever the name.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import type { IncomingAuthFields, ServiceDescriptor } from '../service';

export const REDACTED = '[redacted]';

/** Headers that carry credentials or session state in any HTTP exchange. */
const ALWAYS_SECRET = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/**
 * Names that suggest a secret: signatures, tokens, keys, passwords, sessions. Deliberately
 * broad: a redacted harmless header costs nothing, a leaked key is a breach.
 */
const SECRET_NAME = /secret|signature|token|passw|auth|api[-_]?key|(^|[-_])key($|[-_])|session|cookie|credential|csrf|xsrf/i;

export interface HeaderRedaction {
	/** Lower-case header names this service or credential puts a secret in (signature, shared secret, API key header). */
	secretHeaderNames: string[];
	/** The credential's secret values; a header containing one is redacted whatever its name. */
	secretValues: string[];
}

export function isSecretHeaderName(name: string, redaction: Pick<HeaderRedaction, 'secretHeaderNames'>): boolean {
	const lower = name.toLowerCase();
	return ALWAYS_SECRET.has(lower) || redaction.secretHeaderNames.includes(lower) || SECRET_NAME.test(lower);
}

/** The request headers as an item field: lower-case names, arrays kept, secrets replaced by `[redacted]`. */
export function redactedHeaders(headers: Record<string, string | string[] | undefined>, redaction: HeaderRedaction): IDataObject {
	// Short values (a one-character secret) would match too much; the credential forms ask for real secrets.
	const secretValues = redaction.secretValues.filter((value) => value.length >= 4);
	const containsSecret = (value: string) => secretValues.some((secret) => value.includes(secret));
	const result: IDataObject = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		const lower = name.toLowerCase();
		if (isSecretHeaderName(lower, redaction)) {
			result[lower] = REDACTED;
		} else if (Array.isArray(value)) {
			result[lower] = value.map((entry) => (containsSecret(entry) ? REDACTED : entry));
		} else {
			result[lower] = containsSecret(value) ? REDACTED : value;
		}
	}
	return result;
}

/**
 * What to redact for one service: the headers its authenticity checks read, the API key
 * header named in its credential, and every secret the credential holds.
 */
export function headerRedactionFor(service: ServiceDescriptor, credentialData: ICredentialDataDecryptedObject): HeaderRedaction {
	const secretHeaderNames = service.delivery.checks.flatMap((check) => ('header' in check ? [check.header.toLowerCase()] : []));
	const incomingAuth = service.delivery.checks.find((check): check is { kind: 'incomingAuth'; fields: IncomingAuthFields } => check.kind === 'incomingAuth');
	const customHeader = incomingAuth ? credentialData[incomingAuth.fields.headerName] : undefined;
	if (typeof customHeader === 'string' && customHeader.trim()) secretHeaderNames.push(customHeader.trim().toLowerCase());
	if (incomingAuth) secretHeaderNames.push(incomingAuth.fields.defaultHeaderName.toLowerCase());
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
	return { secretHeaderNames, secretValues };
}

/** Adds the redacted request headers to every item, under `headers`. */
export async function addRequestHeaders(
	this: IWebhookFunctions,
	service: ServiceDescriptor,
	items: INodeExecutionData[],
	headers: Record<string, string | string[] | undefined>,
): Promise<void> {
	let credentialData: ICredentialDataDecryptedObject = {};
	if (service.delivery.credential) {
		try {
			credentialData = await this.getCredentials<ICredentialDataDecryptedObject>(service.delivery.credential.type);
		} catch {
			// The delivery was verified without one (an optional check): name-based redaction still applies.
		}
	}
	const field = redactedHeaders(headers, headerRedactionFor(service, credentialData));
	for (const item of items) item.json.headers = { ...field };
}
