import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable, pipeline } from 'node:stream';

import type { Fault } from './faults';
import { type ByteRange, type PdfSpec, openPdfSpec, pdfSpecLength } from './pdf';
import { type ServiceName, headerValue } from './util';

/** One request as the fake server saw it. Headers are kept verbatim, secrets included. */
export interface RecordedRequest {
	seq: number;
	time: Date;
	service?: ServiceName;
	method: string;
	/** Path without the query string, as received (not decoded). */
	path: string;
	/** Path + query string. */
	url: string;
	query: Record<string, string>;
	/** The Host header (e.g. '127.0.0.1:43123'). */
	host?: string;
	/** Lower-cased names, as node:http gives them. */
	headers: IncomingHttpHeaders;
	/** [name, value, name, value, ...] with the names' original case. */
	rawHeaders: string[];
	body: Buffer;
	/** Response status (set when the response head was written). */
	status?: number;
	/** True when the response body was completely sent. */
	completed?: boolean;
	/** Summary of the fault applied, if any. */
	fault?: string;
}

export interface RequestFilter {
	service?: ServiceName;
	method?: string;
	/** A string is a path prefix; a RegExp is tested against path + query. */
	path?: string | RegExp;
	/** Only requests that carried this header (any value). */
	withHeader?: string;
}

export function filterRequests(all: RecordedRequest[], filter: RequestFilter = {}): RecordedRequest[] {
	return all.filter((r) => {
		if (filter.service && r.service !== filter.service) return false;
		if (filter.method && r.method.toUpperCase() !== filter.method.toUpperCase()) return false;
		if (typeof filter.path === 'string' && !r.path.startsWith(filter.path)) return false;
		if (filter.path instanceof RegExp) {
			filter.path.lastIndex = 0;
			if (!filter.path.test(r.url)) return false;
		}
		if (filter.withHeader && r.headers[filter.withHeader.toLowerCase()] === undefined) return false;
		return true;
	});
}

/** A body that can be streamed (and sliced for Range requests) without being held in memory. */
export interface StreamBody {
	length: number;
	open(range?: ByteRange): Readable;
}

export type ResponseBody = Buffer | string | StreamBody;

export type Headers = Record<string, string | number | string[]>;

const MAINTENANCE_HTML =
	'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Service maintenance</title></head>' +
	'<body><h1>We\u2019ll be right back</h1><p>The service is undergoing maintenance.</p></body></html>\n';

function setHeader(headers: Headers, name: string, value: string | number | string[]): void {
	for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
	headers[name] = value;
}

/** Per-request helper handed to route handlers. Responses go through here so faults can alter them. */
export class RequestContext {
	params: Record<string, string> = {};
	readonly url: URL;
	readonly path: string;
	readonly query: URLSearchParams;
	fault?: Fault;
	private responded = false;

	constructor(
		readonly req: IncomingMessage,
		readonly res: ServerResponse,
		readonly body: Buffer,
		readonly record: RecordedRequest,
		readonly service: ServiceName | undefined,
		readonly origin: string,
	) {
		this.url = new URL(req.url ?? '/', origin);
		this.path = this.url.pathname;
		this.query = this.url.searchParams;
	}

	get method(): string {
		return (this.req.method ?? 'GET').toUpperCase();
	}

	get headers(): IncomingHttpHeaders {
		return this.req.headers;
	}

	/** A request header (names are case-insensitive). */
	header(name: string): string | undefined {
		return headerValue(this.req.headers, name);
	}

	get hasResponded(): boolean {
		return this.responded;
	}

	/** Parses the body as JSON; undefined when absent or invalid. */
	jsonBody(): { ok: true; value: unknown } | { ok: false; error: string } {
		if (this.body.length === 0) return { ok: false, error: 'empty body' };
		try {
			return { ok: true, value: JSON.parse(this.body.toString('utf8')) };
		} catch (error) {
			return { ok: false, error: (error as Error).message };
		}
	}

	json(status: number, value: unknown, headers: Headers = {}): Promise<void> {
		return this.send(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(value));
	}

	redirect(status: number, location: string, headers: Headers = {}): Promise<void> {
		return this.send(status, { Location: location, ...headers }, '');
	}

	/** Serves a PDF (streamed), honouring a single `Range: bytes=a-b` request header when `ranges` is set. */
	pdf(status: number, spec: PdfSpec, headers: Headers = {}, options: { ranges?: boolean } = {}): Promise<void> {
		const body: StreamBody = { length: pdfSpecLength(spec), open: (range) => openPdfSpec(spec, range) };
		return this.stream(status, { 'Content-Type': 'application/pdf', ...headers }, body, options);
	}

	/** Serves a StreamBody, with optional single-range support. */
	stream(status: number, headers: Headers, body: StreamBody, options: { ranges?: boolean } = {}): Promise<void> {
		const rangeHeader = this.header('range');
		if (options.ranges) setHeader(headers, 'Accept-Ranges', 'bytes');
		if (options.ranges && rangeHeader && status === 200 && !this.fault?.notPdf) {
			const m = /^bytes=(\d*)-(\d*)$/.exec(rangeHeader.trim());
			let range: ByteRange | undefined;
			if (m && (m[1] !== '' || m[2] !== '')) {
				if (m[1] === '') {
					const suffix = Number(m[2]);
					range = { start: Math.max(0, body.length - suffix), end: body.length - 1 };
				} else {
					range = { start: Number(m[1]), end: m[2] === '' ? body.length - 1 : Math.min(Number(m[2]), body.length - 1) };
				}
			}
			if (!range || range.start > range.end || range.start >= body.length) {
				return this.send(416, { 'Content-Range': `bytes */${body.length}` }, '');
			}
			const r = range;
			setHeader(headers, 'Content-Range', `bytes ${r.start}-${r.end}/${body.length}`);
			return this.send(206, headers, { length: r.end - r.start + 1, open: () => body.open(r) });
		}
		return this.send(status, headers, body);
	}

