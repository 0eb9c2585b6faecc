/**
 * Whether a delivery comes from the service: the signature over the raw bytes, the shared
 * secret header and the header authentication, as the service's descriptor lists them and
 * with the secrets from its webhook credential. Messages go to n8n's log and, while testing,
 * to the editor; the sender only ever gets a bare 401.
 */
import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

import type { AuthenticityCheck, ServiceDescriptor } from '../service';
import { headerValue } from '../values';
import { checkIncomingAuth } from './incomingAuth';
import { incomingAuthFromCredential } from './incomingAuthCredential';
import { sameJsonValue } from './parse';
import { matchesSharedSecret, verifySignature } from './verify';

type Headers = Record<string, string | string[] | undefined>;

type Failed = { ok: false; message: string; misconfiguration: boolean };
/** `misconfiguration` marks causes in the node's own setup, which the editor should show. */
export type AuthenticityVerdict = { ok: true } | Failed;

const VERIFIED: AuthenticityVerdict = { ok: true };
const refuse = (message: string, misconfiguration = false): Failed => ({ ok: false, message, misconfiguration });

/**
 * Runs every check the service's descriptor lists; all that are configured must pass and at
 * least one must be. A check that needs a secret the credential lacks fails closed.
 */
export async function verifyDelivery(
	this: IWebhookFunctions,
	service: ServiceDescriptor,
	rawBody: Buffer | undefined,
	headers: Headers,
): Promise<AuthenticityVerdict> {
	const { checks, credential } = service.delivery;
	if (checks.length === 0) return VERIFIED;
	let credentialData: ICredentialDataDecryptedObject = {};
	if (credential) {
		const loaded = await loadCredential.call(this, credential.type);
		if (!loaded) return refuse(`Select a ${service.displayName} credential in the trigger so deliveries can be verified`, true);
		credentialData = loaded;
	}
	const secrets = credential
		? [credential.secretField, credential.previousSecretField]
				.map((field) => (field ? credentialData[field] : undefined))
				.filter((value): value is string => typeof value === 'string' && value.length > 0)
		: [];

	let verifiedSomething = false;
	for (const check of checks) {
		const result = verifyCheck(check, { service, rawBody, headers, secrets, credentialData });
		if (result === 'verified') verifiedSomething = true;
		else if (result !== 'not_configured') return result;
	}
	if (!verifiedSomething) {
		return refuse(
			`No way to verify ${service.displayName} deliveries is configured: set a secret or an authentication method in the credential`,
			true,
		);
	}
	return VERIFIED;
}

interface CheckInput {
	service: ServiceDescriptor;
	rawBody: Buffer | undefined;
	headers: Headers;
	secrets: string[];
	credentialData: ICredentialDataDecryptedObject;
}

/** `verified`, `not_configured` (an optional check the user did not set up), or why it failed. */
function verifyCheck(check: AuthenticityCheck, input: CheckInput): 'verified' | 'not_configured' | Failed {
	const { service, rawBody, headers, secrets } = input;
	const noSecret = refuse(`The ${service.displayName} credential has no webhook secret`, true);
	switch (check.kind) {
		case 'signature': {
			if (secrets.length === 0) return check.required === 'always' ? noSecret : 'not_configured';
			const provided = headerValue(headers, check.header);
			if (!provided) return refuse(`Missing ${check.header} signature header`);
			// Without the exact bytes the signature cannot be checked against what the workflow would get.
			if (!rawBody) return refuse('The request body could not be read as received, so its signature cannot be checked');
			const body = rawBody;
			if (verifySignature(check.scheme, provided, body, secrets)) return 'verified';
			if (check.compactJsonFallback) {
				const compact = compactJson(body);
				if (compact && verifySignature(check.scheme, provided, compact, secrets)) return 'verified';
			}
			return refuse(`Invalid ${check.header} signature`);
		}
		case 'sharedSecretHeader': {
			if (secrets.length === 0) return noSecret;
			if (!matchesSharedSecret(headerValue(headers, check.header), secrets)) {
				return refuse(`Missing or invalid ${check.header} header`);
			}
			return 'verified';
		}
		case 'incomingAuth': {
			const auth = incomingAuthFromCredential(input.credentialData, check.fields);
			if (auth.type === 'none') return 'not_configured';
			const verdict = checkIncomingAuth(auth, headers);
			return verdict.ok ? 'verified' : refuse(verdict.reason);
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
