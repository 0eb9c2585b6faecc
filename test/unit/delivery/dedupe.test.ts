/**
 * core/ledger.ts and core/delivery/dedupe.ts: the process-wide memory behind the trigger's
 * retry filter. Every test uses scopes of its own: the delivery memory is module state.
 */
import { DELIVERY_MEMORY, admitDelivery, settleDelivery } from '../../../core/delivery/dedupe';
import { Ledger, LedgerRegistry, hashKey } from '../../../core/ledger';

const T0 = Date.UTC(2026, 3, 6, 10, 1, 23, 456);
const HOUR = 60 * 60 * 1000;
let scopes = 0;
const scope = () => `test-wf-${++scopes}/node`;

describe('hashKey', () => {
	it('is 24 base64url characters and never contains the key', () => {
		const key = 'docflo:your-tenant-id:document-id';
		expect(hashKey(key)).toMatch(/^[A-Za-z0-9_-]{24}$/);
		expect(hashKey(key)).not.toContain('tenant');
		expect(hashKey(key)).toBe(hashKey(key));
		expect(hashKey(key)).not.toBe(hashKey(`${key} `));
	});
});

describe('Ledger', () => {
	const limits = { ttlMs: HOUR, capacity: 3, protectedMs: 10 * 60 * 1000 };

	it('forgets a key once it is ttl old, not before', () => {
		const ledger = new Ledger<string>(limits);
		ledger.set('a', 'x', T0);
		expect(ledger.get('a', T0 + HOUR - 1)).toBe('x');
		expect(ledger.get('a', T0 + HOUR)).toBeUndefined();
	});

	it('keeps the first-seen time when a held key is set again, so endless retries still expire', () => {
		const ledger = new Ledger<string>(limits);
		ledger.set('a', 'x', T0);
		ledger.set('a', 'y', T0 + HOUR - 10);
		expect(ledger.get('a', T0 + HOUR - 1)).toBe('y');
		expect(ledger.get('a', T0 + HOUR)).toBeUndefined();
	});

	it('when full, evicts the oldest key once it is older than protectedMs', () => {
		const ledger = new Ledger<string>(limits);
		for (const [i, k] of ['a', 'b', 'c'].entries()) ledger.set(k, k, T0 + i);
		expect(ledger.set('d', 'd', T0 + limits.protectedMs)).toBe(true);
		expect(ledger.get('a', T0 + limits.protectedMs)).toBeUndefined();
		expect(ledger.get('b', T0 + limits.protectedMs)).toBe('b');
		expect(ledger.size).toBe(3);
	});

	it('a flood cannot evict a key younger than protectedMs: set refuses instead', () => {
		const ledger = new Ledger<string>(limits);
		for (const [i, k] of ['a', 'b', 'c'].entries()) ledger.set(k, k, T0 + i);
		expect(ledger.set('flood', 'f', T0 + limits.protectedMs - 1)).toBe(false);
		expect(ledger.get('flood', T0 + 10)).toBeUndefined();
		expect(ledger.get('a', T0 + 10)).toBe('a');
		// A held key can still be updated when full.
		expect(ledger.set('a', 'a2', T0 + 10)).toBe(true);
	});

	it('a clock jump forward past the ttl forgets everything; one back by more than the ttl drops the oldest entry', () => {
		const ledger = new Ledger<string>(limits);
		ledger.set('a', 'a', T0);
		expect(ledger.get('a', T0 + 5 * HOUR)).toBeUndefined();
		ledger.set('b', 'b', T0);
		expect(ledger.get('b', T0 - 2 * HOUR)).toBeUndefined();
	});

	it('delete forgets one key', () => {
		const ledger = new Ledger<string>(limits);
		ledger.set('a', 'a', T0);
		ledger.set('b', 'b', T0);
		ledger.delete('a');
		expect(ledger.get('a', T0)).toBeUndefined();
		expect(ledger.get('b', T0)).toBe('b');
	});

	it('LedgerRegistry: one ledger per scope', () => {
		const registry = new LedgerRegistry<string>(limits);
		registry.for('s1').set('k', 'v', T0);
		expect(registry.for('s1').get('k', T0)).toBe('v');
		expect(registry.for('s2').get('k', T0)).toBeUndefined();
	});
});

