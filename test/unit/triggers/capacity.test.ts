/**
 * The end of the trigger's retry filter that the guarantees promise (docs/guarantees.md): up to
 * 200,000 events per trigger; when that many events of the last hour are held, the memory is
 * shared by sender address: the address holding the most gets 503 for a new event (the service
 * retries later) instead of the event starting unrecorded or a held event being forgotten, while
 * another address's new event takes the biggest holder's oldest slot. Run through the trigger's
 * webhook(); the filter is filled through the same process-wide memory the trigger uses.
 */
import { DELIVERY_MEMORY, admitDelivery } from '../../../core/delivery/dedupe';
import { senderGroup } from '../../../core/ip';
import { PdfGorillaTrigger } from '../../../nodes/PdfGorilla/PdfGorillaTrigger.node';
import { expectAcknowledged, expectStarted, expectTryLater, newWorkflowId, runWebhook } from './context';
import { GORILLA_CREDENTIALS, PDF_GORILLA_COMPLETED, gorillaRequest, json } from './vectors';

const trigger = new PdfGorillaTrigger();
/** The node id createWebhookContext gives the trigger: the filter's scope is workflow id / node id. */
const NODE_ID = 'b7c1f6e2-0000-4000-8000-000000000001';
const FLOODER = '203.0.113.10';
const OTHER_SENDER = '198.51.100.20';
const HOUR_MS = 60 * 60 * 1000;

test(`a trigger holding ${DELIVERY_MEMORY.capacity.toLocaleString('en')} events of the last hour answers the sender holding them 503 for a new one and still knows the held ones; another sender's new event starts`, () => {
	const now = { ms: Date.parse('2026-04-06T10:05:00.000Z') };
	const clock = jest.spyOn(Date, 'now').mockImplementation(() => now.ms);
	return (async () => {
		const workflowId = newWorkflowId('full');
		// The replay window is about timestamps, not this filter: off, so the clock can move an hour.
		const init = (body: string, ip = FLOODER) => ({
			workflowId,
			parameters: { options: { maxTimestampAgeSeconds: 0 } },
			credentials: GORILLA_CREDENTIALS(),
			request: { ...gorillaRequest(body), ip },
		});
		const event = (jobId: string) => PDF_GORILLA_COMPLETED.replace(String(json(PDF_GORILLA_COMPLETED).jobId), jobId);
		const held = event('cmheldheldheldheldheldheld');

		expectStarted(await runWebhook(trigger, init(held)), [expect.objectContaining({ jobId: 'cmheldheldheldheldheldheld' }) as never]);
		const admitted = new Set<string>();
		for (let i = 1; i < DELIVERY_MEMORY.capacity; i++) admitted.add(admitDelivery(`${workflowId}/${NODE_ID}`, `filler:${i}`, 'receipt', now.ms, senderGroup(FLOODER)));
		expect([...admitted]).toEqual(['new']);

		expectTryLater(await runWebhook(trigger, init(event('cmfloodfloodfloodfloodflood'))), 'Too many recent events to remember another');
		expectAcknowledged(await runWebhook(trigger, init(held)), 'duplicate');
		// Refused, not recorded: still refused while every held event is younger than an hour.
		now.ms += HOUR_MS - 1;
		expectTryLater(await runWebhook(trigger, init(event('cmfloodfloodfloodfloodflood'))), 'Too many recent events to remember another');

		// Another address is not locked out: its event takes the biggest holder's oldest slot.
		expectStarted(await runWebhook(trigger, init(event('cmothrothrothrothrothrothr'), OTHER_SENDER)), [expect.objectContaining({ jobId: 'cmothrothrothrothrothrothr' }) as never]);
		expectAcknowledged(await runWebhook(trigger, init(event('cmothrothrothrothrothrothr'), OTHER_SENDER)), 'duplicate');
	})().finally(() => clock.mockRestore());
}, 60_000);
