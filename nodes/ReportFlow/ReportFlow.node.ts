import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { forEachItem, requiredId, requiredString, safeId, settle } from '../../core/actions/execute';
import { parseJsonParameter } from '../../core/actions/json';
import { withFile } from '../../core/actions/output';
import { apiCall, connect, type ServiceConnection } from '../../core/actions/policy';
import { pollProperties, pollUntil, readPollSettings } from '../../core/actions/poll';
import { claimFor, onceFor, skippedItem } from '../../core/actions/processed';
import { NO_DOWNLOAD_SETTINGS, downloadProperties, readDownloadSettings, type DownloadSettings } from '../../core/actions/properties';
import { downloadToBinary, fileNameFromDisposition, sanitizeFileName, type DownloadedFile, type FileFormat } from '../../core/fetch/download';
import { firstHeader, requestJson, withResponse } from '../../core/fetch/transport';
import { reportFlow } from './descriptor';

/** One file of a generation request, as the API takes it (`content`, or an entry of `contents`). */
interface Content extends IDataObject {
	fileName: string;
	params: IDataObject;
}

/** A file a download operation should fetch: from the node's fields, or from an item's files list. */
interface FileRef {
	requestId: string;
	fileId: string;
	fileName?: string;
}

interface Design extends IDataObject {
	id: string;
	latestVersion: number;
}

/** What one execution of the node remembers across its items. */
interface RunState {
	/** designId → latest version, from GET /file/designs. */
	latestVersions: Map<string, number>;
	/** Request IDs whose ZIP this execution already produced. */
	zippedRequests: Set<string>;
}

