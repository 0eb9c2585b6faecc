import { STATUS_CODES } from 'node:http';

import { type PdfSpec, openPdfSpec, pdfSpecLength } from '../pdf';
import type { Headers, RequestContext, Router, StreamBody } from '../router';
import type { ServiceName } from '../util';
import type { WebhookDispatcher } from '../webhooks';
import { type ZipStreamEntry, crc32OfStream, createZipStream, zipLength } from '../zip';

/** What a service module gets from the server. */
export interface ServiceEnv {
	/** https://<host>:<port> the fake listens on. */
	origin(): string;
	/** Origin used in URLs the fake hands out (download URLs, File-URL, ...). */
	publicOrigin(): string;
	webhooks: WebhookDispatcher;
	timers: TimerSet;
}

export interface ErrorResponse {
	body: unknown;
	headers?: Headers;
}

export interface ServiceModule {
	readonly name: ServiceName;
	register(router: Router): void;
	/** The service's documented error body for a status (used for 404s and injected status faults). */
	errorResponse(status: number, message?: string | string[]): ErrorResponse;
}

export function reason(status: number): string {
	return STATUS_CODES[status] ?? 'Error';
}

export function sendError(ctx: RequestContext, service: ServiceModule, status: number, message?: string | string[], extra: Headers = {}) {
	const { body, headers } = service.errorResponse(status, message);
	return ctx.json(status, body, { ...headers, ...extra });
}

/** Timers that the server cancels on close(). */
export class TimerSet {
	private timers = new Set<NodeJS.Timeout>();
	private closed = false;

	set(fn: () => void, ms: number): void {
		if (this.closed) return;
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			fn();
		}, Math.max(0, ms));
		this.timers.add(timer);
	}

	clear(): void {
		this.closed = true;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
	}
}

const crcCache = new Map<string, Promise<number>>();

/** CRC-32 of a PDF spec's bytes (memoised for generated PDFs). */
export function pdfSpecCrc32(spec: PdfSpec): Promise<number> {
	if (spec.content) return crc32OfStream(openPdfSpec(spec));
	const key = `${pdfSpecLength(spec)}\u0000${spec.title ?? ''}`;
	let pending = crcCache.get(key);
	if (!pending) {
		pending = crc32OfStream(openPdfSpec(spec));
		crcCache.set(key, pending);
	}
	return pending;
}

/** A streamed store-only ZIP of PDFs. */
export async function pdfZip(files: { name: string; pdf: PdfSpec }[]): Promise<StreamBody> {
	const entries: ZipStreamEntry[] = [];
	for (const f of files) {
		entries.push({
			name: f.name,
			size: pdfSpecLength(f.pdf),
			crc32: await pdfSpecCrc32(f.pdf),
			open: () => openPdfSpec(f.pdf),
		});
	}
	return { length: zipLength(entries), open: () => createZipStream(entries) };
}

export function nowIso(): string {
	return new Date().toISOString();
}

/** JSON nesting depth (objects and arrays). */
export function depthOf(value: unknown): number {
	if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
	if (value && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(depthOf));
	return 0;
}

/** Length of the longest array anywhere in value. */
export function longestArray(value: unknown): number {
	if (Array.isArray(value)) return Math.max(value.length, ...value.map(longestArray));
	if (value && typeof value === 'object') return Math.max(0, ...Object.values(value).map(longestArray));
	return 0;
}
