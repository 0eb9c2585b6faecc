/**
 * Decides whether a file URL taken from a webhook payload or an API response may be fetched.
 *
 * The URLs come from outside (a webhook body anyone can POST), so without these checks a
 * forged payload could make n8n fetch from its own network (server-side request forgery).
 * Pure functions only: the HTTP layer calls checkUrl before the request, checkRedirect on
 * every 3xx, and checkConnectedAddress once the socket is connected.
 */

import { isPrivateAddress, parseIpAddress } from './privateAddress';

export { isPrivateAddress };

export interface UrlPolicy {
	/**
	 * Host names the service serves files from. Either exact ('api.example.com') or a
	 * leading wildcard ('*.example.com'), which matches subdomains at any depth but not
	 * the bare domain. An entry with a port ('127.0.0.1:8443', '[::1]:8443') allows exactly
	 * that port; an entry without one allows only the scheme's default port (443, or 80 for
	 * http when allowHttp is on). Case-insensitive; a trailing dot is ignored; IDN names are
	 * compared in punycode. Entries that cannot be parsed match nothing.
	 */
	allowedHosts: readonly string[];
	/** Self-hosted and test setups: permit loopback, private, link-local and other non-public addresses. */
	allowPrivateNetwork: boolean;
	/** Tests and self-hosted services behind plain HTTP only. Default false: https only. */
	allowHttp?: boolean;
}

/** `reason` is user-facing: it names the rule that failed and what to do, and never contains a query string. */
export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const PRIVATE_NETWORK_HINT =
	'If this is a self-hosted service on your own network, turn on Allow Private Network.';

interface HostRule {
	hostname: string;
	wildcard: boolean;
	/** undefined: only the scheme's default port. */
	port: string | undefined;
}

/**
 * Pre-flight check of a URL string: parseable, https (unless allowHttp), no user:pass@,
 * host and port in allowedHosts, and an IP-literal host must be public unless
 * allowPrivateNetwork. IPv4 written as 2130706433, 0x7f.1 or 127.1 is covered because the
 * WHATWG parser normalises it to dotted-quad before we look at it.
 */
export function checkUrl(rawUrl: string, policy: UrlPolicy): UrlVerdict {
	let url: URL;
	try {
		url = new URL(rawUrl.trim());
	} catch {
		// The raw text is not echoed: it may carry a token.
		return refuse('The file URL is not a valid absolute URL.');
	}

	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp === true)) {
		const scheme = url.protocol.replace(/:$/, '');
		return refuse(
			url.protocol === 'http:'
				? `The file URL ${redactUrl(url)} uses plain http; only https is allowed.`
				: `The file URL uses the scheme '${scheme}'; only https is allowed.`,
		);
	}

	// Credentials in the URL would be sent to whatever host follows the '@', and are a
	// classic way of disguising the real host ('https://trusted.com@evil.com/').
	if (url.username !== '' || url.password !== '') {
		return refuse(
			`The file URL ${redactUrl(url)} contains a user name or password (user:pass@); such URLs are refused.`,
		);
	}

	const hostname = normaliseHostname(url.hostname);
	const port = effectivePort(url);
	const rules = policy.allowedHosts.map(parseHostRule);
	const hostRules = rules.filter(
		(rule): rule is HostRule => rule !== undefined && hostMatches(rule, hostname),
	);
	if (hostRules.length === 0) {
		return refuse(
			`The host '${displayHost(url)}' is not one of the hosts this service serves files from (${describeAllowedHosts(policy.allowedHosts)}). Check that the URL really comes from the service.`,
		);
	}
	if (!hostRules.some((rule) => portMatches(rule, port, url.protocol))) {
		const allowedPorts = hostRules.map((rule) => rule.port ?? defaultPort(url.protocol));
		return refuse(
			`Port ${port} is not allowed for host '${displayHost(url)}' (allowed: ${[...new Set(allowedPorts)].join(', ')}).`,
		);
	}

	if (!policy.allowPrivateNetwork && isIpLiteral(hostname) && isPrivateAddress(hostname)) {
		return refuse(
			`The file URL points to ${displayHost(url)}, a loopback, private, link-local or otherwise non-public address. ${PRIVATE_NETWORK_HINT}`,
		);
	}

	return { ok: true, url };
}

/**
 * Checks the address the socket actually connected to (socket.remoteAddress after DNS), so
 * that a public name resolving to an internal address (DNS rebinding) is still caught.
 * Returns the reason when refused, undefined when fine. An unknown address is refused
 * unless allowPrivateNetwork, because we cannot prove it is public (fail closed).
 */
