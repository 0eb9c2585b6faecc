/**
 * Which IP addresses are not on the public internet, for the URL policy: every spelling the
 * URL parser accepts is read the way the HTTP client would read it.
 */
import { parseIpAddress as parseStrictIpAddress } from '../ip';

/**
 * True for every address a public file host should never have: loopback, unspecified,
 * private, CGNAT, link-local, unique-local, multicast, reserved, documentation and
 * benchmarking ranges, and IPv6 forms that embed such an IPv4 address. Accepts IPv4 in any
 * form the WHATWG URL parser accepts, IPv6 with or without brackets and with a zone id.
 * Anything that does not parse as an IP address counts as private (fail closed).
 */
export function isPrivateAddress(ip: string): boolean {
	const bytes = parseIpAddress(canonicaliseIpv4Text(ip.trim()));
	if (bytes === null) return true;
	return bytes.length === 4 ? isNonPublicIpv4(bytes) : isNonPublicIpv6(bytes);
}

/**
 * Lets isPrivateAddress read IPv4 the way the URL parser (and so the HTTP client) would:
 * '127.1', '2130706433' and '0x7f.0.0.1' all mean 127.0.0.1. Only characters that can
 * appear in such spellings are passed to the parser, so 'a@b' cannot smuggle a host in.
 */
function canonicaliseIpv4Text(text: string): string {
	if (!/^[0-9a-fA-FxX.]+$/.test(text)) return text;
	try {
		return new URL(`http://${text}/`).hostname;
	} catch {
		return text;
	}
}

/** 4 bytes for IPv4 (strict dotted-quad), 16 for IPv6 (brackets and zone id allowed), null otherwise. */
export function parseIpAddress(text: string): Uint8Array | null {
	const unbracketed = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
	// The zone id ('fe80::1%eth0') names an interface, not part of the address.
	const zoneStart = unbracketed.indexOf('%');
	return parseStrictIpAddress(zoneStart === -1 ? unbracketed : unbracketed.slice(0, zoneStart));
}

type Cidr = readonly [base: readonly number[], prefixLength: number];

const NON_PUBLIC_IPV4: readonly Cidr[] = [
	[[0, 0, 0, 0], 8], // "this network", includes 0.0.0.0 which connects to localhost
	[[10, 0, 0, 0], 8], // private
	[[100, 64, 0, 0], 10], // carrier-grade NAT
	[[127, 0, 0, 0], 8], // loopback
	[[169, 254, 0, 0], 16], // link-local, includes cloud metadata 169.254.169.254
	[[172, 16, 0, 0], 12], // private
	[[192, 0, 0, 0], 24], // IETF protocol assignments
	[[192, 0, 2, 0], 24], // documentation
	[[192, 168, 0, 0], 16], // private
	[[198, 18, 0, 0], 15], // benchmarking
	[[198, 51, 100, 0], 24], // documentation
	[[203, 0, 113, 0], 24], // documentation
	[[224, 0, 0, 0], 4], // multicast
	[[240, 0, 0, 0], 4], // reserved, includes broadcast 255.255.255.255
];

const NON_PUBLIC_IPV6: readonly Cidr[] = [
	[[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48], // local-use NAT64 (RFC 8215): translates into a private network
	[[0x20, 0x01, 0x00, 0x00], 23], // IETF protocol assignments: Teredo, benchmarking, ORCHID
	[[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
	[[0x3f, 0xff], 20], // documentation (RFC 9637)
];

function isInCidr(bytes: Uint8Array, [base, prefixLength]: Cidr): boolean {
	for (let bit = 0; bit < prefixLength; bit++) {
		const byteIndex = bit >> 3;
		const mask = 0x80 >> (bit & 7);
		if ((bytes[byteIndex] & mask) !== ((base[byteIndex] ?? 0) & mask)) return false;
	}
	return true;
}

function isNonPublicIpv4(bytes: Uint8Array): boolean {
	return NON_PUBLIC_IPV4.some((cidr) => isInCidr(bytes, cidr));
}

function isNonPublicIpv6(bytes: Uint8Array): boolean {
	// Forms that carry an IPv4 address are judged by it, since that is where traffic ends up.
	// ::/96 (IPv4-compatible, also :: and ::1 whose embedded 0.0.0.x is non-public) and ::ffff:0:0/96 (mapped):
	if (isInCidr(bytes, [[], 96]) || isInCidr(bytes, [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96])) {
		return isNonPublicIpv4(bytes.subarray(12, 16));
	}
	// NAT64 well-known prefix 64:ff9b::/96.
	if (isInCidr(bytes, [[0x00, 0x64, 0xff, 0x9b], 96])) return isNonPublicIpv4(bytes.subarray(12, 16));
	// 6to4 2002::/16 carries the IPv4 address in bits 16-47.
	if (isInCidr(bytes, [[0x20, 0x02], 16])) return isNonPublicIpv4(bytes.subarray(2, 6));
	if (NON_PUBLIC_IPV6.some((cidr) => isInCidr(bytes, cidr))) return true;
	// Only 2000::/3 is global unicast; outside it lie fc00::/7 unique-local, fe80::/10
	// link-local, ff00::/8 multicast, 100::/64 discard and unassigned space.
	return !isInCidr(bytes, [[0x20], 3]);
}
