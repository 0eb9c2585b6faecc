/**
 * Property 5: parseAllowlist / isIpAllowed / parseIpAddress never throw, agree with an
 * independent bit-level model of CIDR membership, with Node's own address parser
 * (net.isIP) on what is an address, and treat an IPv4 address and its IPv4-mapped IPv6 form
 * (::ffff:a.b.c.d) alike.
 */
import { isIP } from 'node:net';

import fc from 'fast-check';

import { isIpAllowed, parseAllowlist, parseIpAddress, type IpRange } from '../../../core/delivery/ipAllowlist';
import { anyString, runs } from './arbitraries';

// ---------------------------------------------------------------------------------------------
// Formatting addresses (independently of the code under test)
// ---------------------------------------------------------------------------------------------

const v4Bytes = fc.uint8Array({ minLength: 4, maxLength: 4 });
/** Random 16 bytes, often with runs of zero groups so '::' has something to compress. */
const v6Bytes = fc
	.tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }))
	.map(([bytes, zeroGroup]) => {
		const copy = Uint8Array.from(bytes);
		zeroGroup.forEach((zero, group) => {
			if (zero) copy[group * 2] = copy[group * 2 + 1] = 0;
		});
		return copy;
	});

const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

const formatV4 = (bytes: Uint8Array) => Array.from(bytes).join('.');

function groupsOf(bytes: Uint8Array): number[] {
	const groups: number[] = [];
	for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
	return groups;
}

type V6Style = { compress: 'none' | 'longest' | 'first'; upper: boolean; leadingZeros: boolean; ipv4Tail: boolean };

const v6StyleArb: fc.Arbitrary<V6Style> = fc.record({
	compress: fc.constantFrom('none', 'longest', 'first'),
	upper: fc.boolean(),
	leadingZeros: fc.boolean(),
	ipv4Tail: fc.boolean(),
});

/** Any valid spelling of an IPv6 address: full or '::'-compressed, any case, padded groups, dotted tail. */
function formatV6(bytes: Uint8Array, style: V6Style): string {
	const groups = groupsOf(bytes);
	const tailGroups = style.ipv4Tail ? 6 : 8;
	let parts = groups.slice(0, tailGroups).map((g) => {
		const hex = style.leadingZeros ? g.toString(16).padStart(4, '0') : g.toString(16);
		return style.upper ? hex.toUpperCase() : hex;
	});
	const tail = style.ipv4Tail ? [formatV4(bytes.slice(12))] : [];
	if (style.compress !== 'none') {
		// Zero runs of at least one group; '::' may replace any of them.
		let best: [number, number] | undefined;
		for (let start = 0; start < parts.length; start++) {
			if (groups[start] !== 0) continue;
			let end = start;
			while (end < parts.length && groups[end] === 0) end++;
			if (!best || (style.compress === 'longest' && end - start > best[1] - best[0])) best = [start, end];
			start = end;
		}
		if (best) {
			const head = parts.slice(0, best[0]).join(':');
			const rest = [...parts.slice(best[1]), ...tail].join(':');
			return `${head}::${rest}`;
		}
	}
	parts = [...parts, ...tail];
	return parts.join(':');
}

const addressArb = fc.oneof(
	v4Bytes.map((bytes) => ({ bytes, text: formatV4(bytes) })),
	fc.tuple(v6Bytes, v6StyleArb).map(([bytes, style]) => ({ bytes, text: formatV6(bytes, style) })),
);

// ---------------------------------------------------------------------------------------------
// An independent model of CIDR membership: bits as a BigInt
// ---------------------------------------------------------------------------------------------

const toBigInt = (bytes: Uint8Array) => bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);

function inRangeModel(address: Uint8Array, range: { bytes: Uint8Array; prefix: number }): boolean {
	if (address.length !== range.bytes.length) return false;
	const width = BigInt(address.length * 8);
	const shift = width - BigInt(range.prefix);
	return toBigInt(address) >> shift === toBigInt(range.bytes) >> shift;
}

function mappedOf(v4: Uint8Array): Uint8Array {
	return Uint8Array.from([...MAPPED_PREFIX, ...v4]);
}