const SHARE_TYPES = ['01', '02', '03'];
/** ReportFlow's rule for file names: none of / \ : * ? " < > | and no control characters. */
const FORBIDDEN_IN_FILE_NAME = /[/\\:*?"<>|\p{Cc}]/u;
/**
 * ReportFlow answers a sync generation that takes longer than 120 s with a 504 that says so;
 * waiting a little longer than that shows its message instead of our own timeout.
 */
const SYNC_GENERATION_TIMEOUT_MS = 130_000;
/** Fields of a trigger item that describe one file; a ZIP of the whole request is not about that file. */
const PER_FILE_FIELDS = ['fileId', 'fileName', 'fileIndex', 'params', 'files'];

const FILE_OPERATIONS = ['download', 'downloadZip', 'generate', 'generateAsync'];
const GENERATE = { resource: ['file'], operation: ['generate', 'generateAsync'] };

export class ReportFlow implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ReportFlow',
		name: 'reportFlow',
		icon: { light: 'file:reportflow.svg', dark: 'file:reportflow.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Generate PDFs from ReportFlow templates and download the files of finished requests',
		defaults: { name: 'ReportFlow' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'reportFlowApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'File', value: 'file' },
					{ name: 'Template', value: 'template' },
				],
				default: 'file',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['file'] } },
				options: [
					{
						name: 'Download All as ZIP',
						value: 'downloadZip',
						action: 'Download all files of a request as a ZIP',
						description: 'Download every file of a generation request as one ZIP archive',
					},
					{
						name: 'Download File',
						value: 'download',
						action: 'Download a generated file',
						description: 'Download one generated PDF, e.g. for each file a ReportFlow Trigger reports',
					},
					{
						name: 'Generate',
						value: 'generate',
						action: 'Generate a PDF',
						description: 'Fill a template and return the PDF, or a ZIP when several files are generated (waits for ReportFlow)',
					},
					{
						name: 'Generate (Async)',
						value: 'generateAsync',
						action: 'Start an async generation',
						description: 'Start a generation and return at once; a ReportFlow Trigger starts a workflow when the files are ready, or the node waits for them',
					},
				],
				default: 'download',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['template'] } },
				options: [
					{
						name: 'Get Parameters',
						value: 'getParameters',
						action: 'Get the parameters of a template',
						description: 'Get the values a template expects, to fill in Generate',
					},
					{ name: 'List', value: 'list', action: 'List templates', description: 'List the templates of the workspace, one item each' },
				],
				default: 'list',
			},

			// ---- Download File / Download All as ZIP ----
			{
				displayName: 'Request ID',
				name: 'requestId',
				type: 'string',
				default: '={{ $json.requestId }}',
				required: true,
				displayOptions: { show: { resource: ['file'], operation: ['download', 'downloadZip'] } },
				description:
					'The generation request the files belong to (called uuid on ReportFlow\'s webhook page). The default reads it from a ReportFlow Trigger\'s or a Generate (Async) output.',
			},
			{
				displayName: 'File ID',
				name: 'fileId',
				type: 'string',
				default: '={{ $json.fileId }}',
				displayOptions: { show: { resource: ['file'], operation: ['download'] } },
				description:
					'The file to download; the default reads it from a ReportFlow Trigger\'s output. When it is empty and the input item has a files list (a trigger with One Item per File turned off, or a Generate (Async) result for several files), every listed file is downloaded and output as its own item.',
			},
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '={{ $json.fileName }}',
				displayOptions: { show: { resource: ['file'], operation: ['download'] } },
				description: 'Name for the downloaded file; the default takes the one from the trigger. When empty, the file ID plus .pdf is used.',
			},
			{
				displayName: 'Items that share a Request ID (like the trigger\'s one item per file) get one ZIP, on the first of them',
				name: 'zipNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { resource: ['file'], operation: ['downloadZip'] } },
			},

			// ---- Generate / Generate (Async) / Get Parameters ----
			{
				displayName: 'Template ID',
				name: 'designId',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. design_123',
				displayOptions: { show: { operation: ['generate', 'generateAsync', 'getParameters'] } },
				description: 'The template (design) to use. Template → List shows the IDs of your workspace.',
			},
			{
				displayName: 'Template Version',
				name: 'version',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				displayOptions: { show: { operation: ['generate', 'generateAsync', 'getParameters'] } },
				description: 'Which version of the template to use. 0 uses its latest version.',
			},
			{
				displayName: 'Files to Generate',
				name: 'contentSource',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: GENERATE },
				options: [
					{
						name: 'From a JSON List',
						value: 'json',
						description: 'Several files in one request: they come back as one ZIP (one entry: a PDF)',
					},
					{ name: 'One File From the Fields Below', value: 'fields' },
				],
				default: 'fields',
			},
			{
				displayName: 'File Name',
				name: 'contentFileName',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. invoice-1001',
				displayOptions: { show: { ...GENERATE, contentSource: ['fields'] } },
				description: 'Name of the generated PDF; ReportFlow adds .pdf. It must not contain / \\ : * ? " &lt; &gt; |.',
			},
			{
				displayName: 'Template Values (JSON)',
				name: 'params',
				type: 'json',
				default: '{}',
				displayOptions: { show: { ...GENERATE, contentSource: ['fields'] } },
				description: 'The values to fill into the template. Template → Get Parameters shows which ones it expects.',
			},
			{
				displayName: 'File Options',
				name: 'contentOptions',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { ...GENERATE, contentSource: ['fields'] } },
				options: [
					{
						displayName: 'Passcode Protected',
						name: 'passcodeEnabled',
						type: 'boolean',
						default: false,
						description: 'Whether the shared link asks for a passcode',
					},
					{
						displayName: 'Passthrough (JSON)',
						name: 'passthrough',
						type: 'json',
						default: '{}',
						description: 'Your own data (e.g. a record ID), returned with the file so you can match it to its source',
					},
					{
						displayName: 'Share With',
						name: 'shareType',
						type: 'options',
						options: [
							{ name: 'Anyone With the Link', value: '03' },
							{ name: 'Invited People', value: '02' },
							{ name: 'Workspace Members', value: '01' },
						],
						default: '01',
						description: 'Who can open the file\'s share link in ReportFlow',
					},
				],
			},
			{
				displayName: 'Files (JSON)',
				name: 'contents',
				type: 'json',
				default: '[\n  { "fileName": "invoice-1", "params": {} },\n  { "fileName": "invoice-2", "params": {} }\n]',
				required: true,
				displayOptions: { show: { ...GENERATE, contentSource: ['json'] } },
				description:
					'A list with one entry per file: fileName, params, and optionally shareType ("01" workspace, "02" invited people, "03" anyone with the link), passcodeEnabled and passthrough. File names must be unique.',
			},
			...pollProperties({ resource: ['file'], operation: ['generateAsync'] }),
			{
				displayName: 'Download Result',
				name: 'downloadResult',
				type: 'boolean',
				default: true,
				displayOptions: { show: { resource: ['file'], operation: ['generateAsync'], waitForCompletion: [true] } },
				description: 'Whether to download the result once it is ready: the PDF, or a ZIP for several files',
			},
			...downloadProperties({ resource: ['file'], operation: FILE_OPERATIONS }),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const run: RunState = { latestVersions: new Map(), zippedRequests: new Set() };
		return await forEachItem(this, async (itemIndex, item) => {
			const settings = resource === 'file' ? readDownloadSettings(this, itemIndex) : undefined;
			const connection = await connect(this, reportFlow, settings ?? NO_DOWNLOAD_SETTINGS);
			if (resource === 'file' && operation === 'download') return await downloadFiles(this, connection, item, settings!, itemIndex);
			if (resource === 'file' && operation === 'downloadZip') return await downloadZips(this, connection, item, settings!, run, itemIndex);
			if (resource === 'file' && (operation === 'generate' || operation === 'generateAsync')) {
				const request = await generationRequest(this, connection, run, itemIndex);
				return operation === 'generate'
					? await generate(this, connection, request, settings!, itemIndex)
					: await generateAsync(this, connection, request, settings!, itemIndex);
			}
			if (resource === 'template' && operation === 'list') return await listTemplates(this, connection, itemIndex);
			if (resource === 'template' && operation === 'getParameters') return await templateParameters(this, connection, itemIndex);
			throw new NodeOperationError(this.getNode(), `Unsupported operation ${resource}/${operation}`, { itemIndex });
		});
	}
}

