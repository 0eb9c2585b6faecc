/**
 * The trigger's retry filter: which deliveries of an event start the workflow.
 *
 * It lives in this n8n process's memory (see core/ledger.ts), not in the workflow's static
 * data: n8n loads and saves a webhook's static data whole around every request, so
 * concurrent deliveries overwrite each other's keys, and every new key cost a database
 * write. In memory the check is atomic within the process and costs nothing per event;
 * what survives a restart is the download action's record (core/actions/processed.ts).
 */
import { LedgerRegistry, type LedgerLimits } from '../ledger';

/**
 * 48 h comfortably outlasts the services' retry schedules (the longest documented one ends
 * within half an hour) and late manual redeliveries. No key younger than an hour
 * is ever evicted; 200,000 keys (about 25 MB) is more than n8n can accept in that hour.
 */
export const DELIVERY_MEMORY: LedgerLimits = Object.freeze({ ttlMs: 48 * 60 * 60 * 1000, protectedMs: 60 * 60 * 1000, capacity: 200_000 });

/**
 * When the sender learns the outcome: `receipt` answers 200 as soon as the workflow starts;
 * `success` answers once the workflow has finished (2xx only if it succeeded), so the service
 * retries what failed.
 */
export type ConfirmOn = 'receipt' | 'success';

/** `failed`: n8n answered the admitted delivery with an error (or not at all), so the next delivery is a retry. */
type DeliveryState = 'accepted' | 'inFlight' | 'failed';

/**
 * `new`: start the workflow. `retry`: start it, an earlier attempt failed. `duplicate`:
 * already handled. `inFlight`: an earlier delivery is still running (answer "try later").
 * `full`: too many recent events held to remember another (answer "try later").
 */
export type Admission = 'new' | 'retry' | 'duplicate' | 'inFlight' | 'full';

const deliveries = new LedgerRegistry<DeliveryState>(DELIVERY_MEMORY);

/**
 * Decides and records in one synchronous step, so concurrent deliveries cannot both be admitted.
 * `sender` (core/ip.ts `senderGroup`) shares a full memory fairly: a flood of forged events from
 * one address can take only its share, never every slot a genuine event from another address needs.
 */
export function admitDelivery(scope: string, key: string, confirmOn: ConfirmOn, nowMs: number, sender = ''): Admission {
	const ledger = deliveries.for(scope);
	const state = ledger.get(key, nowMs);
	if (state === 'accepted') return 'duplicate';
	if (state === 'inFlight') return confirmOn === 'success' ? 'inFlight' : 'duplicate';
	const next: DeliveryState = confirmOn === 'success' ? 'inFlight' : 'accepted';
	if (!ledger.set(key, next, nowMs, sender)) return 'full';
	return state === 'failed' ? 'retry' : 'new';
}

/**
 * Records n8n's answer to the delivery admitted for `key`: with `success` how its workflow
 * ended, with `receipt` whether n8n started it. After a failure the next delivery is a retry.
 */
export function settleDelivery(scope: string, key: string, succeeded: boolean, nowMs: number): void {
	deliveries.for(scope).set(key, succeeded ? 'accepted' : 'failed', nowMs);
}
