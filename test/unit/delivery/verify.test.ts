// A plain require (not an import namespace) so jest.spyOn can replace timingSafeEqual on the real module.
import nodeCrypto = require('crypto');

import {
	checkTimestamp,
	computeSignature,
	matchesSharedSecret,
	safeEqual,
	verifySignature,
} from '../../../core/delivery/verify';
import type { HmacScheme } from '../../../core/service';
import {
	CURRENT_SECRET,
	DOCFLO_DOCUMENT_PROCESSED,
	PDF_GORILLA_COMPLETED,
	PDF_GORILLA_FAILED,
	PDF_SIGN_GENERATED,
	PREVIOUS_SECRET,
	UNRELATED_SECRET,
	flipByte,
	flipChar,
	hmacBase64,
	hmacHex,
} from './providerVectors';

/** pdfgorilla-webhooks.txt: x-pdfg-signature = hex(HMAC-SHA256(secret, rawBody)), no prefix. */
const PDF_GORILLA_SCHEME: HmacScheme = { algorithm: 'sha256', encoding: 'hex' };
/** docflo-webhooks.txt: X-Docflo-Signature: sha256=<hex>. */
const DOCFLO_SCHEME: HmacScheme = { algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' };

const gorillaCompleted = Buffer.from(PDF_GORILLA_COMPLETED, 'utf8');
const gorillaFailed = Buffer.from(PDF_GORILLA_FAILED, 'utf8');
const docfloBody = Buffer.from(DOCFLO_DOCUMENT_PROCESSED, 'utf8');

afterEach(() => {
	jest.restoreAllMocks();
});

describe('safeEqual', () => {
	it('returns true for identical strings', () => {
		expect(safeEqual('abc123', 'abc123')).toBe(true);
	});

	it('returns true for two empty strings', () => {
		expect(safeEqual('', '')).toBe(true);
	});

	it('returns false for strings of equal length that differ in one character', () => {
		expect(safeEqual('abc123', 'abc124')).toBe(false);
	});

	it('returns false (without throwing) for strings of different lengths', () => {
		expect(() => safeEqual('abc', 'abcdef')).not.toThrow();
		expect(safeEqual('abc', 'abcdef')).toBe(false);
		expect(safeEqual('abcdef', 'abc')).toBe(false);
		expect(safeEqual('', 'a')).toBe(false);
	});

	it('is case-sensitive', () => {
		expect(safeEqual('ABC', 'abc')).toBe(false);
	});

	it('compares multi-byte characters by content', () => {
		expect(safeEqual('pässwörd', 'pässwörd')).toBe(true);
		expect(safeEqual('pässwörd', 'passwoerd')).toBe(false);
	});

	it('compares via crypto.timingSafeEqual on equal-length digests', () => {
		const spy = jest.spyOn(nodeCrypto, 'timingSafeEqual');
		safeEqual('short', 'a much longer string');
		expect(spy).toHaveBeenCalledTimes(1);
		const [left, right] = spy.mock.calls[0] as [Buffer, Buffer];
		expect(left.length).toBe(32);
		expect(right.length).toBe(32);
	});
});

describe('computeSignature', () => {
	it('matches an independent HMAC-SHA256 hex of the PDF Gorilla completed payload', () => {
		expect(computeSignature(PDF_GORILLA_SCHEME, CURRENT_SECRET, gorillaCompleted)).toBe(
			hmacHex('sha256', CURRENT_SECRET, gorillaCompleted),
		);
	});

	it('puts the prefix in front of the digest for Docflo', () => {
		expect(computeSignature(DOCFLO_SCHEME, CURRENT_SECRET, docfloBody)).toBe(
			`sha256=${hmacHex('sha256', CURRENT_SECRET, docfloBody)}`,
		);
	});

	it.each(['sha1', 'sha256', 'sha512'] as const)('supports %s in hex and base64', (algorithm) => {
		expect(computeSignature({ algorithm, encoding: 'hex' }, CURRENT_SECRET, gorillaFailed)).toBe(
			hmacHex(algorithm, CURRENT_SECRET, gorillaFailed),
		);
		expect(computeSignature({ algorithm, encoding: 'base64' }, CURRENT_SECRET, gorillaFailed)).toBe(
			hmacBase64(algorithm, CURRENT_SECRET, gorillaFailed),
		);
	});

	it('gives the same result for a UTF-8 string body and its bytes', () => {
		const text = '{"name":"Jürgen – ✓"}';
		expect(computeSignature(PDF_GORILLA_SCHEME, CURRENT_SECRET, text)).toBe(
			computeSignature(PDF_GORILLA_SCHEME, CURRENT_SECRET, Buffer.from(text, 'utf8')),
		);
	});
});

describe('verifySignature with PDF Gorilla deliveries (hex, no prefix)', () => {
	const validCompleted = hmacHex('sha256', CURRENT_SECRET, gorillaCompleted);

	it('accepts the completed-job payload signed with the secret', () => {
		expect(verifySignature(PDF_GORILLA_SCHEME, validCompleted, gorillaCompleted, [CURRENT_SECRET])).toBe(true);
	});

	it('accepts the failed-job payload signed with the secret', () => {
		const signature = hmacHex('sha256', CURRENT_SECRET, gorillaFailed);
		expect(verifySignature(PDF_GORILLA_SCHEME, signature, gorillaFailed, [CURRENT_SECRET])).toBe(true);
	});

	it('rejects a signature made with a different secret', () => {
		const forged = hmacHex('sha256', UNRELATED_SECRET, gorillaCompleted);
		expect(verifySignature(PDF_GORILLA_SCHEME, forged, gorillaCompleted, [CURRENT_SECRET])).toBe(false);
	});

	it('rejects the signature of one payload presented with another (completed signature on failed body)', () => {
		expect(verifySignature(PDF_GORILLA_SCHEME, validCompleted, gorillaFailed, [CURRENT_SECRET])).toBe(false);
	});

	it.each([0, 20, gorillaCompleted.length - 1])('rejects the body with one flipped byte at offset %i', (offset) => {
		const tampered = flipByte(gorillaCompleted, offset);
		expect(verifySignature(PDF_GORILLA_SCHEME, validCompleted, tampered, [CURRENT_SECRET])).toBe(false);
	});

	it('rejects a re-serialised body (the docs warn re-encoding parsed JSON breaks the signature)', () => {
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(PDF_GORILLA_COMPLETED)), 'utf8');
		expect(verifySignature(PDF_GORILLA_SCHEME, validCompleted, reserialised, [CURRENT_SECRET])).toBe(false);
	});

	it.each([0, 31, 63])('rejects the signature with one flipped hex character at index %i', (index) => {
		const tampered = flipChar(validCompleted, index);
		expect(tampered).not.toBe(validCompleted);
		expect(verifySignature(PDF_GORILLA_SCHEME, tampered, gorillaCompleted, [CURRENT_SECRET])).toBe(false);
	});

	it('rejects a truncated signature', () => {
		expect(verifySignature(PDF_GORILLA_SCHEME, validCompleted.slice(0, 63), gorillaCompleted, [CURRENT_SECRET])).toBe(false);
		expect(verifySignature(PDF_GORILLA_SCHEME, validCompleted.slice(0, 32), gorillaCompleted, [CURRENT_SECRET])).toBe(false);
	});

	it('rejects a signature with extra characters appended', () => {
		expect(verifySignature(PDF_GORILLA_SCHEME, `${validCompleted}00`, gorillaCompleted, [CURRENT_SECRET])).toBe(false);
	});

	it('rejects a missing header (undefined) and an empty header', () => {
		expect(verifySignature(PDF_GORILLA_SCHEME, undefined, gorillaCompleted, [CURRENT_SECRET])).toBe(false);
		expect(verifySignature(PDF_GORILLA_SCHEME, '', gorillaCompleted, [CURRENT_SECRET])).toBe(false);
		expect(verifySignature(PDF_GORILLA_SCHEME, '   ', gorillaCompleted, [CURRENT_SECRET])).toBe(false);
	});

	it('accepts upper-case hex', () => {
		expect(verifySignature(PDF_GORILLA_SCHEME, validCompleted.toUpperCase(), gorillaCompleted, [CURRENT_SECRET])).toBe(true);
	});

	it('accepts surrounding whitespace in the header value', () => {
		expect(verifySignature(PDF_GORILLA_SCHEME, `  ${validCompleted}\t`, gorillaCompleted, [CURRENT_SECRET])).toBe(true);
	});

	it('rejects a prefix the scheme does not expect', () => {
		expect(verifySignature(PDF_GORILLA_SCHEME, `sha256=${validCompleted}`, gorillaCompleted, [CURRENT_SECRET])).toBe(false);
	});

	it('rejects a SHA-1 or SHA-512 signature where SHA-256 is expected', () => {
		const sha1 = hmacHex('sha1', CURRENT_SECRET, gorillaCompleted);
		const sha512 = hmacHex('sha512', CURRENT_SECRET, gorillaCompleted);
		expect(verifySignature(PDF_GORILLA_SCHEME, sha1, gorillaCompleted, [CURRENT_SECRET])).toBe(false);
		expect(verifySignature(PDF_GORILLA_SCHEME, sha512, gorillaCompleted, [CURRENT_SECRET])).toBe(false);
	});

	it('rejects the plain SHA-256 of the body (no key) as a signature', () => {
		const unkeyed = nodeCrypto.createHash('sha256').update(gorillaCompleted).digest('hex');
		expect(verifySignature(PDF_GORILLA_SCHEME, unkeyed, gorillaCompleted, [CURRENT_SECRET])).toBe(false);
	});

	it('verifies a 5 MB body correctly and rejects it after a one-byte change', () => {
		const huge = Buffer.alloc(5 * 1024 * 1024, 'a');
		const signature = hmacHex('sha256', CURRENT_SECRET, huge);
		expect(verifySignature(PDF_GORILLA_SCHEME, signature, huge, [CURRENT_SECRET])).toBe(true);
		expect(verifySignature(PDF_GORILLA_SCHEME, signature, flipByte(huge, huge.length - 1), [CURRENT_SECRET])).toBe(false);
	});

	it('verifies an empty body against the HMAC of zero bytes (rejecting empty bodies is the parser’s job)', () => {
		const empty = Buffer.alloc(0);
		expect(verifySignature(PDF_GORILLA_SCHEME, hmacHex('sha256', CURRENT_SECRET, empty), empty, [CURRENT_SECRET])).toBe(true);
		expect(verifySignature(PDF_GORILLA_SCHEME, validCompleted, empty, [CURRENT_SECRET])).toBe(false);
	});
});

