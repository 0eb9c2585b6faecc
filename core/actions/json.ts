import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

/** A `json` parameter as an object: accepts the object n8n gives, or text holding JSON. */
export function parseJsonParameter(ctx: IExecuteFunctions, name: string, itemIndex: number): IDataObject {
	const value = ctx.getNodeParameter(name, itemIndex, {}) as unknown;
	let parsed = value;
	if (typeof value === 'string') {
		if (!value.trim()) return {};
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `The ${name} field is not valid JSON`, {
				itemIndex,
				description: (error as Error).message,
			});
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(ctx.getNode(), `The ${name} field must be a JSON object`, { itemIndex });
	}
	return parsed as IDataObject;
}
