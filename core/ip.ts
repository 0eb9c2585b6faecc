/**
 * IP address parsing without Node's `net` module, which verified community nodes may not
 * import. Shared by the trigger's IP allowlist and the download URL policy.
 */

const IPV4_OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

/**
 * Strict dotted-quad: leading zeros are rejected because some parsers read '010' as octal
 * (8), so '010.0.0.1' means different hosts to different software.
 */
function parseIpv4(text: string): Uint8Array | null {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every((part) => IPV4_OCTET.test(part))) return null;
	return Uint8Array.from(parts.map(Number));
}

/** Parses colon-separated hex groups (no '::'), the last may be an embedded IPv4 tail. */
function parseIpv6Groups(text: string, allowIpv4Tail: boolean): number[] | null {
	if (text === '') return [];
	const parts = text.split(':');
	const groups: number[] = [];
	for (let index = 0; index < parts.length; index++) {
		const part = parts[index];
		if (allowIpv4Tail && index === parts.length - 1 && part.includes('.')) {
			const ipv4 = parseIpv4(part);
			if (!ipv4) return null;
			groups.push((ipv4[0] << 8) | ipv4[1], (ipv4[2] << 8) | ipv4[3]);
		} else {
			if (!IPV6_GROUP.test(part)) return null;
			groups.push(parseInt(part, 16));
		}
	}
	return groups;
}

function parseIpv6(text: string): Uint8Array | null {
	const halves = text.split('::');
	if (halves.length > 2) return null;

	let groups: number[];
	if (halves.length === 2) {
		const head = parseIpv6Groups(halves[0], false);
		const tail = parseIpv6Groups(halves[1], true);
		// '::' stands for at least one zero group.
		if (!head || !tail || head.length + tail.length > 7) return null;
		groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
	} else {
		const all = parseIpv6Groups(text, true);
		if (!all || all.length !== 8) return null;
		groups = all;
	}

	const bytes = new Uint8Array(16);
	groups.forEach((group, index) => {
		bytes[index * 2] = group >> 8;
		bytes[index * 2 + 1] = group & 0xff;
	});
	return bytes;
}

/**
 * Parses one address to bytes (4 for IPv4, 16 for IPv6) or null. Full IPv6 support incl. '::'
 * compression and an embedded IPv4 tail (::ffff:1.2.3.4). Strict: no brackets, zone ids,
 * whitespace or CIDR suffix.
 */
export function parseIpAddress(text: string): Uint8Array | null {
	if (typeof text !== 'string' || text.length === 0 || text.length > 45) return null;
	return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/**
 * Who a request comes from, for fair shares of what unauthenticated senders can spend: the
 * IPv4 address, or the /64 network of an IPv6 address (one subscriber's usual allocation, so
 * one sender cannot pose as billions). IPv4-mapped IPv6 ('::ffff:1.2.3.4', as a dual-stack
 * socket reports IPv4 clients) is the IPv4 address; a zone id is dropped. Anything else (no
 * address: a test, a unix socket) is one shared group.
 */
export function senderGroup(ip: string | undefined): string {
	if (typeof ip !== 'string') return 'unknown';
	const zoneStart = ip.indexOf('%');
	const bytes = parseIpAddress(zoneStart < 0 ? ip.trim() : ip.slice(0, zoneStart).trim());
	if (!bytes) return 'unknown';
	if (bytes.length === 4) return Array.from(bytes).join('.');
	const mapped = bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
	if (mapped) return Array.from(bytes.subarray(12)).join('.');
	const groups: string[] = [];
	for (let index = 0; index < 8; index += 2) groups.push(((bytes[index] << 8) | bytes[index + 1]).toString(16));
	return `${groups.join(':')}::/64`;
}
