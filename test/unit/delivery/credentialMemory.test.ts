/**
 * The trigger's memory of credential secrets (core/delivery/credentialMemory.ts), with an
 * explicit clock: how long a read serves, when a failed verification reads again, and that
 * nothing stays beyond its time.
 */
import { CredentialMemory, type CredentialFields, type CredentialMemoryLimits } from '../../../core/delivery/credentialMemory';

const LIMITS: CredentialMemoryLimits = { maxAgeMs: 5_000, refreshAfterMs: 4_000, rereadIntervalMs: 1_000, capacity: 3 };

/** Lets a read that was released finish (its continuations run). */
const settled = async () => await new Promise<void>((resolve) => setImmediate(resolve));

/** A credential whose content a test changes; counts reads; each read resolves when the test says. */
function credential(initial: CredentialFields | undefined) {
	let content = initial;
	let reads = 0;
	const gates: Array<() => void> = [];
	let gated = false;
	return {
		set(next: CredentialFields | undefined) {
			content = next;
		},
		get reads() {
			return reads;
		},
		/** From now on every read waits for release(). */
		gate() {
			gated = true;
		},
		release() {
			gated = false;
			for (const open of gates.splice(0)) open();
		},
		read: async () => {
			reads++;
			const snapshot = content;
			if (gated) await new Promise<void>((resolve) => gates.push(resolve));
			return snapshot === undefined ? undefined : { ...snapshot };
		},
	};
}

describe('CredentialMemory: reads that serve deliveries', () => {
	test('one read serves every delivery for maxAgeMs from its start, then the next delivery reads again', async () => {
		const memory = new CredentialMemory(LIMITS);
		const cred = credential({ secret: 'a' });
		const first = await memory.current('k', cred.read, 1_000);
		expect(first.fields).toEqual({ secret: 'a' });
		expect((await memory.current('k', cred.read, 4_999)).startedMs).toBe(1_000);
		expect(cred.reads).toBe(1);
		cred.set({ secret: 'b' });
		expect((await memory.current('k', cred.read, 6_000)).fields).toEqual({ secret: 'b' });
		expect(cred.reads).toBe(2);
	});

	test('a delivery after refreshAfterMs is served from the read and starts the next one without waiting for it', async () => {
		const memory = new CredentialMemory(LIMITS);
		const cred = credential({ secret: 'a' });
		await memory.current('k', cred.read, 1_000);
		cred.set({ secret: 'b' });
		cred.gate();
		// The next read is under way and held back; these deliveries do not wait for it.
		expect(await memory.current('k', cred.read, 5_500)).toEqual({ fields: { secret: 'a' }, startedMs: 1_000 });
		expect(await memory.current('k', cred.read, 5_600)).toEqual({ fields: { secret: 'a' }, startedMs: 1_000 });
		expect(cred.reads).toBe(2);
		cred.release();
		await settled();
		// Later deliveries find it done: steady traffic never waits for a read.
		expect(await memory.current('k', cred.read, 6_100)).toEqual({ fields: { secret: 'b' }, startedMs: 5_500 });
		expect(cred.reads).toBe(2);
	});

	test('the bound holds while the next read is under way: at maxAgeMs a delivery waits for it instead of using the old one', async () => {
		const memory = new CredentialMemory(LIMITS);
		const cred = credential({ secret: 'a' });
		await memory.current('k', cred.read, 1_000);
		cred.set(undefined);
		cred.gate();
		await memory.current('k', cred.read, 5_500);
		let answered = false;
		const late = memory.current('k', cred.read, 6_000).then((r) => {
			answered = true;
			return r;
		});
		await settled();
		expect(answered).toBe(false);
		cred.release();
		expect((await late).fields).toBeUndefined();
		expect(cred.reads).toBe(2);
	});

	test('a read in the background that finds the credential unusable drops what was remembered', async () => {
		const memory = new CredentialMemory(LIMITS);
		const cred = credential({ secret: 'a' });
		await memory.current('k', cred.read, 1_000);
		cred.set(undefined);
		expect((await memory.current('k', cred.read, 5_500)).fields).toEqual({ secret: 'a' });
		await settled();
		expect(memory.size).toBe(0);
		expect((await memory.current('k', cred.read, 5_600)).fields).toBeUndefined();
	});

	test('concurrent deliveries share one read', async () => {
		const memory = new CredentialMemory(LIMITS);
		const cred = credential({ secret: 'a' });
		cred.gate();
		const all = Promise.all([memory.current('k', cred.read, 0), memory.current('k', cred.read, 1), memory.current('k', cred.read, 2)]);
		cred.release();
		const reads = await all;
		expect(cred.reads).toBe(1);
		expect(new Set(reads).size).toBe(1);
	});

	test('a failed read (no credential, cannot be decrypted, the reader throws) is not remembered', async () => {
		const memory = new CredentialMemory(LIMITS);
		const cred = credential(undefined);
		expect((await memory.current('k', cred.read, 0)).fields).toBeUndefined();
		expect(memory.size).toBe(0);
		await memory.current('k', cred.read, 1);
		expect(cred.reads).toBe(2);
		const throwing = async () => {
			throw new Error('Credential with ID "1" does not exist');
		};
		expect((await memory.current('t', throwing, 2)).fields).toBeUndefined();
		expect(memory.size).toBe(0);
	});

	test('a credential that became unusable drops what was remembered', async () => {
		const memory = new CredentialMemory(LIMITS);
		const cred = credential({ secret: 'a' });
		await memory.current('k', cred.read, 0);
		cred.set(undefined);
		const refreshed = await memory.refresh('k', await memory.current('k', cred.read, 10), cred.read, 20, 20);
		expect(refreshed?.fields).toBeUndefined();
		expect(memory.size).toBe(0);
	});

	test('a slower read that started earlier does not replace a newer one', async () => {
		const memory = new CredentialMemory(LIMITS);
		const slow = credential({ secret: 'old' });
		slow.gate();
		const first = memory.current('k', slow.read, 0);
		const fast = credential({ secret: 'new' });
		// The delivery arrived at 100 and failed against nothing remembered: it reads at once.
		const used = { fields: { secret: 'x' }, startedMs: 0 };
		const fresh = await memory.refresh('k', used, fast.read, 100, 100);
		expect(fresh?.fields).toEqual({ secret: 'new' });
		slow.release();
		await first;
		expect((await memory.current('k', fast.read, 200)).fields).toEqual({ secret: 'new' });
	});
});