describe('verifySignature with Docflo deliveries (sha256= prefix)', () => {
	const digest = hmacHex('sha256', CURRENT_SECRET, docfloBody);

	it('accepts the documented payload with the sha256= prefix', () => {
		expect(verifySignature(DOCFLO_SCHEME, `sha256=${digest}`, docfloBody, [CURRENT_SECRET])).toBe(true);
	});

	it('accepts the prefix in upper case and the digest in upper case', () => {
		expect(verifySignature(DOCFLO_SCHEME, `SHA256=${digest}`, docfloBody, [CURRENT_SECRET])).toBe(true);
		expect(verifySignature(DOCFLO_SCHEME, `Sha256=${digest.toUpperCase()}`, docfloBody, [CURRENT_SECRET])).toBe(true);
	});

	it('rejects the bare digest when the prefix is missing', () => {
		expect(verifySignature(DOCFLO_SCHEME, digest, docfloBody, [CURRENT_SECRET])).toBe(false);
	});

	it('rejects a wrong prefix', () => {
		expect(verifySignature(DOCFLO_SCHEME, `sha1=${digest}`, docfloBody, [CURRENT_SECRET])).toBe(false);
		expect(verifySignature(DOCFLO_SCHEME, `sha256:${digest}`, docfloBody, [CURRENT_SECRET])).toBe(false);
		expect(verifySignature(DOCFLO_SCHEME, `v1=${digest}`, docfloBody, [CURRENT_SECRET])).toBe(false);
	});

	it('rejects the prefix alone', () => {
		expect(verifySignature(DOCFLO_SCHEME, 'sha256=', docfloBody, [CURRENT_SECRET])).toBe(false);
	});

	it('rejects a signature made with a different secret', () => {
		const forged = `sha256=${hmacHex('sha256', UNRELATED_SECRET, docfloBody)}`;
		expect(verifySignature(DOCFLO_SCHEME, forged, docfloBody, [CURRENT_SECRET])).toBe(false);
	});

	it('rejects the signature over JSON.stringify(payload) when the raw body was formatted differently', () => {
		// Docflo's sample code signs JSON.stringify(req.body); what counts is the bytes received.
		const overReserialised = `sha256=${hmacHex('sha256', CURRENT_SECRET, JSON.stringify(JSON.parse(DOCFLO_DOCUMENT_PROCESSED)))}`;
		expect(verifySignature(DOCFLO_SCHEME, overReserialised, docfloBody, [CURRENT_SECRET])).toBe(false);
	});
});

