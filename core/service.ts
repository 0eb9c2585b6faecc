/**
 * What makes one document service different from another, as data. Each service folder
 * under nodes/ exports one `ServiceDescriptor`; the trigger and action nodes, their
 * parameters and the shared delivery and download paths all read it. Nothing in core/
 * names a service.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

// The contract every other part of the core reads: it imports nothing from the core itself.

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface HmacScheme {
	algorithm: HmacAlgorithm;
	encoding: 'hex' | 'base64';
	/** Text the provider puts before the digest, e.g. 'sha256='. */
	prefix?: string;
}

/** The methods a webhook credential's authentication option offers, as stored in the credential. */
export type IncomingAuthMethod = 'none' | 'basicAuth' | 'bearerToken' | 'apiKeyHeader';

/**
 * Where a webhook credential keeps the header authentication a service sends with each
 * delivery (the credential mirrors the service's own webhook form). The credential file
 * declares these names; the descriptor hands them to the core.
 */
export interface IncomingAuthFields {
	/** The options field holding an `IncomingAuthMethod`. */
	method: string;
	basicUser: string;
	basicPassword: string;
	bearerToken: string;
	headerName: string;
	headerValue: string;
	/** The header name used when the credential's header name field is empty. */
	defaultHeaderName: string;
}

export interface EventDefinition {
	/** The event name exactly as the service sends it, e.g. `document.generated`. */
	value: string;
	/** Shown in the Events filter. */
	name: string;
	description: string;
	/** A test delivery the service sends from its settings page. */
	isTest?: boolean;
}

/** One delivery, recognised: what the workflow receives and how retries are spotted. */
export interface RecognisedEvent {
	/** The event name used for filtering (one of `EventDefinition.value`, or an unknown one). */
	event: string;
	/** Output items, field names in camelCase; the pipeline adds the raw payload under `payload`. */
	items: IDataObject[];
	/** Same for every retry of this delivery, different for different deliveries; none for test pings, which a user may send again on purpose. */
	dedupeKey?: string;
	/**
	 * The time the service stamped on the delivery (as sent), for the replay window of services
	 * with a `replayWindow`. Undefined when the delivery carries none, which that window refuses.
	 */
	timestamp?: string;
	/**
	 * What each item carries under `payload` when the event fans out into several items: the
	 * event without the list it was split on, so a 500-file event does not copy the whole body
	 * into 500 items. Without it, fanned-out items carry no `payload`.
	 */
	payloadPerItem?: IDataObject;
}

export type Recognition = { ok: true; event: RecognisedEvent } | { ok: false; message: string };

export interface RecogniseInput {
	payload: IDataObject;
	/** Lower-case request headers. */
	headers: Record<string, string | string[] | undefined>;
	/** The trigger's own parameters, for service-specific output choices (e.g. one item per file). */
	parameters: IDataObject;
}

/** How a service proves that a delivery is genuine. Several may apply; all must pass. */
export type AuthenticityCheck =
	| {
			kind: 'signature';
			/** Header carrying the signature, lower-case. */
			header: string;
			scheme: HmacScheme;
			/** `always`: a secret must be configured (fail closed). `whenSecretSet`: the signature is optional in the service and only checked when the user set a secret. */
			required: 'always' | 'whenSecretSet';
			/**
			 * Some docs sign `JSON.stringify(parsedBody)` in their example but the raw body elsewhere:
			 * try the raw bytes first and the compact re-serialisation only when that fails.
			 */
			compactJsonFallback?: boolean;
	  }
	| {
			kind: 'sharedSecretHeader';
			/** Header carrying the secret itself, lower-case. */
			header: string;
	  }
	| {
			/** Basic / Bearer / custom header, as configured in the service's webhook settings. */
			kind: 'incomingAuth';
			/** The webhook credential's fields for it. */
			fields: IncomingAuthFields;
	  };

export interface WebhookCredentialFields {
	/** Credential type the trigger reads its secrets from. */
	type: string;
	/** That credential type's display name, for messages: `PDF Gorilla API`. */
	displayName: string;
	/** Field names inside that credential. */
	secretField: string;
	/** The secret field's label in the credential form, for messages: `Webhook Secret`. */
	secretLabel: string;
	previousSecretField?: string;
}

