/**
 * The files of one generation request, from the node's fields or a JSON list, checked against
 * ReportFlow's rules so a mistake gets a clear message naming the file instead of a Japanese
 * 400 after a round trip.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { parseJsonParameter } from '../../../core/actions/json';
import { isPlainObject } from '../../../core/values';

/** One file of a generation request, as the API takes it (`content`, or an entry of `contents`). */
export interface Content extends IDataObject {
	fileName: string;
	params: IDataObject;
}

const SHARE_TYPES = ['01', '02', '03'];
/** ReportFlow's rule for file names: none of / \ : * ? " < > | and no control characters. */
const FORBIDDEN_IN_FILE_NAME = /[/\\:*?"<>|\p{Cc}]/u;

export function readContents(ctx: IExecuteFunctions, itemIndex: number): Content[] {
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

function validateContents(ctx: IExecuteFunctions, entries: unknown[], itemIndex: number): Content[] {
	const fail = (message: string, description?: string) => new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
	const seen = new Map<string, number>();
	return entries.map((entry, index) => {
		const which = entries.length > 1 ? `File ${index + 1}` : 'The file';
		if (!isPlainObject(entry)) throw fail(`${which} is not an object with fileName and params`);
		const fileName = checkedFileName(entry.fileName, which, fail);
		// "a" and "a.pdf" end up as the same file.
		const key = fileName.replace(/\.pdf$/i, '');
		const earlier = seen.get(key);
		if (earlier !== undefined) {
			throw fail(`Files ${earlier + 1} and ${index + 1} are both named ${JSON.stringify(fileName)}`, 'The files of one request need unique names.');
		}
		seen.set(key, index);
		const params = entry.params ?? {};
		if (!isPlainObject(params)) throw fail(`The params of ${JSON.stringify(fileName)} must be a JSON object`);
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

function checkedFileName(value: unknown, which: string, fail: (message: string, description?: string) => Error): string {
	const fileName = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	if (!fileName) throw fail(`${which} has no file name`, 'Every file needs a fileName (ReportFlow adds .pdf).');
	const forbidden = FORBIDDEN_IN_FILE_NAME.exec(fileName);
	if (forbidden) {
		throw fail(
			`The file name ${JSON.stringify(fileName)} contains ${/\p{Cc}/u.test(forbidden[0]) ? 'a control character' : `"${forbidden[0]}"`}, which ReportFlow does not allow`,
			'File names must not contain / \\ : * ? " < > | or control characters.',
		);
	}
	return fileName;
}
