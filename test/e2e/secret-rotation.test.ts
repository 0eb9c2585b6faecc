/**
 * Changing a trigger's secret in real n8n while deliveries flow. The triggers remember a
 * credential's secrets for a few seconds instead of reading the credential for every delivery
 * (core/delivery/credentialMemory.ts); the credential is changed and deleted through n8n's own
 * API (2.x: the public API; 1.x, whose public API cannot update a credential: the editor's REST
 * API), and:
 * - a delivery signed with the new secret is accepted the first time it arrives;
 * - one signed with a removed secret is refused once CREDENTIAL_MEMORY.maxAgeMs have passed
 *   since the change was saved (the test waits that long, then checks; no upper time bound);
 * - Previous Secret accepts both secrets while rotating, and the old one stops once cleared;
 * - under steady deliveries a delivery in a read's last second starts the next read in the
 *   background, and what that read finds serves the deliveries after it;
 * - forged deliveries make n8n read the credential at most about once a second, not once each
 *   (counted in n8n's own SQL log);
 * - a deleted credential stops every delivery the same way;
 * - no secret reaches n8n's log.
 */
import { CREDENTIAL_MEMORY } from '../../core/delivery/credentialMemory';
import { delay } from '../harness/n8n';
import { versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, triggerNode } from '../harness/workflows';
import { sendWebhook, type ServiceName } from '../providers';
import { useStack } from './support';

const SECRET_A = 'rotation-secret-a-00112233445566778899aabbccddeeff';
const SECRET_B = 'rotation-secret-b-ffeeddccbbaa99887766554433221100';
const SECRET_C = 'rotation-secret-c-0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** Long enough after a change for every read that started before it to have expired. */
const PAST_THE_BOUND_MS = CREDENTIAL_MEMORY.maxAgeMs + 1_000;

/** n8n's SELECTs of one credential in a stretch of its log (TypeORM's query log: one line per statement). */
function credentialSelects(log: string, credentialId: string): string[] {
	return log.split('\n').filter((line) => line.includes('credentials_entity') && line.includes(credentialId) && /\bSELECT\b/i.test(line));
}

/** n8n's reads of one credential in a stretch of its log. */
function credentialReads(log: string, credentialId: string): number {
	return credentialSelects(log, credentialId).length;
}

/**
 * The credential's row read for its data, as a node's getCredentials() does (n8n's
 * CredentialsHelper looks it up by id and type); unlike credentialReads, not the permission
 * checks n8n runs on the credential when an execution starts.
 */
function credentialRowReads(log: string, credentialId: string): number {
	return credentialSelects(log, credentialId).filter((line) => line.includes('"CredentialsEntity"."type" = ?')).length;
}

interface Service {
	label: string;
	service: ServiceName;
	trigger: string;
	credentialType: string;
	data: (secret: string, previous?: string) => Record<string, unknown>;
	event: (n: number) => Record<string, unknown>;
}

const now = () => new Date().toISOString();

const SERVICES: Service[] = [
	{
		label: 'PDF Gorilla (HMAC signature)',
		service: 'pdfgorilla',
		trigger: 'pdfGorillaTrigger',
		credentialType: 'pdfGorillaApi',
		data: (secret, previous = '') => ({ apiKey: 'rotation-key', webhookSecret: secret, previousWebhookSecret: previous, baseUrl: 'https://pdfgorilla.io/api/v1' }),
		event: (n) => ({ jobId: `rotationjob${n}`, status: 'completed', downloadUrl: `https://pdfgorilla.io/files/r${n}.pdf`, expiresAt: null, error: null, timestamp: now() }),
	},
	{
		label: 'PDF-Sign (shared secret header)',
		service: 'pdfsign',
		trigger: 'pdfSignTrigger',
		credentialType: 'pdfSignWebhookApi',
		data: (secret, previous = '') => ({ webhookSecret: secret, previousWebhookSecret: previous }),
		event: (n) => ({
			event: 'pdf.generated',
			timestamp: now(),
			data: { template_id: '550e8400-e29b-41d4-a716-446655440000', pdf_url: `https://pdf-sign.com/storage/v1/object/public/pdfs/u/t/${n}.pdf`, storage_path: `u/t/${n}.pdf`, file_size: 10, render_time_ms: 1, variables: {}, created_at: now() },
		}),
	},
];

