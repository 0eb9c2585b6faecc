/**
 * The sample event each trigger emits when the Test URL is opened in a browser while the
 * editor listens: the service's documented example, through the same parse path as a real
 * delivery, marked `sample: true`, with download links nobody can fetch. On the Production
 * URL the same GET starts nothing.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';

import { chooseSample, sampleEventItems, type SampleEvent } from '../../../core/delivery/sampleEvent';
import { checkUrl } from '../../../core/fetch/urlPolicy';
import type { ServiceDescriptor } from '../../../core/service';
import { docflo } from '../../../nodes/Docflo/descriptor';
import { DocfloTrigger } from '../../../nodes/Docflo/DocfloTrigger.node';
import { docfloSamples } from '../../../nodes/Docflo/samples';
import { docGenLab } from '../../../nodes/DocGenLab/descriptor';
import { DocGenLabTrigger } from '../../../nodes/DocGenLab/DocGenLabTrigger.node';
import { docGenLabSamples } from '../../../nodes/DocGenLab/samples';
import { pdfGorilla } from '../../../nodes/PdfGorilla/descriptor';
import { PdfGorillaTrigger } from '../../../nodes/PdfGorilla/PdfGorillaTrigger.node';
import { pdfGorillaSamples } from '../../../nodes/PdfGorilla/samples';
import { pdfSign } from '../../../nodes/PdfSign/descriptor';
import { PdfSignTrigger } from '../../../nodes/PdfSign/PdfSignTrigger.node';
import { pdfSignSamples } from '../../../nodes/PdfSign/samples';
import { reportFlow } from '../../../nodes/ReportFlow/descriptor';
import { ReportFlowTrigger } from '../../../nodes/ReportFlow/ReportFlowTrigger.node';
import { reportFlowSamples } from '../../../nodes/ReportFlow/samples';
import { defaultParameters, runWebhook, type RequestInit } from './context';
import {
	DOCFLO_CREDENTIALS,
	DOCGENLAB_COMPLETED,
	GORILLA_CREDENTIALS,
	PDF_GORILLA_COMPLETED,
	PDF_GORILLA_FAILED,
	PDF_SIGN_CREDENTIALS,
	PDF_SIGN_FAILED,
	PDF_SIGN_GENERATED,
	PDF_SIGN_QUOTA_EXCEEDED,
	PDF_SIGN_QUOTA_WARNING,
	REPORTFLOW_FILE_COMPLETED,
	docfloPayload,
	docfloRequest,
	gorillaRequest,
	json,
	pdfSignRequest,
	plainRequest,
} from './vectors';

interface Case {
	name: string;
	trigger: INodeType;
	service: ServiceDescriptor;
	samples: SampleEvent[];
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** The service's documented example for each event the samples cover (the provider docs' text). */
	documented: Record<string, string>;
	/** A genuine delivery of `body`, the way the service sends it. */
	deliver: (body: string) => RequestInit;
}

const CASES: Case[] = [
	{
		name: 'reportFlowTrigger',
		trigger: new ReportFlowTrigger(),
		service: reportFlow,
		samples: reportFlowSamples,
		credentials: {},
		documented: { 'file.completed': REPORTFLOW_FILE_COMPLETED },
		deliver: (body) => plainRequest(body),
	},
	{
		name: 'docGenLabTrigger',
		trigger: new DocGenLabTrigger(),
		service: docGenLab,
		samples: docGenLabSamples,
		credentials: {},
		documented: { 'document.generated': DOCGENLAB_COMPLETED },
		deliver: (body) => plainRequest(body),
	},
	{
		name: 'docfloTrigger',
		trigger: new DocfloTrigger(),
		service: docflo,
		samples: docfloSamples,
		credentials: DOCFLO_CREDENTIALS(),
		documented: Object.fromEntries(docflo.delivery.events.map((e) => [e.value, docfloPayload(e.value)])),
		deliver: (body) => docfloRequest(body),
	},
	{
		name: 'pdfGorillaTrigger',
		trigger: new PdfGorillaTrigger(),
		service: pdfGorilla,
		samples: pdfGorillaSamples,
		credentials: GORILLA_CREDENTIALS(),
		documented: { completed: PDF_GORILLA_COMPLETED, failed: PDF_GORILLA_FAILED },
		deliver: (body) => gorillaRequest(body),
	},
	{
		name: 'pdfSignTrigger',
		trigger: new PdfSignTrigger(),
		service: pdfSign,
		samples: pdfSignSamples,
		credentials: PDF_SIGN_CREDENTIALS(),
		documented: {
			'pdf.generated': PDF_SIGN_GENERATED,
			'pdf.failed': PDF_SIGN_FAILED,
			'quota.warning': PDF_SIGN_QUOTA_WARNING,
			'quota.exceeded': PDF_SIGN_QUOTA_EXCEEDED,
		},
		deliver: (body) => pdfSignRequest(body),
	},
];

/** Every leaf of a JSON value with its path. */
function leaves(value: unknown, path = ''): Map<string, unknown> {
	const result = new Map<string, unknown>();
	if (typeof value === 'object' && value !== null) {
		for (const [key, child] of Object.entries(value)) for (const [p, v] of leaves(child, path ? `${path}.${key}` : key)) result.set(p, v);
	} else {
		result.set(path, value);
	}
	return result;
}

function eventOf(service: ServiceDescriptor, sample: SampleEvent): string {
	return sampleEventItems(service, sample, {}).event;
}

/** Items as n8n stores them, without the marker only samples carry. */
function withoutSampleMarker(items: INodeExecutionData[]): INodeExecutionData[] {
	return items.map(({ json: { sample: _sample, ...rest } }) => ({ json: rest }));
}

