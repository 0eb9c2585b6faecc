import { Readable } from 'node:stream';

/** Minimal store-only (no compression) ZIP writer, buffered or streamed, with CRC-32. No ZIP64 (< 4 GiB). */

const CRC_TABLE = (() => {
	const table = new Int32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c;
	}
	return table;
})();

/** CRC-32 (IEEE, as ZIP and gzip use). Pass the previous result to continue over several chunks. */
export function crc32(data: Uint8Array, previous = 0): number {
	let c = ~previous;
	for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
	return ~c >>> 0;
}

export function crc32OfStream(stream: Readable): Promise<number> {
	return new Promise((resolve, reject) => {
		let crc = 0;
		stream
			.on('data', (chunk: Buffer) => {
				crc = crc32(chunk, crc);
			})
			.on('error', reject)
			.on('end', () => resolve(crc));
	});
}

export interface ZipEntry {
	name: string;
	data: Buffer;
}

export interface ZipStreamEntry {
	name: string;
	size: number;
	crc32: number;
	/** Opens the entry's bytes (exactly `size` of them). */
	open(): Readable;
}

/** 2024-01-01 00:00:00 in MS-DOS format: fixed so ZIPs are deterministic. */
const DOS_TIME = 0;
const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1;
const FLAG_UTF8 = 0x0800;

function localHeader(entry: { name: string; size: number; crc32: number }): Buffer {
	const name = Buffer.from(entry.name, 'utf8');
	const b = Buffer.alloc(30 + name.length);
	b.writeUInt32LE(0x04034b50, 0);
	b.writeUInt16LE(20, 4); // version needed
	b.writeUInt16LE(FLAG_UTF8, 6);
	b.writeUInt16LE(0, 8); // stored
	b.writeUInt16LE(DOS_TIME, 10);
	b.writeUInt16LE(DOS_DATE, 12);
	b.writeUInt32LE(entry.crc32 >>> 0, 14);
	b.writeUInt32LE(entry.size, 18);
	b.writeUInt32LE(entry.size, 22);
	b.writeUInt16LE(name.length, 26);
	b.writeUInt16LE(0, 28);
	name.copy(b, 30);
	return b;
}

function centralHeader(entry: { name: string; size: number; crc32: number }, offset: number): Buffer {
	const name = Buffer.from(entry.name, 'utf8');
	const b = Buffer.alloc(46 + name.length);
	b.writeUInt32LE(0x02014b50, 0);
	b.writeUInt16LE((3 << 8) | 20, 4); // made by: UNIX, 2.0
	b.writeUInt16LE(20, 6);
	b.writeUInt16LE(FLAG_UTF8, 8);
	b.writeUInt16LE(0, 10);
	b.writeUInt16LE(DOS_TIME, 12);
	b.writeUInt16LE(DOS_DATE, 14);
	b.writeUInt32LE(entry.crc32 >>> 0, 16);
	b.writeUInt32LE(entry.size, 20);
	b.writeUInt32LE(entry.size, 24);
	b.writeUInt16LE(name.length, 28);
	// extra, comment, disk, internal attrs = 0
	b.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attrs: regular file rw-r--r--
	b.writeUInt32LE(offset, 42);
	name.copy(b, 46);
	return b;
}

function endOfCentralDirectory(count: number, cdSize: number, cdOffset: number): Buffer {
	const b = Buffer.alloc(22);
	b.writeUInt32LE(0x06054b50, 0);
	b.writeUInt16LE(count, 8);
	b.writeUInt16LE(count, 10);
	b.writeUInt32LE(cdSize, 12);
	b.writeUInt32LE(cdOffset, 16);
	return b;
}

interface Plan {
	length: number;
	locals: Buffer[];
	trailer: Buffer; // central directory + EOCD
}

function plan(entries: { name: string; size: number; crc32: number }[]): Plan {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const e of entries) {
		const local = localHeader(e);
		centrals.push(centralHeader(e, offset));
		locals.push(local);
		offset += local.length + e.size;
	}
	if (offset > 0xffffffff) throw new Error('zip: archives over 4 GiB need ZIP64, not supported');
	const cd = Buffer.concat(centrals);
	const trailer = Buffer.concat([cd, endOfCentralDirectory(entries.length, cd.length, offset)]);
	return { length: offset + trailer.length, locals, trailer };
}

/** A complete ZIP archive in memory. */
export function buildZip(entries: ZipEntry[]): Buffer {
	const withCrc = entries.map((e) => ({ name: e.name, size: e.data.length, crc32: crc32(e.data) }));
	const p = plan(withCrc);
	const parts: Buffer[] = [];
	entries.forEach((e, i) => parts.push(p.locals[i], e.data));
	parts.push(p.trailer);
	return Buffer.concat(parts);
}

/** Length of the archive createZipStream would produce. */
export function zipLength(entries: ZipStreamEntry[]): number {
	return plan(entries).length;
}

/** Streams a ZIP whose entries are opened one after another (constant memory). */
export function createZipStream(entries: ZipStreamEntry[]): Readable {
	const p = plan(entries);
	async function* generate(): AsyncGenerator<Buffer> {
		for (let i = 0; i < entries.length; i++) {
			yield p.locals[i];
			let written = 0;
			for await (const chunk of entries[i].open()) {
				written += (chunk as Buffer).length;
				yield chunk as Buffer;
			}
			if (written !== entries[i].size) {
				throw new Error(`zip: entry ${entries[i].name} produced ${written} bytes, declared ${entries[i].size}`);
			}
		}
		yield p.trailer;
	}
	return Readable.from(generate(), { objectMode: false });
}