describe('admitDelivery / settleDelivery', () => {
	it('remembers 48 hours, protects an hour', () => {
		expect(DELIVERY_MEMORY).toEqual({ ttlMs: 48 * HOUR, protectedMs: HOUR, capacity: 200_000 });
		expect(Object.isFrozen(DELIVERY_MEMORY)).toBe(true);
	});

	it("confirm on receipt: new, then duplicate; another scope or key is new", () => {
		const s = scope();
		expect(admitDelivery(s, 'k', 'receipt', T0)).toBe('new');
		expect(admitDelivery(s, 'k', 'receipt', T0 + 1)).toBe('duplicate');
		expect(admitDelivery(s, 'k2', 'receipt', T0 + 1)).toBe('new');
		expect(admitDelivery(scope(), 'k', 'receipt', T0 + 1)).toBe('new');
		expect(admitDelivery(s, 'k', 'receipt', T0 + 48 * HOUR)).toBe('new');
	});

	it('confirm on success: inFlight while running, duplicate after success, retry after failure', () => {
		const s = scope();
		expect(admitDelivery(s, 'k', 'success', T0)).toBe('new');
		expect(admitDelivery(s, 'k', 'success', T0 + 1)).toBe('inFlight');
		settleDelivery(s, 'k', false, T0 + 2);
		expect(admitDelivery(s, 'k', 'success', T0 + 3)).toBe('retry');
		expect(admitDelivery(s, 'k', 'success', T0 + 4)).toBe('inFlight');
		settleDelivery(s, 'k', true, T0 + 5);
		expect(admitDelivery(s, 'k', 'success', T0 + 6)).toBe('duplicate');
	});

	it('an in-flight delivery answered on receipt is a duplicate', () => {
		const s = scope();
		admitDelivery(s, 'k', 'success', T0);
		expect(admitDelivery(s, 'k', 'receipt', T0 + 1)).toBe('duplicate');
	});

	it('full: a 200,001st new event within the protected hour is refused, not admitted unrecorded', () => {
		const s = scope();
		for (let i = 0; i < DELIVERY_MEMORY.capacity; i++) admitDelivery(s, `flood-${i}`, 'receipt', T0);
		expect(admitDelivery(s, 'one-more', 'receipt', T0 + 1)).toBe('full');
		expect(admitDelivery(s, 'one-more', 'success', T0 + 1)).toBe('full');
		expect(admitDelivery(s, 'flood-0', 'receipt', T0 + 1)).toBe('duplicate');
		expect(admitDelivery(s, 'one-more', 'receipt', T0 + HOUR)).toBe('new');
	});
});

describe('a full memory is shared fairly between sender addresses (issue 23)', () => {
	const limits = { ttlMs: 48 * HOUR, protectedMs: HOUR, capacity: 10 };

	test('a flood from one address fills it; another address still gets in, taking the flooder\'s oldest slot; the flooder itself is refused', () => {
		const ledger = new Ledger<string>(limits);
		for (let i = 0; i < 10; i++) expect(ledger.set(`forged-${i}`, 'x', T0 + i, 'flooder')).toBe(true);
		expect(ledger.set('forged-10', 'x', T0 + 10, 'flooder')).toBe(false);
		expect(ledger.set('genuine-1', 'x', T0 + 11, 'service')).toBe(true);
		expect(ledger.get('genuine-1', T0 + 12)).toBe('x');
		expect(ledger.get('forged-0', T0 + 12)).toBeUndefined();
		expect(ledger.get('forged-1', T0 + 12)).toBe('x');
		expect([ledger.heldBy('flooder'), ledger.heldBy('service'), ledger.size]).toEqual([9, 1, 10]);
	});

	test('the other address can take up to half; beyond it, it is the biggest holder and is refused like anyone', () => {
		const ledger = new Ledger<string>(limits);
		for (let i = 0; i < 10; i++) ledger.set(`forged-${i}`, 'x', T0, 'flooder');
		for (let i = 0; i < 5; i++) expect(ledger.set(`genuine-${i}`, 'x', T0, 'service')).toBe(true);
		expect(ledger.set('genuine-5', 'x', T0, 'service')).toBe(false);
		expect([ledger.heldBy('flooder'), ledger.heldBy('service')]).toEqual([5, 5]);
	});

	test('one owner alone (the download claims, which pass none) keeps the old rule: refused when full of protected keys', () => {
		const ledger = new Ledger<string>(limits);
		for (let i = 0; i < 10; i++) ledger.set(`k-${i}`, 'x', T0);
		expect(ledger.set('k-10', 'x', T0)).toBe(false);
	});

	test('counts follow expiry and deletes, and queues do not grow without bound', () => {
		const ledger = new Ledger<string>({ ...limits, capacity: 100, ttlMs: 10, protectedMs: 5 });
		for (let i = 0; i < 10_000; i++) expect(ledger.set(`k-${i}`, 'x', T0 + i, i % 2 ? 'a' : 'b')).toBe(true);
		expect(ledger.size).toBeLessThanOrEqual(100);
		expect(ledger.heldBy('a') + ledger.heldBy('b')).toBe(ledger.size);
		ledger.delete('k-9999');
		expect(ledger.heldBy('a') + ledger.heldBy('b')).toBe(ledger.size);
		const holdings = (ledger as unknown as { holdings: Map<string, { queue: unknown[] }> }).holdings;
		for (const holding of holdings.values()) expect(holding.queue.length).toBeLessThan(300);
	});

	test('at the real size: 200,000 forged ReportFlow events from one address within the hour, then a genuine one from another address is admitted, and the flood\'s next is refused', () => {
		const scope = `fairness-${T0}`;
		let admitted = 0;
		for (let i = 0; i < DELIVERY_MEMORY.capacity; i++) if (admitDelivery(scope, `reportFlow:forged-${i}`, 'receipt', T0 + i * 10, '198.51.100.7') === 'new') admitted++;
		expect(admitted).toBe(DELIVERY_MEMORY.capacity);
		const later = T0 + 35 * 60_000;
		expect(admitDelivery(scope, 'reportFlow:genuine', 'receipt', later, '34.120.0.1')).toBe('new');
		expect(admitDelivery(scope, 'reportFlow:genuine', 'receipt', later + 1, '34.120.0.1')).toBe('duplicate');
		expect(admitDelivery(scope, 'reportFlow:forged-next', 'receipt', later + 2, '198.51.100.7')).toBe('full');
	});
});
