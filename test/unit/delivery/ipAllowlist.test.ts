import { isIpAllowed, parseAllowlist, parseIpAddress, type IpRange } from '../../../core/delivery/ipAllowlist';

function ranges(text: string): IpRange[] {
	const parsed = parseAllowlist(text);
	expect(parsed.errors).toEqual([]);
	return parsed.ranges;
}

function bytes(...values: number[]): Uint8Array {
	return Uint8Array.from(values);
}

describe('parseIpAddress: IPv4', () => {
	it('parses a dotted quad to 4 bytes', () => {
		expect(parseIpAddress('34.123.45.67')).toEqual(bytes(34, 123, 45, 67));
		expect(parseIpAddress('0.0.0.0')).toEqual(bytes(0, 0, 0, 0));
		expect(parseIpAddress('255.255.255.255')).toEqual(bytes(255, 255, 255, 255));
	});

	it.each([
		'256.0.0.1',
		'1.2.3',
		'1.2.3.4.5',
		'1..3.4',
		'1.2.3.',
		'010.0.0.1',
		'1.2.3.-1',
		'1.2.3.4a',
		'0x7f.0.0.1',
		'2130706433',
		' 1.2.3.4',
		'1.2.3.4 ',
		'1.2.3.4/32',
		'',
	])('rejects %p', (text) => {
		expect(parseIpAddress(text)).toBeNull();
	});
});

