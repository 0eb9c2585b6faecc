/**
 * What users see of the action nodes: type names, versions, credentials, parameters (names,
 * defaults, options, display rules) in their order. The fixture was generated from the nodes
 * before their operations moved into modules; any difference here is a change users would see.
 *
 * ReportFlow and DocGenLab have a version 1.1 (the Template pickers). The fixture stays what a
 * version 1 node shows: each description is projected onto a version the way the editor
 * does it (parameters whose `@version` rule excludes it are dropped, the rule itself is not
 * part of what users see), so version 1 must match the fixture exactly, and version 1.1 must
 * match it too except for the template parameters, checked one by one below.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeType } from 'n8n-workflow';

import { Docflo } from '../../../nodes/Docflo/Docflo.node';
import { DocGenLab } from '../../../nodes/DocGenLab/DocGenLab.node';
import { PdfGorilla } from '../../../nodes/PdfGorilla/PdfGorilla.node';
import { PdfSign } from '../../../nodes/PdfSign/PdfSign.node';
import { ReportFlow } from '../../../nodes/ReportFlow/ReportFlow.node';

const FIXTURE = join(__dirname, 'fixtures', 'descriptions.json');

const NODES: Record<string, INodeType> = {
	reportFlow: new ReportFlow(),
	docGenLab: new DocGenLab(),
	docflo: new Docflo(),
	pdfGorilla: new PdfGorilla(),
	pdfSign: new PdfSign(),
};

type Described = IDataObject & { properties: IDataObject[] };

/** As n8n serves it to the editor: plain JSON. */
function described(key: string): Described {
	return JSON.parse(JSON.stringify(NODES[key].description)) as Described;
}

/** n8n's `@version` rule: version numbers, or `{ _cnd: { gte | lte | eq … } }` conditions. */
function versionMatches(rule: unknown[], version: number): boolean {
	return rule.some((entry) => {
		if (typeof entry === 'number') return entry === version;
		const condition = (entry as { _cnd: Record<string, number> })._cnd;
		const [[operator, bound]] = Object.entries(condition);
		const checks: Record<string, boolean> = { eq: version === bound, gte: version >= bound, lte: version <= bound, gt: version > bound, lt: version < bound };
		if (!(operator in checks)) throw new Error(`unhandled @version condition ${operator}`);
		return checks[operator];
	});
}

/** What a node of `version` shows: its parameters without the ones hidden for it, and without the `@version` rules. */
function atVersion(description: Described, version: number): Described {
	const versions = ([] as number[]).concat(description.version as number | number[]);
	if (!versions.includes(version)) throw new Error(`${String(description.name)} has no version ${version}`);
	const properties = description.properties.flatMap((property) => {
		const displayOptions = property.displayOptions as { show?: IDataObject; hide?: IDataObject } | undefined;
		const rule = displayOptions?.show?.['@version'] as unknown[] | undefined;
		if (!rule) return [property];
		if (!versionMatches(rule, version)) return [];
		const { ['@version']: _dropped, ...show } = displayOptions!.show!;
		return [{ ...property, displayOptions: { ...displayOptions, show } }];
	});
	const { defaultVersion: _default, ...rest } = description;
	return { ...rest, version, properties };
}

describe('action node descriptions', () => {
	const expected = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, Described>;

	test.each(Object.keys(NODES))('%s version 1 is exactly as recorded', (key) => {
		expect(atVersion(described(key), 1)).toStrictEqual(expected[key]);
	});

	test('every action node is recorded', () => {
		expect(Object.keys(expected).sort()).toEqual(Object.keys(NODES).sort());
	});

	test.each([
		['reportFlow', 'designId', 'searchDesigns'],
		['docGenLab', 'templateId', 'searchTemplates'],
	])('%s: new nodes get version 1.1, where only %s changed: a picker From List (%s) or By ID', (key, name, method) => {
		const description = described(key);
		expect(description.version).toEqual([1, 1.1]);
		expect(description.defaultVersion).toBe(1.1);
		expect(Object.keys((NODES[key].methods?.listSearch ?? {}) as object)).toEqual([method]);

		const before = expected[key].properties;
		const after = atVersion(description, 1.1).properties;
		expect(after.map((p) => p.name)).toEqual(before.map((p) => p.name));
		const changed = before.flatMap((p, i) => (p.name === name ? [i] : []));
		expect(changed.length).toBeGreaterThan(0);
		expect(after.filter((_p, i) => !changed.includes(i))).toStrictEqual(before.filter((_p, i) => !changed.includes(i)));
		for (const index of changed) expectPicker(before[index], after[index], name, method);
	});

	test.each(['docflo', 'pdfGorilla', 'pdfSign'])('%s has one version and no pickers', (key) => {
		expect(described(key).version).toBe(1);
		expect(described(key).properties.some((p) => p.type === 'resourceLocator')).toBe(false);
	});
});

/** The picker that replaced a version 1 text field: same name, place and display rules, From List or By ID. */
function expectPicker(old: IDataObject, locator: IDataObject, name: string, method: string): void {
	expect(locator).toMatchObject({
		displayName: 'Template',
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		displayOptions: old.displayOptions,
	});
	const modes = locator.modes as IDataObject[];
	expect(modes.map((m) => [m.name, m.displayName, m.type])).toEqual([
		['list', 'From List', 'list'],
		['id', 'By ID', 'string'],
	]);
	expect(modes[0].typeOptions).toEqual({ searchListMethod: method, searchable: true });
	expect(modes[1].placeholder).toBe(old.placeholder);
}
