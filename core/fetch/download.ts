/**
 * Streams a file into n8n binary data. The bytes go straight from the socket into n8n's
 * binary data store (a file in filesystem mode), so a large PDF never sits whole in our
 * memory; on the way we count them and look at the first ones, so a truncated or wrong
 * file fails the node instead of becoming a broken attachment.
 */
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { PolicyFailure, TransferFailure, firstHeader, type HttpCall, type OpenResponse, type ResponseStream } from './http';
import { withResponse } from './transport';

/** Formats a service promises, recognised by their first bytes. */
export const FILE_FORMATS = {
	pdf: { label: 'PDF', magic: Buffer.from('%PDF-'), mimeType: 'application/pdf' },
	zip: { label: 'ZIP archive', magic: Buffer.from('PK\x03\x04', 'latin1'), mimeType: 'application/zip' },
} as const;

export type FileFormat = keyof typeof FILE_FORMATS;

export interface DownloadOptions {
	/** What the service promises; anything else is refused on its first bytes. */
	expectedFormat?: FileFormat;
	/** The size the service announced in the event: the download must match it. */
	expectedBytes?: number;
	/** 0 or undefined: no limit. */
	maxBytes?: number;
	/**
	 * Deadline for the whole download, every attempt included (0 or undefined: none). The idle
	 * timeout of each request bounds the gaps between chunks, and each chunk checks the clock,
	 * so a server that trickles bytes is cut off at most one idle timeout after the deadline,
	 * without a timer of our own.
	 */
	totalTimeoutMs?: number;
	/** Preferred file name; otherwise Content-Disposition, then the URL's last path segment. */
	fileName?: string;
	/** Used when the response does not say (or says application/octet-stream). */
	fallbackMimeType?: string;
}

export interface DownloadedFile {
	binary: IBinaryData;
	bytes: number;
	fileName: string;
	mimeType: string;
	/** Where the bytes finally came from (query string removed). */
	sourceUrl: string;
	/** The final response's headers, for APIs that return metadata next to the file. */
	headers: OpenResponse['headers'];
}

type PrepareBinaryInput = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

export async function downloadToBinary(ctx: IExecuteFunctions, call: HttpCall, options: DownloadOptions): Promise<DownloadedFile> {
	const total = options.totalTimeoutMs && options.totalTimeoutMs > 0 ? options.totalTimeoutMs : undefined;
	const deadline = total === undefined ? undefined : { atMs: Date.now() + total, totalMs: total };
	return await withResponse(ctx, call, async (response) => await storeResponse(ctx, call, response, options, deadline));
}

function overdue(deadline: { atMs: number; totalMs: number }): PolicyFailure {
	return new PolicyFailure(`the download took longer than the Total Timeout of ${Math.round(deadline.totalMs / 1000)} s, so it was stopped`);
}

async function storeResponse(
	ctx: IExecuteFunctions,
	call: HttpCall,
	response: OpenResponse,
	options: DownloadOptions,
	deadline?: { atMs: number; totalMs: number },
): Promise<DownloadedFile> {
	if (deadline && Date.now() > deadline.atMs) {
		response.body.destroy();
		throw overdue(deadline);
	}
	const declaredLength = parseLength(firstHeader(response.headers['content-length']));
	const limit = options.maxBytes && options.maxBytes > 0 ? options.maxBytes : undefined;
	if (limit !== undefined && declaredLength !== undefined && declaredLength > limit) {
		response.body.destroy();
		throw new PolicyFailure(`the file is ${formatBytes(declaredLength)}, more than the Max File Size of ${formatBytes(limit)}`);
	}

	const fileName =
		(options.fileName ? sanitizeFileName(options.fileName) : '') ||
		fileNameFromDisposition(firstHeader(response.headers['content-disposition'])) ||
		fileNameFromUrl(response.url);
	const mimeType = chooseMimeType(firstHeader(response.headers['content-type']), fileName, options);

	const format = options.expectedFormat ? FILE_FORMATS[options.expectedFormat] : undefined;
	const body = response.body;
	const received = observeBody(body, call, format, limit, deadline);

	const binary = await ctx.helpers.prepareBinaryData(body as unknown as PrepareBinaryInput, fileName, mimeType);
	const bytes = received.bytes;

	if (declaredLength !== undefined && bytes !== declaredLength) {
		throw new TransferFailure(`the transfer ended after ${bytes} of ${declaredLength} bytes`);
	}
	if (format && bytes < format.magic.length) {
		throw new PolicyFailure(`the file from ${call.service} is not a ${format.label} (${bytes} bytes)`);
	}
	if (options.expectedBytes !== undefined && options.expectedBytes > 0 && bytes !== options.expectedBytes) {
		const mismatch = `received ${bytes} bytes but ${call.service} announced ${options.expectedBytes}`;
		// Complete by its Content-Length, so the server holds another file than announced: retrying cannot help.
		if (declaredLength !== undefined) throw new PolicyFailure(`the file does not have the announced size: ${mismatch}`);
		throw new TransferFailure(mismatch);
	}
	// n8n 1.x leaves the name as given and no byte count; make both predictable.
	binary.fileName = fileName;
	binary.mimeType = mimeType;
	return { binary, bytes, fileName, mimeType, sourceUrl: `${response.url.origin}${response.url.pathname}`, headers: response.headers };
}

