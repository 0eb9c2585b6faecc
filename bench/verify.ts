/**
 * Signature verification per request: the package's own verifySignature (core/delivery/verify.ts),
 * as the PDF Gorilla (hex) and Docflo ('sha256=' + hex) triggers call it, against a bare
 * `createHmac` + `timingSafeEqual`, on 1 KB and 1 MB bodies. Both run in this process in
 * alternating time-bounded slices, so drift and other load on the machine hit both alike.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { verifySignature } from '../core/delivery/verify';
import type { HmacScheme } from '../core/service';
import { fmt, log, median, type Row } from './lib';

const SECRET = 'whsec_bench_0123456789abcdef0123456789abcdef';

/** What a hand-written check does: HMAC the body, decode the header, compare in constant time. */
function bareVerify(provided: string, body: Buffer): boolean {
	const expected = createHmac('sha256', SECRET).update(body).digest();
	const given = Buffer.from(provided, 'hex');
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Calls `fn` for about `ms` milliseconds; returns calls per second. */
function opsPerSecond(fn: () => boolean, ms: number): number {
	let calls = 0;
	const started = performance.now();
	let elapsed = 0;
	do {
		for (let i = 0; i < 16; i++) if (!fn()) throw new Error('verification failed');
		calls += 16;
		elapsed = performance.now() - started;
	} while (elapsed < ms);
	return (calls * 1000) / elapsed;
}

interface Case {
	label: string;
	scheme: HmacScheme;
	bodyBytes: number;
}

export function benchVerify(seconds: number): Row[] {
	const cases: Case[] = [
		{ label: 'PDF Gorilla HMAC (hex)', scheme: { algorithm: 'sha256', encoding: 'hex' }, bodyBytes: 1024 },
		{ label: 'PDF Gorilla HMAC (hex)', scheme: { algorithm: 'sha256', encoding: 'hex' }, bodyBytes: 1024 * 1024 },
		{ label: 'Docflo signature (sha256=hex)', scheme: { algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' }, bodyBytes: 1024 },
		{ label: 'Docflo signature (sha256=hex)', scheme: { algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' }, bodyBytes: 1024 * 1024 },
	];
	const rows: Row[] = [];
	// Ten alternating slices per side in the time given to each case.
	const sliceMs = Math.max(50, (seconds * 1000) / cases.length / 20);
	for (const c of cases) {
		const body = randomBytes(c.bodyBytes);
		const hex = createHmac('sha256', SECRET).update(body).digest('hex');
		const header = (c.scheme.prefix ?? '') + hex;
		const ours = () => verifySignature(c.scheme, header, body, [SECRET]);
		const bare = () => bareVerify(hex, body);
		// Warm-up: both paths optimised before anything is counted.
		opsPerSecond(ours, sliceMs);
		opsPerSecond(bare, sliceMs);
		const oursRates: number[] = [];
		const bareRates: number[] = [];
		for (let round = 0; round < 10; round++) {
			// Alternate which side goes first so neither always follows the other.
			if (round % 2) {
				bareRates.push(opsPerSecond(bare, sliceMs));
				oursRates.push(opsPerSecond(ours, sliceMs));
			} else {
				oursRates.push(opsPerSecond(ours, sliceMs));
				bareRates.push(opsPerSecond(bare, sliceMs));
			}
		}
		const o = median(oursRates);
		const b = median(bareRates);
		const size = c.bodyBytes >= 1024 * 1024 ? '1 MB' : '1 KB';
		log(`verify ${c.label} ${size}: ours ${fmt(o, 0)}/s, bare ${fmt(b, 0)}/s (${(o / b).toFixed(3)}×)`);
		rows.push({
			benchmark: `Signature verification, ${c.label}, ${size} body`,
			ours: `${formatRate(o)} verifications/s`,
			baseline: `${formatRate(b)} /s (createHmac + timingSafeEqual)`,
			ratio: o / b,
			goal: '≥ 0.9',
			met: o / b >= 0.9,
		});
	}
	return rows;
}

function formatRate(perSecond: number): string {
	return perSecond >= 10_000 ? `${fmt(perSecond / 1000, 0)} k` : fmt(perSecond, perSecond >= 100 ? 0 : 1);
}

if (require.main === module) {
	const rows = benchVerify(Number(process.env.BENCH_SECONDS ?? 8));
	for (const r of rows) process.stdout.write(`${r.benchmark}: ours ${r.ours}, baseline ${r.baseline}, ratio ${r.ratio.toFixed(2)} (goal ${r.goal})\n`);
}
