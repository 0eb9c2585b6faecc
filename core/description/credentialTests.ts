/**
 * Tests for credentials that hold only webhook secrets. No service offers an endpoint to
 * check a signing secret against, so the test checks what can be checked locally: that the
 * secret the trigger needs is there and usable.
 */
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { INCOMING_AUTH_FIELDS, incomingAuthFromCredential } from '../delivery/incomingAuthCredential';

export interface SecretRules {
	secretField: string;
	label: string;
	/** The secret may be empty when another check (e.g. header auth) protects the webhook. */
	optional?: boolean;
	maxLength?: number;
	/** Below this many characters the test passes with a warning-style message. */
	recommendedMinLength?: number;
	/** Whether header authentication fields may stand in for the secret. */
	allowsIncomingAuth?: boolean;
}

function text(data: ICredentialDataDecryptedObject | undefined, field: string): string {
	const value = data?.[field];
	return typeof value === 'string' ? value : '';
}

export function testWebhookSecretCredential(credential: ICredentialsDecrypted, rules: SecretRules): INodeCredentialTestResult {
	const data = credential.data;
	const secret = text(data, rules.secretField);
	const auth = rules.allowsIncomingAuth && data ? incomingAuthFromCredential(data) : { type: 'none' as const };

	if (auth.type === 'basic' && (!auth.username || !auth.password)) {
		return { status: 'Error', message: 'Basic Auth needs both a user name and a password' };
	}
	if (auth.type === 'bearer' && !auth.token.trim()) return { status: 'Error', message: 'Enter the bearer token' };
	if (auth.type === 'header' && (!auth.value.trim() || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(auth.headerName))) {
		return { status: 'Error', message: `Enter a valid header name and value (${INCOMING_AUTH_FIELDS.headerName})` };
	}
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
