import { createHash } from 'node:crypto';
import { ObservableObject, type IDataObject } from 'n8n-workflow';

import { DEFAULT_DEDUPE, forgetDelivery, rememberDelivery, type DedupeOptions } from '../../../core/delivery/dedupe';

const T0 = Date.UTC(2026, 3, 6, 10, 1, 23, 456);
const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;

/** Delivery keys as a trigger would build them (provider + event id from the docs' examples). */
const GORILLA_KEY = 'pdfgorilla:cma1b2c3d4e5f6g7h8i9j0k:completed';
const OTHER_KEY = 'pdfgorilla:cma1b2c3d4e5f6g7h8i9j0k:failed';

function seen(staticData: IDataObject): Record<string, number> {
	return staticData.seenDeliveries as Record<string, number>;
}

function hashed(key: string): string {
	return createHash('sha256').update(key, 'utf8').digest('base64url').slice(0, 24);
}

describe('DEFAULT_DEDUPE', () => {
	it('keeps 2000 entries for 48 hours', () => {
		expect(DEFAULT_DEDUPE).toEqual({ maxEntries: 2000, ttlMs: 48 * HOUR });
	});

	it('outlasts the longest documented provider retry (DocGenLab: 1, 5, 15 minutes)', () => {
		expect(DEFAULT_DEDUPE.ttlMs).toBeGreaterThan((1 + 5 + 15) * MINUTE);
	});

	it('cannot be changed by accident', () => {
		expect(Object.isFrozen(DEFAULT_DEDUPE)).toBe(true);
	});
});