describe('CredentialMemory: a delivery that failed verification', () => {
	test('is checked against a read that started after it arrived', async () => {
		const memory = new CredentialMemory(LIMITS);
		const cred = credential({ secret: 'old' });
		const used = await memory.current('k', cred.read, 0);
		cred.set({ secret: 'new' });
		const fresh = await memory.refresh('k', used, cred.read, 500, 500);
		expect(fresh).toEqual({ fields: { secret: 'new' }, startedMs: 500 });
		// Later deliveries use it.
		expect((await memory.current('k', cred.read, 600)).fields).toEqual({ secret: 'new' });
		expect(cred.reads).toBe(2);
	});

	test('gets no new read when the one it used started after it arrived', async () => {
		const memory = new CredentialMemory(LIMITS);
		const cred = credential({ secret: 'a' });
		const used = await memory.current('k', cred.read, 1_000);
		expect(await memory.refresh('k', used, cred.read, 900, 1_001)).toBe(used);
		expect(cred.reads).toBe(1);
	});

	test('joins a read under way that started after it arrived', async () => {
		const memory = new CredentialMemory(LIMITS);
		const cred = credential({ secret: 'a' });
		const used = await memory.current('k', cred.read, 0);
		cred.set({ secret: 'b' });
		cred.gate();
		const one = memory.refresh('k', used, cred.read, 100, 200);
		const two = memory.refresh('k', used, cred.read, 150, 250);
		cred.release();
		expect(await one).toBe(await two);
		expect(cred.reads).toBe(2);
	});

	test('reads at most once per rereadIntervalMs: a flood of forged deliveries costs one read a second', async () => {
		const memory = new CredentialMemory(LIMITS);
		const cred = credential({ secret: 'a' });
		let now = 0;
		let refused = 0;
		for (let i = 0; i < 1_000; i++, now += 4) {
			// 250 forged deliveries a second for 4 seconds, each failing against what it used.
			const used = await memory.current('k', cred.read, now);
			if ((await memory.refresh('k', used, cred.read, now, now)) === undefined) refused++;
		}
		// One read when the first arrived, then at most one per second (plus the maxAge reads).
		expect(cred.reads).toBeLessThanOrEqual(1 + 4 + 1);
		expect(refused).toBeGreaterThan(990);
	});

	test('the budget is per trigger and credential: a flood on one does not delay another', async () => {
		const memory = new CredentialMemory(LIMITS);
		const flooded = credential({ secret: 'a' });
		const other = credential({ secret: 'old' });
		const usedOther = await memory.current('other', other.read, 0);
		const usedFlooded = await memory.current('flooded', flooded.read, 0);
		await memory.refresh('flooded', usedFlooded, flooded.read, 10, 10);
		other.set({ secret: 'new' });
		expect((await memory.refresh('other', usedOther, other.read, 20, 20))?.fields).toEqual({ secret: 'new' });
	});
});

