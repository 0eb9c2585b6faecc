import type { ServiceName } from './util';

/** Which requests a fault applies to. All given fields must match. */
export interface FaultMatcher {
	service?: ServiceName;
	/**
	 * Prefix of the request path. Absolute ('/pdfgorilla/files/'), or, when `service` is given, also
	 * relative to '/<service>' ('/files/') or to the service's API base path ('/jobs/' for
	 * /pdfgorilla/api/v1/jobs/...; bases: /reportflow/v1 (and /reportflow/workspaces/<id>/v1),
	 * /docgenlab/api/v1, /docflo, /pdfgorilla/api/v1, /pdfsign/functions/v1).
	 */
	pathPrefix?: string;
	/** Tested against path + query string, e.g. /\/jobs\/[^/]+$/. */
	regex?: RegExp;
	/** HTTP method, case-insensitive. */
	method?: string;
}

/**
 * What happens to a matching request. Fields combine in this order: `delayMs` first, then
 * `redirectTo`, else `status` (an error response with the service's error body), else the request is
 * routed normally and the body faults (`notPdf`, `wrongContentType`, `resetMidBody`, `truncate`)
 * alter the response the route produces.
 */
export interface Fault {
	/** How many matching requests consume this fault (default 1; Infinity = until removed). */
	times?: number;
	/** Wait this long before handling the request. Alone, the request is then served normally. */
	delayMs?: number;
	/** Respond with this status and the service's documented error body (or `body`). With redirectTo: the redirect status. */
	status?: number;
	/** Retry-After header value (seconds or an HTTP date). */
	retryAfter?: number | string;
	/** Replaces the error body: objects are sent as JSON, strings/Buffers raw. */
	body?: unknown;
	/** Extra response headers for the `status` response. */
	headers?: Record<string, string>;
	/** Redirect (default 302) to this absolute URL or origin-relative path. */
	redirectTo?: string;
	/** Send headers with the full Content-Length, write part of the body, then destroy the socket (no TLS close_notify). */
	resetMidBody?: boolean;
	/** Send fewer bytes than Content-Length, then end the connection cleanly (TLS close_notify + FIN). */
	truncate?: boolean;
	/** Cut point for resetMidBody/truncate (default: half the body, rounded down). */
	bytes?: number;
	/** Serve the normal body with a different Content-Type (true = 'text/html; charset=utf-8'). */
	wrongContentType?: boolean | string;
	/** Serve an HTML maintenance page with 200 instead of the real response. */
	notPdf?: boolean;
}

export interface FaultHandle {
	readonly matcher: FaultMatcher;
	readonly fault: Fault;
	/** How many requests this fault has hit so far. */
	readonly hits: number;
	/** How many more requests it will hit. */
	readonly remaining: number;
	remove(): void;
}

class FaultEntry implements FaultHandle {
	hits = 0;
	remaining: number;
	constructor(
		readonly matcher: FaultMatcher,
		readonly fault: Fault,
		private readonly owner: FaultRegistry,
	) {
		this.remaining = fault.times ?? 1;
	}
	remove(): void {
		this.owner.removeEntry(this);
	}
}

export interface FaultTarget {
	service?: ServiceName;
	method: string;
	path: string;
	search: string;
}

const API_BASES: Record<ServiceName, string> = {
	reportflow: '/reportflow/v1',
	docgenlab: '/docgenlab/api/v1',
	docflo: '/docflo',
	pdfgorilla: '/pdfgorilla/api/v1',
	pdfsign: '/pdfsign/functions/v1',
};

/** Path prefixes a service-relative pathPrefix may be relative to. */
function serviceBases(service: ServiceName, path: string): string[] {
	const bases = [`/${service}`, API_BASES[service]];
	const workspace = /^\/reportflow\/workspaces\/[^/]+\/v1/.exec(path);
	if (service === 'reportflow' && workspace) bases.push(workspace[0]);
	return bases;
}

export function matches(matcher: FaultMatcher, target: FaultTarget): boolean {
	if (matcher.service && matcher.service !== target.service) return false;
	if (matcher.method && matcher.method.toUpperCase() !== target.method.toUpperCase()) return false;
	if (matcher.pathPrefix !== undefined) {
		const absolute = target.path.startsWith(matcher.pathPrefix);
		const relative =
			matcher.service !== undefined &&
			matcher.pathPrefix.startsWith('/') &&
			serviceBases(matcher.service, target.path).some((base) => target.path.startsWith(base + matcher.pathPrefix));
		if (!absolute && !relative) return false;
	}
	if (matcher.regex) {
		matcher.regex.lastIndex = 0;
		if (!matcher.regex.test(target.path + target.search)) return false;
	}
	return true;
}

/** Faults are queued: each request consumes the FIRST added fault that matches it. */
export class FaultRegistry {
	private entries: FaultEntry[] = [];

	add(matcher: FaultMatcher, fault: Fault): FaultHandle {
		const entry = new FaultEntry(matcher, fault, this);
		if (entry.remaining > 0) this.entries.push(entry);
		return entry;
	}

	/** Faults not yet used up. */
	pending(): FaultHandle[] {
		return [...this.entries];
	}

	clear(): void {
		this.entries = [];
	}

	removeEntry(entry: FaultEntry): void {
		this.entries = this.entries.filter((e) => e !== entry);
	}

	/** Consumes one use of the first matching fault. */
	take(target: FaultTarget): Fault | undefined {
		const entry = this.entries.find((e) => matches(e.matcher, target));
		if (!entry) return undefined;
		entry.hits++;
		entry.remaining--;
		if (entry.remaining <= 0) this.removeEntry(entry);
		return entry.fault;
	}
}

export function describeFault(fault: Fault): string {
	return Object.entries(fault)
		.filter(([k]) => k !== 'body' && k !== 'headers')
		.map(([k, v]) => `${k}=${String(v)}`)
		.join(',');
}