function unmappedOf(v6: Uint8Array): Uint8Array | undefined {
	return MAPPED_PREFIX.every((byte, i) => v6[i] === byte) ? v6.slice(12) : undefined;
}

function allowedModel(address: Uint8Array, ranges: { bytes: Uint8Array; prefix: number }[]): boolean {
	const alternate = address.length === 4 ? mappedOf(address) : unmappedOf(address);
	return ranges.some((range) => inRangeModel(address, range) || (alternate !== undefined && inRangeModel(alternate, range)));
}

/** A network written the way a user would: its host bits cleared. */
function networkOf(bytes: Uint8Array, prefix: number): Uint8Array {
	return bytes.map((byte, i) => {
		const bits = Math.min(8, Math.max(0, prefix - i * 8));
		return byte & ((0xff << (8 - bits)) & 0xff);
	});
}

const rangeArb = addressArb.chain(({ bytes }) =>
	fc.integer({ min: 0, max: bytes.length * 8 }).map((prefix) => {
		const network = networkOf(bytes, prefix);
		const text = `${network.length === 4 ? formatV4(network) : formatV6(network, { compress: 'longest', upper: false, leadingZeros: false, ipv4Tail: false })}/${prefix}`;
		return { bytes: network, prefix, text };
	}),
);

const separator = fc.constantFrom(',', ', ', ' ', '\n', ',\n  ', '\t');

// ---------------------------------------------------------------------------------------------

function expectWellFormedRange(range: IpRange): void {
	expect([4, 6]).toContain(range.family);
	expect(range.network.length).toBe(range.family === 4 ? 4 : 16);
	expect(Number.isInteger(range.prefixLength)).toBe(true);
	expect(range.prefixLength).toBeGreaterThanOrEqual(0);
	expect(range.prefixLength).toBeLessThanOrEqual(range.network.length * 8);
	expect(Array.from(networkOf(range.network, range.prefixLength))).toEqual(Array.from(range.network));
}

describe('property 5 — parsing', () => {
	const entryish = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:./%, \n'.split('')), maxLength: 30 });

	test('parseAllowlist never throws; ranges are well formed; errors are bounded strings', () => {
		fc.assert(
			fc.property(fc.oneof(anyString, entryish, fc.array(rangeArb.map((r) => r.text)).map((t) => t.join(','))), (text) => {
				const { ranges, errors } = parseAllowlist(text);
				ranges.forEach(expectWellFormedRange);
				for (const error of errors) {
					expect(typeof error).toBe('string');
					// An entry is quoted at most 60 characters long.
					expect(error.length).toBeLessThan(200);
				}
			}),
			runs(600),
		);
	});

	test('every random address in any valid spelling parses back to its bytes', () => {
		fc.assert(
			fc.property(addressArb, ({ bytes, text }) => {
				expect(Array.from(parseIpAddress(text) ?? [])).toEqual(Array.from(bytes));
				expect(isIP(text)).toBe(bytes.length === 4 ? 4 : 6);
			}),
			runs(1000),
		);
	});

	test('agrees with node:net isIP on what is an address (strings without a zone id)', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					entryish.filter((text) => !text.includes('%')),
					addressArb.chain(({ text }) =>
						fc.tuple(fc.nat(), fc.constantFrom('', ':', '.', '::', '0', 'f', '00000', '1.2.3.4', ':1.2.3.4')).map(([at, insert]) => {
							const i = at % (text.length + 1);
							return text.slice(0, i) + insert + text.slice(i);
						}),
					),
				),
				(text) => {
					expect(parseIpAddress(text) !== null).toBe(isIP(text) !== 0);
				},
			),
			runs(1000),
		);
	});

	test('"did you mean …?" for host bits set suggests an entry that parses cleanly', () => {
		fc.assert(
			fc.property(addressArb, fc.nat(), ({ bytes, text }, p) => {
				const prefix = p % (bytes.length * 8 + 1);
				const { errors } = parseAllowlist(`${text}/${prefix}`);
				const suggestion = /did you mean (\S+)\?/.exec(errors[0] ?? '');
				if (!suggestion) return;
				const fixed = parseAllowlist(suggestion[1]);
				expect(fixed.errors).toEqual([]);
				expect(fixed.ranges).toHaveLength(1);
				expect(Array.from(fixed.ranges[0].network)).toEqual(Array.from(networkOf(bytes, prefix)));
			}),
			runs(500),
		);
	});
});

