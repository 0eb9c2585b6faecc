import { createHash, createHmac, timingSafeEqual } from 'crypto';

import type { HmacScheme } from '../service';

/**
 * A header carrying several signatures (duplicate headers joined by Node with ', ') is split,
 * but only this many parts are tried so a hostile header cannot multiply our work.
 */
const MAX_SIGNATURE_CANDIDATES = 8;

function sha256Digest(text: string): Buffer {
	// UTF-16 code units, not UTF-8: UTF-8 turns every lone surrogate into U+FFFD, which would
	// make different strings compare equal.
	return createHash('sha256').update(Buffer.from(text, 'utf16le')).digest();
}

/**
 * Constant-time and length-safe: compares SHA-256 digests of both strings with
 * crypto.timingSafeEqual, so neither content nor length leaks.
 */
export function safeEqual(a: string, b: string): boolean {
	// timingSafeEqual throws on different lengths and would leak the expected length;
	// hashing first gives two equal-length buffers whatever the inputs are.
	return timingSafeEqual(sha256Digest(a), sha256Digest(b));
}

/**
 * Constant-time comparison of a received digest with the expected one. Unlike `safeEqual` it
 * does not hash both first (two SHA-256 runs that cost more than the HMAC of a 1 KB body): the
 * expected digest's length follows from the algorithm and encoding, which are public, so
 * comparing lengths tells a sender nothing. A received digest of another length is still put
 * through timingSafeEqual (the expected one against itself), so every candidate does the same
 * work. UTF-8 keeps it exact: the expected digest is ASCII, and any other character encodes to
 * bytes at or above 0x80 that cannot match it.
 */
function digestsEqual(received: string, expected: string): boolean {
	const receivedBytes = Buffer.from(received, 'utf8');
	const expectedBytes = Buffer.from(expected, 'utf8');
	const sameLength = receivedBytes.length === expectedBytes.length;
	const equal = timingSafeEqual(sameLength ? receivedBytes : expectedBytes, expectedBytes);
	return sameLength && equal;
}

function encodedDigest(scheme: HmacScheme, secret: string, body: Buffer | string): string {
	return createHmac(scheme.algorithm, secret).update(body).digest(scheme.encoding);
}

/** prefix + encoded HMAC of body with secret */
export function computeSignature(scheme: HmacScheme, secret: string, body: Buffer | string): string {
	return (scheme.prefix ?? '') + encodedDigest(scheme, secret, body);
}

/**
 * Removes the expected prefix (case-insensitively: 'SHA256=' is the same claim as 'sha256=')
 * and normalises hex to lower case. Returns undefined when the prefix is absent.
 */
function digestPartOf(scheme: HmacScheme, candidate: string): string | undefined {
	const prefix = scheme.prefix ?? '';
	if (candidate.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return undefined;
	const digest = candidate.slice(prefix.length).trim();
	return scheme.encoding === 'hex' ? digest.toLowerCase() : digest;
}

/**
 * True when `provided` equals the signature for ANY of `secrets` (current + previous, for
 * rotation). Empty secrets are ignored; no secrets => false. Every candidate is compared
 * (no early exit) to keep timing flat.
 */
export function verifySignature(
	scheme: HmacScheme,
	provided: string | undefined,
	body: Buffer,
	secrets: readonly string[],
): boolean {
	if (typeof provided !== 'string') return false;
	const usableSecrets = secrets.filter((secret) => typeof secret === 'string' && secret.length > 0);
	if (usableSecrets.length === 0) return false;

	// Plain loops: this runs for every delivery, and at 1 KB the HMAC itself takes only a few µs.
	const providedDigests: Array<string | undefined> = [];
	const parts = provided.split(',', MAX_SIGNATURE_CANDIDATES);
	for (const part of parts) {
		const trimmed = part.trim();
		if (trimmed.length > 0) providedDigests.push(digestPartOf(scheme, trimmed));
	}
	if (providedDigests.length === 0) return false;

	let matched = false;
	for (const secret of usableSecrets) {
		const expectedDigest = encodedDigest(scheme, secret, body);
		for (const providedDigest of providedDigests) {
			// A part with the wrong prefix is still compared (against a value that cannot
			// match) so the loop does the same work whatever was sent.
			const equal = digestsEqual(providedDigest ?? '', expectedDigest) && providedDigest !== undefined;
			matched = matched || equal;
		}
	}
	return matched;
}

/**
 * For services that send the shared secret itself in a header (a descriptor's
 * `sharedSecretHeader` check): constant-time match against any of `secrets`.
 */
export function matchesSharedSecret(provided: string | undefined, secrets: readonly string[]): boolean {
	if (typeof provided !== 'string') return false;
	// HTTP strips surrounding whitespace from header values, so whitespace around a
	// configured secret (a copy-paste slip) could never be sent; trim both sides.
	const received = provided.trim();
	if (received.length === 0) return false;
	let matched = false;
	for (const secret of secrets) {
		if (typeof secret !== 'string') continue;
		const expected = secret.trim();
		if (expected.length === 0) continue;
		const equal = safeEqual(received, expected);
		matched = matched || equal;
	}
	return matched;
}

export type TimestampVerdict =
	| { ok: true; timestampMs: number }
	| { ok: false; reason: 'missing' | 'unparseable' | 'too_old' | 'too_new' };

/** Below this a number is read as unix seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const SECONDS_MILLISECONDS_BOUNDARY = 1e11;
/** At or above this (year 5138 in ms) a number is no plausible timestamp (micro-/nanoseconds are not supported). */
const MAX_PLAUSIBLE_MILLISECONDS = 1e14;

const NUMERIC_TIMESTAMP = /^\d+(?:\.\d+)?$/;
const ISO_8601_TIMESTAMP =
	/^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
	const days = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
	return days[month - 1] ?? 0;
}

