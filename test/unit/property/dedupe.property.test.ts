/**
 * Property 6: rememberDelivery against a reference model, for random sequences of keys and
 * times (clock jumps back and forth included): the same verdicts, a key seen within the TTL
 * is a duplicate, the store never exceeds maxEntries, and the static data stays
 * JSON-serialisable whatever state it started in.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { forgetDelivery, rememberDelivery, type DedupeOptions } from '../../../core/delivery/dedupe';
import { anyString, jsonValueArb, runs, viaJson } from './arbitraries';

/**
 * The documented behaviour, written plainly: entries older than the TTL, or as far in the
 * future, are dropped on every call; a fresh key is a duplicate (first-seen not refreshed);
 * a new one is recorded and, above maxEntries, the oldest others are evicted (ties: first
 * inserted first).
 */
class Model {
	private entries = new Map<string, number>();

	constructor(private readonly options: DedupeOptions) {}

	remember(key: string, now: number): 'new' | 'duplicate' {
		const { ttlMs } = this.options;
		const maxEntries = Math.max(1, Math.floor(this.options.maxEntries));
		const fresh = new Map([...this.entries].filter(([, seen]) => now - seen < ttlMs && now - seen > -ttlMs));
		this.entries = fresh;
		if (fresh.has(key)) return 'duplicate';
		fresh.set(key, now);
		if (fresh.size > maxEntries) {
			const evictable = [...fresh].filter(([k]) => k !== key).sort((a, b) => a[1] - b[1]);
			for (const [k] of evictable.slice(0, fresh.size - maxEntries)) fresh.delete(k);
		}
		return 'new';
	}

	forget(key: string): void {
		this.entries.delete(key);
	}

	times(): number[] {
		return [...this.entries.values()].sort((a, b) => a - b);
	}
}

const keyArb = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('job-1', 'job-2', 'job-3', 'job-4', 'job-5', 'job-6') }, { weight: 1, arbitrary: anyString });

type Step = { kind: 'remember'; key: string; dt: number } | { kind: 'forget'; key: string };

function stepsArb(ttlMs: number): fc.Arbitrary<Step[]> {
	const dtArb = fc.oneof(
		{ weight: 6, arbitrary: fc.integer({ min: 0, max: Math.ceil(ttlMs / 3) }) },
		{ weight: 1, arbitrary: fc.constantFrom(ttlMs - 1, ttlMs, ttlMs + 1) },
		// Clock jumps, backwards too.
		{ weight: 1, arbitrary: fc.integer({ min: -3 * ttlMs, max: 3 * ttlMs }) },
	);
	return fc.array(
		fc.oneof(
			{ weight: 8, arbitrary: fc.record({ kind: fc.constant('remember' as const), key: keyArb, dt: dtArb }) },
			{ weight: 1, arbitrary: fc.record({ kind: fc.constant('forget' as const), key: keyArb }) },
		),
		{ maxLength: 40 },
	);
}

const optionsArb: fc.Arbitrary<DedupeOptions> = fc.record({
	maxEntries: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(2000), fc.double({ min: 0, max: 5, noNaN: true })),
	ttlMs: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constant(48 * 3600 * 1000)),
});

function storedOf(staticData: IDataObject): Record<string, number> {
	return (staticData.seenDeliveries ?? {}) as Record<string, number>;
}

describe('property 6 — rememberDelivery', () => {
	test('matches the reference model step by step; bounded; JSON-serialisable', () => {
		fc.assert(
			fc.property(
				optionsArb.chain((options) => fc.tuple(fc.constant(options), stepsArb(options.ttlMs), fc.integer({ min: 0, max: 2e12 }))),
				([options, steps, start]) => {
					const staticData: IDataObject = {};
					const model = new Model(options);
					const maxEntries = Math.max(1, Math.floor(options.maxEntries));
					let now = start;
					for (const step of steps) {
						if (step.kind === 'forget') {
							forgetDelivery(staticData, step.key);
							model.forget(step.key);
							continue;
						}
						now += step.dt;
						expect(rememberDelivery(staticData, step.key, now, options)).toBe(model.remember(step.key, now));
						const stored = storedOf(staticData);
						expect(Object.keys(stored).length).toBeLessThanOrEqual(maxEntries);
						expect(Object.values(stored).sort((a, b) => a - b)).toEqual(model.times());
						expect(JSON.parse(JSON.stringify(staticData))).toEqual(staticData);
					}
				},
			),
			runs(500),
		);
	});

	test('with room for every key and a forward clock: seen less than ttl ago ⇒ duplicate, otherwise new', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 1000 }),
				fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 400 })), { maxLength: 40 }),
				(ttlMs, steps) => {
					const staticData: IDataObject = {};
					const firstSeen = new Map<string, number>();
					let now = 0;
					for (const [key, dt] of steps) {
						now += dt;
						const seen = firstSeen.get(key);
						const fresh = seen !== undefined && now - seen < ttlMs;
						expect(rememberDelivery(staticData, key, now, { maxEntries: 10, ttlMs })).toBe(fresh ? 'duplicate' : 'new');
						if (!fresh) firstSeen.set(key, now);
					}
				},
			),
			runs(500),
		);
	});

	test('whatever the static data held before, it never throws and leaves a bounded, JSON-serialisable store', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					jsonValueArb,
					// What persisted static data can hold (it went through JSON, so no -0).
					fc.dictionary(fc.string({ maxLength: 24 }), fc.oneof(fc.integer(), fc.double(), jsonValueArb)).map(viaJson),
					fc.constantFrom<unknown>(null, 'garbage', [1, 2], JSON.parse('{"__proto__": 1, "x": 5}'), { a: Infinity, b: Number.NaN, c: 'soon' }),
				),
				keyArb,
				fc.integer({ min: -1e13, max: 1e13 }),
				optionsArb,
				(previous, key, now, options) => {
					const staticData: IDataObject = { seenDeliveries: previous as IDataObject, other: 'kept' };
					const first = rememberDelivery(staticData, key, now, options);
					expect(['new', 'duplicate']).toContain(first);
					expect(rememberDelivery(staticData, key, now, options)).toBe('duplicate');
					const stored = storedOf(staticData);
					expect(Object.keys(stored).length).toBeLessThanOrEqual(Math.max(1, Math.floor(options.maxEntries)));
					for (const value of Object.values(stored)) expect(Number.isFinite(value)).toBe(true);
					expect(JSON.parse(JSON.stringify(staticData))).toEqual(staticData);
					expect(staticData.other).toBe('kept');
					forgetDelivery(staticData, key);
					expect(rememberDelivery(staticData, key, now, options)).toBe('new');
				},
			),
			runs(500),
		);
	});

	test('the store holds hashes, never the keys themselves', () => {
		fc.assert(
			fc.property(fc.array(fc.string({ minLength: 6, maxLength: 30 }), { minLength: 1, maxLength: 5 }), (keys) => {
				const staticData: IDataObject = {};
				keys.forEach((key, i) => rememberDelivery(staticData, key, i));
				const stored = Object.keys(storedOf(staticData));
				// 24 base64url characters of SHA-256: no job or tenant id is persisted.
				for (const hashed of stored) expect(hashed).toMatch(/^[A-Za-z0-9_-]{24}$/);
				for (const key of keys) expect(stored).not.toContain(key);
			}),
			runs(300),
		);
	});
});
