/**
 * The pipeline's checks of the request itself, before and after authenticity: the IP
 * allowlist, the body's size and nesting, and the replay window of timestamped events.
 */
import type { RecognisedEvent, ServiceDescriptor } from '../service';
import { isIpAllowed, parseAllowlist } from './ipAllowlist';
import { jsonNestingExceeds, valueNestingExceeds } from './parse';
import { reject, type Stop } from './stop';
import { checkTimestamp } from './verify';

/**
 * A "your PDF is ready" event is a few KB; the largest, one that carries every field extracted
 * from a document, stays far below 2 MiB. Anything above is refused with 413 before its
 * signature is computed.
 */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** No service nests deeper than a handful of levels; 32 leaves room for extracted fields and keeps walks over the value shallow. */
export const MAX_JSON_DEPTH = 32;

export function checkSize(rawBody: Buffer | undefined): Stop | undefined {
	if (!rawBody || rawBody.length <= MAX_BODY_BYTES) return undefined;
	return reject(413, `Request body is ${rawBody.length} bytes; at most ${MAX_BODY_BYTES} bytes (2 MiB) are accepted`);
}

export function checkNesting(rawBody: Buffer | undefined, parsedBody: unknown): Stop | undefined {
	const tooDeep = rawBody ? jsonNestingExceeds(rawBody, MAX_JSON_DEPTH) : valueNestingExceeds(parsedBody, MAX_JSON_DEPTH);
	return tooDeep ? reject(400, `Request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`) : undefined;
}

/**
 * Replay protection: a correctly signed body captured once must not start the workflow again
 * once its dedupe entry has expired. The window is two-sided (a far-future stamp would stay
 * fresh forever) and 0 turns it off.
 */
export function checkReplayWindow(service: ServiceDescriptor, event: RecognisedEvent, maxTimestampAgeSeconds: number | undefined): Stop | undefined {
	const window = service.delivery.replayWindow;
	if (!window) return undefined;
	const configured = maxTimestampAgeSeconds;
	const maxAge = typeof configured === 'number' && Number.isFinite(configured) && configured >= 0 ? configured : window.defaultMaxAgeSeconds;
	if (maxAge === 0) return undefined;
	const verdict = checkTimestamp(event.timestamp, maxAge, Date.now());
	if (verdict.ok) return undefined;
	const why = { missing: 'has no timestamp', unparseable: 'has a timestamp that cannot be read', too_old: 'is older than', too_new: 'is further in the future than' }[verdict.reason];
	const limit = verdict.reason === 'too_old' || verdict.reason === 'too_new' ? ` Maximum Event Age (${maxAge} s)` : '';
	return reject(401, `The delivery ${why}${limit}: refused as a possible replay (${window.source})`);
}

export function checkAllowlist(allowlist: string | undefined, clientIp: string | undefined): Stop | undefined {
	if (!allowlist?.trim()) return undefined;
	const { ranges, errors } = parseAllowlist(allowlist);
	// A typo must not silently open the trigger to everyone.
	if (errors.length > 0) return reject(403, `IP Allowlist option is invalid: ${errors.join('; ')}`, true);
	if (!isIpAllowed(clientIp, ranges)) return reject(403, 'Sender address is not in the IP allowlist');
	return undefined;
}