// ---- Downloads ----

function optionalString(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	return typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
}

/** The files list of a trigger item (One Item per File off) or of a Generate (Async) result. */
function listedFiles(json: IDataObject, fallbackRequestId: string): FileRef[] | undefined {
	if (!Array.isArray(json.files)) return undefined;
	const files: FileRef[] = [];
	for (const entry of json.files as unknown[]) {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
		const file = entry as IDataObject;
		const fileId = typeof file.fileId === 'string' ? file.fileId : '';
		// The webhook page calls the request ID `uuid`; the trigger and the current API `requestId`.
		const own = typeof file.requestId === 'string' ? file.requestId : typeof file.uuid === 'string' ? file.uuid : '';
		const requestId = own || fallbackRequestId;
		if (!fileId || !requestId) return undefined;
		files.push({ requestId, fileId, fileName: typeof file.fileName === 'string' ? file.fileName : undefined });
	}
	return files.length ? files : undefined;
}

/** Both IDs are checked by the caller (safeId): they come from events or expressions that read them. */
function downloadPath(requestId: string, fileId?: string): string {
	return `/file/download/${encodeURIComponent(requestId)}${fileId === undefined ? '' : `/${encodeURIComponent(fileId)}`}`;
}

/** File names from events are not trusted: no paths, no control characters. */
function safeName(name: string | undefined, fallback: string): string {
	return (name ? sanitizeFileName(name) : '') || fallback;
}

async function downloadOne(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	file: FileRef,
	item: INodeExecutionData,
	settings: DownloadSettings,
	itemIndex: number,
): Promise<DownloadedFile | undefined> {
	safeId(ctx, file.requestId, 'Request ID', itemIndex);
	safeId(ctx, file.fileId, 'File ID', itemIndex);
	return await onceFor(ctx, claimFor(ctx, settings, item, `reportFlow:file:${file.requestId}/${file.fileId}`), async () =>
		await downloadToBinary(
			ctx,
			apiCall(connection, { method: 'GET', path: downloadPath(file.requestId, file.fileId) }, itemIndex, { timeoutMs: settings.timeoutMs }),
			{ expectedFormat: 'pdf', maxBytes: settings.maxBytes, totalTimeoutMs: settings.totalTimeoutMs, fileName: settings.fileName ?? safeName(file.fileName, `${file.fileId}.pdf`) },
		),
	);
}

