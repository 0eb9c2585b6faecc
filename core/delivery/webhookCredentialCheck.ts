/**
 * What a trigger cannot work without, checked where users can see it: in the credential test
 * of credentials that hold only webhook secrets (no service offers an endpoint to check a
 * signing secret against, so it checks what can be checked locally), and when the trigger is
 * activated or starts listening, where a missing secret fails with a message naming the field
 * instead of every delivery being refused later with a bare 401.
 */
import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type IWebhookFunctions,
} from 'n8n-workflow';

import type { DeliveryDescriptor, IncomingAuthFields, ServiceDescriptor } from '../service';
import { stringField } from '../values';
import type { IncomingAuth } from './incomingAuth';
import { incomingAuthFromCredential } from './incomingAuthCredential';

export interface SecretRules {
	maxLength?: number;
	/** Below this many characters the test passes with a warning-style message. */
	recommendedMinLength?: number;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function incompleteAuth(auth: IncomingAuth, fields: IncomingAuthFields): string | undefined {
	if (auth.type === 'basic' && (!auth.username || !auth.password)) return 'Basic Authentication needs both a user name and a password';
	if (auth.type === 'bearer' && !auth.token.trim()) return 'the bearer token is empty';
	if (auth.type === 'header' && (!auth.value.trim() || !HEADER_NAME.test(auth.headerName))) return `the API key header needs a valid name and a value (${fields.headerName})`;
	return undefined;
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Whether the secret alone must be there (a signature the service always sends, or the secret
 * itself in a header), or a secret or header authentication will do (a service whose webhook
 * form offers both, each optional).
 */
function secretIsRequired(delivery: DeliveryDescriptor): boolean {
	return delivery.checks.some((check) => check.kind === 'sharedSecretHeader' || (check.kind === 'signature' && check.required === 'always'));
}

/**
 * What the trigger lacks in this webhook credential, naming the field as the form labels it
 * (lower-case start, to follow a colon); undefined when it has all it needs.
 */
export function missingFromWebhookCredential(data: ICredentialDataDecryptedObject, delivery: DeliveryDescriptor): string | undefined {
	const credential = delivery.credential;
	if (!credential) return undefined;
	const authCheck = delivery.checks.find((check) => check.kind === 'incomingAuth');
	const auth: IncomingAuth = authCheck ? incomingAuthFromCredential(data, authCheck.fields) : { type: 'none' };
	const authProblem = authCheck && incompleteAuth(auth, authCheck.fields);
	if (authProblem) return authProblem;
	if (stringField(data, credential.secretField)) return undefined;
	if (secretIsRequired(delivery)) return `the ${credential.secretLabel} is empty, and without it every delivery is refused`;
	if (auth.type !== 'none') return undefined;
	return `the ${credential.secretLabel} is empty and no authentication method is chosen, and without either every delivery is refused`;
}

/** The credential test of credentials that hold only webhook secrets. */
export function checkWebhookCredential(credential: ICredentialsDecrypted, delivery: DeliveryDescriptor, rules: SecretRules = {}): INodeCredentialTestResult {
	const data = credential.data ?? {};
	const missing = missingFromWebhookCredential(data, delivery);
	if (missing) return { status: 'Error', message: sentence(missing) };
	const label = delivery.credential?.secretLabel ?? 'secret';
	const secret = delivery.credential ? stringField(data, delivery.credential.secretField) : '';
	if (!secret) return { status: 'OK', message: 'Header authentication is set; no signing secret' };
	if (rules.maxLength && secret.length > rules.maxLength) {
		return { status: 'Error', message: `The ${label} is longer than the service allows (${rules.maxLength} characters)` };
	}
	if (secret.trim() !== secret) {
		return { status: 'Error', message: `The ${label} starts or ends with white space; copy it again without it` };
	}
	if (rules.recommendedMinLength && secret.length < rules.recommendedMinLength) {
		return { status: 'OK', message: `Saved. Consider a longer ${label} (at least ${rules.recommendedMinLength} characters).` };
	}
	return { status: 'OK', message: `The ${label} is set` };
}

/** A node's credential of `type` (in a hook or a webhook), or undefined when the caller must fail closed. */
export async function credentialOrUndefined(
	ctx: Pick<IHookFunctions | IWebhookFunctions, 'getCredentials'>,
	type: string,
): Promise<ICredentialDataDecryptedObject | undefined> {
	try {
		return await ctx.getCredentials<ICredentialDataDecryptedObject>(type);
	} catch {
		// None selected (n8n: "Node does not have any credentials set"), or it cannot be decrypted.
		return undefined;
	}
}

/**
 * Fails activation (and Execute step) of a trigger that would refuse every delivery, with a
 * message that names the credential field. n8n shows the message where the user activated the
 * workflow (n8n 1.x shows only the message, so it carries the field's name; the description
 * says what to do).
 */
export async function refuseIncompleteSetup(ctx: IHookFunctions, service: ServiceDescriptor): Promise<void> {
	const trigger = `${service.displayName} Trigger`;
	const fail = (message: string, description: string) => new NodeOperationError(ctx.getNode(), message, { description });
	const credential = service.delivery.credential;
	if (credential) {
		const data = await credentialOrUndefined(ctx, credential.type);
		if (!data) throw fail(`${trigger} needs a ${credential.displayName} credential`, `Select one in the trigger: it holds the ${credential.secretLabel} that deliveries are verified with.`);
		const missing = missingFromWebhookCredential(data, service.delivery);
		if (missing) {
			throw fail(
				`${trigger} cannot verify deliveries: in its ${credential.displayName} credential, ${missing}`,
				`Enter in the credential what you set up in ${service.displayName}, then try again.`,
			);
		}
	}
	const options = ctx.getNodeParameter('options', {}) as { confirmWithApi?: boolean };
	if (service.delivery.confirm && options.confirmWithApi === true && !(await credentialOrUndefined(ctx, service.api.credentialType))) {
		throw fail(
			`${trigger}: Confirm With API needs a ${service.displayName} API credential`,
			`Select a ${service.displayName} API credential in the trigger, or turn off Options → Confirm With API.`,
		);
	}
}