/**
 * Parses ISO 8601 by hand rather than with Date.parse, which silently rolls 2024-02-30 over
 * to March and reads offset-less date-times in the server's local zone. A missing offset is
 * taken as UTC, the convention for machine-generated timestamps.
 */
function parseIsoTimestamp(text: string): number | undefined {
	const match = ISO_8601_TIMESTAMP.exec(text);
	if (!match) return undefined;
	const [, yearText, monthText, dayText, hourText, minuteText, secondText, fractionText] = match;
	const [offsetSign, offsetHourText, offsetMinuteText] = [match[9], match[10], match[11]];
	const year = Number(yearText);
	const month = Number(monthText);
	const day = Number(dayText);
	const hour = Number(hourText ?? '0');
	const minute = Number(minuteText ?? '0');
	const second = Number(secondText ?? '0');
	const milliseconds = Number((fractionText ?? '').padEnd(3, '0').slice(0, 3));
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
	if (hour > 23 || minute > 59 || second > 59) return undefined;

	let offsetMinutes = 0;
	if (offsetSign !== undefined) {
		const offsetHours = Number(offsetHourText);
		const offsetRestMinutes = Number(offsetMinuteText);
		if (offsetHours > 23 || offsetRestMinutes > 59) return undefined;
		offsetMinutes = (offsetSign === '-' ? -1 : 1) * (offsetHours * 60 + offsetRestMinutes);
	}
	// Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear takes the year as given.
	const date = new Date(Date.UTC(2000, 0, 1, hour, minute, second, milliseconds));
	date.setUTCFullYear(year, month - 1, day);
	return date.getTime() - offsetMinutes * 60_000;
}

function parseTimestamp(text: string): number | undefined {
	if (NUMERIC_TIMESTAMP.test(text)) {
		const value = Number(text);
		if (!Number.isFinite(value)) return undefined;
		if (value < SECONDS_MILLISECONDS_BOUNDARY) return Math.round(value * 1000);
		if (value < MAX_PLAUSIBLE_MILLISECONDS) return Math.round(value);
		return undefined;
	}
	return parseIsoTimestamp(text);
}

/**
 * Two-sided window: rejects values older than maxAgeSeconds AND further than maxAgeSeconds
 * in the future (a far-future timestamp would otherwise stay "fresh" forever and make a
 * captured delivery replayable). Accepts unix seconds, unix milliseconds and ISO 8601.
 * Exactly maxAgeSeconds away is still accepted.
 */
export function checkTimestamp(value: string | undefined, maxAgeSeconds: number, nowMs: number): TimestampVerdict {
	// NaN would make every comparison false and silently accept any timestamp: fail loudly.
	if (Number.isNaN(maxAgeSeconds) || maxAgeSeconds < 0) {
		throw new RangeError('maxAgeSeconds must be a non-negative number');
	}
	if (typeof value !== 'string' || value.trim().length === 0) return { ok: false, reason: 'missing' };
	const timestampMs = parseTimestamp(value.trim());
	if (timestampMs === undefined || !Number.isFinite(timestampMs)) return { ok: false, reason: 'unparseable' };

	const maxSkewMs = maxAgeSeconds * 1000;
	const ageMs = nowMs - timestampMs;
	if (ageMs > maxSkewMs) return { ok: false, reason: 'too_old' };
	if (-ageMs > maxSkewMs) return { ok: false, reason: 'too_new' };
	return { ok: true, timestampMs };
}