async function downloadFiles(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	item: INodeExecutionData,
	settings: DownloadSettings,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const fileId = optionalString(ctx, 'fileId', itemIndex);
	const listed = fileId ? undefined : listedFiles(item.json, optionalString(ctx, 'requestId', itemIndex));
	if (listed) {
		// One item per listed file, shaped like the trigger's one-item-per-file output.
		const common: IDataObject = { ...item.json };
		delete common.files;
		const output: INodeExecutionData[] = [];
		for (const [fileIndex, ref] of listed.entries()) {
			const file = await downloadOne(ctx, connection, ref, item, settings, itemIndex);
			const entry = (item.json.files as IDataObject[])[fileIndex];
			const json: IDataObject = { ...common, fileIndex, ...entry, requestId: ref.requestId, fileId: ref.fileId };
			const results = file ? [withFile(json, file, settings.binaryPropertyName)] : skippedItem(ctx, { json }, settings, `file ${ref.fileId}`);
			for (const result of results) output.push({ ...result, pairedItem: { item: itemIndex } });
		}
		return output;
	}
	const ref: FileRef = {
		requestId: requiredString(ctx, 'requestId', 'Request ID', itemIndex),
		fileId: requiredString(ctx, 'fileId', 'File ID', itemIndex),
		fileName: optionalString(ctx, 'fileName', itemIndex) || undefined,
	};
	const file = await downloadOne(ctx, connection, ref, item, settings, itemIndex);
	return file ? [{ ...withFile(item.json, file, settings.binaryPropertyName), pairedItem: { item: itemIndex } }] : skippedItem(ctx, item, settings, `file ${ref.fileId}`);
}

async function downloadZips(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	item: INodeExecutionData,
	settings: DownloadSettings,
	run: RunState,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const given = optionalString(ctx, 'requestId', itemIndex);
	const requestIds = given ? [given] : [...new Set((listedFiles(item.json, '') ?? []).map((f) => f.requestId))];
	if (!requestIds.length) requiredString(ctx, 'requestId', 'Request ID', itemIndex);
	const common: IDataObject = { ...item.json };
	for (const field of PER_FILE_FIELDS) delete common[field];
	const output: INodeExecutionData[] = [];
	for (const requestId of requestIds) {
		safeId(ctx, requestId, 'Request ID', itemIndex);
		// The trigger's one-item-per-file output repeats the request ID: one ZIP is enough.
		if (run.zippedRequests.has(requestId)) continue;
		const file = await onceFor(ctx, claimFor(ctx, settings, item, `reportFlow:zip:${requestId}`), async () =>
			await downloadToBinary(
				ctx,
				apiCall(connection, { method: 'GET', path: downloadPath(requestId) }, itemIndex, { timeoutMs: settings.timeoutMs }),
				{ expectedFormat: 'zip', maxBytes: settings.maxBytes, totalTimeoutMs: settings.totalTimeoutMs, fileName: settings.fileName ?? `${safeName(requestId, 'reportflow')}.zip` },
			),
		);
		run.zippedRequests.add(requestId);
		const results = file
			? [withFile({ ...common, requestId }, file, settings.binaryPropertyName)]
			: skippedItem(ctx, { json: { ...common, requestId } }, settings, `the ZIP of request ${requestId}`);
		for (const result of results) output.push({ ...result, pairedItem: { item: itemIndex } });
	}
	return output;
}

// ---- Generation ----

interface GenerationRequest {
	designId: string;
	version: number;
	contents: Content[];
}

function generationBody(request: GenerationRequest): IDataObject {
	const { designId, version, contents } = request;
	return contents.length === 1 ? { designId, version, content: contents[0] } : { designId, version, contents };
}

function generationPath(mode: 'sync' | 'async', request: GenerationRequest): string {
	return `/file/${mode}/${request.contents.length === 1 ? 'single' : 'multiple'}`;
}

/** The version to send: the one given, or the template's latest from GET /file/designs (once per execution). */
async function templateVersion(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	designId: string,
	run: RunState,
	itemIndex: number,
): Promise<number> {
	const given = Number(ctx.getNodeParameter('version', itemIndex, 0));
	if (Number.isFinite(given) && given >= 1) return Math.floor(given);
	if (!run.latestVersions.has(designId)) {
		for (const design of await fetchDesigns(ctx, connection, itemIndex)) {
			if (typeof design.id === 'string' && typeof design.latestVersion === 'number') run.latestVersions.set(design.id, design.latestVersion);
		}
	}
	const latest = run.latestVersions.get(designId);
	if (latest === undefined) {
		throw new NodeOperationError(ctx.getNode(), `ReportFlow has no template with the ID ${designId} in this workspace`, {
			itemIndex,
			description: 'Check the Template ID (Template → List shows the IDs), or set the Template Version to use.',
		});
	}
	return latest;
}