describe('property 5 — isIpAllowed', () => {
	test('never throws for arbitrary ip strings and lists', () => {
		fc.assert(
			fc.property(fc.option(anyString, { nil: undefined }), anyString, (ip, list) => {
				expect(typeof isIpAllowed(ip, parseAllowlist(list).ranges)).toBe('boolean');
			}),
			runs(500),
		);
	});

	test('an address is allowed by its own /32 or /128, by its bare form and by /0; not by a different single address', () => {
		fc.assert(
			fc.property(addressArb, addressArb, fc.constantFrom('', '%eth0', '%1'), ({ bytes, text }, other, zone) => {
				const full = bytes.length * 8;
				const ip = bytes.length === 16 ? text + zone : text;
				expect(isIpAllowed(ip, parseAllowlist(`${text}/${full}`).ranges)).toBe(true);
				expect(isIpAllowed(ip, parseAllowlist(text).ranges)).toBe(true);
				expect(isIpAllowed(ip, parseAllowlist(bytes.length === 4 ? '0.0.0.0/0' : '::/0').ranges)).toBe(true);
				expect(isIpAllowed(ip, [])).toBe(false);
				fc.pre(other.bytes.length === bytes.length && toBigInt(other.bytes) !== toBigInt(bytes));
				expect(isIpAllowed(ip, parseAllowlist(other.text).ranges)).toBe(false);
			}),
			runs(600),
		);
	});

	test('membership agrees with a bit-level model for random lists of ranges', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					addressArb,
					// Addresses near a range are where off-by-one masks show.
					fc.tuple(rangeArb, fc.nat(), fc.boolean()).map(([range, bit, set]) => {
						const bytes = Uint8Array.from(range.bytes);
						const index = bit % (bytes.length * 8);
						const mask = 0x80 >> (index % 8);
						bytes[index >> 3] = set ? bytes[index >> 3] | mask : bytes[index >> 3] & ~mask;
						return { bytes, text: bytes.length === 4 ? formatV4(bytes) : formatV6(bytes, { compress: 'none', upper: false, leadingZeros: false, ipv4Tail: false }) };
					}),
				),
				fc.array(rangeArb, { maxLength: 4 }),
				separator,
				({ bytes, text }, ranges, sep) => {
					const parsed = parseAllowlist(ranges.map((r) => r.text).join(sep));
					expect(parsed.errors).toEqual([]);
					expect(isIpAllowed(text, parsed.ranges)).toBe(allowedModel(bytes, ranges));
				},
			),
			runs(1000),
		);
	});

	test('an IPv4 address and its IPv4-mapped IPv6 forms are allowed by exactly the same lists', () => {
		fc.assert(
			fc.property(
				v4Bytes,
				fc.array(
					fc.oneof(
						rangeArb,
						// Ranges written in the mapped form, and around it.
						fc.tuple(v4Bytes, fc.integer({ min: 80, max: 128 })).map(([b, prefix]) => {
							const network = networkOf(mappedOf(b), prefix);
							return { bytes: network, prefix, text: `${formatV6(network, { compress: 'longest', upper: false, leadingZeros: false, ipv4Tail: true })}/${prefix}` };
						}),
					),
					{ maxLength: 4 },
				),
				v6StyleArb,
				(v4, ranges, style) => {
					const list = parseAllowlist(ranges.map((r) => r.text).join(','));
					expect(list.errors).toEqual([]);
					const asV4 = isIpAllowed(formatV4(v4), list.ranges);
					expect(isIpAllowed(`::ffff:${formatV4(v4)}`, list.ranges)).toBe(asV4);
					expect(isIpAllowed(formatV6(mappedOf(v4), style), list.ranges)).toBe(asV4);
					expect(asV4).toBe(allowedModel(v4, ranges));
				},
			),
			runs(1000),
		);
	});
});
