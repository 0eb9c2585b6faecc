/** What Generate and Generate (Async) share: the request, its template version, and how its result is described. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { forEachItem, requiredString } from '../../../core/actions/execute';
import { connect, type ServiceConnection } from '../../../core/actions/policy';
import { readDownloadSettings, type DownloadSettings } from '../../../core/actions/properties';
import { reportFlow } from '../descriptor';
import { readContents, type Content } from './contents';
import { fetchDesigns } from './designs';

export interface GenerationRequest {
	designId: string;
	version: number;
	contents: Content[];
}

/** designId → latest version, from GET /file/designs, asked once per execution. */
type LatestVersions = Map<string, number>;

/** What a generation works with for one input item. */
export interface Generation {
	request: GenerationRequest;
	connection: ServiceConnection;
	settings: DownloadSettings;
	itemIndex: number;
}

/** Runs `generate` for every input item with that item's request. */
export async function forEachGeneration(
	ctx: IExecuteFunctions,
	generate: (generation: Generation) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[][]> {
	const latestVersions: LatestVersions = new Map();
	return await forEachItem(ctx, async (itemIndex) => {
		const settings = readDownloadSettings(ctx, itemIndex);
		const connection = await connect(ctx, reportFlow, settings);
		const request = await generationRequest(ctx, connection, latestVersions, itemIndex);
		return await generate({ request, connection, settings, itemIndex });
	});
}

export function generationBody(request: GenerationRequest): IDataObject {
	const { designId, version, contents } = request;
	return contents.length === 1 ? { designId, version, content: contents[0] } : { designId, version, contents };
}

export function generationPath(mode: 'sync' | 'async', request: GenerationRequest): string {
	return `/file/${mode}/${request.contents.length === 1 ? 'single' : 'multiple'}`;
}

/** The version to send: the one given, or the template's latest. */
async function templateVersion(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	designId: string,
	latestVersions: LatestVersions,
	itemIndex: number,
): Promise<number> {
	const given = Number(ctx.getNodeParameter('version', itemIndex, 0));
	if (Number.isFinite(given) && given >= 1) return Math.floor(given);
	if (!latestVersions.has(designId)) {
		for (const design of await fetchDesigns(ctx, connection, itemIndex)) {
			if (typeof design.id === 'string' && typeof design.latestVersion === 'number') latestVersions.set(design.id, design.latestVersion);
		}
	}
	const latest = latestVersions.get(designId);
	if (latest === undefined) {
		throw new NodeOperationError(ctx.getNode(), `ReportFlow has no template with the ID ${designId} in this workspace`, {
			itemIndex,
			description: 'Check the Template ID (Template → List shows the IDs), or set the Template Version to use.',
		});
	}
	return latest;
}

async function generationRequest(
	ctx: IExecuteFunctions,
	connection: ServiceConnection,
	latestVersions: LatestVersions,
	itemIndex: number,
): Promise<GenerationRequest> {
	const designId = requiredString(ctx, 'designId', 'Template ID', itemIndex);
	// Checked before anything is sent, so a bad list costs no request.
	const contents = readContents(ctx, itemIndex);
	const version = await templateVersion(ctx, connection, designId, latestVersions, itemIndex);
	return { designId, version, contents };
}

/** The request's ID and files, with the single file's fields on top for a later Download File. */
export function describeResult(request: GenerationRequest, result: IDataObject, files: IDataObject[] | undefined): IDataObject {
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
