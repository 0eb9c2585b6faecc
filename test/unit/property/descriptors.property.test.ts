/**
 * Property 7: each service descriptor's recognise(), fed arbitrary JSON objects (random ones,
 * the docs' examples edited, and objects built from the fields the service reads with values
 * of every type), never throws; an ok result names its event in a non-empty string and
 * carries at least one plain, JSON-serialisable item stamped with that event; the dedupe key
 * is a string or absent and the same for the same payload; the payload is not modified.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import type { Recognition, ServiceDescriptor } from '../../../core/service';
import { docGenLab } from '../../../nodes/DocGenLab/descriptor';
import { docflo } from '../../../nodes/Docflo/descriptor';
import { pdfGorilla } from '../../../nodes/PdfGorilla/descriptor';
import { pdfSign } from '../../../nodes/PdfSign/descriptor';
import { reportFlow } from '../../../nodes/ReportFlow/descriptor';
import { anyString, isPlainJsonObject, jsonObjectArb, jsonValueArb, mutatedExampleValueArb, runs, viaJson, type Json } from './arbitraries';
import { serviceIds } from '../../registry';

/** Which fields a service reads: a leaf, a nested object, or an array of such objects. */
type Shape = 'leaf' | { [key: string]: Shape } | [Shape];

const EVENT_NAMES = [
	'document.generated',
	'webhook.test',
	'file.completed',
	'pdf.generated',
	'pdf.failed',
	'quota.warning',
	'quota.exceeded',
	'test',
	'document.processed',
	'document.created',
	'completed',
	'failed',
	'canceled',
];

/** A value of any JSON type, biased to the ones that matter to a recogniser. */
const leafArb: fc.Arbitrary<Json> = fc.oneof(
	{ weight: 4, arbitrary: fc.constantFrom<Json>(...EVENT_NAMES, '', 'x', '__proto__', 'https://example.com/a.pdf') },
	{ weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
	{ weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) },
	{ weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, [], {}) },
	{ weight: 1, arbitrary: jsonValueArb },
);

function shapedArb(shape: Shape, depth = 0): fc.Arbitrary<Json> {
	if (shape === 'leaf') return leafArb;
	if (Array.isArray(shape)) {
		return fc.oneof(
			{ weight: 4, arbitrary: fc.array(shapedArb(shape[0], depth + 1), { maxLength: 3 }) },
			{ weight: 1, arbitrary: leafArb },
		);
	}
	const fields = Object.entries(shape).map(([key, inner]) =>
		fc.option(fc.oneof({ weight: 5, arbitrary: shapedArb(inner, depth + 1) }, { weight: 1, arbitrary: leafArb }), { nil: undefined, freq: 4 }).map(
			(value) => [key, value] as const,
		),
	);
	return fc.tuple(...fields).map((entries) => {
		const object: { [key: string]: Json } = {};
		for (const [key, value] of entries) if (value !== undefined) object[key] = value;
		return object;
	});
}

interface DescriptorCase {
	name: string;
	descriptor: ServiceDescriptor;
	shape: Shape;
}

const CASES: DescriptorCase[] = [
	{
		name: 'reportFlow',
		descriptor: reportFlow,
		shape: { event: 'leaf', timestamp: 'leaf', workspaceId: 'leaf', designId: 'leaf', version: 'leaf', files: [{ fileId: 'leaf', uuid: 'leaf', requestId: 'leaf', fileName: 'leaf', params: 'leaf' }] },
	},
	{
		name: 'docGenLab',
		descriptor: docGenLab,
		shape: { event: 'leaf', job_id: 'leaf', status: 'leaf', download_url: 'leaf', message: 'leaf', metadata: { template_id: 'leaf', created_at: 'leaf', error_message: 'leaf' } },
	},
	{
		name: 'docflo',
		descriptor: docflo,
		shape: { event: 'leaf', tenantId: 'leaf', timestamp: 'leaf', doc: { _id: 'leaf', type: 'leaf', status: 'leaf', createdAt: 'leaf', updatedAt: 'leaf', fields: 'leaf' } },
	},
	{
		name: 'pdfGorilla',
		descriptor: pdfGorilla,
		shape: { jobId: 'leaf', status: 'leaf', downloadUrl: 'leaf', expiresAt: 'leaf', timestamp: 'leaf', error: { code: 'leaf', message: 'leaf' } },
	},
	{
		name: 'pdfSign',
		descriptor: pdfSign,
		shape: {
			event: 'leaf',
			timestamp: 'leaf',
			data: {
				pdf_url: 'leaf',
				storage_path: 'leaf',
				template_id: 'leaf',
				file_size: 'leaf',
				render_time_ms: 'leaf',
				variables: 'leaf',
				created_at: 'leaf',
				error_code: 'leaf',
				error_message: 'leaf',
				current_usage: 'leaf',
				quota_limit: 'leaf',
				percentage: 'leaf',
				subscription_plan: 'leaf',
			},
		},
	},
];

