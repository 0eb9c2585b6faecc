/**
 * The download path in every binary data mode n8n offers here: `default` (kept with the
 * execution), `database` (the queue-mode default in 2.x) and `filesystem` (the other suites).
 * The bytes are read back through n8n's own binary-data endpoint, never from the `data` field.
 */
import { versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, PACKAGE, triggerNode } from '../harness/workflows';
import { pdfSpecSha256, sendWebhook } from '../providers';
import { errorOf, itemsOf, nextExecution, sha256, useStack } from './support';

const SECRET = 'binary-modes-secret-000111222333444555666777888999aaa';

describe.each(versionsUnderTest().flatMap((version) => ['default', 'database'].map((mode) => [version, mode] as const)))(
	'download on n8n %s in %s binary data mode',
	(version, mode) => {
		const stack = useStack(version, { n8n: { env: { N8N_DEFAULT_BINARY_DATA_MODE: mode } }, fake: { publicHost: 'localhost' } });

		test('trigger → download stores the byte-identical PDF', async () => {
			const { n8n, fake } = stack;
			const credentialId = await n8n.createCredential({
				name: 'PDF Gorilla',
				type: 'pdfGorillaApi',
				data: { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: SECRET, baseUrl: `${fake.origin}/pdfgorilla/api/v1` },
			});
			const credentials = { pdfGorillaApi: { id: credentialId, name: 'PDF Gorilla' } };
			const hook = newWebhookId();
			const workflowId = await n8n.createWorkflow(
				linearWorkflow(`binary mode ${mode}`, [
					triggerNode('pdfGorillaTrigger', hook, {}, credentials),
					{
						name: 'Download',
						type: `${PACKAGE}.pdfGorilla`,
						typeVersion: 1,
						parameters: {
							resource: 'job',
							operation: 'download',
							downloadOptions: { allowPrivateNetwork: true, additionalAllowedHosts: `localhost:${fake.port}` },
						},
						credentials,
					},
				]),
			);
			const url = n8n.webhookUrl(hook);
			await n8n.waitForWebhook(url);
			const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 2_000_000 } });
			expect((await sendWebhook('pdfgorilla', url, fake.pdfgorilla.webhookPayload(job.jobId), { secret: SECRET })).status).toBe(200);
			const execution = await nextExecution(n8n, workflowId, 0);
			expect(errorOf(execution)).toBeUndefined();
			const binary = itemsOf(execution, 'Download')[0].binary!.data as { id?: string; fileName: string; mimeType: string };
			expect(binary).toMatchObject({ fileName: `${job.jobId}.pdf`, mimeType: 'application/pdf' });
			expect(sha256(await n8n.binaryBytes(binary))).toBe(await pdfSpecSha256(job.pdf));
		});
	},
);