export function checkConnectedAddress(
	address: string | undefined,
	policy: UrlPolicy,
): string | undefined {
	if (policy.allowPrivateNetwork) return undefined;
	if (address === undefined || address.trim() === '') {
		return `Could not determine which address the download connected to, so it was stopped. ${PRIVATE_NETWORK_HINT}`;
	}
	if (isPrivateAddress(address)) {
		return `The download host resolved to ${address}, a loopback, private, link-local or otherwise non-public address, so it was stopped. ${PRIVATE_NETWORK_HINT}`;
	}
	return undefined;
}

/** For log and error text: scheme, host and path only. Query and fragment often carry signatures or tokens. */
export function redactUrl(url: string | URL): string {
	let parsed: URL;
	try {
		parsed = typeof url === 'string' ? new URL(url) : url;
	} catch {
		return '(invalid URL)';
	}
	const redacted = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
	// data: and similar URLs keep their payload in the path; keep log lines short.
	return redacted.length > 300 ? `${redacted.slice(0, 300)}…` : redacted;
}

/**
 * Resolves a redirect's Location against the current URL and checks it with the same
 * policy. A redirect from https to http is refused even with allowHttp: it would send the
 * (often signed) URL in clear text although the service offered TLS.
 */
export function checkRedirect(
	location: string | undefined,
	currentUrl: URL,
	policy: UrlPolicy,
): UrlVerdict {
	if (location === undefined || location.trim() === '') {
		return refuse(`The server at ${redactUrl(currentUrl)} sent a redirect without a Location header.`);
	}
	let target: URL;
	try {
		target = new URL(location.trim(), currentUrl);
	} catch {
		return refuse(`The server at ${redactUrl(currentUrl)} redirected to an invalid URL.`);
	}
	if (currentUrl.protocol === 'https:' && target.protocol === 'http:') {
		return refuse(
			`The server at ${redactUrl(currentUrl)} redirected from https to plain http (${redactUrl(target)}); downgrades are refused.`,
		);
	}
	const verdict = checkUrl(target.href, policy);
	if (verdict.ok) return verdict;
	return refuse(`Redirect from ${redactUrl(currentUrl)} refused: ${verdict.reason}`);
}

function refuse(reason: string): UrlVerdict {
	return { ok: false, reason };
}

function normaliseHostname(hostname: string): string {
	return hostname.toLowerCase().replace(/\.$/, '');
}

function displayHost(url: URL): string {
	return normaliseHostname(url.hostname);
}

function defaultPort(protocol: string): string {
	return protocol === 'http:' ? '80' : '443';
}

/** URL.port is '' for the scheme's default port, so fill it in to compare like with like. */
function effectivePort(url: URL): string {
	return url.port === '' ? defaultPort(url.protocol) : url.port;
}

function describeAllowedHosts(allowedHosts: readonly string[]): string {
	if (allowedHosts.length === 0) return 'none configured';
	return allowedHosts.join(', ');
}

/** Runs the entry through the same URL parser as the checked URL, so case, IDN and IP spellings compare equal. */
function parseHostRule(entry: string): HostRule | undefined {
	let text = entry.trim();
	const wildcard = text.startsWith('*.');
	if (wildcard) text = text.slice(2);
	// A bare IPv6 address ('::1') would otherwise be read as host ':' plus ports.
	if (!text.startsWith('[') && text.split(':').length > 2) text = `[${text}]`;
	if (text === '' || /[/?#@\\*]/.test(text)) return undefined;
	let parsed: URL;
	try {
		parsed = new URL(`https://${text}`);
	} catch {
		return undefined;
	}
	const hostname = normaliseHostname(parsed.hostname);
	if (hostname === '' || (wildcard && isIpLiteral(hostname))) return undefined;
	// 'host:443' written out must still match https://host/, whose URL.port is ''.
	const explicitPort = /:\d+$/.test(text) ? (parsed.port === '' ? '443' : parsed.port) : undefined;
	return { hostname, wildcard, port: explicitPort };
}

function hostMatches(rule: HostRule, hostname: string): boolean {
	if (!rule.wildcard) return hostname === rule.hostname;
	// The dot before the suffix is what keeps 'evilexample.com' out.
	return !isIpLiteral(hostname) && hostname.endsWith(`.${rule.hostname}`);
}

function portMatches(rule: HostRule, port: string, protocol: string): boolean {
	return port === (rule.port ?? defaultPort(protocol));
}

function isIpLiteral(hostname: string): boolean {
	return parseIpAddress(hostname) !== null;
}