describe('verifySignature with base64 schemes', () => {
	const scheme: HmacScheme = { algorithm: 'sha256', encoding: 'base64' };
	const signature = hmacBase64('sha256', CURRENT_SECRET, gorillaCompleted);

	it('accepts the base64 signature', () => {
		expect(verifySignature(scheme, signature, gorillaCompleted, [CURRENT_SECRET])).toBe(true);
	});

	it('treats base64 as case-sensitive (upper-casing changes the bytes)', () => {
		expect(verifySignature(scheme, signature.toUpperCase(), gorillaCompleted, [CURRENT_SECRET])).toBe(false);
	});

	it('rejects a flipped base64 character', () => {
		expect(verifySignature(scheme, flipChar(signature, 5), gorillaCompleted, [CURRENT_SECRET])).toBe(false);
	});

	it('rejects the hex form where base64 is expected', () => {
		expect(verifySignature(scheme, hmacHex('sha256', CURRENT_SECRET, gorillaCompleted), gorillaCompleted, [CURRENT_SECRET])).toBe(false);
	});

	it.each(['sha1', 'sha512'] as const)('verifies %s base64 with a prefix', (algorithm) => {
		const prefixed: HmacScheme = { algorithm, encoding: 'base64', prefix: `${algorithm}=` };
		const value = `${algorithm}=${hmacBase64(algorithm, CURRENT_SECRET, gorillaFailed)}`;
		expect(verifySignature(prefixed, value, gorillaFailed, [CURRENT_SECRET])).toBe(true);
	});
});