describe('rememberDelivery', () => {
	it('reports the first delivery as new and a retry of it as duplicate', () => {
		const staticData: IDataObject = {};
		expect(rememberDelivery(staticData, GORILLA_KEY, T0)).toBe('new');
		expect(rememberDelivery(staticData, GORILLA_KEY, T0 + 1 * MINUTE)).toBe('duplicate');
		expect(rememberDelivery(staticData, GORILLA_KEY, T0 + 21 * MINUTE)).toBe('duplicate');
	});

	it('treats different keys independently', () => {
		const staticData: IDataObject = {};
		expect(rememberDelivery(staticData, GORILLA_KEY, T0)).toBe('new');
		expect(rememberDelivery(staticData, OTHER_KEY, T0)).toBe('new');
		expect(rememberDelivery(staticData, GORILLA_KEY, T0)).toBe('duplicate');
		expect(rememberDelivery(staticData, OTHER_KEY, T0)).toBe('duplicate');
	});

	it('is case- and whitespace-sensitive about keys (normalising is the caller’s job)', () => {
		const staticData: IDataObject = {};
		rememberDelivery(staticData, 'job-1', T0);
		expect(rememberDelivery(staticData, 'JOB-1', T0)).toBe('new');
		expect(rememberDelivery(staticData, 'job-1 ', T0)).toBe('new');
	});

	it('creates staticData.seenDeliveries when it is missing', () => {
		const staticData: IDataObject = { unrelated: 'kept' };
		rememberDelivery(staticData, GORILLA_KEY, T0);
		expect(Object.keys(seen(staticData))).toHaveLength(1);
		expect(staticData.unrelated).toBe('kept');
	});

	it('stores only a 24-character base64url hash of the key, never the key itself', () => {
		const staticData: IDataObject = {};
		const secretishKey = 'docflo:your-tenant-id:document-id:document.processed';
		rememberDelivery(staticData, secretishKey, T0);
		const serialised = JSON.stringify(staticData);
		expect(serialised).not.toContain('your-tenant-id');
		expect(serialised).not.toContain('document-id');
		expect(seen(staticData)).toEqual({ [hashed(secretishKey)]: T0 });
		expect(Object.keys(seen(staticData))[0]).toMatch(/^[A-Za-z0-9_-]{24}$/);
	});

	it('survives a JSON round trip, as n8n persists static data', () => {
		const staticData: IDataObject = {};
		rememberDelivery(staticData, GORILLA_KEY, T0);
		const reloaded = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		expect(rememberDelivery(reloaded, GORILLA_KEY, T0 + MINUTE)).toBe('duplicate');
	});

	it('treats a key as new again once its entry is older than the ttl', () => {
		const staticData: IDataObject = {};
		const options: DedupeOptions = { maxEntries: 10, ttlMs: HOUR };
		rememberDelivery(staticData, GORILLA_KEY, T0, options);
		expect(rememberDelivery(staticData, GORILLA_KEY, T0 + HOUR - 1, options)).toBe('duplicate');
		expect(rememberDelivery(staticData, GORILLA_KEY, T0 + HOUR, options)).toBe('new');
	});

	it('with the defaults, still catches a duplicate after 47 hours but not after 48', () => {
		const staticData: IDataObject = {};
		rememberDelivery(staticData, GORILLA_KEY, T0);
		expect(rememberDelivery(staticData, GORILLA_KEY, T0 + 47 * HOUR)).toBe('duplicate');
		expect(rememberDelivery(staticData, GORILLA_KEY, T0 + 48 * HOUR)).toBe('new');
	});

	it('does not refresh the first-seen time on a duplicate, so endless retries still expire', () => {
		const staticData: IDataObject = {};
		const options: DedupeOptions = { maxEntries: 10, ttlMs: HOUR };
		rememberDelivery(staticData, GORILLA_KEY, T0, options);
		expect(rememberDelivery(staticData, GORILLA_KEY, T0 + 30 * MINUTE, options)).toBe('duplicate');
		expect(seen(staticData)[hashed(GORILLA_KEY)]).toBe(T0);
		expect(rememberDelivery(staticData, GORILLA_KEY, T0 + HOUR, options)).toBe('new');
		expect(seen(staticData)[hashed(GORILLA_KEY)]).toBe(T0 + HOUR);
	});

	it('prunes expired entries of other keys on the next call', () => {
		const staticData: IDataObject = {};
		const options: DedupeOptions = { maxEntries: 10, ttlMs: HOUR };
		rememberDelivery(staticData, 'a', T0, options);
		rememberDelivery(staticData, 'b', T0 + 10 * MINUTE, options);
		rememberDelivery(staticData, 'c', T0 + HOUR + 1, options);
		expect(Object.keys(seen(staticData)).sort()).toEqual([hashed('b'), hashed('c')].sort());
	});

	it('prunes expired entries even when the current call is a duplicate', () => {
		const staticData: IDataObject = {};
		const options: DedupeOptions = { maxEntries: 10, ttlMs: HOUR };
		rememberDelivery(staticData, 'old', T0, options);
		rememberDelivery(staticData, 'recent', T0 + 50 * MINUTE, options);
		expect(rememberDelivery(staticData, 'recent', T0 + 70 * MINUTE, options)).toBe('duplicate');
		expect(Object.keys(seen(staticData))).toEqual([hashed('recent')]);
	});

	it('evicts the oldest entries above maxEntries', () => {
		const staticData: IDataObject = {};
		const options: DedupeOptions = { maxEntries: 3, ttlMs: HOUR };
		for (let index = 0; index < 5; index++) rememberDelivery(staticData, `key-${index}`, T0 + index, options);
		expect(Object.keys(seen(staticData)).sort()).toEqual([hashed('key-2'), hashed('key-3'), hashed('key-4')].sort());
		expect(rememberDelivery(staticData, 'key-4', T0 + 10, options)).toBe('duplicate');
		expect(rememberDelivery(staticData, 'key-0', T0 + 10, options)).toBe('new');
	});

	it('evicts by first-seen time, not by insertion order', () => {
		const staticData: IDataObject = { seenDeliveries: { [hashed('late')]: T0 + 5, [hashed('early')]: T0 } };
		rememberDelivery(staticData, 'newest', T0 + 10, { maxEntries: 2, ttlMs: HOUR });
		expect(Object.keys(seen(staticData)).sort()).toEqual([hashed('late'), hashed('newest')].sort());
	});

	it('never evicts the entry it has just recorded, even when older entries carry a later time', () => {
		const staticData: IDataObject = { seenDeliveries: { [hashed('future')]: T0 + 10 * MINUTE } };
		expect(rememberDelivery(staticData, 'now', T0, { maxEntries: 1, ttlMs: HOUR })).toBe('new');
		expect(Object.keys(seen(staticData))).toEqual([hashed('now')]);
	});

	it('keeps static data bounded and small with the defaults under a flood of unique keys', () => {
		const staticData: IDataObject = {};
		for (let index = 0; index < 2100; index++) rememberDelivery(staticData, `flood-${index}`, T0 + index);
		expect(Object.keys(seen(staticData))).toHaveLength(2000);
		expect(JSON.stringify(staticData).length).toBeLessThan(100 * 1024);
		expect(rememberDelivery(staticData, 'flood-0', T0 + 3000)).toBe('new');
		expect(rememberDelivery(staticData, 'flood-2099', T0 + 3000)).toBe('duplicate');
	});

	it('treats a maxEntries below 1 as 1 so the current delivery is still remembered', () => {
		const staticData: IDataObject = {};
		expect(rememberDelivery(staticData, 'x', T0, { maxEntries: 0, ttlMs: HOUR })).toBe('new');
		expect(rememberDelivery(staticData, 'x', T0, { maxEntries: 0, ttlMs: HOUR })).toBe('duplicate');
	});

	it.each([
		['a string', 'corrupted'],
		['an array', [1, 2, 3]],
		['null', null],
		['a number', 42],
		['a boolean', true],
	])('resets seenDeliveries when it is %s', (_label, corrupted) => {
		const staticData = { seenDeliveries: corrupted } as unknown as IDataObject;
		expect(rememberDelivery(staticData, GORILLA_KEY, T0)).toBe('new');
		expect(seen(staticData)).toEqual({ [hashed(GORILLA_KEY)]: T0 });
	});

	it('drops entries with invalid timestamps but keeps valid ones', () => {
		const staticData = {
			seenDeliveries: {
				[hashed('valid')]: T0 - MINUTE,
				[hashed('text')]: 'yesterday',
				[hashed('nested')]: { at: T0 },
				[hashed('nan')]: Number.NaN,
				[hashed('nothing')]: null,
			},
		} as unknown as IDataObject;
		expect(rememberDelivery(staticData, 'text', T0)).toBe('new');
		expect(rememberDelivery(staticData, 'valid', T0)).toBe('duplicate');
		expect(Object.keys(seen(staticData)).sort()).toEqual([hashed('text'), hashed('valid')].sort());
	});

	it('drops entries dated further in the future than the ttl (they would never expire)', () => {
		const staticData = { seenDeliveries: { [hashed('future')]: T0 + 100 * HOUR } } as IDataObject;
		expect(rememberDelivery(staticData, 'future', T0)).toBe('new');
	});

	it('does not write static data when nothing changed (no needless persistence)', () => {
		const staticData = ObservableObject.create({}) as IDataObject & { __dataChanged: boolean };
		rememberDelivery(staticData, GORILLA_KEY, T0);
		expect(staticData.__dataChanged).toBe(true);

		const reloaded = ObservableObject.create(JSON.parse(JSON.stringify(staticData)) as IDataObject) as IDataObject & {
			__dataChanged: boolean;
		};
		expect(rememberDelivery(reloaded, GORILLA_KEY, T0 + MINUTE)).toBe('duplicate');
		expect(reloaded.__dataChanged).toBe(false);
	});

	it('marks n8n’s observable static data as changed when it records a delivery', () => {
		const staticData = ObservableObject.create({ seenDeliveries: { [hashed('earlier')]: T0 - MINUTE } }) as IDataObject & {
			__dataChanged: boolean;
		};
		expect(rememberDelivery(staticData, GORILLA_KEY, T0)).toBe('new');
		expect(staticData.__dataChanged).toBe(true);
	});
});

