/**
 * What n8n shows around a trigger before any event, each written for its service: the setup
 * notice (where the Production URL goes, in the service's own words), the hint under Execute
 * step (how to get a first event: the sample behind the Test URL, or one from the service), the
 * canvas line while listening, the activation message; and the check that tells a user the
 * service cannot reach this n8n.
 */
import type { INodeProperties, INodeType, TriggerPanelDefinition } from 'n8n-workflow';

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
	/** Where the service takes the Production URL, in its own UI words. */
	setup: RegExp[];
	/** How the service sends an event to the Test URL. */
	testEvent: RegExp;
}

const CASES: Case[] = [
	{ name: 'reportFlowTrigger', node: new ReportFlowTrigger(), service: 'ReportFlow', setup: [/Workspace settings → Developer → Webhook URL/, /Update/], testEvent: /generate a PDF in ReportFlow/ },
	{ name: 'docGenLabTrigger', node: new DocGenLabTrigger(), service: 'DocGenLab', setup: [/Settings → Developer/, /Save Webhook URL/], testEvent: /Test Webhook/ },
	{ name: 'docfloTrigger', node: new DocfloTrigger(), service: 'Docflo', setup: [/HTTPS endpoint/, /Signing Secret/], testEvent: /Docflo webhook/ },
	{ name: 'pdfGorillaTrigger', node: new PdfGorillaTrigger(), service: 'PDF Gorilla', setup: [/Webhook URL/, /Start Generation/], testEvent: /start a generation/ },
	{ name: 'pdfSignTrigger', node: new PdfSignTrigger(), service: 'PDF-Sign', setup: [/Developer → Webhooks/, /secret/], testEvent: /PDF-Sign webhook/ },
];

const plain = (html: string) => html.replace(/<[^>]*>/g, '');

describe.each(CASES)('$name', (c) => {
	const d = c.node.description;
	const panel = d.triggerPanel as TriggerPanelDefinition;
	const notice = d.properties.find((p) => p.name === 'setupNotice') as INodeProperties;

	test('the setup notice says where the Production URL goes, in the service\'s words, and nothing about the API', () => {
		expect(notice.type).toBe('notice');
		for (const pattern of c.setup) expect(plain(notice.displayName)).toMatch(pattern);
		expect(notice.displayName).toContain("this node's Production URL");
		// API words belong in the docs behind the Docs link.
		expect(notice.displayName).not.toMatch(/POST |\/templates|webhookUrl|webhookSecret|X-|x-pdfg|N8N_|WEBHOOK_URL/);
	});

	test('n8n keeps its own header and test/production help (they say "publish" on 2.x, "activate" on 1.x); ours is the hint under Execute step', () => {
		expect(Object.keys(panel)).toEqual(['activationHint']);
		expect(panel.activationHint).toContain('Execute step');
		expect(panel.activationHint).toContain('open the Test URL in a browser for a sample event');
		expect(panel.activationHint).toMatch(c.testEvent);
	});

	test('the activation message says where the Production URL goes, as plain text and without version words', () => {
		expect(d.activationMessage).toEqual(expect.stringContaining(`${c.service} can now deliver to this workflow.`));
		for (const pattern of c.setup) expect(d.activationMessage).toMatch(pattern);
		expect(d.activationMessage).toContain('its Production URL');
		// Shown as plain text by n8n 1.x's activation dialog.
		expect(d.activationMessage).not.toMatch(/<[a-z]/);
	});

	test('the listening line on the canvas points to the sample', () => {
		expect(d.eventTriggerDescription).toContain(c.service);
		expect(d.eventTriggerDescription).toContain('open the Test URL in a browser for a sample');
	});

	test('the answer deadline is explained only under "When the Workflow Has Finished"', () => {
		const respond = d.properties.find((p) => p.name === 'responseMode') as INodeProperties;
		expect(respond.hint).toBeUndefined();
		const deadline = d.properties.filter((p) => p.type === 'notice' && p.name !== 'setupNotice');
		expect(deadline).toHaveLength(1);
		expect(deadline[0].displayOptions).toEqual({ show: { responseMode: ['lastNode'] } });
		expect(deadline[0].displayName).toMatch(new RegExp(`^${c.service} waits about \\d+ seconds for the answer`));
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