export interface DeliveryDescriptor {
	events: EventDefinition[];
	checks: AuthenticityCheck[];
	/** Where the secrets for `checks` live; absent for services that do not sign. */
	credential?: WebhookCredentialFields;
	/** The service's documented response deadline, for docs and tests (the trigger answers well within it). */
	responseDeadlineSeconds: number;
	/**
	 * The service's documented headers that carry no secret (its event id, event name or
	 * timestamp, lower-case): Include Request Headers shows them in clear, beside the generic
	 * ones in core/delivery/headers.ts. Every other header value is redacted.
	 */
	shownHeaders?: string[];
	/** Turn a parsed, authenticated payload into items, or say what is wrong with it (answered with 400). */
	recognise(input: RecogniseInput): Recognition;
	/**
	 * Replay protection for services whose deliveries carry a timestamp (`RecognisedEvent.timestamp`):
	 * deliveries older, or further in the future, than the trigger's Maximum Event Age are refused.
	 */
	replayWindow?: {
		/** The default of Maximum Event Age: wide enough for the service's retry schedule, well inside the dedupe window. */
		defaultMaxAgeSeconds: number;
		/** Where the timestamp comes from, in the user's words (for the option's description). */
		source: string;
	};
	/**
	 * Optional second opinion from the service's API before the workflow starts, for services
	 * that do not sign their webhooks. Runs inside the response deadline. When it confirms, the
	 * event it returns (built from the API's answer, not the unauthenticated body) is what the
	 * workflow receives and what is deduplicated.
	 */
	confirm?: (this: IWebhookFunctions, event: RecognisedEvent, limits: ConfirmationLimits) => Promise<ConfirmationResult>;
	/** With `confirm`: the default of the trigger's Confirmations per Minute, well inside the API's rate limit. */
	confirmCallsPerMinute?: number;
}

export interface ConfirmationLimits {
	/** At most this many API calls per minute for confirmations (per API credential, per n8n process). */
	callsPerMinute: number;
	/** Who asks (core/ip.ts `senderGroup`): one sender gets a fair share of the calls, not all of them. */
	sender: string;
}

export type ConfirmationResult =
	/** `event` replaces the recognised one; `payload` replaces the body under each item's `payload`. */
	| { outcome: 'confirmed'; event?: RecognisedEvent; payload?: IDataObject }
	| { outcome: 'rejected'; message: string }
	| { outcome: 'unavailable'; message: string }
	/** The node's own setup is incomplete: refused, and shown in the editor while testing. */
	| { outcome: 'misconfigured'; message: string };

export interface DownloadPolicy {
	/** Hosts the service serves API responses and files from ('*.example.com' allowed). */
	allowedHosts: string[];
}

/** What the shared HTTP path needs to know about a service's API beyond its address. */
export interface ApiConventions {
	/**
	 * Header (lower-case) in which a 429 says when the rate limit resets, for services that
	 * send one instead of Retry-After. Read as epoch milliseconds, epoch seconds or a delta
	 * in milliseconds (see parseRateLimitReset).
	 */
	rateLimitResetHeader?: string;
	/** How the service's API keys begin (`key_`), so a key echoed in an error text is masked even when it is not the credential's own. */
	keyPrefixes?: string[];
}

export interface ApiDescriptor extends ApiConventions {
	/** The n8n credential type of the service's API key. */
	credentialType: string;
	/** The API base URL (no trailing slash) for these credentials. */
	baseUrl(credentials: ICredentialDataDecryptedObject): string;
}

export interface ServiceDescriptor {
	/** camelCase id, the node names' stem: `acmeDocs`. */
	id: string;
	/** The service's own spelling: `Acme Docs`. */
	displayName: string;
	delivery: DeliveryDescriptor;
	download: DownloadPolicy;
	api: ApiDescriptor;
}

/** Context of an action node's operation. */
export type ActionContext = IExecuteFunctions;