type Headers = Record<string, string | string[] | undefined>;

const headersArb: fc.Arbitrary<Headers> = fc
	.array(
		fc.tuple(
			fc.constantFrom('x-webhook-event', 'x-webhook-timestamp', 'x-pdfg-event-id', 'content-type', 'X-Webhook-Event'),
			fc.oneof(fc.constantFrom(...EVENT_NAMES), anyString, fc.array(anyString, { maxLength: 2 }), fc.constant(undefined)),
		),
		{ maxLength: 3 },
	)
	.map((entries) => Object.fromEntries(entries) as Headers);

const parametersArb: fc.Arbitrary<IDataObject> = fc.record(
	{ splitFiles: fc.oneof(fc.boolean(), fc.constant(null), fc.string({ maxLength: 3 })), events: fc.array(fc.constantFrom(...EVENT_NAMES), { maxLength: 3 }) },
	{ requiredKeys: [] },
) as fc.Arbitrary<IDataObject>;

function payloadArb(c: DescriptorCase): fc.Arbitrary<IDataObject> {
	return fc
		.oneof(
			{ weight: 1, arbitrary: jsonObjectArb },
			{ weight: 1, arbitrary: mutatedExampleValueArb.filter(isPlainJsonObject) },
			{ weight: 3, arbitrary: shapedArb(c.shape) },
		)
		.map((value) => viaJson(value) as IDataObject);
}

function expectWellFormed(recognition: Recognition): void {
	expect(typeof recognition.ok).toBe('boolean');
	if (!recognition.ok) {
		expect(typeof recognition.message).toBe('string');
		expect(recognition.message.length).toBeGreaterThan(0);
		return;
	}
	const { event } = recognition;
	expect(typeof event.event).toBe('string');
	expect(event.event.length).toBeGreaterThan(0);
	expect(Array.isArray(event.items)).toBe(true);
	expect(event.items.length).toBeGreaterThan(0);
	for (const item of event.items) {
		expect(isPlainJsonObject(item)).toBe(true);
		expect(viaJson(item)).toEqual(item);
		expect(item.event).toBe(event.event);
	}
	if (event.dedupeKey !== undefined) expect(typeof event.dedupeKey).toBe('string');
}

test('the cases cover every registered service', () => {
	expect(CASES.map((c) => c.name).sort()).toEqual(serviceIds());
});

describe.each(CASES)('property 7 — $name recognise()', (c) => {
	test('never throws; ok results carry an event name and plain JSON items; dedupe key deterministic; payload untouched', () => {
		const seen = { ok: 0, notOk: 0 };
		fc.assert(
			fc.property(payloadArb(c), headersArb, parametersArb, (payload, headers, parameters) => {
				const before = viaJson(payload);
				const first = c.descriptor.delivery.recognise({ payload, headers, parameters });
				expectWellFormed(first);
				seen[first.ok ? 'ok' : 'notOk']++;
				expect(payload).toEqual(before);
				// The same delivery again (a retry: a fresh parse of the same bytes) → the same result and key.
				const again = c.descriptor.delivery.recognise({ payload: viaJson(payload), headers: { ...headers }, parameters: { ...parameters } });
				expect(again).toEqual(first);
				if (first.ok && again.ok) expect(again.event.dedupeKey).toBe(first.event.dedupeKey);
			}),
			runs(600),
		);
		expect(seen.ok).toBeGreaterThan(0);
		expect(seen.notOk).toBeGreaterThan(0);
	});
});
