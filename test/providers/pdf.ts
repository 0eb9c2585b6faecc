import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/**
 * Deterministic, valid PDFs of (almost) any size, in memory (makePdf) or streamed (streamPdf).
 *
 * Layout (offsets in the xref table are computed arithmetically, so nothing large is buffered):
 *   %PDF-1.7 + binary comment
 *   1 Catalog, 2 Pages, 3 Page (Helvetica text line showing the title), 4 Font, 5 content stream,
 *   6 Info (/Title), 7 padding stream (unreferenced, `padLength` deterministic pseudo-random bytes)
 *   0..3 filler spaces, xref, trailer, startxref, %%EOF
 * The same (sizeBytes, title) always gives the same bytes. The size is exact whenever sizeBytes is
 * at least the size of the PDF with an empty padding stream (about 750 bytes); smaller requests give that minimum.
 */

export const DEFAULT_PDF_SIZE = 4096;
export const DEFAULT_PDF_TITLE = 'Test document';
const CHUNK = 64 * 1024;
const PAD_SEED = 0x5eed_f00d;

export interface PdfOptions {
	sizeBytes?: number;
	title?: string;
}

interface Layout {
	head: Buffer; // everything before the padding bytes
	padLength: number;
	tail: Buffer; // everything after the padding bytes
	total: number;
}

/** Escape for a PDF literal string; non-printable-ASCII characters become '?'. */
function pdfString(text: string): string {
	let out = '';
	for (const ch of text.slice(0, 200)) {
		const code = ch.codePointAt(0) ?? 63;
		if (ch === '\\' || ch === '(' || ch === ')') out += '\\' + ch;
		else if (code >= 0x20 && code < 0x7f) out += ch;
		else out += '?';
	}
	return out;
}