describe('verifySignature secret rotation and secret list edge cases', () => {
	const signedWithPrevious = hmacHex('sha256', PREVIOUS_SECRET, gorillaCompleted);
	const signedWithCurrent = hmacHex('sha256', CURRENT_SECRET, gorillaCompleted);

	it('accepts a delivery signed with the previous secret during rotation', () => {
		expect(verifySignature(PDF_GORILLA_SCHEME, signedWithPrevious, gorillaCompleted, [CURRENT_SECRET, PREVIOUS_SECRET])).toBe(true);
	});

	it('accepts a delivery signed with the current secret during rotation', () => {
		expect(verifySignature(PDF_GORILLA_SCHEME, signedWithCurrent, gorillaCompleted, [CURRENT_SECRET, PREVIOUS_SECRET])).toBe(true);
	});

	it('rejects a delivery signed with a secret that is in neither slot', () => {
		const unrelated = hmacHex('sha256', UNRELATED_SECRET, gorillaCompleted);
		expect(verifySignature(PDF_GORILLA_SCHEME, unrelated, gorillaCompleted, [CURRENT_SECRET, PREVIOUS_SECRET])).toBe(false);
	});

	it('rejects the previous secret once it is removed from the list', () => {
		expect(verifySignature(PDF_GORILLA_SCHEME, signedWithPrevious, gorillaCompleted, [CURRENT_SECRET])).toBe(false);
	});

	it('rejects everything when the secret list is empty', () => {
		expect(verifySignature(PDF_GORILLA_SCHEME, signedWithCurrent, gorillaCompleted, [])).toBe(false);
	});

	it('ignores empty secrets, so a signature keyed with the empty string is not accepted', () => {
		const emptyKeyed = hmacHex('sha256', '', gorillaCompleted);
		expect(verifySignature(PDF_GORILLA_SCHEME, emptyKeyed, gorillaCompleted, [''])).toBe(false);
		expect(verifySignature(PDF_GORILLA_SCHEME, emptyKeyed, gorillaCompleted, ['', CURRENT_SECRET])).toBe(false);
		expect(verifySignature(PDF_GORILLA_SCHEME, signedWithCurrent, gorillaCompleted, ['', CURRENT_SECRET])).toBe(true);
	});

	it('compares against every secret even after a match (no early exit)', () => {
		const spy = jest.spyOn(nodeCrypto, 'timingSafeEqual');
		expect(verifySignature(PDF_GORILLA_SCHEME, signedWithCurrent, gorillaCompleted, [CURRENT_SECRET, PREVIOUS_SECRET, UNRELATED_SECRET])).toBe(true);
		expect(spy).toHaveBeenCalledTimes(3);
	});

	it('compares a wrong-prefix candidate too, so a prefix mismatch takes the same path', () => {
		const spy = jest.spyOn(nodeCrypto, 'timingSafeEqual');
		expect(verifySignature(DOCFLO_SCHEME, `md5=${signedWithCurrent}`, gorillaCompleted, [CURRENT_SECRET, PREVIOUS_SECRET])).toBe(false);
		expect(spy).toHaveBeenCalledTimes(2);
	});
});

