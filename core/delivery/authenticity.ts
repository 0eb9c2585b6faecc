/**
 * Whether a delivery comes from the service: the signature over the raw bytes, the shared
 * secret header and the header authentication, as the service's descriptor lists them and
 * with the secrets from its webhook credential. Messages go to n8n's log and, while testing,
 * to the editor; the sender only ever gets a bare 401.
 */
import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

import type { AuthenticityCheck, ServiceDescriptor } from '../service';
import { headerValue } from '../values';
import { credentialMemory, type CredentialFields, type CredentialRead, type CredentialReader } from './credentialMemory';
import { checkIncomingAuth } from './incomingAuth';
import { incomingAuthFromCredential } from './incomingAuthCredential';
import { jsonNestingExceeds } from './parse';
import { MAX_JSON_DEPTH } from './requestChecks';
import { triggerScope } from './scope';
import { credentialOrUndefined } from './webhookCredentialCheck';
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
 *
 * The secrets come from the trigger's credential as remembered for a few seconds
 * (credentialMemory.ts); a delivery that fails against them is checked once more against a
 * read that started after it arrived, so a changed secret applies to the first delivery
 * signed with it.
 */
export async function verifyDelivery(
	this: IWebhookFunctions,
	service: ServiceDescriptor,
	rawBody: Buffer | undefined,
	headers: Headers,
): Promise<AuthenticityVerdict> {
	const { checks, credential } = service.delivery;
	if (checks.length === 0) return VERIFIED;
	if (!credential) return verifyChecks(service, { rawBody, headers, fields: {} });
	const arrivedMs = Date.now();
	const source = credentialSource(this, service, credential.type);
	const used = await source.current(arrivedMs);
	const verdict = verifyRead(service, used, rawBody, headers);
	if (verdict.ok) return verdict;
	const fresh = await source.refresh(used, arrivedMs);
	if (!fresh || fresh === used) return verdict;
	return verifyRead(service, fresh, rawBody, headers);
}

function verifyRead(service: ServiceDescriptor, read: CredentialRead, rawBody: Buffer | undefined, headers: Headers): AuthenticityVerdict {
	if (!read.fields) return refuse(`Select a ${service.displayName} credential in the trigger so deliveries can be verified`, true);
	return verifyChecks(service, { rawBody, headers, fields: read.fields });
}

