/**
 * The shape every action node shares (n8n's versioned nodes: a router and one module per
 * operation). A node lists its resources, each with its operations in the order of the
 * Operation list; the router builds the Resource and Operation parameters from them and sends
 * each execution, and each call of a waiting operation's resume webhook, to its module.
 */
import {
	NodeOperationError,
	type IDisplayOptions,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

/** One operation: `nodes/<Service>/actions/<resource>/<operation>.ts`. */
export interface ActionOperation {
	/** The entry in the resource's Operation list: { name, value, action, description }. */
	option: INodePropertyOptions;
	/** This operation's own parameters, each shown only for its resource and operation. */
	properties: INodeProperties[];
	/** Runs the operation over the node's whole input. */
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]>;
	/** Only for operations that wait for a callback: the node's own resume webhook. */
	webhook?(this: IWebhookFunctions): Promise<IWebhookResponseData>;
}

export interface ActionResource {
	/** The entry in the Resource list: { name, value }. */
	option: INodePropertyOptions;
	/** In the order users see them (n8n's convention: alphabetical by name). */
	operations: ActionOperation[];
	/** The operation selected when the resource is chosen. */
	defaultOperation: string;
}

export interface ActionNodeShape {
	/** In the order users see them. */
	resources: ActionResource[];
	defaultResource: string;
}

/**
 * The Resource parameter, then one Operation parameter per resource. `versions` (a `show` rule
 * on `@version`, see ./versions.ts) limits them to the node versions this shape is for, when a
 * node's lists changed with a version.
 */
export function resourceProperties(shape: ActionNodeShape, versions?: NonNullable<IDisplayOptions['show']>): INodeProperties[] {
	const resource: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		...(versions ? { displayOptions: { show: versions } } : {}),
		options: shape.resources.map((entry) => entry.option),
		default: shape.defaultResource,
	};
	const operations = shape.resources.map(
		(entry): INodeProperties => ({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { ...versions, resource: [entry.option.value as string] } },
			options: entry.operations.map((operation) => operation.option),
			default: entry.defaultOperation,
		}),
	);
	return [resource, ...operations];
}

/** The module for a resource/operation pair, or undefined when the node has no such operation. */
export function findOperation(shape: ActionNodeShape, resource: string, operation: string): ActionOperation | undefined {
	const entry = shape.resources.find((candidate) => candidate.option.value === resource);
	return entry?.operations.find((candidate) => candidate.option.value === operation);
}

function unsupported(node: INode, resource: string, operation: string): NodeOperationError {
	return new NodeOperationError(node, `Unsupported operation ${resource}/${operation}`, {
		description: 'The node was saved by another version of this package; select the operation again.',
	});
}

/** Runs the selected operation (resource and operation cannot be expressions, so item 0 decides). */
export async function routeExecute(ctx: IExecuteFunctions, shape: ActionNodeShape): Promise<INodeExecutionData[][]> {
	const resource = ctx.getNodeParameter('resource', 0, shape.defaultResource) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const selected = findOperation(shape, resource, operation);
	if (!selected) throw unsupported(ctx.getNode(), resource, operation);
	return await selected.execute.call(ctx);
}

/** Hands a resume call to the operation that is waiting for it. */
export async function routeWebhook(ctx: IWebhookFunctions, shape: ActionNodeShape): Promise<IWebhookResponseData> {
	const resource = ctx.getNodeParameter('resource', shape.defaultResource) as string;
	const operation = ctx.getNodeParameter('operation', '') as string;
	const selected = findOperation(shape, resource, operation);
	if (!selected?.webhook) throw unsupported(ctx.getNode(), resource, operation);
	return await selected.webhook.call(ctx);
}
