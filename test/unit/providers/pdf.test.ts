import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { makePdf, minimalPdfSize, pdfByteLength, pdfSha256, streamPdf } from '../../providers/pdf';
import { withTools } from '../../harness/skips';

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const c of stream) chunks.push(c as Buffer);
	return Buffer.concat(chunks);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('makePdf / streamPdf', () => {
	const sizes = [1024, 4096, 9_999, 10_000, 10_001, 65_536, 65_537, 99_999, 100_000, 1_000_003, 3 * 1024 * 1024 + 7];

	test.each(sizes)('%d bytes: exact size, identical bytes, same hash', async (size) => {
		const title = `Invoice ${size}`;
		const buffered = makePdf({ sizeBytes: size, title });
		expect(buffered.length).toBe(size);
		expect(pdfByteLength(size, title)).toBe(size);
		const streamed = await collect(streamPdf(size, title));
		expect(streamed.equals(buffered)).toBe(true);
		expect(await pdfSha256(size, title)).toBe(sha(buffered));
	});

	test('structure: header, trailer, xref offsets point at the objects', () => {
		const pdf = makePdf({ sizeBytes: 20_000, title: 'Structure' });
		const text = pdf.toString('latin1');
		expect(text.startsWith('%PDF-1.7\n')).toBe(true);
		expect(text.endsWith('%%EOF\n')).toBe(true);
		const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
		expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
		const entries = text.slice(startxref).split('\r\n').slice(1, 8).map((l) => Number(l.slice(-18, -8)));
		const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n$/gm)].map((m) => Number(m[1]));
		expect(offsets).toHaveLength(7);
		offsets.forEach((off, i) => expect(text.slice(off, off + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
		expect(entries.length).toBe(7);
	});

	test('deterministic, and the title changes the bytes', () => {
		expect(makePdf({ sizeBytes: 5000, title: 'A' }).equals(makePdf({ sizeBytes: 5000, title: 'A' }))).toBe(true);
		expect(makePdf({ sizeBytes: 5000, title: 'A' }).equals(makePdf({ sizeBytes: 5000, title: 'B' }))).toBe(false);
	});

	test('requests below the minimum give the minimal PDF', () => {
		const min = minimalPdfSize('x');
		expect(makePdf({ sizeBytes: 10, title: 'x' }).length).toBe(min);
		expect(min).toBeLessThan(1024);
	});

	test('byte ranges of the stream equal slices of the buffer', async () => {
		const size = 300_000;
		const full = makePdf({ sizeBytes: size, title: 'Ranges' });
		for (const [start, end] of [
			[0, 0],
			[1, 100],
			[500, 70_000],
			[65_535, 65_536],
			[size - 10, size - 1],
		]) {
			const part = await collect(streamPdf(size, 'Ranges', { start, end }));
			expect(part.equals(full.subarray(start, end + 1))).toBe(true);
		}
	});

	test('a 64 MiB stream is produced without buffering it', async () => {
		const size = 64 * 1024 * 1024;
		let n = 0;
		let biggest = 0;
		for await (const chunk of streamPdf(size, 'Big')) {
			n += (chunk as Buffer).length;
			biggest = Math.max(biggest, (chunk as Buffer).length);
		}
		expect(n).toBe(size);
		expect(biggest).toBeLessThanOrEqual(64 * 1024);
	});

	describe('accepted by real PDF tools', () => {
		let dir: string;
		beforeAll(() => {
			dir = mkdtempSync(join(tmpdir(), 'fake-pdf-'));
		});
		afterAll(() => rmSync(dir, { recursive: true, force: true }));

		const qpdf = withTools('qpdf');
		const pdftotext = withTools('pdftotext');

		qpdf.each([1024, 100_000, 2_000_000])('qpdf --check accepts %d bytes', (size) => {
			const file = join(dir, `q${size}.pdf`);
			writeFileSync(file, makePdf({ sizeBytes: size, title: 'Checked (by) qpdf \\ ok' }));
			const r = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
			expect(r.stderr).toBe('');
			expect(r.status).toBe(0);
			expect(r.stdout).toContain('No syntax or stream encoding errors');
		});

		pdftotext('pdftotext shows the title', () => {
			const file = join(dir, 't.pdf');
			writeFileSync(file, makePdf({ sizeBytes: 50_000, title: 'Quarterly report (Q3)' }));
			const r = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' });
			expect(r.status).toBe(0);
			expect(r.stdout).toContain('Quarterly report (Q3)');
		});
	});
});
