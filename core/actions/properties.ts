/** Fields every download operation shares, and how to read them. */
import { NodeOperationError, type IDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { VISIBLE_DEFAULTS_VERSION, beforeVersion, fromVersion, nodeIsAtLeast } from './versions';

export interface DownloadSettings {
	binaryPropertyName: string;
	fileName?: string;
	maxBytes: number;
	timeoutMs: number;
	/** Deadline for the whole download, retries included (0: none). */
	totalTimeoutMs: number;
	allowPrivateNetwork: boolean;
	additionalAllowedHosts: string[];
	/** Which items are checked against the files this workflow already downloaded. */
	skipRepeats: SkipRepeats;
	outputSkippedItems: boolean;
}

/**
 * Not unlimited by default: a forged or broken link could otherwise fill the binary data store.
 * 100 MB is five times the largest render a service documents (20 MB).
 */
export const DEFAULT_MAX_FILE_SIZE_MB = 100;
/** 10 minutes: a 100 MB file at a slow 200 KB/s; the 500 MB benchmark takes about 10 s. */
export const DEFAULT_TOTAL_TIMEOUT_SECONDS = 600;

/** "Skip Files Already Downloaded": which items the download checks against the files this workflow already has. */
export type SkipRepeats = 'fromTrigger' | 'always' | 'never';

type Show = NonNullable<IDisplayOptions['show']>;

const SKIP_REPEATS_VALUES: readonly SkipRepeats[] = ['fromTrigger', 'always', 'never'];

const ADDITIONAL_ALLOWED_HOSTS: INodeProperties = {
	displayName: 'Additional Allowed Hosts',
	name: 'additionalAllowedHosts',
	type: 'string',
	default: '',
	placeholder: 'e.g. files.example-cdn.com, *.storage.example.net',
	description:
		'Comma-separated extra host names files may come from (e.g. the storage host of a self-hosted installation). The service\'s own hosts and the credential\'s base URL are always allowed.',
};

const ALLOW_PRIVATE_NETWORK: INodeProperties = {
	displayName: 'Allow Private Network',
	name: 'allowPrivateNetwork',
	type: 'boolean',
	default: false,
	description:
		'Whether to allow downloads from loopback, private and link-local addresses. Leave off unless the service runs on your own network: a forged event could otherwise make n8n fetch from inside it.',
};

const FILE_NAME: INodeProperties = {
	displayName: 'File Name',
	name: 'fileName',
	type: 'string',
	default: '',
	description: 'Overrides the file name from the event or the server',
};

const IDLE_TIMEOUT: INodeProperties = {
	displayName: 'Idle Timeout (Seconds)',
	name: 'timeoutSeconds',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 120,
	description: 'Give up when the server sends nothing for this long',
};

const MAX_FILE_SIZE: INodeProperties = {
	displayName: 'Max File Size (MB)',
	name: 'maxFileSizeMb',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_MAX_FILE_SIZE_MB,
	description: `Refuse larger files (default ${DEFAULT_MAX_FILE_SIZE_MB} MB, several times the largest file the services document). 0 means no limit.`,
};

const OUTPUT_SKIPPED_ITEMS: INodeProperties = {
	displayName: 'Output Skipped Items',
	name: 'outputSkippedItems',
	type: 'boolean',
	default: false,
	description:
		'Whether to pass on an item skipped as already downloaded, marked alreadyProcessed: true and without a file, instead of leaving it out (an If node can then route it)',
};

const TOTAL_TIMEOUT: INodeProperties = {
	displayName: 'Total Timeout (Seconds)',
	name: 'totalTimeoutSeconds',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_TOTAL_TIMEOUT_SECONDS,
	description: 'Give up when the whole download, retries included, takes longer. 0 means no limit.',
};

/** Version 1's option: absent means "items from the triggers", added means on (true) or off (false). */
const SKIP_ALREADY_PROCESSED_OPTION: INodeProperties = {
	displayName: 'Skip Already Processed',
	name: 'skipAlreadyProcessed',
	type: 'boolean',
	// On as soon as it is added: adding the option is how users ask for it everywhere.
	default: true,
	description:
		'Whether to output nothing for a file this workflow has already downloaded, so a repeated event does not email the same PDF twice. Without this option, items from this package\'s triggers are checked (by their deliveryKey) and others are not; on, every item is; off, none.',
};

/** The options of every download of version 1 nodes, in the order users see them. */
const VERSION_1_OPTIONS: INodeProperties[] = [
	ADDITIONAL_ALLOWED_HOSTS,
	ALLOW_PRIVATE_NETWORK,
	FILE_NAME,
	IDLE_TIMEOUT,
	MAX_FILE_SIZE,
	OUTPUT_SKIPPED_ITEMS,
	SKIP_ALREADY_PROCESSED_OPTION,
	TOTAL_TIMEOUT,
];

/** From version 2: the same without the skip setting, which became a parameter; Output Skipped Items only where something is skipped. */
function optionsFromVersion2(skipsRepeats: boolean): INodeProperties[] {
	return [ADDITIONAL_ALLOWED_HOSTS, ALLOW_PRIVATE_NETWORK, FILE_NAME, IDLE_TIMEOUT, MAX_FILE_SIZE, ...(skipsRepeats ? [OUTPUT_SKIPPED_ITEMS] : []), TOTAL_TIMEOUT];
}

function skipRepeatsProperty(show: Show, service: string): INodeProperties {
	return {
		displayName: 'Skip Files Already Downloaded',
		name: 'skipRepeats',
		type: 'options',
		noDataExpression: true,
		default: 'fromTrigger',
		displayOptions: { show },
		options: [
			{
				name: 'For Trigger Events',
				value: 'fromTrigger',
				description: `Items from a ${service} Trigger: a repeated event outputs nothing. Not in manual test runs.`,
			},
			{ name: 'For Every Item', value: 'always', description: 'Also IDs typed in or from other nodes, and in manual test runs' },
			{ name: 'Never', value: 'never', description: 'Download every time' },
		],
		description: 'Whether to leave out a file this workflow has already downloaded, so a repeated event is not emailed twice',
	};
}

function downloadOptionsProperty(show: Show, options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Download Options',
		name: 'downloadOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options,
	};
}

