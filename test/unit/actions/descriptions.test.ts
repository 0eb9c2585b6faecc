/**
 * What users see of the action nodes: type names, versions, credentials, parameters (names,
 * defaults, options, display rules) in their order. Each description is projected onto a
 * version the way the editor does it (parameters whose `@version` rule excludes it are dropped,
 * the rule itself is not part of what users see) and compared with a fixture: version 1 with
 * fixtures/descriptions.json, version 2 with fixtures/descriptions-v2.json. Any difference is a
 * change users would see; `UPDATE_DESCRIPTIONS=1` rewrites both files, so such a change shows up
 * as a reviewed diff of them.
 *
 * Between versions only what the version is for may differ: 1.1 (ReportFlow, DocGenLab) turns
 * the template field into a picker; 2 shows Skip Files Already Downloaded as a parameter of its
 * own (and PDF Gorilla lists every operation under PDF); both are checked one by one below.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeType } from 'n8n-workflow';

import { Docflo } from '../../../nodes/Docflo/Docflo.node';
import { DocGenLab } from '../../../nodes/DocGenLab/DocGenLab.node';
import { PdfGorilla } from '../../../nodes/PdfGorilla/PdfGorilla.node';
import { PdfSign } from '../../../nodes/PdfSign/PdfSign.node';
import { ReportFlow } from '../../../nodes/ReportFlow/ReportFlow.node';

const FIXTURE = join(__dirname, 'fixtures', 'descriptions.json');
const FIXTURE_V2 = join(__dirname, 'fixtures', 'descriptions-v2.json');

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
		if (Object.keys(show).length > 0) return [{ ...property, displayOptions: { ...displayOptions, show } }];
		// Shown for every other parameter value: as if it had no rule at all.
		const { show: _empty, ...rest } = displayOptions!;
		const { displayOptions: _none, ...withoutRules } = property;
		return [Object.keys(rest).length > 0 ? { ...withoutRules, displayOptions: rest } : withoutRules];
	});
	const { defaultVersion: _default, ...rest } = description;
	return { ...rest, version, properties };
}

/** The nodes that download, and so have a version 2. */
const VERSION_2 = ['reportFlow', 'docGenLab', 'pdfGorilla', 'pdfSign'];

if (process.env.UPDATE_DESCRIPTIONS === '1') {
	const record = (keys: string[], version: number) => `${JSON.stringify(Object.fromEntries(keys.map((key) => [key, atVersion(described(key), version)])), null, '\t')}\n`;
	writeFileSync(FIXTURE, record(Object.keys(NODES), 1));
	writeFileSync(FIXTURE_V2, record(VERSION_2, 2));
}

describe('action node descriptions', () => {
	const expected = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, Described>;
	const expectedV2 = JSON.parse(readFileSync(FIXTURE_V2, 'utf8')) as Record<string, Described>;

	test.each(Object.keys(NODES))('%s version 1 is exactly as recorded', (key) => {
		expect(atVersion(described(key), 1)).toStrictEqual(expected[key]);
	});

	test.each(VERSION_2)('%s version 2 is exactly as recorded', (key) => {
		expect(atVersion(described(key), 2)).toStrictEqual(expectedV2[key]);
	});

	test('every action node is recorded', () => {
		expect(Object.keys(expected).sort()).toEqual(Object.keys(NODES).sort());
		expect(Object.keys(expectedV2).sort()).toEqual([...VERSION_2].sort());
	});

	test.each(VERSION_2)('%s: new nodes get version 2, where only the download parameters (and PDF Gorilla\'s resources) changed', (key) => {
		const description = described(key);
		const versions = ([] as number[]).concat(description.version as number | number[]);
		expect(versions[versions.length - 1]).toBe(2);
		expect(description.defaultVersion).toBe(2);
		const previous = atVersion(description, versions[versions.length - 2]);
		const current = atVersion(description, 2);
		const changedWith2 = ['skipRepeats', 'downloadOptions', ...(key === 'pdfGorilla' ? ['resource', 'operation'] : [])];
		const unchanged = (d: Described) => d.properties.filter((p) => !changedWith2.includes(p.name as string));
		expect(unchanged(current)).toStrictEqual(unchanged(previous));

		// Skip Files Already Downloaded: shown, default in view, on exactly the operations that skip.
		const skip = current.properties.filter((p) => p.name === 'skipRepeats');
		expect(skip).toHaveLength(1);
		expect(skip[0]).toMatchObject({ displayName: 'Skip Files Already Downloaded', type: 'options', default: 'fromTrigger' });
		expect((skip[0].options as IDataObject[]).map((o) => o.value)).toEqual(['fromTrigger', 'always', 'never']);
		const skipping: Record<string, string[]> = { reportFlow: ['download', 'downloadZip'], docGenLab: ['download'], pdfGorilla: ['download'], pdfSign: ['download'] };
		expect(((skip[0].displayOptions as IDataObject).show as IDataObject).operation).toEqual(skipping[key]);
		// Its old form, an option to add, is gone from version 2 and still there for version 1.
		const optionNames = (d: Described) => d.properties.filter((p) => p.name === 'downloadOptions').flatMap((p) => (p.options as IDataObject[]).map((o) => o.name));
		expect(optionNames(current)).not.toContain('skipAlreadyProcessed');
		expect(optionNames(atVersion(description, 1))).toContain('skipAlreadyProcessed');
	});

	test.each([
		['reportFlow', 'designId', 'searchDesigns'],
		['docGenLab', 'templateId', 'searchTemplates'],
	])('%s: version 1.1, where only %s changed: a picker From List (%s) or By ID', (key, name, method) => {
		const description = described(key);
		expect(description.version).toEqual([1, 1.1, 2]);
		expect(Object.keys((NODES[key].methods?.listSearch ?? {}) as object)).toEqual([method]);

		const before = expected[key].properties;
		const after = atVersion(description, 1.1).properties;
		expect(after.map((p) => p.name)).toEqual(before.map((p) => p.name));
		const changed = before.flatMap((p, i) => (p.name === name ? [i] : []));
		expect(changed.length).toBeGreaterThan(0);
		expect(after.filter((_p, i) => !changed.includes(i))).toStrictEqual(before.filter((_p, i) => !changed.includes(i)));
		for (const index of changed) expectPicker(before[index], after[index], name, method);
	});

	test.each([
		['docflo', 1],
		['pdfGorilla', [1, 2]],
		['pdfSign', [1, 2]],
	])('%s has no pickers (versions %j)', (key, versions) => {
		expect(described(key).version).toEqual(versions);
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
