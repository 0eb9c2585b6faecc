/**
 * The credential test of credentials that hold only webhook secrets. No service offers an
 * endpoint to check a signing secret against, so it checks what can be checked locally: that
 * the secret the trigger needs is there and usable.
 */
import type { ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import type { DeliveryDescriptor, IncomingAuthFields } from '../service';
import { stringField } from '../values';
import type { IncomingAuth } from './incomingAuth';
import { incomingAuthFromCredential } from './incomingAuthCredential';

export interface SecretRules {
	/** The secret's name in the credential form, for messages. */
	label: string;
	/** The secret may be empty when another check (header auth) protects the webhook. */
	optional?: boolean;
	maxLength?: number;
	/** Below this many characters the test passes with a warning-style message. */
	recommendedMinLength?: number;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function incompleteAuth(auth: IncomingAuth, fields: IncomingAuthFields): string | undefined {
	if (auth.type === 'basic' && (!auth.username || !auth.password)) return 'Basic Auth needs both a user name and a password';
	if (auth.type === 'bearer' && !auth.token.trim()) return 'Enter the bearer token';
	if (auth.type === 'header' && (!auth.value.trim() || !HEADER_NAME.test(auth.headerName))) return `Enter a valid header name and value (${fields.headerName})`;
	return undefined;
}

/**
 * Checks a webhook credential against what its service's trigger will need: the secret field
 * and, for services that send header authentication, those fields, as the descriptor names them.
 */
export function checkWebhookCredential(
	credential: ICredentialsDecrypted,
	delivery: DeliveryDescriptor,
	rules: SecretRules,
): INodeCredentialTestResult {
	const data = credential.data ?? {};
	const secret = delivery.credential ? stringField(data, delivery.credential.secretField) : '';
	const authCheck = delivery.checks.find((check) => check.kind === 'incomingAuth');
	const auth: IncomingAuth = authCheck ? incomingAuthFromCredential(data, authCheck.fields) : { type: 'none' };

	const authProblem = authCheck && incompleteAuth(auth, authCheck.fields);
	if (authProblem) return { status: 'Error', message: authProblem };
	if (!secret) {
		if (rules.optional && auth.type !== 'none') return { status: 'OK', message: 'Header authentication is set; no signing secret' };
		return {
			status: 'Error',
			message: rules.optional
				? `Set a ${rules.label} or an authentication method: the trigger refuses every delivery it cannot verify`
				: `Enter the ${rules.label}: the trigger refuses every delivery without it`,
		};
	}
	if (rules.maxLength && secret.length > rules.maxLength) {
		return { status: 'Error', message: `The ${rules.label} is longer than the service allows (${rules.maxLength} characters)` };
	}
	if (secret.trim() !== secret) {
		return { status: 'Error', message: `The ${rules.label} starts or ends with white space; copy it again without it` };
	}
	if (rules.recommendedMinLength && secret.length < rules.recommendedMinLength) {
		return { status: 'OK', message: `Saved. Consider a longer ${rules.label} (at least ${rules.recommendedMinLength} characters).` };
	}
	return { status: 'OK', message: `The ${rules.label} is set` };
}