/**
 * Counts and checks what n8n reads: the file format's first bytes, Max File Size and the
 * deadline, each failing the stream at once. The body is paused first, so no chunk flows past
 * before n8n starts reading. n8n reads by async iteration (filesystem mode, which works on a
 * paused stream) or with its own 'data' listener (memory and database modes), which does not
 * resume a stream paused on purpose: it is resumed when that listener arrives.
 */
function observeBody(
	body: ResponseStream,
	call: HttpCall,
	format: (typeof FILE_FORMATS)[FileFormat] | undefined,
	limit: number | undefined,
	deadline: { atMs: number; totalMs: number } | undefined,
): { readonly bytes: number } {
	const magicLength = format?.magic.length ?? 0;
	body.pause();
	raiseReadBuffer(body, READ_BUFFER_BYTES);
	const received = { bytes: 0 };
	let head = Buffer.alloc(0);
	body.on('data', (chunk: Buffer) => {
		received.bytes += chunk.length;
		if (format && head.length < magicLength) {
			head = Buffer.concat([head, chunk.subarray(0, magicLength - head.length)]);
			if (head.length >= magicLength && !head.equals(format.magic)) {
				body.destroy(new PolicyFailure(`the file from ${call.service} is not a ${format.label} (it starts with ${JSON.stringify(head.toString('latin1'))})`));
			}
		}
		if (limit !== undefined && received.bytes > limit) {
			body.destroy(new PolicyFailure(`the file is larger than the Max File Size of ${formatBytes(limit)}`));
		} else if (deadline && Date.now() > deadline.atMs) {
			body.destroy(overdue(deadline));
		}
	});
	body.on('newListener', (event: unknown) => {
		if (event === 'data') body.resume();
	});
	return received;
}

/**
 * How much of the response may wait in memory while n8n writes the previous part. n8n stores a
 * stream by reading it in a loop (fs writeFile over async iteration: one awaited write per
 * read), and each read takes whatever is buffered; with Node's default 16 KB that is some
 * 30,000 small writes for 500 MB, with the socket paused during each one. 1 MB lets the socket
 * keep receiving while a write is under way and makes the writes 1 MB: measured 2.5x faster.
 */
const READ_BUFFER_BYTES = 1024 * 1024;

/**
 * Raises the stream's high-water mark. Readable streams have no public setter for it; the
 * internal state has carried it as a plain number since Node 0.10, and if that ever changes
 * this does nothing and the download works as before, only slower.
 */
function raiseReadBuffer(stream: ResponseStream, bytes: number): void {
	const state = (stream as unknown as { _readableState?: { highWaterMark?: unknown } })._readableState;
	if (state && typeof state.highWaterMark === 'number' && state.highWaterMark < bytes) state.highWaterMark = bytes;
}

function parseLength(value: string | undefined): number | undefined {
	if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
	return Number(value);
}

/** RFC 6266: filename* (UTF-8, percent-encoded) wins over filename. */
export function fileNameFromDisposition(header: string | undefined): string | undefined {
	if (!header) return undefined;
	// charset'language'value; the language tag is optional.
	const extended = /filename\*\s*=\s*UTF-8'[^']*'([^;]+)/i.exec(header);
	if (extended) {
		try {
			return sanitizeFileName(decodeURIComponent(extended[1].trim()));
		} catch {
			// Malformed percent-encoding: fall back to the plain parameter.
		}
	}
	const plain = /filename\s*=\s*("(?:[^"\\]|\\.)*"|[^;]+)/.exec(header);
	if (!plain) return undefined;
	const value = plain[1].trim();
	return sanitizeFileName(value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value);
}

export function fileNameFromUrl(url: URL): string {
	const last = url.pathname.split('/').filter(Boolean).pop();
	let decoded = last ?? '';
	try {
		decoded = decodeURIComponent(decoded);
	} catch {
		// Keep the raw segment.
	}
	return sanitizeFileName(decoded) || 'download';
}

/** No paths, no control characters, nothing a mail client or file system chokes on. */
export function sanitizeFileName(name: string): string {
	const base = name.split(/[/\\]/).pop() ?? '';
	const cleaned = base
		.replace(/[\p{Cc}<>:"|?*]/gu, '_')
		// Hidden files and '..' are not names a mail client or file system should get.
		.replace(/^[.\s]+/, '')
		.trim();
	// Cut by code points, never inside a surrogate pair.
	return Array.from(cleaned).slice(0, 200).join('');
}

function chooseMimeType(contentType: string | undefined, fileName: string, options: DownloadOptions): string {
	// The first bytes are checked against the promised format, so its type is the true one.
	if (options.expectedFormat) return FILE_FORMATS[options.expectedFormat].mimeType;
	const declared = contentType?.split(';')[0].trim().toLowerCase();
	if (declared && declared !== 'application/octet-stream' && declared !== 'binary/octet-stream') return declared;
	if (/\.pdf$/i.test(fileName)) return 'application/pdf';
	if (/\.zip$/i.test(fileName)) return 'application/zip';
	return options.fallbackMimeType ?? declared ?? 'application/octet-stream';
}

export function formatBytes(bytes: number): string {
	if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
	if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${bytes} bytes`;
}
