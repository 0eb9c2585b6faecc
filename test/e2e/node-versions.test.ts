/**
 * Node versions in real n8n (issue 24): a workflow saved with version 1 of an action node keeps
 * its behaviour, and version 2, where "Skip Files Already Downloaded" is a parameter in view
 * instead of an option to add, behaves the same for the same choice. Each case delivers the same
 * signed PDF-Sign event twice (the trigger's own retry filter off, so both executions reach the
 * download) or posts the same file URL twice through n8n's Webhook node (items that carry no
 * deliveryKey), and counts the files downloaded. PDF Gorilla version 2 runs PDF → Download.
 */
import { versionsUnderTest } from '../harness/versions';
import { linearWorkflow, newWebhookId, triggerNode, PACKAGE, type NodeSpec } from '../harness/workflows';
import { sendWebhook } from '../providers';
import { errorOf, itemsOf, nextExecution, startedFlow, useStack } from './support';

const SECRET = 'whsec_pdfsign_versions_e2e_9f8e7d6c5b4a';
const GORILLA_SECRET = 'versions-e2e-pdfgorilla-secret-00112233445566778899';

describe.each(versionsUnderTest())('action node versions on n8n %s', (version) => {
	const stack = useStack(version);
	let webhookCredential: Record<string, { id: string; name: string }>;
	let gorillaCredential: Record<string, { id: string; name: string }>;
	let storagePathIndex = 0;

	beforeAll(async () => {
		const { n8n, fake } = stack;
		const credential = async (type: string, data: Record<string, unknown>) => await n8n.createNodeCredential({ name: `${type} (versions)`, type, data });
		webhookCredential = await credential('pdfSignWebhookApi', { webhookSecret: SECRET });
		gorillaCredential = await credential('pdfGorillaApi', { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: GORILLA_SECRET, baseUrl: `${fake.origin}/pdfgorilla/api/v1` });
	});

	const allowFake = () => ({ allowPrivateNetwork: true, additionalAllowedHosts: `127.0.0.1:${stack.fake.port}, localhost:${stack.fake.port}` });

	function downloadNode(typeVersion: number, parameters: Record<string, unknown>): NodeSpec {
		return { name: 'Download', type: `${PACKAGE}.pdfSign`, typeVersion, parameters: { resource: 'pdf', operation: 'download', ...parameters } };
	}

	/** Files the Download node output (items with the binary) in each of two executions of one event. */
	async function downloadsForOneEventTwice(node: NodeSpec): Promise<number[]> {
		const { n8n, fake } = stack;
		const hook = newWebhookId();
		const workflowId = await n8n.createWorkflow(linearWorkflow(`versions: event ${++storagePathIndex}`, [triggerNode('pdfSignTrigger', hook, { options: { deduplicate: false } }, webhookCredential), node]));
		await n8n.waitForWebhook(n8n.webhookUrl(hook));
		const payload = fake.examplePayloads.pdfsign.generated({ data: { storage_path: `user-id/template-id/versions-${++storagePathIndex}.pdf` } });
		const counts: number[] = [];
		for (let run = 0; run < 2; run++) {
			expect((await sendWebhook('pdfsign', n8n.webhookUrl(hook), payload, { secret: SECRET })).status).toBe(200);
			const execution = await nextExecution(n8n, workflowId, run);
			expect(errorOf(execution)).toBeUndefined();
			counts.push(itemsOf(execution, 'Download').filter((item) => item.binary).length);
		}
		return counts;
	}

	/** The same for a file URL posted twice to n8n's own Webhook node: items without a deliveryKey. */
	async function downloadsForOneUrlTwice(node: NodeSpec): Promise<number[]> {
		const { fake, n8n } = stack;
		const url = fake.examplePayloads.pdfsign.generated({ data: { storage_path: `user-id/template-id/versions-${++storagePathIndex}.pdf` } }).data.pdf_url as string;
		const flow = await startedFlow(n8n, `versions: URL ${storagePathIndex}`, [{ ...node, parameters: { ...node.parameters, downloadUrl: '={{ $json.body.url }}' } }]);
		const counts: number[] = [];
		for (let run = 0; run < 2; run++) {
			const execution = await flow.run({ url });
			expect(errorOf(execution)).toBeUndefined();
			counts.push(itemsOf(execution, 'Download').filter((item) => item.binary).length);
		}
		return counts;
	}

	test('a repeated trigger event: version 1 without the option and version 2 at its default both skip it', async () => {
		expect(await downloadsForOneEventTwice(downloadNode(1, { downloadOptions: allowFake() }))).toEqual([1, 0]);
		expect(await downloadsForOneEventTwice(downloadNode(2, { downloadOptions: allowFake() }))).toEqual([1, 0]);
	});

	test('turned off: version 1\'s option added and off, version 2\'s Never, both download it twice', async () => {
		expect(await downloadsForOneEventTwice(downloadNode(1, { downloadOptions: { ...allowFake(), skipAlreadyProcessed: false } }))).toEqual([1, 1]);
		expect(await downloadsForOneEventTwice(downloadNode(2, { skipRepeats: 'never', downloadOptions: allowFake() }))).toEqual([1, 1]);
	});

	test('items that are not trigger events: checked only with version 1\'s option on or version 2\'s For Every Item', async () => {
		expect(await downloadsForOneUrlTwice(downloadNode(1, { downloadOptions: allowFake() }))).toEqual([1, 1]);
		expect(await downloadsForOneUrlTwice(downloadNode(2, { downloadOptions: allowFake() }))).toEqual([1, 1]);
		expect(await downloadsForOneUrlTwice(downloadNode(1, { downloadOptions: { ...allowFake(), skipAlreadyProcessed: true } }))).toEqual([1, 0]);
		expect(await downloadsForOneUrlTwice(downloadNode(2, { skipRepeats: 'always', downloadOptions: allowFake() }))).toEqual([1, 0]);
	});

	test('PDF Gorilla version 2: PDF → Download downloads the job a trigger reports', async () => {
		const { fake, n8n } = stack;
		const hook = newWebhookId();
		const workflowId = await n8n.createWorkflow(
			linearWorkflow('versions: PDF Gorilla v2', [
				triggerNode('pdfGorillaTrigger', hook, {}, gorillaCredential),
				{ name: 'Download', type: `${PACKAGE}.pdfGorilla`, typeVersion: 2, parameters: { resource: 'pdf', operation: 'download', downloadOptions: allowFake() }, credentials: gorillaCredential },
			]),
		);
		await n8n.waitForWebhook(n8n.webhookUrl(hook));
		const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 50_000 } });
		expect((await sendWebhook('pdfgorilla', n8n.webhookUrl(hook), fake.pdfgorilla.webhookPayload(job.jobId), { secret: GORILLA_SECRET })).status).toBe(200);
		const execution = await nextExecution(n8n, workflowId, 0);
		expect(errorOf(execution)).toBeUndefined();
		const [item] = itemsOf(execution, 'Download');
		expect(item.json).toMatchObject({ jobId: job.jobId, download: { bytes: 50_000, mimeType: 'application/pdf' } });
	});
});