describe('forgetDelivery', () => {
	it('makes a remembered key new again, so a provider retry is not swallowed', () => {
		const staticData: IDataObject = {};
		rememberDelivery(staticData, GORILLA_KEY, T0);
		forgetDelivery(staticData, GORILLA_KEY);
		expect(rememberDelivery(staticData, GORILLA_KEY, T0 + MINUTE)).toBe('new');
	});

	it('leaves other keys remembered', () => {
		const staticData: IDataObject = {};
		rememberDelivery(staticData, GORILLA_KEY, T0);
		rememberDelivery(staticData, OTHER_KEY, T0);
		forgetDelivery(staticData, GORILLA_KEY);
		expect(rememberDelivery(staticData, OTHER_KEY, T0 + MINUTE)).toBe('duplicate');
		expect(Object.keys(seen(staticData))).toHaveLength(1);
	});

	it('does nothing for an unknown key or missing seenDeliveries', () => {
		const empty: IDataObject = {};
		forgetDelivery(empty, GORILLA_KEY);
		expect(empty).toEqual({});

		const staticData: IDataObject = {};
		rememberDelivery(staticData, OTHER_KEY, T0);
		const before = JSON.stringify(staticData);
		forgetDelivery(staticData, GORILLA_KEY);
		expect(JSON.stringify(staticData)).toBe(before);
	});

	it('does not throw on corrupted seenDeliveries', () => {
		for (const corrupted of ['x', [1], null, 7]) {
			const staticData = { seenDeliveries: corrupted } as unknown as IDataObject;
			expect(() => forgetDelivery(staticData, GORILLA_KEY)).not.toThrow();
		}
	});

	it('marks n8n’s observable static data as changed', () => {
		const staticData = ObservableObject.create({}) as IDataObject & { __dataChanged: boolean };
		rememberDelivery(staticData, GORILLA_KEY, T0);
		const reloaded = ObservableObject.create(JSON.parse(JSON.stringify(staticData)) as IDataObject) as IDataObject & {
			__dataChanged: boolean;
		};
		forgetDelivery(reloaded, GORILLA_KEY);
		expect(reloaded.__dataChanged).toBe(true);
		expect(Object.keys(seen(reloaded))).toHaveLength(0);
	});
});