	/** Writes the response, applying body faults. Resolves when done (or cut). */
	send(status: number, headersIn: Headers, bodyIn: ResponseBody): Promise<void> {
		if (this.responded) throw new Error(`response already sent for ${this.method} ${this.path}`);
		this.responded = true;
		const headers: Headers = { ...headersIn };
		let body: StreamBody | Buffer = typeof bodyIn === 'string' ? Buffer.from(bodyIn, 'utf8') : bodyIn;
		const fault = this.fault;
		if (fault?.notPdf) {
			status = 200;
			for (const key of Object.keys(headers)) {
				if (/^(content-|file-|x-file-)/i.test(key)) delete headers[key];
			}
			headers['Content-Type'] = 'text/html; charset=utf-8';
			body = Buffer.from(MAINTENANCE_HTML, 'utf8');
		}
		if (fault?.wrongContentType) {
			setHeader(headers, 'Content-Type', typeof fault.wrongContentType === 'string' ? fault.wrongContentType : 'text/html; charset=utf-8');
		}
		const length = Buffer.isBuffer(body) ? body.length : body.length;
		setHeader(headers, 'Content-Length', length);
		if (this.method === 'HEAD') body = Buffer.alloc(0);

		this.record.status = status;
		const res = this.res;
		res.writeHead(status, headers as OutgoingHttpHeaders);

		const cut = fault?.resetMidBody || fault?.truncate;
		if (cut) {
			const n = Math.max(0, Math.min(length - 1, fault?.bytes ?? Math.floor(length / 2)));
			const source: Readable = Buffer.isBuffer(body)
				? Readable.from([body.subarray(0, n)])
				: n > 0
					? limitBytes(body.open({ start: 0, end: n - 1 }), n)
					: Readable.from([]);
			return this.writeThenCut(source, fault?.resetMidBody ? 'reset' : 'end');
		}
		if (Buffer.isBuffer(body)) {
			return new Promise((resolve) => {
				res.end(body, () => {
					this.record.completed = true;
					resolve();
				});
				res.once('close', () => resolve());
			});
		}
		const source = body.open();
		return new Promise((resolve) => {
			pipeline(source, res, (error) => {
				if (!error) this.record.completed = true;
				resolve();
			});
		});
	}

	private async writeThenCut(source: Readable, how: 'reset' | 'end'): Promise<void> {
		const res = this.res;
		const socket = res.socket;
		res.once('close', () => source.destroy());
		try {
			for await (const chunk of source) {
				if (res.destroyed) return;
				await new Promise<void>((resolve) => res.write(chunk as Buffer, () => resolve()));
			}
		} catch {
			// client went away
		}
		this.record.completed = false;
		if (!socket || socket.destroyed) return;
		if (how === 'reset') socket.destroy();
		else socket.end();
	}
}

/** The first n bytes of a stream (sources may ignore the range they were asked for). */
function limitBytes(source: Readable, n: number): Readable {
	async function* take(): AsyncGenerator<Buffer> {
		let left = n;
		try {
			for await (const chunk of source) {
				const buf = chunk as Buffer;
				if (buf.length >= left) {
					yield buf.subarray(0, left);
					return;
				}
				left -= buf.length;
				yield buf;
			}
		} finally {
			source.destroy();
		}
	}
	return Readable.from(take(), { objectMode: false });
}

export type Handler = (ctx: RequestContext) => void | Promise<void>;

interface Route {
	methods: string[];
	regex: RegExp;
	keys: string[];
	handler: Handler;
}

/**
 * Path patterns: literal segments, ':name' (one segment) and '*name' (the rest, may contain '/').
 * A trailing slash in the pattern is significant.
 */
export class Router {
	private routes: Route[] = [];

	add(methods: string | string[], pattern: string, handler: Handler): void {
		const keys: string[] = [];
		const source = pattern
			.split('/')
			.map((segment) => {
				if (segment.startsWith(':')) {
					keys.push(segment.slice(1));
					return '([^/]+)';
				}
				if (segment.startsWith('*')) {
					keys.push(segment.slice(1));
					return '(.+)';
				}
				return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			})
			.join('/');
		this.routes.push({
			methods: (Array.isArray(methods) ? methods : [methods]).map((m) => m.toUpperCase()),
			regex: new RegExp(`^${source}$`),
			keys,
			handler,
		});
	}

	/** 'match' with params; 'method' when the path exists with other methods; undefined when unknown. */
	match(method: string, path: string): { handler: Handler; params: Record<string, string> } | 'method' | undefined {
		let pathMatched = false;
		for (const route of this.routes) {
			const m = route.regex.exec(path);
			if (!m) continue;
			pathMatched = true;
			if (!route.methods.includes(method) && !(method === 'HEAD' && route.methods.includes('GET'))) continue;
			const params: Record<string, string> = {};
			route.keys.forEach((key, i) => {
				try {
					params[key] = decodeURIComponent(m[i + 1]);
				} catch {
					params[key] = m[i + 1];
				}
			});
			return { handler: route.handler, params };
		}
		return pathMatched ? 'method' : undefined;
	}
}