function buildLayout(padLength: number, filler: number, title: string): Layout {
	const t = pdfString(title);
	const parts: string[] = [];
	const offsets: number[] = [];
	let pos = 0;
	const push = (s: string) => {
		parts.push(s);
		pos += Buffer.byteLength(s, 'latin1');
	};
	push('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
	const obj = (n: number, body: string) => {
		offsets[n] = pos;
		push(`${n} 0 obj\n${body}\nendobj\n`);
	};
	const content = `BT\n/F1 18 Tf\n72 720 Td\n(${t}) Tj\nET`;
	obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
	obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
	obj(
		3,
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
	);
	obj(4, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
	obj(5, `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
	obj(6, `<< /Title (${t}) /Producer (n8n-nodes-pdf-webhooks fake provider) >>`);
	offsets[7] = pos;
	push(`7 0 obj\n<< /Length ${padLength} >>\nstream\n`);
	const head = Buffer.from(parts.join(''), 'latin1');

	let tail = '\nendstream\nendobj\n' + ' '.repeat(filler);
	const xrefOffset = head.length + padLength + Buffer.byteLength(tail, 'latin1');
	const id = createHash('md5').update(`${padLength}:${filler}:${title}`).digest('hex');
	tail += 'xref\n0 8\n0000000000 65535 f\r\n';
	for (let n = 1; n <= 7; n++) tail += `${String(offsets[n]).padStart(10, '0')} 00000 n\r\n`;
	tail += `trailer\n<< /Size 8 /Root 1 0 R /Info 6 0 R /ID [<${id}> <${id}>] >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
	const tailBuf = Buffer.from(tail, 'latin1');
	return { head, padLength, tail: tailBuf, total: head.length + padLength + tailBuf.length };
}

const layoutCache = new Map<string, Layout>();

function layoutFor(sizeBytes: number | undefined, title: string | undefined): Layout {
	const size = Math.max(0, Math.floor(sizeBytes ?? DEFAULT_PDF_SIZE));
	const t = title ?? DEFAULT_PDF_TITLE;
	const key = `${size}\u0000${t}`;
	const cached = layoutCache.get(key);
	if (cached) return cached;
	const minimal = buildLayout(0, 0, t);
	let result = minimal;
	if (size > minimal.total) {
		// Digit counts of /Length and startxref shift the overhead by a few bytes: search nearby.
		const estimate = size - minimal.total;
		search: for (let pad = estimate; pad >= Math.max(0, estimate - 40); pad--) {
			for (let filler = 0; filler <= 3; filler++) {
				const l = buildLayout(pad, filler, t);
				if (l.total === size) {
					result = l;
					break search;
				}
				if (l.total > size) break;
			}
		}
		if (result === minimal) throw new Error(`pdf: could not lay out ${size} bytes`); // not expected
	}
	if (layoutCache.size > 1000) layoutCache.clear();
	layoutCache.set(key, result);
	return result;
}

/** The exact length in bytes of makePdf/streamPdf output for these options. */
export function pdfByteLength(sizeBytes?: number, title?: string): number {
	return layoutFor(sizeBytes, title).total;
}

/** Smallest PDF makePdf can produce for this title (an empty padding stream). */
export function minimalPdfSize(title: string = DEFAULT_PDF_TITLE): number {
	return buildLayout(0, 0, title).total;
}

// Local alias: global lookups like Math.imul are very slow inside jest's vm context.
const imul = Math.imul;

/** fmix32 of the word index: counter-based, so any slice of the padding can be generated alone. */
function fillPadding(target: Buffer, padOffset: number): void {
	const length = target.length;
	if (length === 0) return;
	const firstWord = Math.floor(padOffset / 4);
	const lastWord = Math.floor((padOffset + length - 1) / 4);
	const words = lastWord - firstWord + 1;
	const scratch = Buffer.allocUnsafe(words * 4);
	const view = new Uint32Array(scratch.buffer, scratch.byteOffset, words);
	for (let i = 0; i < words; i++) {
		let h = (imul((firstWord + i) | 0, 0x9e3779b1) + PAD_SEED) | 0;
		h ^= h >>> 16;
		h = imul(h, 0x85ebca6b);
		h ^= h >>> 13;
		h = imul(h, 0xc2b2ae35);
		h ^= h >>> 16;
		view[i] = h;
	}
	// Uint32Array is host-endian; fix to little-endian so bytes are platform-independent.
	if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) scratch.swap32();
	const skip = padOffset - firstWord * 4;
	scratch.copy(target, 0, skip, skip + length);
}

/** Writes bytes [start, end) of the PDF into a new buffer. */
function sliceOf(layout: Layout, start: number, end: number): Buffer {
	const out = Buffer.allocUnsafe(end - start);
	const headEnd = layout.head.length;
	const padEnd = headEnd + layout.padLength;
	let pos = start;
	let o = 0;
	if (pos < headEnd) {
		const n = Math.min(end, headEnd) - pos;
		layout.head.copy(out, o, pos, pos + n);
		pos += n;
		o += n;
	}
	if (pos < end && pos < padEnd) {
		const n = Math.min(end, padEnd) - pos;
		fillPadding(out.subarray(o, o + n), pos - headEnd);
		pos += n;
		o += n;
	}
	if (pos < end) {
		const n = end - pos;
		layout.tail.copy(out, o, pos - padEnd, pos - padEnd + n);
	}
	return out;
}

/** A complete PDF in memory. */
export function makePdf(options: PdfOptions = {}): Buffer {
	const layout = layoutFor(options.sizeBytes, options.title);
	return sliceOf(layout, 0, layout.total);
}

export interface ByteRange {
	/** First byte, inclusive. */
	start: number;
	/** Last byte, inclusive (HTTP Range semantics). */
	end: number;
}

/**
 * The same bytes as makePdf({sizeBytes, title}) (or the inclusive byte range of them), generated
 * chunk by chunk with backpressure: memory use stays at a few 64 KiB chunks whatever the size.
 */
export function streamPdf(sizeBytes?: number, title?: string, range?: ByteRange): Readable {
	const layout = layoutFor(sizeBytes, title);
	let pos = range ? Math.max(0, range.start) : 0;
	const end = range ? Math.min(layout.total, range.end + 1) : layout.total;
	return new Readable({
		highWaterMark: CHUNK,
		read() {
			if (pos >= end) {
				this.push(null);
				return;
			}
			const next = Math.min(end, pos + CHUNK - (pos % CHUNK));
			const chunk = sliceOf(layout, pos, next);
			pos = next;
			this.push(chunk);
		},
	});
}

const hashCache = new Map<string, Promise<string>>();

/** Hex SHA-256 of makePdf({sizeBytes, title}), computed by streaming (memoised). */
export function pdfSha256(sizeBytes?: number, title?: string): Promise<string> {
	const key = `${layoutFor(sizeBytes, title).total}\u0000${title ?? DEFAULT_PDF_TITLE}`;
	let pending = hashCache.get(key);
	if (!pending) {
		pending = new Promise<string>((resolve, reject) => {
			const hash = createHash('sha256');
			streamPdf(sizeBytes, title)
				.on('data', (c: Buffer) => hash.update(c))
				.on('error', reject)
				.on('end', () => resolve(hash.digest('hex')));
		});
		hashCache.set(key, pending);
	}
	return pending;
}

/** A PDF the fake server can serve: either generated (size + title) or fixed bytes. */
export interface PdfSpec {
	sizeBytes?: number;
	title?: string;
	/** Serve these exact bytes instead of a generated PDF. */
	content?: Buffer;
}

export function pdfSpecLength(spec: PdfSpec): number {
	return spec.content ? spec.content.length : pdfByteLength(spec.sizeBytes, spec.title);
}

export function openPdfSpec(spec: PdfSpec, range?: ByteRange): Readable {
	if (spec.content) {
		const start = range?.start ?? 0;
		const end = range ? range.end + 1 : spec.content.length;
		return Readable.from([spec.content.subarray(start, end)]);
	}
	return streamPdf(spec.sizeBytes, spec.title, range);
}

/** Hex SHA-256 of what the fake serves for this spec. */
export function pdfSpecSha256(spec: PdfSpec): Promise<string> {
	if (spec.content) return Promise.resolve(createHash('sha256').update(spec.content).digest('hex'));
	return pdfSha256(spec.sizeBytes, spec.title);
}