/** `show` narrowed to some of its operations; undefined when none is left. */
function forOperations(show: Show, keep: (operation: string) => boolean): Show | undefined {
	const operations = ((show.operation ?? []) as string[]).filter(keep);
	return operations.length ? { ...show, operation: operations } : undefined;
}

/**
 * The field holding the file, and the download options. `show` limits them to the operations
 * that download; `skipsRepeatsIn` names those of them that skip a file this workflow already
 * downloaded (they call downloadOnce), and `service` words the skip setting for its trigger.
 */
export function downloadProperties(show: Show, skipsRepeatsIn: string[] = [], service = ''): INodeProperties[] {
	const skipping = forOperations(show, (operation) => skipsRepeatsIn.includes(operation));
	const notSkipping = forOperations(show, (operation) => !skipsRepeatsIn.includes(operation));
	return [
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			displayOptions: { show },
			hint: 'The name of the output binary field to put the file in',
		},
		...(skipping ? [skipRepeatsProperty(fromVersion(VISIBLE_DEFAULTS_VERSION, skipping), service)] : []),
		downloadOptionsProperty(beforeVersion(VISIBLE_DEFAULTS_VERSION, show), VERSION_1_OPTIONS),
		...(skipping ? [downloadOptionsProperty(fromVersion(VISIBLE_DEFAULTS_VERSION, skipping), optionsFromVersion2(true))] : []),
		...(notSkipping ? [downloadOptionsProperty(fromVersion(VISIBLE_DEFAULTS_VERSION, notSkipping), optionsFromVersion2(false))] : []),
	];
}

/**
 * Which items to check, from either shape: version 2's parameter, or version 1's option
 * (absent: items from the triggers; added: on for every item, or off).
 */
export function readSkipRepeats(ctx: IExecuteFunctions, itemIndex: number, version1Option: boolean | undefined): SkipRepeats {
	if (!nodeIsAtLeast(ctx, VISIBLE_DEFAULTS_VERSION)) return version1Option === undefined ? 'fromTrigger' : version1Option ? 'always' : 'never';
	const value = ctx.getNodeParameter('skipRepeats', itemIndex, 'fromTrigger') as unknown;
	if (SKIP_REPEATS_VALUES.includes(value as SkipRepeats)) return value as SkipRepeats;
	throw new NodeOperationError(ctx.getNode(), `Skip Files Already Downloaded has an unknown value: ${String(value)}`, {
		itemIndex,
		description: 'Select one of the listed choices.',
	});
}

export function readDownloadSettings(ctx: IExecuteFunctions, itemIndex: number): DownloadSettings {
	const options = ctx.getNodeParameter('downloadOptions', itemIndex, {}) as {
		additionalAllowedHosts?: string;
		allowPrivateNetwork?: boolean;
		fileName?: string;
		maxFileSizeMb?: number;
		skipAlreadyProcessed?: boolean;
		outputSkippedItems?: boolean;
		timeoutSeconds?: number;
		totalTimeoutSeconds?: number;
	};
	return {
		binaryPropertyName: (ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string).trim() || 'data',
		fileName: options.fileName?.trim() || undefined,
		maxBytes: Math.max(0, options.maxFileSizeMb ?? DEFAULT_MAX_FILE_SIZE_MB) * 1024 * 1024,
		timeoutMs: Math.max(1, options.timeoutSeconds ?? 120) * 1000,
		totalTimeoutMs: Math.max(0, options.totalTimeoutSeconds ?? DEFAULT_TOTAL_TIMEOUT_SECONDS) * 1000,
		allowPrivateNetwork: options.allowPrivateNetwork === true,
		additionalAllowedHosts: (options.additionalAllowedHosts ?? '')
			.split(/[\s,]+/)
			.map((h) => h.trim())
			.filter(Boolean),
		skipRepeats: readSkipRepeats(ctx, itemIndex, options.skipAlreadyProcessed),
		outputSkippedItems: options.outputSkippedItems === true,
	};
}

/** Settings for operations without download options (API calls only). */
export const NO_DOWNLOAD_SETTINGS: Pick<DownloadSettings, 'allowPrivateNetwork' | 'additionalAllowedHosts'> = {
	allowPrivateNetwork: false,
	additionalAllowedHosts: [],
};
