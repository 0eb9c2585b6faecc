/**
 * The download path in every binary data mode n8n offers here: `default` (kept with the
 * execution), `database` (the queue-mode default in 2.x) and `filesystem` (the other suites).
 * The bytes are read back through n8n's own binary-data endpoint, never from the `data` field.
 *
 * These instances also run with Allow Private Network off, the default users get: n8n 2.x's
 * egress filter decides there (the admin allowed loopback with N8N_SSRF_ALLOWED_IP_RANGES, as
 * one would allow a LAN), while n8n 1.x has no filter and the node's own check of the address
 * it connected to refuses loopback.
 */
import { isV1, versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, PACKAGE, triggerNode } from '../harness/workflows';
import { pdfSpecSha256, sendWebhook } from '../providers';
import { errorOf, itemsOf, nextExecution, sha256, useStack } from './support';

const SECRET = 'binary-modes-secret-000111222333444555666777888999aaa';

describe.each(versionsUnderTest().flatMap((version) => ['default', 'database'].map((mode) => [version, mode] as const)))(
	'download on n8n %s in %s binary data mode',
	(version, mode) => {
		const stack = useStack(version, {
			n8n: { env: { N8N_DEFAULT_BINARY_DATA_MODE: mode, N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.1/32,::1/128' } },
			fake: { publicHost: 'localhost' },
		});

		/** PDF Gorilla Trigger → Download with the given download options; deliver() sends one completed job. */
		async function downloadFlow(name: string, downloadOptions: Record<string, unknown>) {
			const { n8n, fake } = stack;
			const credentialId = await n8n.createCredential({
				name: 'PDF Gorilla',
				type: 'pdfGorillaApi',
				data: { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: SECRET, baseUrl: `${fake.origin}/pdfgorilla/api/v1` },
			});
			const credentials = { pdfGorillaApi: { id: credentialId, name: 'PDF Gorilla' } };
			const hook = newWebhookId();
			const workflowId = await n8n.createWorkflow(
				linearWorkflow(name, [
					triggerNode('pdfGorillaTrigger', hook, {}, credentials),
					{
						name: 'Download',
						type: `${PACKAGE}.pdfGorilla`,
						typeVersion: 1,
						parameters: {
							resource: 'job',
							operation: 'download',
							downloadOptions,
						},
						credentials,
					},
				]),
			);
			const url = n8n.webhookUrl(hook);
			await n8n.waitForWebhook(url);
			const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 2_000_000 } });
			expect((await sendWebhook('pdfgorilla', url, fake.pdfgorilla.webhookPayload(job.jobId), { secret: SECRET })).status).toBe(200);
			return { job, execution: await nextExecution(n8n, workflowId, 0) };
		}

		async function expectDownloaded({ job, execution }: Awaited<ReturnType<typeof downloadFlow>>) {
			expect(errorOf(execution)).toBeUndefined();
			const binary = itemsOf(execution, 'Download')[0].binary!.data as { id?: string; fileName: string; mimeType: string };
			expect(binary).toMatchObject({ fileName: `${job.jobId}.pdf`, mimeType: 'application/pdf' });
			expect(sha256(await stack.n8n.binaryBytes(binary))).toBe(await pdfSpecSha256(job.pdf));
		}

		test('trigger → download stores the byte-identical PDF', async () => {
			await expectDownloaded(await downloadFlow(`binary mode ${mode}`, { allowPrivateNetwork: true, additionalAllowedHosts: `localhost:${stack.fake.port}` }));
		});

		test(`Allow Private Network off: ${isV1(version) ? "the node's address check refuses loopback" : "n8n's egress filter lets the admin-allowed range through"}`, async () => {
			const result = await downloadFlow(`egress ${mode}`, { additionalAllowedHosts: `localhost:${stack.fake.port}` });
			if (isV1(version)) {
				expect(result.execution.status).toBe('error');
				expect(errorOf(result.execution)).toMatch(/^PDF Gorilla: The download host resolved to (127\.0\.0\.1|::1), .*Allow Private Network/);
			} else {
				await expectDownloaded(result);
			}
		});
	},
);
