/**
 * What a forger can make a trigger spend before it is refused (issue 23), in this process,
 * against a baseline of the same size measured in alternating slices of the same run:
 * - Docflo's Basic/Bearer check rejecting a crafted 16 KB Authorization header (alternating
 *   spaces and tabs, the input that made the old pattern backtrack quadratically) against a
 *   plain 16 KB header;
 * - Docflo's signature check rejecting a forged 2 MiB body (raw bytes, then the compact-JSON
 *   fallback) against the `JSON.parse` of the same body that n8n does for every JSON request.
 */
import { createHmac } from 'node:crypto';

import { compactJson } from '../core/delivery/authenticity';
import { checkIncomingAuth, type IncomingAuth } from '../core/delivery/incomingAuth';
import { verifySignature } from '../core/delivery/verify';
import type { HmacScheme } from '../core/service';
import { fmt, log, median, type Row } from './lib';

/** Calls `fn` for about `ms` milliseconds; returns milliseconds per call. */
function msPerCall(fn: () => unknown, ms: number): number {
	let calls = 0;
	const started = performance.now();
	let elapsed = 0;
	do {
		fn();
		calls++;
		elapsed = performance.now() - started;
	} while (elapsed < ms);
	return elapsed / calls;
}

/** Medians of alternating slices: [ours, baseline] in ms per call. */
function compare(ours: () => unknown, baseline: () => unknown, sliceMs: number): [number, number] {
	msPerCall(ours, sliceMs);
	msPerCall(baseline, sliceMs);
	const o: number[] = [];
	const b: number[] = [];
	for (let round = 0; round < 10; round++) {
		if (round % 2) {
			b.push(msPerCall(baseline, sliceMs));
			o.push(msPerCall(ours, sliceMs));
		} else {
			o.push(msPerCall(ours, sliceMs));
			b.push(msPerCall(baseline, sliceMs));
		}
	}
	return [median(o), median(b)];
}

const DOCFLO_SCHEME: HmacScheme = { algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' };

/** The Docflo trigger's signature check for a forged body: raw bytes, then the compact fallback (two secrets: rotation). */
function rejectForgedBody(body: Buffer): boolean {
	const secrets = ['docflo-current-secret-0123456789', 'docflo-previous-secret-0123456789'];
	const forged = `sha256=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}`;
	if (verifySignature(DOCFLO_SCHEME, forged, body, secrets)) throw new Error('a forged body verified');
	const compact = compactJson(body);
	if (compact && verifySignature(DOCFLO_SCHEME, forged, compact, secrets)) throw new Error('a forged body verified');
	return false;
}

export function benchRejections(seconds: number): Row[] {
	const sliceMs = Math.max(50, (seconds * 1000) / 6 / 20);
	const rows: Row[] = [];

	const size = 16 * 1024;
	const basic: IncomingAuth = { type: 'basic', username: 'docflo', password: 'docflo-basic-password' };
	const crafted = `Basic x${' \t'.repeat((size - 8) / 2)}y`;
	const plain = `Basic ${'A'.repeat(size - 6)}`;
	const [craftedMs, plainMs] = compare(
		() => checkIncomingAuth(basic, { authorization: crafted }),
		() => checkIncomingAuth(basic, { authorization: plain }),
		sliceMs,
	);
	log(`reject 16 KB Authorization: crafted ${fmt(craftedMs * 1000, 1)} µs, plain ${fmt(plainMs * 1000, 1)} µs`);
	rows.push({
		benchmark: 'Docflo Basic/Bearer check: reject a crafted 16 KB Authorization header (spaces and tabs)',
		ours: `${fmt(craftedMs * 1000, 1)} µs`,
		baseline: `${fmt(plainMs * 1000, 1)} µs (a plain 16 KB header)`,
		ratio: craftedMs / plainMs,
		goal: '≤ 1.5',
		met: craftedMs / plainMs <= 1.5,
	});

	const mib = 1024 * 1024;
	const bodies: Array<[string, Buffer]> = [
		['1M-number array', Buffer.from(`{"a":[${Array(mib - 4).fill('1').join(',')}]}`)],
		['pretty-printed objects', Buffer.from(`{"a":[${Array(Math.floor((2 * mib) / 14)).fill('{ "k" : 1 }').join(' , ')}]}`)],
	];
	for (const [label, body] of bodies) {
		const text = body.toString('utf8');
		const [oursMs, parseMs] = compare(() => rejectForgedBody(body), () => JSON.parse(text), sliceMs);
		log(`reject forged 2 MiB Docflo body (${label}): ${fmt(oursMs, 1)} ms, JSON.parse ${fmt(parseMs, 1)} ms`);
		rows.push({
			benchmark: `Docflo signature check: reject a forged ${fmt(body.length / mib, 1)} MiB body (${label}), two secrets`,
			ours: `${fmt(oursMs, 1)} ms`,
			baseline: `${fmt(parseMs, 1)} ms (JSON.parse of the body, which n8n does anyway)`,
			ratio: oursMs / parseMs,
			// The floor is our own parse + stringify (~1.6× a parse) plus UTF-8 validation, one scan and four HMACs.
			goal: '≤ 3',
			met: oursMs / parseMs <= 3,
		});
	}
	return rows;
}

if (require.main === module) {
	const rows = benchRejections(Number(process.env.BENCH_SECONDS ?? 8));
	for (const r of rows) process.stdout.write(`${r.benchmark}: ours ${r.ours}, baseline ${r.baseline}, ratio ${r.ratio.toFixed(2)} (goal ${r.goal})\n`);
}
