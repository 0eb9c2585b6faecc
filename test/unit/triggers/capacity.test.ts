/**
 * The end of the trigger's retry filter that the guarantees promise (docs/guarantees.md): up to
 * 200,000 events per trigger, none younger than an hour evicted to make room, so when that many
 * events of the last hour are held, a new one gets 503 (the service retries later) instead of
 * starting unrecorded or re-opening a held event. Run through the trigger's webhook(); the
 * filter is filled through the same process-wide memory the trigger uses.
 */
import { DELIVERY_MEMORY, admitDelivery } from '../../../core/delivery/dedupe';
import { PdfGorillaTrigger } from '../../../nodes/PdfGorilla/PdfGorillaTrigger.node';
import { expectAcknowledged, expectStarted, expectTryLater, newWorkflowId, runWebhook } from './context';
import { GORILLA_CREDENTIALS, PDF_GORILLA_COMPLETED, gorillaRequest, json } from './vectors';

const trigger = new PdfGorillaTrigger();
/** The node id createWebhookContext gives the trigger: the filter's scope is workflow id / node id. */
const NODE_ID = 'b7c1f6e2-0000-4000-8000-000000000001';
const HOUR_MS = 60 * 60 * 1000;

test(`a trigger holding ${DELIVERY_MEMORY.capacity.toLocaleString('en')} events of the last hour answers a new one 503 and still knows the held ones; an hour later the new one starts`, () => {
	const now = { ms: Date.parse('2026-04-06T10:05:00.000Z') };
	const clock = jest.spyOn(Date, 'now').mockImplementation(() => now.ms);
	return (async () => {
		const workflowId = newWorkflowId('full');
		// The replay window is about timestamps, not this filter: off, so the clock can move an hour.
		const init = (body: string) => ({ workflowId, parameters: { options: { maxTimestampAgeSeconds: 0 } }, credentials: GORILLA_CREDENTIALS(), request: gorillaRequest(body) });
		const held = PDF_GORILLA_COMPLETED;
		const fresh = PDF_GORILLA_COMPLETED.replace(String(json(held).jobId), 'cmzzzzzzzzzzzzzzzzzzzzzzz');

		expectStarted(await runWebhook(trigger, init(held)), [expect.objectContaining({ jobId: json(held).jobId }) as never]);
		const admitted = new Set<string>();
		for (let i = 1; i < DELIVERY_MEMORY.capacity; i++) admitted.add(admitDelivery(`${workflowId}/${NODE_ID}`, `filler:${i}`, 'receipt', now.ms));
		expect([...admitted]).toEqual(['new']);

		expectTryLater(await runWebhook(trigger, init(fresh)), 'Too many recent events to remember another');
		expectAcknowledged(await runWebhook(trigger, init(held)), 'duplicate');
		// Refused, not recorded: still refused while every held event is younger than an hour.
		now.ms += HOUR_MS - 1;
		expectTryLater(await runWebhook(trigger, init(fresh)), 'Too many recent events to remember another');

		// An hour on, the oldest held event may make room.
		now.ms += 2;
		expectStarted(await runWebhook(trigger, init(fresh)), [expect.objectContaining({ jobId: 'cmzzzzzzzzzzzzzzzzzzzzzzz' }) as never]);
	})().finally(() => clock.mockRestore());
}, 60_000);
