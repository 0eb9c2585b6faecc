/** Fields every download operation shares, and how to read them. */
import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

export interface DownloadSettings {
	binaryPropertyName: string;
	fileName?: string;
	maxBytes: number;
	timeoutMs: number;
	/** Deadline for the whole download, retries included (0: none). */
	totalTimeoutMs: number;
	allowPrivateNetwork: boolean;
	additionalAllowedHosts: string[];
	/** `fromTrigger` (the option not added): items from this package's triggers only. */
	skipAlreadyProcessed: 'fromTrigger' | 'always' | 'never';
	outputSkippedItems: boolean;
}

/**
 * Not unlimited by default: a forged or broken link could otherwise fill the binary data store.
 * 100 MB is five times the largest render a service documents (20 MB).
 */
export const DEFAULT_MAX_FILE_SIZE_MB = 100;
/** 10 minutes: a 100 MB file at a slow 200 KB/s; the 500 MB benchmark takes about 10 s. */
export const DEFAULT_TOTAL_TIMEOUT_SECONDS = 600;

/** The options of every download, in the order users see them. */
const DOWNLOAD_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Additional Allowed Hosts',
		name: 'additionalAllowedHosts',
		type: 'string',
		default: '',
		placeholder: 'e.g. files.example-cdn.com, *.storage.example.net',
		description:
			'Comma-separated extra host names files may come from (e.g. the storage host of a self-hosted installation). The service\'s own hosts and the credential\'s base URL are always allowed.',
	},
	{
		displayName: 'Allow Private Network',
		name: 'allowPrivateNetwork',
		type: 'boolean',
		default: false,
		description:
			'Whether to allow downloads from loopback, private and link-local addresses. Leave off unless the service runs on your own network: a forged event could otherwise make n8n fetch from inside it.',
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		description: 'Overrides the file name from the event or the server',
	},
	{
		displayName: 'Max File Size (MB)',
		name: 'maxFileSizeMb',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULT_MAX_FILE_SIZE_MB,
		description: `Refuse larger files (default ${DEFAULT_MAX_FILE_SIZE_MB} MB, several times the largest file the services document). 0 means no limit.`,
	},
	{
		displayName: 'Overall Timeout (Seconds)',
		name: 'totalTimeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULT_TOTAL_TIMEOUT_SECONDS,
		description:
			'Longest a download may take in all, retries included, so a server that trickles bytes cannot hold the execution forever. 0 means no limit.',
	},
	{
		displayName: 'Output Skipped Items',
		name: 'outputSkippedItems',
		type: 'boolean',
		default: false,
		description:
			'Whether to pass on an item skipped as already processed, marked alreadyProcessed: true and without a file, instead of leaving it out (an If node can then route it)',
	},
	{
		displayName: 'Skip Already Processed',
		name: 'skipAlreadyProcessed',
		type: 'boolean',
		// On as soon as it is added: adding the option is how users ask for it everywhere.
		default: true,
		description:
			'Whether to output nothing for a file this workflow has already downloaded, so a repeated event does not email the same PDF twice. Without this option, items from this package\'s triggers are checked (by their deliveryKey) and others are not; on, every item is; off, none.',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 120,
		description: 'How long to wait for the server to start sending or to send more data (idle timeout); see Overall Timeout for the whole download',
	},
];

/**
 * The field holding the file, and the download options. `show` limits them to the
 * operations that download.
 */
export function downloadProperties(show: NonNullable<IDisplayOptions['show']>): INodeProperties[] {
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
		{
			displayName: 'Download Options',
			name: 'downloadOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show },
			options: DOWNLOAD_OPTIONS,
		},
	];
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
		skipAlreadyProcessed: options.skipAlreadyProcessed === undefined ? 'fromTrigger' : options.skipAlreadyProcessed ? 'always' : 'never',
		outputSkippedItems: options.outputSkippedItems === true,
	};
}

/** Settings for operations without download options (API calls only). */
export const NO_DOWNLOAD_SETTINGS: Pick<DownloadSettings, 'allowPrivateNetwork' | 'additionalAllowedHosts'> = {
	allowPrivateNetwork: false,
	additionalAllowedHosts: [],
};