describe('verifySignature with array-joined header values', () => {
	const valid = hmacHex('sha256', CURRENT_SECRET, gorillaCompleted);

	it('accepts when one of the comma-joined values is valid (duplicate headers joined by Node)', () => {
		expect(verifySignature(PDF_GORILLA_SCHEME, `deadbeef, ${valid}`, gorillaCompleted, [CURRENT_SECRET])).toBe(true);
		expect(verifySignature(PDF_GORILLA_SCHEME, `${valid},deadbeef`, gorillaCompleted, [CURRENT_SECRET])).toBe(true);
	});

	it('rejects when none of the joined values is valid', () => {
		expect(verifySignature(PDF_GORILLA_SCHEME, 'deadbeef, cafebabe', gorillaCompleted, [CURRENT_SECRET])).toBe(false);
		expect(verifySignature(PDF_GORILLA_SCHEME, ', ,', gorillaCompleted, [CURRENT_SECRET])).toBe(false);
	});

	it('only tries the first 8 joined values, so a hostile header cannot multiply the work', () => {
		const decoys = Array.from({ length: 8 }, (_, index) => `${index}`.repeat(64));
		expect(verifySignature(PDF_GORILLA_SCHEME, [...decoys, valid].join(','), gorillaCompleted, [CURRENT_SECRET])).toBe(false);
		expect(verifySignature(PDF_GORILLA_SCHEME, [...decoys.slice(1), valid].join(','), gorillaCompleted, [CURRENT_SECRET])).toBe(true);
	});
});

