/** core/actions/router: the Resource/Operation parameters from the modules, and dispatch of execute and the resume webhook. */
import { mock } from 'jest-mock-extended';
import type { IExecuteFunctions, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { findOperation, resourceProperties, routeExecute, routeWebhook, type ActionNodeShape, type ActionOperation } from '../../../core/actions/router';

function operation(value: string, webhook?: ActionOperation['webhook']): ActionOperation {
	return {
		option: { name: value.toUpperCase(), value, action: `Do ${value}`, description: `Does ${value}` },
		properties: [],
		execute: jest.fn(async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [[{ json: { ran: value, node: this.getNode().name } }]];
		}),
		webhook,
	};
}

const resumed: IWebhookResponseData = { workflowData: [[{ json: { resumed: true } }]] };
const wait = operation('generateAndWait', jest.fn(async () => resumed));
const SHAPE: ActionNodeShape = {
	resources: [
		{ option: { name: 'File', value: 'file' }, operations: [operation('download'), wait], defaultOperation: 'download' },
		{ option: { name: 'Template', value: 'template' }, operations: [operation('download'), operation('list')], defaultOperation: 'list' },
	],
	defaultResource: 'file',
};

function executeContext(parameters: Record<string, string>) {
	const ctx = mock<IExecuteFunctions>();
	ctx.getNode.mockReturnValue({ id: 'n', name: 'Node', type: 't', typeVersion: 1, position: [0, 0], parameters: {} });
	ctx.getNodeParameter.mockImplementation(((name: string, _i: number, fallback?: unknown) => parameters[name] ?? fallback) as IExecuteFunctions['getNodeParameter']);
	return ctx;
}

describe('resourceProperties', () => {
	test('the Resource list, then one Operation list per resource, in the order given', () => {
		expect(resourceProperties(SHAPE)).toEqual([
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
				options: [SHAPE.resources[0].operations[0].option, wait.option],
				default: 'download',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['template'] } },
				options: SHAPE.resources[1].operations.map((o) => o.option),
				default: 'list',
			},
		]);
	});
});

describe('routeExecute', () => {
	test('runs the module of the selected resource and operation, bound to the node\'s context', async () => {
		const ctx = executeContext({ resource: 'template', operation: 'download' });
		expect(await routeExecute(ctx, SHAPE)).toEqual([[{ json: { ran: 'download', node: 'Node' } }]]);
		expect(SHAPE.resources[1].operations[0].execute).toHaveBeenCalledTimes(1);
		expect(SHAPE.resources[0].operations[0].execute).not.toHaveBeenCalled();
	});

	test('an operation the resource does not have fails clearly', async () => {
		await expect(routeExecute(executeContext({ resource: 'template', operation: 'generateAndWait' }), SHAPE)).rejects.toThrow('Unsupported operation template/generateAndWait');
		expect(findOperation(SHAPE, 'nope', 'download')).toBeUndefined();
	});
});

describe('routeWebhook', () => {
	function webhookContext(parameters: Record<string, string>) {
		const ctx = mock<IWebhookFunctions>();
		ctx.getNodeParameter.mockImplementation(((name: string, fallback?: unknown) => parameters[name] ?? fallback) as IWebhookFunctions['getNodeParameter']);
		return ctx;
	}

	test('hands the resume call to the waiting operation', async () => {
		const ctx = webhookContext({ resource: 'file', operation: 'generateAndWait' });
		expect(await routeWebhook(ctx, SHAPE)).toBe(resumed);
		expect(wait.webhook).toHaveBeenCalledTimes(1);
	});

	test('an operation that does not wait has no webhook', async () => {
		await expect(routeWebhook(webhookContext({ resource: 'file', operation: 'download' }), SHAPE)).rejects.toThrow('Unsupported operation file/download');
	});
});
