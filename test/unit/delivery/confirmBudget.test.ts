/**
 * The confirmation budget (core/delivery/confirmBudget.ts): never more than the budget in any
 * 60 s, and fairly shared between senders, so that one flooding address cannot take the calls a
 * genuine event from another address needs. Time is passed in; nothing here waits.
 */
import { resetConfirmationState, takeCall } from '../../../core/delivery/confirmBudget';
import { senderGroup } from '../../../core/ip';
import { maxInAnyMinute } from '../../harness/windows';

const T0 = 1_750_000_000_000;

beforeEach(() => resetConfirmationState());

describe('the budget', () => {
	test('one sender alone gets half of the budget a minute, so another sender always finds calls left', () => {
		const granted = Array.from({ length: 20 }, () => takeCall('acct', 20, 'flooder', T0)).filter(Boolean);
		expect(granted).toHaveLength(10);
		expect(takeCall('acct', 20, 'genuine', T0)).toBe(true);
	});

	test('a flood of 4 a second from one address for 60 s: a genuine event from another address is granted at any moment, and no 60-s window holds more than the budget', () => {
		for (const genuineAtMs of [0, 1_000, 7_250, 30_000, 45_500, 59_750]) {
			resetConfirmationState();
			const granted: number[] = [];
			let genuine: boolean | undefined;
			for (let t = 0; t < 60_000; t += 250) {
				if (takeCall('acct', 20, '198.51.100.7', T0 + t)) granted.push(t);
				if (t === genuineAtMs) {
					genuine = takeCall('acct', 20, '34.120.0.1', T0 + t);
					if (genuine) granted.push(t);
				}
			}
			expect(genuine).toBe(true);
			expect(maxInAnyMinute(granted)).toBeLessThanOrEqual(20);
		}
	});

	test('a sliding window: a burst at the edge of a minute does not double the budget', () => {
		const granted: number[] = [];
		// Many senders, so fairness does not limit them; 2 minutes of requests, 10 a second.
		for (let t = 0; t < 120_000; t += 100) if (takeCall('acct', 20, `sender-${t}`, T0 + t)) granted.push(t);
		expect(maxInAnyMinute(granted)).toBe(20);
		expect(granted.length).toBeGreaterThanOrEqual(39);
	});

	test('the calls come back after a minute', () => {
		for (let i = 0; i < 10; i++) expect(takeCall('acct', 20, 'a', T0)).toBe(true);
		expect(takeCall('acct', 20, 'a', T0 + 59_999)).toBe(false);
		expect(takeCall('acct', 20, 'a', T0 + 60_000)).toBe(true);
	});

	test('k senders flooding together leave a share for the next one once their earlier, larger shares have aged out of the window', () => {
		// Each of three addresses asks 4 times a second; the budget shrinks each one's share to 20 / (2 + 2).
		for (let t = 0; t < 90_000; t += 250) for (const sender of ['a', 'b', 'c']) takeCall('acct', 20, sender, T0 + t);
		expect(takeCall('acct', 20, 'd', T0 + 90_000)).toBe(true);
	});

	test('accounts are separate budgets', () => {
		for (let i = 0; i < 10; i++) takeCall('acct-1', 20, 'a', T0);
		expect(takeCall('acct-1', 20, 'a', T0)).toBe(false);
		expect(takeCall('acct-2', 20, 'a', T0)).toBe(true);
	});

	test('a budget of 1 still grants one call', () => {
		expect(takeCall('acct', 1, 'a', T0)).toBe(true);
		expect(takeCall('acct', 1, 'b', T0)).toBe(false);
	});
});

describe('who a sender is', () => {
	test.each([
		['203.0.113.7', '203.0.113.7'],
		['::ffff:203.0.113.7', '203.0.113.7'],
		['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
		['2001:db8:1:2:ffff::1', '2001:db8:1:2::/64'],
		['fe80::1%eth0', 'fe80:0:0:0::/64'],
		[undefined, 'unknown'],
		['not an address', 'unknown'],
	])('%s → %s', (ip, group) => {
		expect(senderGroup(ip)).toBe(group);
	});
});