async function generationRequest(ctx: IExecuteFunctions, connection: ServiceConnection, run: RunState, itemIndex: number): Promise<GenerationRequest> {
	const designId = requiredString(ctx, 'designId', 'Template ID', itemIndex);
	// Checked before anything is sent, so a bad list costs no request.
	const contents = readContents(ctx, itemIndex);
	const version = await templateVersion(ctx, connection, designId, run, itemIndex);
	return { designId, version, contents };
}

function readContents(ctx: IExecuteFunctions, itemIndex: number): Content[] {
	const source = ctx.getNodeParameter('contentSource', itemIndex, 'fields') as string;
	if (source === 'json') return validateContents(ctx, parseContentList(ctx, itemIndex), itemIndex);
	const options = ctx.getNodeParameter('contentOptions', itemIndex, {}) as IDataObject;
	const content: IDataObject = {
		fileName: ctx.getNodeParameter('contentFileName', itemIndex, '') as string,
		params: parseJsonParameter(ctx, 'params', itemIndex),
	};
	if (options.shareType !== undefined) content.shareType = options.shareType;
	if (options.passcodeEnabled !== undefined) content.passcodeEnabled = options.passcodeEnabled;
	const passthrough = parseJsonValue(ctx, options.passthrough, 'Passthrough (JSON)', itemIndex);
	if (passthrough !== undefined && !isEmptyObject(passthrough)) content.passthrough = passthrough;
	return validateContents(ctx, [content], itemIndex);
}

function parseContentList(ctx: IExecuteFunctions, itemIndex: number): unknown[] {
	const value = parseJsonValue(ctx, ctx.getNodeParameter('contents', itemIndex, '[]'), 'Files (JSON)', itemIndex);
	if (!Array.isArray(value) || value.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Files (JSON) must be a list with at least one file', {
			itemIndex,
			description: 'For example: [{"fileName": "invoice-1", "params": {"companyName": "Company A"}}]',
		});
	}
	return value;
}

function parseJsonValue(ctx: IExecuteFunctions, value: unknown, label: string, itemIndex: number): unknown {
	if (typeof value !== 'string') return value;
	if (!value.trim()) return undefined;
	try {
		return JSON.parse(value) as unknown;
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `${label} is not valid JSON`, { itemIndex, description: (error as Error).message });
	}
}