describe('CredentialMemory: nothing stays beyond its time', () => {
	test('expired reads leave memory on the next use by any trigger', async () => {
		const memory = new CredentialMemory(LIMITS);
		await memory.current('a', credential({ secret: 'a' }).read, 0);
		await memory.current('b', credential({ secret: 'b' }).read, 1_000);
		expect(memory.size).toBe(2);
		await memory.current('c', credential({ secret: 'c' }).read, 5_500);
		expect(memory.size).toBe(2);
		await memory.current('c', credential({ secret: 'c' }).read, 9_499);
		expect(memory.size).toBe(1);
		await memory.current('d', credential({ secret: 'd' }).read, 20_000);
		expect(memory.size).toBe(1);
	});

	test('a clock that jumped back does not keep a read alive', async () => {
		const memory = new CredentialMemory(LIMITS);
		const cred = credential({ secret: 'a' });
		await memory.current('k', cred.read, 100_000);
		await memory.current('k', cred.read, 90_000);
		expect(cred.reads).toBe(2);
	});

	test('forget() drops a deactivated trigger’s reads and nothing else', async () => {
		const memory = new CredentialMemory(LIMITS);
		await memory.current('wf1/node1/pdfGorillaApi:1', credential({ secret: 'a' }).read, 0);
		await memory.current('wf1/node2/pdfGorillaApi:1', credential({ secret: 'b' }).read, 0);
		memory.forget('wf1/node1/');
		expect(memory.size).toBe(1);
	});

	test('forget() also drops a read under way: what it returns after the deactivation is not kept', async () => {
		const memory = new CredentialMemory(LIMITS);
		const cred = credential({ secret: 'a' });
		await memory.current('wf1/node1/pdfGorillaApi:1', cred.read, 0);
		cred.gate();
		// A delivery in the read's last second starts the next read in the background.
		await memory.current('wf1/node1/pdfGorillaApi:1', cred.read, 4_500);
		memory.forget('wf1/node1/');
		cred.release();
		await settled();
		expect(memory.size).toBe(0);
	});

	test('holds at most `capacity` keys, dropping the oldest read', async () => {
		const memory = new CredentialMemory(LIMITS);
		const creds = ['a', 'b', 'c', 'd'].map((k) => ({ k, cred: credential({ secret: k }) }));
		for (const [i, { k, cred }] of creds.entries()) await memory.current(k, cred.read, i);
		expect(memory.size).toBe(3);
		await memory.current('a', creds[0].cred.read, 10);
		expect(creds[0].cred.reads).toBe(2);
		await memory.current('d', creds[3].cred.read, 11);
		expect(creds[3].cred.reads).toBe(1);
	});
});