describe('matchesSharedSecret (PDF-Sign X-Webhook-Secret)', () => {
	// pdfsign-webhooks / API-NOTES: the header carries the generated secret itself, no HMAC.
	const secret = 'whsec_7d1f0c2b9a8e4f3d6c5b4a39281706f5';

	it('accepts the exact secret', () => {
		expect(matchesSharedSecret(secret, [secret])).toBe(true);
	});

	it('rejects a different value of the same length', () => {
		expect(matchesSharedSecret(flipChar(secret, 10), [secret])).toBe(false);
	});

	it('rejects a prefix or an extension of the secret', () => {
		expect(matchesSharedSecret(secret.slice(0, -1), [secret])).toBe(false);
		expect(matchesSharedSecret(`${secret}x`, [secret])).toBe(false);
	});

	it('is case-sensitive', () => {
		expect(matchesSharedSecret(secret.toUpperCase(), [secret])).toBe(false);
	});

	it('rejects a missing or empty header', () => {
		expect(matchesSharedSecret(undefined, [secret])).toBe(false);
		expect(matchesSharedSecret('', [secret])).toBe(false);
		expect(matchesSharedSecret('   ', [secret])).toBe(false);
	});

	it('trims whitespace around the received value and the configured secret', () => {
		expect(matchesSharedSecret(` ${secret} `, [secret])).toBe(true);
		expect(matchesSharedSecret(secret, [`${secret}\n`])).toBe(true);
	});

	it('accepts the previous secret during rotation and rejects an unrelated one', () => {
		expect(matchesSharedSecret(PREVIOUS_SECRET, [secret, PREVIOUS_SECRET])).toBe(true);
		expect(matchesSharedSecret(UNRELATED_SECRET, [secret, PREVIOUS_SECRET])).toBe(false);
	});

	it('rejects everything with an empty secret list or only empty secrets', () => {
		expect(matchesSharedSecret(secret, [])).toBe(false);
		expect(matchesSharedSecret('', [''])).toBe(false);
		expect(matchesSharedSecret(' ', ['', '  '])).toBe(false);
	});

	it('compares against every non-empty secret (no early exit)', () => {
		const spy = jest.spyOn(nodeCrypto, 'timingSafeEqual');
		expect(matchesSharedSecret(secret, [secret, '', PREVIOUS_SECRET])).toBe(true);
		expect(spy).toHaveBeenCalledTimes(2);
	});

	it('works with the documented pdf.generated delivery headers', () => {
		const headers = { 'x-webhook-secret': secret, 'x-webhook-event': 'pdf.generated' };
		expect(JSON.parse(PDF_SIGN_GENERATED).event).toBe(headers['x-webhook-event']);
		expect(matchesSharedSecret(headers['x-webhook-secret'], [secret])).toBe(true);
	});
});