function isEmptyObject(value: unknown): boolean {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * ReportFlow's rules for the files of one request, checked here so a mistake gets a clear
 * message naming the file instead of a Japanese 400 after a round trip.
 */
function validateContents(ctx: IExecuteFunctions, entries: unknown[], itemIndex: number): Content[] {
	const fail = (message: string, description?: string) => new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
	const seen = new Map<string, number>();
	return entries.map((entry, index) => {
		const which = entries.length > 1 ? `File ${index + 1}` : 'The file';
		if (!isObject(entry)) throw fail(`${which} is not an object with fileName and params`);
		const fileName = typeof entry.fileName === 'string' ? entry.fileName.trim() : typeof entry.fileName === 'number' ? String(entry.fileName) : '';
		if (!fileName) throw fail(`${which} has no file name`, 'Every file needs a fileName (ReportFlow adds .pdf).');
		const forbidden = FORBIDDEN_IN_FILE_NAME.exec(fileName);
		if (forbidden) {
			throw fail(
				`The file name ${JSON.stringify(fileName)} contains ${/\p{Cc}/u.test(forbidden[0]) ? 'a control character' : `"${forbidden[0]}"`}, which ReportFlow does not allow`,
				'File names must not contain / \\ : * ? " < > | or control characters.',
			);
		}
		// "a" and "a.pdf" end up as the same file.
		const key = fileName.replace(/\.pdf$/i, '');
		const earlier = seen.get(key);
		if (earlier !== undefined) {
			throw fail(`Files ${earlier + 1} and ${index + 1} are both named ${JSON.stringify(fileName)}`, 'The files of one request need unique names.');
		}
		seen.set(key, index);
		const params = entry.params ?? {};
		if (!isObject(params)) throw fail(`The params of ${JSON.stringify(fileName)} must be a JSON object`);
		const content: Content = { ...entry, fileName, params };
		if (content.shareType !== undefined && !SHARE_TYPES.includes(String(content.shareType))) {
			throw fail(`The shareType of ${JSON.stringify(fileName)} must be "01", "02" or "03"`, '"01": workspace members, "02": invited people, "03": anyone with the link.');
		}
		if (content.passcodeEnabled !== undefined && typeof content.passcodeEnabled !== 'boolean') {
			throw fail(`The passcodeEnabled of ${JSON.stringify(fileName)} must be true or false`);
		}
		return content;
	});
}

function pdfName(fileName: string): string {
	return sanitizeFileName(/\.pdf$/i.test(fileName) ? fileName : `${fileName}.pdf`) || 'document.pdf';
}

/** X-File-Mapping: a URL-encoded JSON array of {fileId, fileName, share, passthrough}. */
function parseFileMapping(ctx: IExecuteFunctions, header: string | undefined): IDataObject[] | undefined {
	if (!header) return undefined;
	try {
		const parsed = JSON.parse(decodeURIComponent(header)) as unknown;
		if (Array.isArray(parsed)) return parsed.filter(isObject);
	} catch {
		// Reported below; the file itself is fine.
	}
	ctx.logger.warn('ReportFlow: the X-File-Mapping header could not be read', { header: header.slice(0, 200) });
	return undefined;
}

/** The request's ID and files, with the single file's fields on top for a later Download File. */
function describeResult(request: GenerationRequest, result: IDataObject, files: IDataObject[] | undefined): IDataObject {
	const json: IDataObject = { designId: request.designId, version: request.version, ...result };
	if (files) json.files = files;
	if (request.contents.length === 1 && files?.length === 1) {
		const [file] = files;
		json.fileId = file.fileId;
		json.fileName = file.fileName;
		if (file.share !== undefined) json.share = file.share;
		if (file.passthrough !== undefined && file.passthrough !== null) json.passthrough = file.passthrough;
	}
	return json;
}

async function generate(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	request: GenerationRequest,
	settings: DownloadSettings,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const single = request.contents.length === 1;
	const file = await downloadToBinary(
		ctx,
		apiCall(connection, { method: 'POST', path: generationPath('sync', request), body: generationBody(request) }, itemIndex, {
			timeoutMs: Math.max(settings.timeoutMs, SYNC_GENERATION_TIMEOUT_MS),
		}),
		{
			expectedFormat: single ? 'pdf' : 'zip',
			maxBytes: settings.maxBytes, totalTimeoutMs: settings.totalTimeoutMs,
			fileName: settings.fileName ?? (single ? pdfName(request.contents[0].fileName) : undefined),
		},
	);
	const requestId = firstHeader(file.headers['request-id']);
	if (!single && !settings.fileName && !fileNameFromDisposition(firstHeader(file.headers['content-disposition']))) {
		// Otherwise the name would be the last segment of /file/sync/multiple.
		file.fileName = `${safeName(requestId, 'reportflow')}.zip`;
		file.binary.fileName = file.fileName;
	}
	const json = describeResult(
		request,
		{ requestId: requestId ?? null, fileUrl: firstHeader(file.headers['file-url']) ?? null },
		parseFileMapping(ctx, firstHeader(file.headers['x-file-mapping'])),
	);
	return [{ ...withFile(json, file, settings.binaryPropertyName), pairedItem: { item: itemIndex } }];
}

async function generateAsync(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	request: GenerationRequest,
	settings: DownloadSettings,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { body: started } = await requestJson<IDataObject>(
		ctx,
		apiCall(connection, { method: 'POST', path: generationPath('async', request), body: generationBody(request) }, itemIndex),
	);
	const files = Array.isArray(started.files) ? started.files.filter(isObject) : undefined;
	const json = describeResult(request, started, files);
	const poll = readPollSettings(ctx, itemIndex);
	if (!poll) return [{ json, pairedItem: { item: itemIndex } }];

	const requestId = typeof started.requestId === 'string' ? started.requestId : '';
	const single = request.contents.length === 1;
	const fileId = single && typeof json.fileId === 'string' ? json.fileId : undefined;
	if (requestId) safeId(ctx, requestId, 'Request ID', itemIndex);
	if (fileId) safeId(ctx, fileId, 'File ID', itemIndex);
	if (!requestId || (single && !fileId)) {
		throw new NodeOperationError(ctx.getNode(), 'ReportFlow accepted the generation but its answer has no request ID or file ID to wait for', {
			itemIndex,
			description: 'Turn off Wait for Completion and use a ReportFlow Trigger to continue when the files are ready.',
		});
	}
	// ReportFlow has no job-status endpoint: the download answers 404 until the files are ready,
	// so the node polls the download itself. When the result is wanted, the poll that succeeds
	// is the download (streamed straight into n8n); otherwise its body is discarded.
	const call = apiCall(connection, { method: 'GET', path: downloadPath(requestId, fileId) }, itemIndex, { timeoutMs: settings.timeoutMs });
	const format: FileFormat = single ? 'pdf' : 'zip';
	const fileName = settings.fileName ?? (single ? pdfName(String(json.fileName ?? request.contents[0].fileName)) : `${safeName(requestId, 'reportflow')}.zip`);
	const downloadResult = ctx.getNodeParameter('downloadResult', itemIndex, true) as boolean;
	const result = await pollUntil(ctx, 'ReportFlow', `request ${requestId}`, poll, itemIndex, async () =>
		downloadResult
			? await unlessNotReady(downloadToBinary(ctx, call, { expectedFormat: format, maxBytes: settings.maxBytes, totalTimeoutMs: settings.totalTimeoutMs, fileName }).then((file) => ({ file })))
			: await unlessNotReady(
					withResponse<{ file?: DownloadedFile }>(ctx, call, async (response) => {
						response.body.destroy();
						return {};
					}),
				),
	);
	const ready = { ...json, ready: true };
	return [result.file ? { ...withFile(ready, result.file, settings.binaryPropertyName), pairedItem: { item: itemIndex } } : { json: ready, pairedItem: { item: itemIndex } }];
}

/** The value, or undefined when ReportFlow answered 404 (the files are not ready yet). */
async function unlessNotReady<T>(attempt: Promise<T>): Promise<T | undefined> {
	const outcome = await settle(attempt);
	if ('value' in outcome) return outcome.value;
	if ((outcome.error as { httpCode?: string }).httpCode === '404') return undefined;
	throw outcome.error;
}

// ---- Templates ----

async function fetchDesigns(ctx: IExecuteFunctions, connection: ServiceConnection, itemIndex: number): Promise<Design[]> {
	const { body } = await requestJson<IDataObject>(ctx, apiCall(connection, { method: 'GET', path: '/file/designs' }, itemIndex));
	if (!Array.isArray(body.designs)) {
		throw new NodeOperationError(ctx.getNode(), 'ReportFlow answered GET /file/designs without a designs list', { itemIndex });
	}
	return body.designs.filter(isObject) as Design[];
}

async function listTemplates(ctx: IExecuteFunctions, connection: ServiceConnection, itemIndex: number): Promise<INodeExecutionData[]> {
	return (await fetchDesigns(ctx, connection, itemIndex)).map((design) => ({ json: design, pairedItem: { item: itemIndex } }));
}

async function templateParameters(ctx: IExecuteFunctions, connection: ServiceConnection, itemIndex: number): Promise<INodeExecutionData[]> {
	const designId = requiredId(ctx, 'designId', 'Template ID', itemIndex);
	const version = Number(ctx.getNodeParameter('version', itemIndex, 0));
	const { body } = await requestJson<unknown>(
		ctx,
		apiCall(
			connection,
			// Without a version ReportFlow describes the latest one.
			{ method: 'GET', path: `/file/design/parameter/${encodeURIComponent(designId)}`, qs: version >= 1 ? { version: Math.floor(version) } : undefined },
			itemIndex,
		),
	);
	const json: IDataObject = isObject(body) ? body : { designId, parameters: body as IDataObject[] };
	return [{ json, pairedItem: { item: itemIndex } }];
}