describe.each(CASES)('$name sample event', (c) => {
	const parameters = (extra: IDataObject = {}) => ({ ...defaultParameters(c.trigger), ...extra });

	test('one sample per documented event, each the documented payload apart from download links moved to a .invalid host', () => {
		const events = c.samples.map((sample) => eventOf(c.service, sample));
		expect([...events].sort()).toEqual(Object.keys(c.documented).sort());
		for (const sample of c.samples) {
			const documented = leaves(json(c.documented[eventOf(c.service, sample)]));
			const ours = leaves(sample.payload);
			expect([...ours.keys()].sort()).toEqual([...documented.keys()].sort());
			for (const [path, value] of ours) {
				if (value === documented.get(path)) continue;
				// The only change: a link a download node would fetch now leads nowhere.
				expect({ path, host: new URL(String(value)).hostname }).toEqual({ path, host: expect.stringMatching(/\.invalid$/) });
			}
		}
	});

	test('a download node refuses every link in a sample: not a host of the service, and never resolvable', () => {
		for (const sample of c.samples) {
			for (const value of leaves(sample.payload).values()) {
				if (typeof value !== 'string' || !/^https?:/.test(value)) continue;
				expect(checkUrl(value, { allowedHosts: c.service.download.allowedHosts, allowPrivateNetwork: false }).ok).toBe(false);
			}
		}
	});

	test.each([false, true])('the items equal a genuine delivery of the same payload, plus sample: true (Include Request Headers %s)', async (includeHeaders) => {
		for (const sample of c.samples) {
			const event = eventOf(c.service, sample);
			const common = {
				parameters: parameters({ events: [event], options: { maxTimestampAgeSeconds: 0, includeHeaders } }),
				credentials: c.credentials,
				mode: 'manual' as const,
			};
			const delivered = await runWebhook(c.trigger, { ...common, request: c.deliver(JSON.stringify(sample.payload)) });
			const emitted = await runWebhook(c.trigger, { ...common, webhookName: 'setup', request: {} });

			const items = emitted.result.workflowData![0];
			expect(items.length).toBeGreaterThan(0);
			for (const item of items) expect(item.json.sample).toBe(true);
			if (includeHeaders) {
				// The headers differ (the sample shows the documented ones), everything else is identical.
				const strip = (list: INodeExecutionData[]) => list.map(({ json: { headers: _h, ...rest } }) => ({ json: rest }));
				expect(strip(withoutSampleMarker(items))).toEqual(strip(delivered.result.workflowData![0]));
				for (const item of items) expect(item.json.headers).toMatchObject({ 'content-type': 'application/json' });
			} else {
				expect(withoutSampleMarker(items)).toEqual(delivered.result.workflowData![0]);
			}
		}
	});

	test('the browser gets a short confirmation; nothing is rejected and no API is called', async () => {
		const run = await runWebhook(c.trigger, { parameters: parameters(), credentials: c.credentials, mode: 'manual', webhookName: 'setup' });
		expect(run.result.webhookResponse).toEqual({ sample: true, message: expect.stringContaining(`sample ${c.service.displayName}`) });
		expect(run.response.statusCalls).toEqual([]);
		expect(run.httpRequestWithAuthentication).not.toHaveBeenCalled();
	});

	test('the sample follows Event Types: the first sample of a selected event', () => {
		for (const sample of c.samples) {
			const event = eventOf(c.service, sample);
			expect(chooseSample(c.service, c.samples, parameters({ events: [event] })).event).toBe(event);
		}
		// Nothing selected that has a sample (e.g. only PDF Gorilla's canceled): the first sample rather than nothing.
		expect(chooseSample(c.service, c.samples, parameters({ events: ['no.such.event'] })).event).toBe(eventOf(c.service, c.samples[0]));
	});

	test('on the Production URL a GET is refused with 405 and starts nothing', async () => {
		const run = await runWebhook(c.trigger, { parameters: parameters(), credentials: c.credentials, mode: 'webhook', webhookName: 'setup' });
		expect(run.result).toEqual({ noWebhookResponse: true });
		expect(run.response.statusCalls).toEqual([405]);
		expect(run.response.jsonCalls).toEqual([{ error: 'Method Not Allowed' }]);
		expect(run.response.headers).toEqual([['Allow', 'POST']]);
	});

	test('when the Test URL is not reachable from the internet, the browser is told why and how to fix it', async () => {
		const run = await runWebhook(c.trigger, {
			parameters: parameters(),
			credentials: c.credentials,
			mode: 'manual',
			webhookName: 'setup',
			webhookUrl: 'http://localhost:5678/webhook-test/0c1f5b7a/webhook',
		});
		expect(run.result.workflowData![0].length).toBeGreaterThan(0);
		const response = run.result.webhookResponse as IDataObject;
		expect(response.warning).toEqual(expect.stringContaining(`${c.service.displayName} cannot reach`));
		expect(response.warning).toEqual(expect.stringContaining('N8N_WEBHOOK_URL'));
	});
});

test('ReportFlow: the sample follows One Item per File like a delivery does', () => {
	const [sample] = reportFlowSamples;
	const split = sampleEventItems(reportFlow, sample, { splitFiles: true }).items;
	const listed = sampleEventItems(reportFlow, sample, { splitFiles: false }).items;
	expect(split[0].json).toMatchObject({ fileId: 'file_xyz', requestId: 'uuid_456', fileName: 'invoice.pdf', sample: true });
	expect(listed[0].json).toMatchObject({ files: [expect.objectContaining({ fileId: 'file_xyz' })], sample: true });
});