describe('checkTimestamp', () => {
	// The PDF-Sign example delivery's timestamp, 2024-01-15T10:30:45.123Z.
	const eventMs = Date.UTC(2024, 0, 15, 10, 30, 45, 123);
	const eventSeconds = Math.floor(eventMs / 1000);
	const window = 300;

	it('accepts unix seconds', () => {
		expect(checkTimestamp(String(eventSeconds), window, eventMs)).toEqual({ ok: true, timestampMs: eventSeconds * 1000 });
	});

	it('accepts unix seconds with a fraction', () => {
		expect(checkTimestamp(`${eventSeconds}.5`, window, eventMs)).toEqual({ ok: true, timestampMs: eventSeconds * 1000 + 500 });
	});

	it('accepts unix milliseconds', () => {
		expect(checkTimestamp(String(eventMs), window, eventMs)).toEqual({ ok: true, timestampMs: eventMs });
	});

	it('accepts ISO 8601 with Z, as in the provider payloads', () => {
		expect(checkTimestamp('2024-01-15T10:30:45.123Z', window, eventMs)).toEqual({ ok: true, timestampMs: eventMs });
	});

	it('accepts ISO 8601 with a numeric offset (with or without colon)', () => {
		expect(checkTimestamp('2024-01-15T11:30:45.123+01:00', window, eventMs)).toEqual({ ok: true, timestampMs: eventMs });
		expect(checkTimestamp('2024-01-15T05:00:45.123-0530', window, eventMs)).toEqual({ ok: true, timestampMs: eventMs });
	});

	it('accepts ISO 8601 without fraction, with microseconds, lower-case t/z or a space separator', () => {
		expect(checkTimestamp('2024-01-15T10:30:45Z', window, eventMs)).toEqual({ ok: true, timestampMs: eventMs - 123 });
		expect(checkTimestamp('2024-01-15T10:30:45.123456Z', window, eventMs)).toEqual({ ok: true, timestampMs: eventMs });
		expect(checkTimestamp('2024-01-15t10:30:45.123z', window, eventMs)).toEqual({ ok: true, timestampMs: eventMs });
		expect(checkTimestamp('2024-01-15 10:30:45.123Z', window, eventMs)).toEqual({ ok: true, timestampMs: eventMs });
	});

	it('reads an ISO date-time without offset as UTC, whatever the server time zone', () => {
		expect(checkTimestamp('2024-01-15T10:30:45.123', window, eventMs)).toEqual({ ok: true, timestampMs: eventMs });
	});

	it('trims surrounding whitespace', () => {
		expect(checkTimestamp(`  ${eventSeconds} `, window, eventMs).ok).toBe(true);
	});

	it('accepts a timestamp exactly maxAgeSeconds old or ahead (boundary is inclusive)', () => {
		expect(checkTimestamp(String(eventMs - window * 1000), window, eventMs).ok).toBe(true);
		expect(checkTimestamp(String(eventMs + window * 1000), window, eventMs).ok).toBe(true);
	});

	it('rejects a timestamp one millisecond older than the window as too_old', () => {
		expect(checkTimestamp(String(eventMs - window * 1000 - 1), window, eventMs)).toEqual({ ok: false, reason: 'too_old' });
	});

	it('rejects a timestamp one millisecond beyond the window in the future as too_new', () => {
		expect(checkTimestamp(String(eventMs + window * 1000 + 1), window, eventMs)).toEqual({ ok: false, reason: 'too_new' });
	});

	it('rejects a replay of the example delivery a day later as too_old', () => {
		expect(checkTimestamp('2024-01-15T10:30:45.123Z', window, eventMs + 24 * 3600 * 1000)).toEqual({ ok: false, reason: 'too_old' });
	});

	it('rejects a far-future timestamp (which would otherwise stay fresh forever) as too_new', () => {
		expect(checkTimestamp('2099-01-01T00:00:00Z', window, eventMs)).toEqual({ ok: false, reason: 'too_new' });
		expect(checkTimestamp(String(eventSeconds + 3600), window, eventMs)).toEqual({ ok: false, reason: 'too_new' });
	});

	it('rejects seconds that are too old the same way as milliseconds', () => {
		expect(checkTimestamp(String(eventSeconds - window - 1), window, eventMs)).toEqual({ ok: false, reason: 'too_old' });
	});

	it('reports a missing value as missing', () => {
		expect(checkTimestamp(undefined, window, eventMs)).toEqual({ ok: false, reason: 'missing' });
		expect(checkTimestamp('', window, eventMs)).toEqual({ ok: false, reason: 'missing' });
		expect(checkTimestamp('   ', window, eventMs)).toEqual({ ok: false, reason: 'missing' });
	});

	it.each([
		'yesterday',
		'12abc',
		'-1705314645',
		'0x65a50a35',
		'1e9',
		'NaN',
		'Infinity',
		'1705314645.',
		'99999999999999999',
		'2024-02-30T00:00:00Z',
		'2023-02-29T00:00:00Z',
		'2024-13-01T00:00:00Z',
		'2024-01-15T24:00:00Z',
		'2024-01-15T10:60:00Z',
		'2024-01-15T10:30:45+25:00',
		'Mon, 15 Jan 2024 10:30:45 GMT',
		'2024-01-15T10:30:45.123Z junk',
	])('reports %p as unparseable', (value) => {
		expect(checkTimestamp(value, window, eventMs)).toEqual({ ok: false, reason: 'unparseable' });
	});

	it('accepts 29 February in a leap year', () => {
		expect(checkTimestamp('2024-02-29T00:00:00Z', 60, Date.UTC(2024, 1, 29)).ok).toBe(true);
	});

	it('with a zero window accepts only the exact instant', () => {
		expect(checkTimestamp(String(eventMs), 0, eventMs).ok).toBe(true);
		expect(checkTimestamp(String(eventMs - 1), 0, eventMs)).toEqual({ ok: false, reason: 'too_old' });
	});

	it('throws on a NaN or negative window instead of silently accepting everything', () => {
		expect(() => checkTimestamp(String(eventMs), Number.NaN, eventMs)).toThrow(RangeError);
		expect(() => checkTimestamp(String(eventMs), -1, eventMs)).toThrow(RangeError);
	});
});