describe('parseIpAddress: IPv6', () => {
	it('parses the unspecified address and loopback', () => {
		expect(parseIpAddress('::')).toEqual(new Uint8Array(16));
		expect(parseIpAddress('::1')).toEqual(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
	});

	it('expands :: in the middle, at the start and at the end', () => {
		expect(parseIpAddress('2001:db8::1')).toEqual(bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
		expect(parseIpAddress('fe80::')).toEqual(bytes(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
		expect(parseIpAddress('1:2:3:4:5:6:7::')).toEqual(bytes(0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0));
	});

	it('parses the full eight-group form, upper case and leading zeros', () => {
		expect(parseIpAddress('2001:0DB8:0000:0000:0000:ff00:0042:8329')).toEqual(
			bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0x42, 0x83, 0x29),
		);
	});

	it('parses an IPv4-mapped address with an embedded IPv4 tail', () => {
		expect(parseIpAddress('::ffff:1.2.3.4')).toEqual(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4));
		expect(parseIpAddress('::FFFF:1.2.3.4')).toEqual(parseIpAddress('::ffff:102:304'));
	});

	it('parses an embedded IPv4 tail after six groups', () => {
		expect(parseIpAddress('1:2:3:4:5:6:7.8.9.10')).toEqual(bytes(0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 7, 8, 9, 10));
	});

	it.each([
		'1::2::3',
		':::',
		'12345::',
		'1:2:3:4:5:6:7:8:9',
		'1:2:3:4:5:6:7',
		'1:2:3:4:5:6:7::8',
		':1:2:3:4:5:6:7',
		'1:2:3:4:5:6:7:',
		'g::1',
		'[::1]',
		'fe80::1%eth0',
		'::ffff:1.2.3',
		'::ffff:256.1.1.1',
		'1.2.3.4::',
		'::1.2.3.4:5',
		'1:2:3:4:5:6:7:1.2.3.4',
		'::1/128',
	])('rejects %p', (text) => {
		expect(parseIpAddress(text)).toBeNull();
	});
});

describe('parseAllowlist', () => {
	it('parses addresses and CIDRs separated by commas, spaces, tabs and newlines', () => {
		const { ranges: parsed, errors } = parseAllowlist('34.123.45.67, 10.0.0.0/8\n2001:db8::/32\t::1 ,,\r\n 192.168.0.0/16');
		expect(errors).toEqual([]);
		expect(parsed.map((range) => [range.family, range.prefixLength])).toEqual([
			[4, 32],
			[4, 8],
			[6, 32],
			[6, 128],
			[4, 16],
		]);
		expect(parsed[1].network).toEqual(bytes(10, 0, 0, 0));
	});

	it('returns nothing for empty or whitespace-only text', () => {
		expect(parseAllowlist('')).toEqual({ ranges: [], errors: [] });
		expect(parseAllowlist(' \n , \t')).toEqual({ ranges: [], errors: [] });
	});

	it('reports one error per bad entry and still parses the good ones', () => {
		const { ranges: parsed, errors } = parseAllowlist('10.0.0.0/8, not-an-ip, 1.2.3.4, 300.1.1.1, ::1');
		expect(parsed).toHaveLength(3);
		expect(errors).toHaveLength(2);
		expect(errors[0]).toContain('"not-an-ip"');
		expect(errors[1]).toContain('"300.1.1.1"');
		expect(errors[0]).toMatch(/not a valid IPv4 or IPv6 address or CIDR range/);
	});

	it.each([
		['10.0.0.0/33', /\/0 to \/32 for IPv4/],
		['::/129', /\/0 to \/128 for IPv6/],
		['10.0.0.0/', /invalid prefix length/],
		['10.0.0.0/8/8', /invalid prefix length/],
		['10.0.0.0/-1', /invalid prefix length/],
		['10.0.0.0/abc', /invalid prefix length/],
		['/8', /not a valid/],
		['fe80::1%eth0', /not a valid/],
		['[::1]', /not a valid/],
	])('reports %p as an error', (entry, pattern) => {
		const { ranges: parsed, errors } = parseAllowlist(entry);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatch(pattern);
		expect(parsed).toHaveLength(0);
	});

	it('splits "10.0.0.0/ 8" at the space and reports both halves', () => {
		const { ranges: parsed, errors } = parseAllowlist('10.0.0.0/ 8');
		expect(parsed).toHaveLength(0);
		expect(errors).toHaveLength(2);
		expect(errors[0]).toMatch(/invalid prefix length/);
		expect(errors[1]).toContain('"8"');
	});

	it('reports a CIDR with host bits set and suggests the network address', () => {
		expect(parseAllowlist('10.1.2.3/8').errors).toEqual(['"10.1.2.3/8" has host bits set: did you mean 10.0.0.0/8?']);
		expect(parseAllowlist('192.168.1.77/24').errors[0]).toContain('did you mean 192.168.1.0/24?');
		expect(parseAllowlist('2001:db8::1/32').errors[0]).toContain('did you mean 2001:db8::/32?');
		expect(parseAllowlist('172.16.5.4/12').errors[0]).toContain('did you mean 172.16.0.0/12?');
	});

	it('offers a suggestion that itself parses without errors', () => {
		for (const entry of ['10.1.2.3/8', '2001:db8:1:2:3:4:5:6/48', 'ffff::1/1', '1:0:0:1:0:0:0:1/64']) {
			const suggestion = /did you mean (\S+)\?/.exec(parseAllowlist(entry).errors[0])?.[1];
			expect(suggestion).toBeDefined();
			expect(parseAllowlist(suggestion ?? '').errors).toEqual([]);
		}
	});

	it('truncates very long bad entries in the error message', () => {
		const longEntry = 'x'.repeat(500);
		const [error] = parseAllowlist(longEntry).errors;
		expect(error.length).toBeLessThan(150);
	});

	it('accepts /0 for both families', () => {
		expect(ranges('0.0.0.0/0, ::/0').map((range) => range.prefixLength)).toEqual([0, 0]);
	});
});

describe('isIpAllowed: IPv4', () => {
	it('matches a single address (implicit /32) exactly', () => {
		const allow = ranges('34.123.45.67');
		expect(isIpAllowed('34.123.45.67', allow)).toBe(true);
		expect(isIpAllowed('34.123.45.68', allow)).toBe(false);
		expect(isIpAllowed('34.123.45.66', allow)).toBe(false);
	});

	it('matches an explicit /32 exactly', () => {
		const allow = ranges('34.123.45.67/32');
		expect(isIpAllowed('34.123.45.67', allow)).toBe(true);
		expect(isIpAllowed('34.123.45.68', allow)).toBe(false);
	});

	it('matches the whole of 10.0.0.0/8 and nothing next to it', () => {
		const allow = ranges('10.0.0.0/8');
		expect(isIpAllowed('10.0.0.0', allow)).toBe(true);
		expect(isIpAllowed('10.255.255.255', allow)).toBe(true);
		expect(isIpAllowed('9.255.255.255', allow)).toBe(false);
		expect(isIpAllowed('11.0.0.0', allow)).toBe(false);
	});

	it('handles a prefix that is not a multiple of 8 (172.16.0.0/12)', () => {
		const allow = ranges('172.16.0.0/12');
		expect(isIpAllowed('172.16.0.1', allow)).toBe(true);
		expect(isIpAllowed('172.31.255.255', allow)).toBe(true);
		expect(isIpAllowed('172.32.0.0', allow)).toBe(false);
		expect(isIpAllowed('172.15.255.255', allow)).toBe(false);
	});

	it('matches every IPv4 address with 0.0.0.0/0, but no native IPv6 address', () => {
		const allow = ranges('0.0.0.0/0');
		expect(isIpAllowed('1.2.3.4', allow)).toBe(true);
		expect(isIpAllowed('255.255.255.255', allow)).toBe(true);
		expect(isIpAllowed('::ffff:1.2.3.4', allow)).toBe(true);
		expect(isIpAllowed('2001:db8::1', allow)).toBe(false);
		expect(isIpAllowed('::1', allow)).toBe(false);
	});

	it('matches if any of several ranges matches', () => {
		const allow = ranges('10.0.0.0/8, 192.168.1.10, 2001:db8::/32');
		expect(isIpAllowed('192.168.1.10', allow)).toBe(true);
		expect(isIpAllowed('10.9.8.7', allow)).toBe(true);
		expect(isIpAllowed('192.168.1.11', allow)).toBe(false);
	});
});

describe('isIpAllowed: IPv6', () => {
	it('matches a single address (implicit /128) and an explicit /128 exactly', () => {
		expect(isIpAllowed('::1', ranges('::1'))).toBe(true);
		expect(isIpAllowed('::2', ranges('::1'))).toBe(false);
		expect(isIpAllowed('2001:db8::5', ranges('2001:db8::5/128'))).toBe(true);
		expect(isIpAllowed('2001:db8::6', ranges('2001:db8::5/128'))).toBe(false);
	});

	it('compares addresses, not spellings', () => {
		expect(isIpAllowed('2001:0db8:0000:0000:0000:0000:0000:0001', ranges('2001:db8::1'))).toBe(true);
		expect(isIpAllowed('2001:DB8::1', ranges('2001:db8::1'))).toBe(true);
	});

	it('matches 2001:db8::/32 and nothing next to it', () => {
		const allow = ranges('2001:db8::/32');
		expect(isIpAllowed('2001:db8::', allow)).toBe(true);
		expect(isIpAllowed('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', allow)).toBe(true);
		expect(isIpAllowed('2001:db9::', allow)).toBe(false);
		expect(isIpAllowed('2001:db7:ffff::', allow)).toBe(false);
	});

	it('handles a prefix that is not a multiple of 8 (2001:db8:8000::/33)', () => {
		const allow = ranges('2001:db8:8000::/33');
		expect(isIpAllowed('2001:db8:8000::1', allow)).toBe(true);
		expect(isIpAllowed('2001:db8:ffff::1', allow)).toBe(true);
		expect(isIpAllowed('2001:db8:7fff::1', allow)).toBe(false);
	});

	it('matches every IPv6 address with ::/0 (IPv4 clients too, as they appear mapped on a dual-stack socket)', () => {
		const allow = ranges('::/0');
		expect(isIpAllowed('2001:db8::1', allow)).toBe(true);
		expect(isIpAllowed('::', allow)).toBe(true);
		expect(isIpAllowed('1.2.3.4', allow)).toBe(true);
	});

	it('ignores a zone id on the address', () => {
		const allow = ranges('fe80::/10');
		expect(isIpAllowed('fe80::1%eth0', allow)).toBe(true);
		expect(isIpAllowed('fe80::1%25', allow)).toBe(true);
		expect(isIpAllowed('fec0::1%eth0', allow)).toBe(false);
	});
});

describe('isIpAllowed: IPv4-mapped IPv6', () => {
	it('matches an IPv4-mapped client address (as Express req.ip reports it) against an IPv4 range', () => {
		const allow = ranges('10.0.0.0/8');
		expect(isIpAllowed('::ffff:10.1.2.3', allow)).toBe(true);
		expect(isIpAllowed('::FFFF:10.1.2.3', allow)).toBe(true);
		expect(isIpAllowed('::ffff:a01:203', allow)).toBe(true);
		expect(isIpAllowed('::ffff:11.1.2.3', allow)).toBe(false);
	});

	it('matches an IPv4 client against an IPv4-mapped IPv6 range', () => {
		expect(isIpAllowed('10.1.2.3', ranges('::ffff:10.0.0.0/104'))).toBe(true);
		expect(isIpAllowed('11.1.2.3', ranges('::ffff:10.0.0.0/104'))).toBe(false);
		expect(isIpAllowed('34.123.45.67', ranges('::ffff:34.123.45.67'))).toBe(true);
	});

	it('does not treat other IPv4-embedding forms as mapped (IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96)', () => {
		const allow = ranges('10.0.0.0/8');
		expect(isIpAllowed('::10.1.2.3', allow)).toBe(false);
		expect(isIpAllowed('64:ff9b::10.1.2.3', allow)).toBe(false);
		expect(isIpAllowed('::fffe:10.1.2.3', allow)).toBe(false);
	});

	it('ignores a zone id on a mapped address', () => {
		expect(isIpAllowed('::ffff:10.1.2.3%eth0', ranges('10.0.0.0/8'))).toBe(true);
	});

	it('does not let a mapped loopback match an IPv6 loopback entry', () => {
		expect(isIpAllowed('::ffff:127.0.0.1', ranges('::1'))).toBe(false);
		expect(isIpAllowed('::ffff:127.0.0.1', ranges('127.0.0.1'))).toBe(true);
	});
});

describe('isIpAllowed: bad input', () => {
	const allow = ranges('0.0.0.0/0, ::/0');

	it('rejects an undefined or empty ip even with allow-all ranges', () => {
		expect(isIpAllowed(undefined, allow)).toBe(false);
		expect(isIpAllowed('', allow)).toBe(false);
		expect(isIpAllowed('   ', allow)).toBe(false);
	});

	it.each(['localhost', 'not-an-ip', '1.2.3.4.5', '10.0.0.1/8', '[::1]', '%eth0', '1.2.3.4:8080'])(
		'rejects the unparseable ip %p even with allow-all ranges',
		(ip) => {
			expect(isIpAllowed(ip, allow)).toBe(false);
		},
	);

	it('rejects every ip when the range list is empty', () => {
		expect(isIpAllowed('1.2.3.4', [])).toBe(false);
		expect(isIpAllowed('::1', [])).toBe(false);
	});

	it('tolerates surrounding whitespace on the ip', () => {
		expect(isIpAllowed(' 10.0.0.1 ', ranges('10.0.0.0/8'))).toBe(true);
	});
});