describe.each(versionsUnderTest())('Changing a trigger secret on n8n %s', (version) => {
	// n8n's SQL log shows every credential read (and that the secrets never appear in it).
	const stack = useStack(version, { n8n: { env: { DB_LOGGING_ENABLED: 'true', DB_LOGGING_OPTIONS: 'query' } } });

	describe.each(SERVICES)('$label', (s) => {
		let events = 0;
		let credentialId = '';
		let url = '';
		const credentialName = `rotation ${s.label}`;

		beforeAll(async () => {
			const { n8n } = stack;
			credentialId = await n8n.createCredential({ name: credentialName, type: s.credentialType, data: s.data(SECRET_A) });
			const hook = newWebhookId();
			await n8n.createWorkflow(linearWorkflow(`rotation: ${s.label}`, [triggerNode(s.trigger, hook, {}, { [s.credentialType]: { id: credentialId, name: credentialName } })]));
			url = n8n.webhookUrl(hook);
			await n8n.waitForWebhook(url);
		});

		/** A new event signed with `secret`: its HTTP status. */
		const deliver = async (secret: string) => (await sendWebhook(s.service, url, s.event(++events), { secret })).status;
		const change = async (secret: string, previous?: string) =>
			await stack.n8n.updateCredential(credentialId, { name: credentialName, type: s.credentialType, data: s.data(secret, previous) });

		/** Deliveries signed with `secret`, one after another, until stopped: each one's send time and status. */
		function flow(secret: string) {
			const sent: Array<{ at: number; status: number }> = [];
			let running = true;
			const done = (async () => {
				while (running) {
					const at = Date.now();
					sent.push({ at, status: await deliver(secret) });
					await delay(50);
				}
			})();
			return {
				sent,
				async stop() {
					running = false;
					await done;
				},
			};
		}

		test('a new secret is accepted the first time; the removed one stops once the memory time has passed', async () => {
			const old = flow(SECRET_A);
			try {
				// The trigger has read the credential and remembers secret A.
				while (old.sent.filter((d) => d.status === 200).length < 3) await delay(50);
				await change(SECRET_B);
				const changedAt = Date.now();
				expect(await deliver(SECRET_B)).toBe(200);
				await delay(PAST_THE_BOUND_MS);
				const afterBound = old.sent.length;
				await delay(500);
				await old.stop();
				const late = old.sent.slice(afterBound).filter((d) => d.at >= changedAt + CREDENTIAL_MEMORY.maxAgeMs);
				expect(late.length).toBeGreaterThan(0);
				expect(late.map((d) => d.status)).toEqual(late.map(() => 401));
			} finally {
				await old.stop();
			}
			expect(await deliver(SECRET_B)).toBe(200);
			expect(await deliver(SECRET_A)).toBe(401);
		});

		test('Previous Secret: both secrets verify while rotating; the old one stops once cleared', async () => {
			await change(SECRET_B);
			await delay(PAST_THE_BOUND_MS);
			expect(await deliver(SECRET_B)).toBe(200);
			await change(SECRET_C, SECRET_B);
			expect(await deliver(SECRET_C)).toBe(200);
			expect(await deliver(SECRET_B)).toBe(200);
			await change(SECRET_C);
			await delay(PAST_THE_BOUND_MS);
			expect(await deliver(SECRET_B)).toBe(401);
			expect(await deliver(SECRET_C)).toBe(200);
		});

		test('under steady deliveries the next read runs in the background: a delivery in the last second of the memory time starts it and does not wait', async () => {
			await change(SECRET_C);
			await delay(PAST_THE_BOUND_MS);
			// Nothing remembered: this delivery waits for a read, which started before its answer.
			expect(await deliver(SECRET_C)).toBe(200);
			await change(SECRET_B);
			// The read is now at least refreshAfterMs old and still well within maxAgeMs.
			await delay(CREDENTIAL_MEMORY.refreshAfterMs + 100);
			const from = stack.n8n.log().length;
			// Served from memory (secret C, saved over less than maxAgeMs ago, still verifies)...
			expect(await deliver(SECRET_C)).toBe(200);
			// ...and, with no delivery after it, the credential is read: the read that delivery started
			// without waiting for it (before, nothing was read until a delivery found the memory expired).
			let reads = 0;
			for (let i = 0; i < 50 && reads === 0; i++) {
				await delay(100);
				reads = credentialRowReads(stack.n8n.log().slice(from), credentialId);
			}
			expect(reads).toBeGreaterThan(0);
			// n8n logs the SELECT before it decrypts the row and resolves the credential (an isolate
			// with the default engine): give the read time to finish, still well within maxAgeMs of
			// the read before, which would otherwise keep serving the old secret.
			await delay(300);
			// What it read serves the next deliveries: the new secret, not the old one.
			expect(await deliver(SECRET_C)).toBe(401);
			expect(await deliver(SECRET_B)).toBe(200);
			// That refusal spent the trigger's re-read budget; the next test starts with it back.
			await delay(CREDENTIAL_MEMORY.rereadIntervalMs);
		});

		test('forged deliveries read the credential about once a second, not once each', async () => {
			await change(SECRET_C);
			expect(await deliver(SECRET_C)).toBe(200);
			const from = stack.n8n.log().length;
			const started = Date.now();
			const statuses: number[] = [];
			for (let i = 0; i < 40; i++) statuses.push(await deliver('forged-secret-not-the-one-0123456789abcdef'));
			const seconds = (Date.now() - started) / 1000;
			await delay(500);
			expect(statuses).toEqual(statuses.map(() => 401));
			const reads = credentialReads(stack.n8n.log().slice(from), credentialId);
			expect(reads).toBeLessThan(statuses.length);
			// At most one read per re-read interval for the failures plus one per renewal of the memory,
			// which starts once a read is refreshAfterMs old (each rounded up, and one at the start):
			// reads ≤ ⌈t/interval⌉ + ⌈t/refreshAfter⌉ + 1.
			const readsPerMs = 1 / CREDENTIAL_MEMORY.rereadIntervalMs + 1 / CREDENTIAL_MEMORY.refreshAfterMs;
			// A lower bound on the time those reads needed; a slow machine only widens it.
			expect(seconds * 1000).toBeGreaterThanOrEqual((reads - 3) / readsPerMs);
			// The count is real: the reads before (the genuine deliveries) are in the same log.
			expect(credentialReads(stack.n8n.log().slice(0, from), credentialId)).toBeGreaterThan(0);
		});

		test('a deleted credential stops deliveries once the memory time has passed', async () => {
			await change(SECRET_C);
			expect(await deliver(SECRET_C)).toBe(200);
			await stack.n8n.deleteCredential(credentialId);
			await delay(PAST_THE_BOUND_MS);
			expect(await deliver(SECRET_C)).toBe(401);
		});

		test('no secret reaches n8n\'s log', () => {
			const log = stack.n8n.log();
			for (const secret of [SECRET_A, SECRET_B, SECRET_C]) expect(log).not.toContain(secret);
		});
	});
});
