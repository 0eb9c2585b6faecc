/**
 * Property 6: Ledger against a reference model, for random sequences of gets, sets and
 * deletes with a forward clock: the same answers, never more than capacity keys, and no
 * key younger than protectedMs ever lost to eviction.
 */
import fc from 'fast-check';

import { Ledger, type LedgerLimits } from '../../../core/ledger';
import { runs } from './arbitraries';

/** The documented behaviour, written plainly. */
class Model {
	private entries: Array<{ key: string; value: number; seen: number }> = [];

	constructor(private readonly limits: LedgerLimits) {}

	private expire(now: number): void {
		this.entries = this.entries.filter((e) => now - e.seen < this.limits.ttlMs);
	}

	get(key: string, now: number): number | undefined {
		this.expire(now);
		return this.entries.find((e) => e.key === key)?.value;
	}

	set(key: string, value: number, now: number): boolean {
		this.expire(now);
		const held = this.entries.find((e) => e.key === key);
		if (held) {
			held.value = value;
			return true;
		}
		if (this.entries.length >= this.limits.capacity) {
			const oldest = this.entries[0];
			if (!oldest || now - oldest.seen < this.limits.protectedMs) return false;
			this.entries.shift();
		}
		this.entries.push({ key, value, seen: now });
		return true;
	}

	delete(key: string): void {
		this.entries = this.entries.filter((e) => e.key !== key);
	}
}

type Step = { op: 'get' | 'set' | 'delete'; key: string; dt: number; value: number };

describe('property 6 — Ledger', () => {
	test('matches the reference model step by step; bounded', () => {
		fc.assert(
			fc.property(
				fc.record({ ttlMs: fc.integer({ min: 1, max: 1000 }), capacity: fc.integer({ min: 1, max: 6 }), protectedMs: fc.integer({ min: 0, max: 1000 }) }),
				fc.array(
					fc.record({
						op: fc.constantFrom<Step['op']>('get', 'set', 'set', 'delete'),
						key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
						dt: fc.oneof(fc.integer({ min: 0, max: 200 }), fc.constant(0)),
						value: fc.nat(),
					}),
					{ maxLength: 60 },
				),
				(limits, steps) => {
					const ledger = new Ledger<number>(limits);
					const model = new Model(limits);
					let now = 1_000_000;
					for (const step of steps) {
						now += step.dt;
						if (step.op === 'get') expect(ledger.get(step.key, now)).toBe(model.get(step.key, now));
						else if (step.op === 'set') expect(ledger.set(step.key, step.value, now)).toBe(model.set(step.key, step.value, now));
						else {
							ledger.delete(step.key);
							model.delete(step.key);
						}
						expect(ledger.size).toBeLessThanOrEqual(limits.capacity);
					}
				},
			),
			runs(500),
		);
	});
});
