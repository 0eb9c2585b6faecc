/**
 * Whether a webhook URL n8n shows can be called from the internet. None of the services can
 * deliver to localhost, a private network or a plain-http URL (their docs ask for a public
 * https URL), and a user running n8n locally often only finds out when nothing arrives. The
 * URL n8n shows comes from N8N_WEBHOOK_URL (WEBHOOK_URL on n8n 1.x), or else its own host.
 */
import { isPrivateAddress } from '../fetch/urlPolicy';

/** Names that only resolve inside a machine or a local network. */
const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal', '.lan', '.home.arpa', '.localdomain', '.intranet', '.corp'];

/** Why the services cannot reach `url`, or undefined when it looks public. */
export function whyUnreachableFromInternet(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'it is not a valid URL';
	}
	const host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '');
	const looksLikeIp = /^[\d.]+$/.test(host) || host.includes(':');
	if (host === 'localhost' || host.endsWith('.localhost')) return `its host ${host} is this machine`;
	if (looksLikeIp && isPrivateAddress(host)) return `its host ${host} is a loopback or private network address`;
	if (!looksLikeIp && (!host.includes('.') || LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix)))) {
		return `its host ${host} is a local network name`;
	}
	if (parsed.protocol !== 'https:') return 'it uses http, and the services only deliver to https URLs';
	return undefined;
}

/** One sentence for the editor and the log: what is wrong and how to fix it. */
export function unreachableUrlHint(serviceName: string, url: string): string | undefined {
	const why = whyUnreachableFromInternet(url);
	if (!why) return undefined;
	return `${serviceName} cannot reach this n8n's webhook URL (${why}). Make n8n reachable under a public https address (a reverse proxy or a tunnel) and set N8N_WEBHOOK_URL (WEBHOOK_URL on n8n 1.x) to it, so the Production URL n8n shows is the one ${serviceName} can call.`;
}
