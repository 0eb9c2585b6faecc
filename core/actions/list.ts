/** n8n's Return All / Limit pair for operations that list things. */
import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

export const DEFAULT_LIMIT = 50;

/** `show` limits them to the listing operation. */
export function limitProperties(show: NonNullable<IDisplayOptions['show']>): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			displayOptions: { show },
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_LIMIT,
			displayOptions: { show: { ...show, returnAll: [false] } },
			description: 'Max number of results to return',
		},
	];
}

/** How many results to return: Infinity with Return All, else the limit (at least 1). */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return Infinity;
	return Math.max(1, ctx.getNodeParameter('limit', itemIndex, DEFAULT_LIMIT) as number);
}
