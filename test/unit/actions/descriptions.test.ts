/**
 * What users see of the action nodes: type names, versions, credentials, parameters (names,
 * defaults, options, display rules) in their order. The fixture was generated from the nodes
 * before their operations moved into modules; any difference here is a change users would see.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeType } from 'n8n-workflow';

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

/** As n8n serves it to the editor: plain JSON. */
function described(): Record<string, unknown> {
	return JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(NODES).map(([key, node]) => [key, node.description])))) as Record<string, unknown>;
}

describe('action node descriptions', () => {
	const expected = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;

	test.each(Object.keys(NODES))('%s is exactly as recorded', (key) => {
		expect(described()[key]).toStrictEqual(expected[key]);
	});

	test('every action node is recorded', () => {
		expect(Object.keys(expected).sort()).toEqual(Object.keys(NODES).sort());
	});
});