function verifyChecks(service: ServiceDescriptor, request: { rawBody: Buffer | undefined; headers: Headers; fields: CredentialFields }): AuthenticityVerdict {
	const { checks, credential } = service.delivery;
	const { fields } = request;
	const secrets = credential
		? [credential.secretField, credential.previousSecretField]
				.map((field) => (field ? fields[field] : undefined))
				.filter((value): value is string => typeof value === 'string' && value.length > 0)
		: [];

	let verifiedSomething = false;
	for (const check of checks) {
		const result = verifyCheck(check, { service, rawBody: request.rawBody, headers: request.headers, secrets, credentialData: fields as ICredentialDataDecryptedObject });
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
 * and have no number that serialises to another value (`1e400` is Infinity but serialises as
 * `null`, `-0` as `0`). Otherwise a body with other values than the signed one could verify.
 *
 * A forger without the secret gets here with any body up to 2 MiB, so the cost is bounded
 * and nothing throws: a body nested deeper than the limit (JSON.stringify recurses, and a
 * deep enough body overflowed the stack, a RangeError out of webhook()) gets no fallback, and
 * the numbers are checked in one pass over the text instead of comparing parsed values.
 */
export function compactJson(body: Buffer): Buffer | undefined {
	if (jsonNestingExceeds(body, MAX_JSON_DEPTH)) return undefined;
	const text = body.toString('utf8');
	// Valid UTF-8 decodes and re-encodes to the same bytes; invalid bytes come back as U+FFFD.
	if (!Buffer.from(text, 'utf8').equals(body)) return undefined;
	let compact: string | undefined;
	try {
		compact = JSON.stringify(JSON.parse(text));
	} catch {
		return undefined;
	}
	if (compact === undefined || hasLossyNumber(text)) return undefined;
	return Buffer.from(compact);
}

function isNumberCharacter(code: number): boolean {
	// 0-9 . + - e E
	return (code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x2b || code === 0x2d || code === 0x65 || code === 0x45;
}

/**
 * Whether a number literal outside the strings of valid JSON text is one that JSON.stringify
 * writes as another value: not finite (too large: `1e400`, or 309+ digits) or negative zero
 * (`-0`, `-0.0e5`, `-1e-400`). Only literals that can be such (a sign, an exponent, 16+
 * characters) are converted; one pass.
 */
export function hasLossyNumber(text: string): boolean {
	let inString = false;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (inString) {
			if (code === 0x5c) index++;
			else if (code === 0x22) inString = false;
			continue;
		}
		if (code === 0x22) {
			inString = true;
			continue;
		}
		if (code !== 0x2d && (code < 0x30 || code > 0x39)) continue;
		const start = index;
		let suspicious = code === 0x2d;
		while (index + 1 < text.length && isNumberCharacter(text.charCodeAt(index + 1))) {
			index++;
			const next = text.charCodeAt(index);
			if (next === 0x65 || next === 0x45) suspicious = true;
		}
		if (!suspicious && index + 1 - start < 16) continue;
		const value = Number(text.slice(start, index + 1));
		if (!Number.isFinite(value) || Object.is(value, -0)) return true;
	}
	return false;
}

/**
 * The trigger's credential fields as verification reads them (remembered for a few seconds, see
 * credentialSource), for what else a delivery needs of them, such as Include Request Headers'
 * redaction: no second credential read per delivery. Undefined without a usable credential.
 */
export async function verifiedCredentialFields(this: IWebhookFunctions, service: ServiceDescriptor): Promise<CredentialFields | undefined> {
	const credential = service.delivery.credential;
	if (!credential) return undefined;
	return (await credentialSource(this, service, credential.type).current(Date.now())).fields;
}

/** The credential fields the service's checks read; only these are kept in memory. */
function fieldsUsedBy(service: ServiceDescriptor): string[] {
	const { credential, checks } = service.delivery;
	const names: string[] = [];
	if (credential) names.push(credential.secretField, ...(credential.previousSecretField ? [credential.previousSecretField] : []));
	for (const check of checks) {
		if (check.kind !== 'incomingAuth') continue;
		const { method, basicUser, basicPassword, bearerToken, headerName, headerValue: value } = check.fields;
		names.push(method, basicUser, basicPassword, bearerToken, headerName, value);
	}
	return names;
}

interface CredentialSource {
	current(nowMs: number): Promise<CredentialRead>;
	/** A read started after `arrivedMs`, or undefined when none is to be had. */
	refresh(used: CredentialRead, arrivedMs: number): Promise<CredentialRead | undefined>;
}

/**
 * Where a delivery's secrets come from: the process's memory of this trigger node's credential,
 * or, while the editor listens for a test event (where a just-edited credential must apply at
 * once) and for a node without a credential id, a read of its own.
 */
function credentialSource(ctx: IWebhookFunctions, service: ServiceDescriptor, type: string): CredentialSource {
	const read: CredentialReader = async () => {
		const data = await credentialOrUndefined(ctx, type);
		if (!data) return undefined;
		const fields: Record<string, unknown> = {};
		// Worked out per read, not per delivery: most deliveries are served from memory.
		for (const name of fieldsUsedBy(service)) if (name in data) fields[name] = data[name];
		// Shared by every delivery the read serves.
		return Object.freeze(fields);
	};
	const credentialId = ctx.getNode().credentials?.[type]?.id;
	if (ctx.getMode() === 'manual' || !credentialId) {
		return {
			current: async (nowMs) => ({ fields: await read(), startedMs: nowMs }),
			refresh: async (used) => used,
		};
	}
	const key = `${triggerScope(ctx)}/${type}:${credentialId}`;
	return {
		current: async (nowMs) => await credentialMemory.current(key, read, nowMs),
		refresh: async (used, arrivedMs) => await credentialMemory.refresh(key, used, read, arrivedMs, Date.now()),
	};
}
