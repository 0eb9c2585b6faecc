/**
 * What n8n shows around a trigger before any event: the trigger panel (header, test vs
 * production help, activation hint), the activation message and the listening text, each
 * written for its service; and the check that tells a user the service cannot reach this n8n.
 */
import type { INodeType, TriggerPanelDefinition } from 'n8n-workflow';

import { unreachableUrlHint, whyUnreachableFromInternet } from '../../../core/delivery/reachability';
import { DocfloTrigger } from '../../../nodes/Docflo/DocfloTrigger.node';
import { DocGenLabTrigger } from '../../../nodes/DocGenLab/DocGenLabTrigger.node';
import { PdfGorillaTrigger } from '../../../nodes/PdfGorilla/PdfGorillaTrigger.node';
import { PdfSignTrigger } from '../../../nodes/PdfSign/PdfSignTrigger.node';
import { ReportFlowTrigger } from '../../../nodes/ReportFlow/ReportFlowTrigger.node';

interface Case {
	name: string;
	node: INodeType;
	service: string;
	/** Where the service takes the Production URL, and which secret goes where, in its own words. */
	setup: RegExp[];
}

const CASES: Case[] = [
	{ name: 'reportFlowTrigger', node: new ReportFlowTrigger(), service: 'ReportFlow', setup: [/Workspace settings → Developer/, /Webhook URL/, /does not sign/, /IP Allowlist/] },
	{ name: 'docGenLabTrigger', node: new DocGenLabTrigger(), service: 'DocGenLab', setup: [/Settings → Developer/, /Save Webhook URL/, /Confirm With API/] },
	{ name: 'docfloTrigger', node: new DocfloTrigger(), service: 'Docflo', setup: [/HTTPS endpoint/, /Signing Secret/, /Authorization/, /Docflo Webhook credential/] },
	{ name: 'pdfGorillaTrigger', node: new PdfGorillaTrigger(), service: 'PDF Gorilla', setup: [/webhookUrl/, /webhookSecret/, /generate-async/, /x-pdfg-signature/] },
	{ name: 'pdfSignTrigger', node: new PdfSignTrigger(), service: 'PDF-Sign', setup: [/Developer → Webhooks/, /X-Webhook-Secret/, /PDF-Sign Webhook credential/] },
];

function texts(panel: TriggerPanelDefinition, key: 'executionsHelp' | 'activationHint'): { active: string; inactive: string } {
	const value = panel[key];
	if (typeof value !== 'object' || value === null) throw new Error(`${key} should have active and inactive texts`);
	return value;
}

describe.each(CASES)('$name', (c) => {
	const d = c.node.description;
	const panel = d.triggerPanel as TriggerPanelDefinition;

	test('has a trigger panel with a header, test/production help and an activation hint, active and inactive', () => {
		expect(typeof panel).toBe('object');
		expect(panel.header).toBe(`Pull in a ${c.service} event`);
		const help = texts(panel, 'executionsHelp');
		const hint = texts(panel, 'activationHint');
		for (const text of [help.active, help.inactive, hint.active, hint.inactive]) expect(text).toContain(c.service);
		expect(help.active).not.toEqual(help.inactive);
		expect(hint.active).not.toEqual(hint.inactive);
	});

	test('the help explains test vs production, the sample event and what to do when the service cannot reach n8n', () => {
		for (const text of Object.values(texts(panel, 'executionsHelp'))) {
			expect(text).toMatch(/test mode/);
			expect(text).toMatch(/production mode/);
			expect(text).toContain('Test URL');
			expect(text).toContain('Production URL');
			expect(text).toContain("Click 'Execute step'");
			expect(text).toContain('open the <b>Test URL</b> in your browser');
			expect(text).toContain('sample: true');
			expect(text).toContain('N8N_WEBHOOK_URL');
			for (const pattern of c.setup) expect(text).toMatch(pattern);
		}
	});

	test('the activation message says where the Production URL goes and which secret goes where', () => {
		expect(d.activationMessage).toEqual(expect.stringContaining(`${c.service} can now deliver`));
		for (const pattern of c.setup) expect(d.activationMessage).toMatch(pattern);
		// Shown as plain text by n8n 1.x's activation dialog.
		expect(d.activationMessage).not.toMatch(/<[a-z]/);
	});

	test('the listening text points to the sample', () => {
		expect(d.eventTriggerDescription).toContain(c.service);
		expect(d.eventTriggerDescription).toContain('sample');
	});
});

describe('whyUnreachableFromInternet', () => {
	test.each([
		['http://localhost:5678/webhook/x/webhook', /localhost is this machine/],
		['https://n8n.localhost/webhook/x', /is this machine/],
		['http://127.0.0.1:5678/webhook/x', /loopback or private/],
		['https://10.1.2.3/webhook/x', /loopback or private/],
		['https://192.168.1.20/webhook/x', /loopback or private/],
		['https://172.20.0.5/webhook/x', /loopback or private/],
		['https://[::1]:5678/webhook/x', /loopback or private/],
		['https://[fd00::1]/webhook/x', /loopback or private/],
		['https://n8n:5678/webhook/x', /local network name/],
		['https://nas.local/webhook/x', /local network name/],
		['https://n8n.internal/webhook/x', /local network name/],
		['http://n8n.example.com/webhook/x', /uses http/],
		['not a url', /not a valid URL/],
	])('%s cannot be reached', (url, reason) => {
		expect(whyUnreachableFromInternet(url)).toMatch(reason);
	});

	test.each(['https://n8n.example.com/webhook/x/webhook', 'https://hooks.example.org:8443/webhook-test/x', 'https://93.184.216.34/webhook/x'])('%s looks public', (url) => {
		expect(whyUnreachableFromInternet(url)).toBeUndefined();
	});

	test('the hint names the service and the setting to change, and nothing for a public URL', () => {
		expect(unreachableUrlHint('ReportFlow', 'http://localhost:5678/webhook/x')).toMatch(/^ReportFlow cannot reach .*N8N_WEBHOOK_URL \(WEBHOOK_URL on n8n 1\.x\)/);
		expect(unreachableUrlHint('ReportFlow', 'https://n8n.example.com/webhook/x')).toBeUndefined();
	});
});
