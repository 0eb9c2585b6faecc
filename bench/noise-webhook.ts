/**
 * The webhook rows' noise floor: n8n's Webhook node with Header Auth against a second, identical
 * Header Auth workflow, measured exactly as a trigger is in section 1 (the plain Webhook node as
 * the third side, the same rotated rounds and pooling). Both sides do the same work, so every
 * ratio away from 1.00× is the method's noise: what a single throughput or p99 row can show
 * without any difference between the sides.
 *
 *   BENCH_SETTINGS=1 BENCH_SECONDS=12 BENCH_ROUNDS=3 NOISE_REPEATS=4 npx tsx bench/noise-webhook.ts
 */
import { N8nInstance } from '../test/harness/n8n';
import { BENCH_N8N_VERSION, chosenWebhookSettings, ensureN8nAndPackage, fmt, log, settle } from './lib';
import { request, setUpWebhookNode, uniqueRequests } from './targets';
import { alternateSides, AUTH_HEADER, loadEach, setUpWebhookNodeWithHeaderAuth } from './webhook';

async function noise(setting: { label: string; env: Record<string, string> }, seconds: number, repeats: number): Promise<string[]> {
	ensureN8nAndPackage(BENCH_N8N_VERSION);
	const n8n = await N8nInstance.start({ version: BENCH_N8N_VERSION, label: 'bench-noise', env: { ...setting.env } });
	const out: string[] = [];
	const half = Math.max(1, Math.round(seconds / 2));
	try {
		const secret = request('pdfSign').headers[AUTH_HEADER];
		const plain = await setUpWebhookNode(n8n);
		for (let i = 0; i < repeats; i++) {
			// New workflows each time, as the bench sets up a new trigger for each row.
			const a = await setUpWebhookNodeWithHeaderAuth(n8n, AUTH_HEADER, secret);
			const b = await setUpWebhookNodeWithHeaderAuth(n8n, AUTH_HEADER, secret);
			const authed = uniqueRequests('pdfGorilla', { [AUTH_HEADER]: secret });
			const events = uniqueRequests('pdfGorilla');
			const r = await alternateSides(
				{
					headerAuth: { run: async () => await loadEach(a, authed, half), warm: async () => await loadEach(a, authed, 2) },
					sameHeaderAuth: { run: async () => await loadEach(b, authed, half), warm: async () => await loadEach(b, authed, 2) },
					webhookNode: { run: async () => await loadEach(plain.url, events, half), warm: async () => await loadEach(plain.url, events, 2) },
				},
				async () => await settle(n8n.pid!),
			);
			const line = `${setting.label}, repeat ${i + 1}: throughput ${(r.sameHeaderAuth.rps / r.headerAuth.rps).toFixed(3)}× (${fmt(r.sameHeaderAuth.rps)} vs ${fmt(r.headerAuth.rps)} req/s), p99 ${(r.sameHeaderAuth.p99 / r.headerAuth.p99).toFixed(2)}× (${fmt(r.sameHeaderAuth.p99, 0)} vs ${fmt(r.headerAuth.p99, 0)} ms), p50 ${(r.sameHeaderAuth.p50 / r.headerAuth.p50).toFixed(2)}×`;
			log(line);
			out.push(line);
		}
	} finally {
		await n8n.stop(60_000);
	}
	return out;
}

if (require.main === module) {
	const seconds = Number(process.env.BENCH_SECONDS ?? 12);
	const repeats = Number(process.env.NOISE_REPEATS ?? 4);
	(async () => {
		const lines: string[] = [];
		for (const setting of chosenWebhookSettings()) lines.push(...(await noise(setting, seconds, repeats)));
		process.stdout.write(`\n${lines.join('\n')}\n`);
	})().catch((e: unknown) => {
		process.stderr.write(`${String(e)}\n`);
		process.exit(1);
	});
}
