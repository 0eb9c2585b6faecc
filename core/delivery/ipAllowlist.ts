/** IP allowlist matching (addresses parsed by ../ip.ts, as Node's `net` is not allowed). */
import { parseIpAddress } from '../ip';

export { parseIpAddress };

export interface IpRange {
	family: 4 | 6;
	/** Network address, 4 or 16 bytes, host bits zero. */
	network: Uint8Array;
	/** Number of leading bits that must match (0–32 or 0–128). */
	prefixLength: number;
}

const MAX_ENTRY_LENGTH_IN_ERRORS = 60;

function hasOnlyZeroHostBits(bytes: Uint8Array, prefixLength: number): boolean {
	return bytes.every((byte, index) => {
		const networkBits = Math.min(8, Math.max(0, prefixLength - index * 8));
		const hostMask = 0xff >> networkBits;
		return (byte & hostMask) === 0;
	});
}

function quoteEntry(entry: string): string {
	const shown = entry.length > MAX_ENTRY_LENGTH_IN_ERRORS ? `${entry.slice(0, MAX_ENTRY_LENGTH_IN_ERRORS)}…` : entry;
	return `"${shown}"`;
}

function formatAddress(bytes: Uint8Array): string {
	if (bytes.length === 4) return Array.from(bytes).join('.');
	const groups: string[] = [];
	for (let index = 0; index < 16; index += 2) groups.push(((bytes[index] << 8) | bytes[index + 1]).toString(16));
	return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

function parseRange(entry: string): IpRange | string {
	const slash = entry.indexOf('/');
	const addressText = slash < 0 ? entry : entry.slice(0, slash);
	const bytes = parseIpAddress(addressText);
	if (!bytes) return `${quoteEntry(entry)} is not a valid IPv4 or IPv6 address or CIDR range`;
	const family = bytes.length === 4 ? 4 : 6;
	const maxPrefix = bytes.length * 8;
	if (slash < 0) return { family, network: bytes, prefixLength: maxPrefix };

	const prefixText = entry.slice(slash + 1);
	if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) {
		return `${quoteEntry(entry)} has an invalid prefix length: use /0 to /${maxPrefix} for IPv${family}`;
	}
	const prefixLength = Number(prefixText);
	// '10.1.2.3/8' is ambiguous (a typo, or 10.0.0.0/8?); widening it silently could allow far
	// more than intended, so it is reported with the corrected form instead.
	if (!hasOnlyZeroHostBits(bytes, prefixLength)) {
		const network = bytes.map((byte, index) => {
			const networkBits = Math.min(8, Math.max(0, prefixLength - index * 8));
			return byte & ~(0xff >> networkBits) & 0xff;
		});
		return `${quoteEntry(entry)} has host bits set: did you mean ${formatAddress(network)}/${prefixLength}?`;
	}
	return { family, network: bytes, prefixLength };
}

/**
 * Entries separated by commas, whitespace or newlines; each a single IPv4/IPv6 address or
 * CIDR (e.g. 34.123.45.67, 10.0.0.0/8, 2001:db8::/32, ::1). Returns the parsed ranges and
 * one human-readable error per bad entry.
 */
export function parseAllowlist(text: string): { ranges: IpRange[]; errors: string[] } {
	const ranges: IpRange[] = [];
	const errors: string[] = [];
	const entries = (typeof text === 'string' ? text : '').split(/[\s,]+/).filter((entry) => entry.length > 0);
	for (const entry of entries) {
		const parsed = parseRange(entry);
		if (typeof parsed === 'string') errors.push(parsed);
		else ranges.push(parsed);
	}
	return { ranges, errors };
}

function isInRange(address: Uint8Array, range: IpRange): boolean {
	if (address.length !== range.network.length) return false;
	for (let index = 0; index < address.length; index++) {
		const networkBits = Math.min(8, Math.max(0, range.prefixLength - index * 8));
		if (networkBits === 0) return true;
		const mask = (0xff << (8 - networkBits)) & 0xff;
		if ((address[index] & mask) !== (range.network[index] & mask)) return false;
	}
	return true;
}

const IPV4_MAPPED_PREFIX = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]);

/** The same host in the other family, only for the exact ::ffff:0:0/96 mapping (RFC 4291 2.5.5.2). */
function alternateForm(address: Uint8Array): Uint8Array | null {
	if (address.length === 4) {
		const mapped = new Uint8Array(16);
		mapped.set(IPV4_MAPPED_PREFIX);
		mapped.set(address, 12);
		return mapped;
	}
	const isMapped = IPV4_MAPPED_PREFIX.every((byte, index) => address[index] === byte);
	return isMapped ? address.slice(12) : null;
}

/**
 * Whether `ip` (as Express req.ip gives it: may be '::ffff:1.2.3.4' on a dual-stack socket,
 * may carry a zone id '%eth0', may be undefined) is inside any range. IPv4-mapped IPv6
 * addresses match IPv4 ranges and vice versa. Unparseable or undefined ip => false.
 */
export function isIpAllowed(ip: string | undefined, ranges: readonly IpRange[]): boolean {
	if (typeof ip !== 'string') return false;
	const trimmed = ip.trim();
	// The zone id only names the local interface a link-local address was seen on.
	const zoneStart = trimmed.indexOf('%');
	const address = parseIpAddress(zoneStart < 0 ? trimmed : trimmed.slice(0, zoneStart));
	if (!address) return false;
	const alternate = alternateForm(address);
	return ranges.some((range) => isInRange(address, range) || (alternate !== null && isInRange(alternate, range)));
}
