import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { makePdf } from '../../providers/pdf';
import { buildZip, crc32, createZipStream, zipLength } from '../../providers/zip';
import { withTools } from '../../harness/skips';

describe('zip writer', () => {
	test('crc32 check value', () => {
		expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
		expect(crc32(Buffer.alloc(0))).toBe(0);
		expect(crc32(Buffer.from('6789'), crc32(Buffer.from('12345')))).toBe(0xcbf43926);
	});

	const entries = [
		{ name: 'invoice.pdf', data: makePdf({ sizeBytes: 3000, title: 'one' }) },
		{ name: '請求書 2.pdf', data: makePdf({ sizeBytes: 70_000, title: 'two' }) },
		{ name: 'empty.txt', data: Buffer.alloc(0) },
	];

	test('streamed and buffered archives are identical', async () => {
		const buffered = buildZip(entries);
		const streamEntries = entries.map((e) => ({ name: e.name, size: e.data.length, crc32: crc32(e.data), open: () => Readable.from([e.data]) }));
		expect(zipLength(streamEntries)).toBe(buffered.length);
		const chunks: Buffer[] = [];
		for await (const c of createZipStream(streamEntries)) chunks.push(c as Buffer);
		expect(Buffer.concat(chunks).equals(buffered)).toBe(true);
		expect(buffered.readUInt32LE(0)).toBe(0x04034b50);
		expect(buffered.readUInt32LE(buffered.length - 22)).toBe(0x06054b50);
	});

	withTools('unzip')('unzip -t accepts it and extracts the same bytes', () => {
		const dir = mkdtempSync(join(tmpdir(), 'fake-zip-'));
		try {
			const file = join(dir, 'a.zip');
			writeFileSync(file, buildZip(entries));
			const t = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
			expect(t.status).toBe(0);
			expect(t.stdout).toContain('No errors detected');
			const p = spawnSync('unzip', ['-p', file, 'invoice.pdf']);
			expect(Buffer.from(p.stdout).equals(entries[0].data)).toBe(true);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
