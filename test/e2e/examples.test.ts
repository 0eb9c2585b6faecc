/**
 * The example workflows in examples/, imported as users import them, with only credentials
 * selected (and, because the fake services live on loopback, Allow Private Network). Each
 * runs in real n8n against the fake services and a real SMTP server; the test reads the
 * received messages: recipient, subject, attachment bytes, file name and MIME type, and the
 * alert for failed renders.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { EXAMPLES_DIR, needsExternalStore, prepareExample } from '../harness/examples';
import { SmtpSink, type ReceivedMail } from '../harness/smtp';
import { repoRoot, versionsUnderTest } from '../harness/versions';
import { createTestCa, httpRequest, sendWebhook, type ServiceName } from '../providers';
import { sha256, useStack } from './support';

const SECRETS = { pdfGorilla: 'examples-pdfgorilla-secret-0123456789abcdef0123', docflo: 'examples-docflo-secret', pdfSign: 'whsec_examples_pdfsign' };

describe.each(versionsUnderTest())('example workflows on n8n %s', (version) => {
	const stack = useStack(version, { fake: { publicHost: 'localhost' } });
	let smtp: SmtpSink;
	let caPem: string;
	const hooks: Record<string, string> = {};

	beforeAll(async () => {
		const { n8n, fake } = stack;
		caPem = (await createTestCa(join(repoRoot, '.cache', 'test-ca'))).caPem;
		smtp = await SmtpSink.start();
		const api = (service: string) => `${fake.origin}${new URL(fake.baseUrl(service as ServiceName)).pathname}`;
		const created: Record<string, { id: string; name: string }> = {};
		const credential = async (type: string, data: Record<string, unknown>) => {
			Object.assign(created, await n8n.createNodeCredential({ name: `${type} (examples)`, type, data }));
		};
		await credential('smtp', smtp.credentialData());
		await credential('pdfGorillaApi', { apiKey: fake.credentials.pdfgorilla.apiKey, webhookSecret: SECRETS.pdfGorilla, baseUrl: api('pdfgorilla') });
		await credential('reportFlowApi', { environment: 'custom', baseUrl: api('reportflow'), apiKey: fake.credentials.reportflow.appKey });
		await credential('docGenLabApi', { apiKey: fake.credentials.docgenlab.apiKey, baseUrl: api('docgenlab') });
		await credential('pdfSignApi', { apiKey: fake.credentials.pdfsign.apiKey, baseUrl: api('pdfsign') });
		await credential('pdfSignWebhookApi', { webhookSecret: SECRETS.pdfSign });
		await credential('docfloWebhookApi', { signingSecret: SECRETS.docflo, incomingAuthentication: 'none' });

		for (const file of readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json') && !needsExternalStore(f))) {
			const { workflow: example, webhookPath } = prepareExample(file, { version, credentials: created, fakeHost: `localhost:${fake.port}` });
			hooks[file] = `${n8n.baseUrl}/webhook/${webhookPath}`;
			await n8n.createWorkflow(example);
			await n8n.waitForWebhook(hooks[file]);
		}
	});

	afterAll(async () => {
		await smtp?.close();
	});

	/** Waits for the next message to `to` with a subject matching `subject`. */
	async function mailTo(to: string, subject: RegExp): Promise<ReceivedMail> {
		const deadline = Date.now() + 60_000;
		for (;;) {
			const found = smtp.messages.find((m) => m.to.includes(to) && subject.test(m.parsed.subject ?? ''));
			if (found) return found;
			if (Date.now() > deadline) {
				throw new Error(`no mail to ${to} matching ${subject}; received: ${smtp.messages.map((m) => `${m.to} "${m.parsed.subject}"`).join('; ')}\n${stack.n8n.logTail(40)}`);
			}
			await new Promise((r) => setTimeout(r, 200));
		}
	}

	async function fakeFile(url: string, headers: Record<string, string> = {}): Promise<Buffer> {
		const res = await httpRequest(url, { ca: caPem, headers });
		expect(res.status).toBe(200);
		return res.body;
	}

	function expectPdfAttachment(mail: ReceivedMail, fileName: string, bytes: Buffer) {
		expect(mail.parsed.attachments).toHaveLength(1);
		const [attachment] = mail.parsed.attachments;
		expect(attachment.filename).toBe(fileName);
		expect(attachment.contentType).toBe('application/pdf');
		expect(sha256(attachment.content)).toBe(sha256(bytes));
	}

	test('PDF Gorilla: the rendered PDF is emailed; a failed render sends an alert', async () => {
		const { fake } = stack;
		const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 120_000 } });
		const send = (payload: unknown) => sendWebhook('pdfgorilla', hooks['pdfgorilla-email-pdf.json'], payload, { secret: SECRETS.pdfGorilla });
		expect((await send(fake.pdfgorilla.webhookPayload(job.jobId))).status).toBe(200);
		const mail = await mailTo('accounts@example.com', new RegExp(`Your PDF is ready \\(${job.jobId}\\)`));
		expectPdfAttachment(mail, `${job.jobId}.pdf`, await fakeFile(fake.pdfgorilla.freshDownloadUrl(job.jobId)));

		expect((await send(fake.examplePayloads.pdfgorilla.failed({ jobId: 'job-examples-failed' }))).status).toBe(200);
		const alert = await mailTo('ops@example.com', /PDF Gorilla render failed: RENDER_TIMEOUT/);
		expect(alert.parsed.attachments).toHaveLength(0);
		expect(alert.parsed.text).toContain('PDF rendering timed out.');
	});

	test('PDF Gorilla Generate and Wait: the order\'s invoice is emailed to its customer, without a trigger workflow', async () => {
		const { fake, n8n } = stack;
		const res = await n8n.postWebhook(hooks['pdfgorilla-generate-wait-email.json'], JSON.stringify({ orderId: 'ORD-77', customer: 'Kim Buyer', email: 'kim@example.org' }), {
			'content-type': 'application/json',
		});
		expect(res.status).toBe(200);
		const mail = await mailTo('kim@example.org', /Your invoice for order ORD-77/);
		expect(mail.parsed.text).toContain('Hello Kim Buyer');
		const jobId = /Job (\S+)/.exec(mail.parsed.text ?? '')![1];
		const job = fake.pdfgorilla.jobs.get(jobId)!;
		expect(job.data).toEqual({ orderId: 'ORD-77', customer: 'Kim Buyer' });
		expectPdfAttachment(mail, `${jobId}.pdf`, await fakeFile(fake.pdfgorilla.freshDownloadUrl(jobId)));
	});

	test('ReportFlow: each file goes to the address in its params; a missing file sends an alert', async () => {
		const { fake } = stack;
		const payload = fake.examplePayloads.reportflow.fileCompleted(
			{ files: [{ fileId: 'file_ex_1', uuid: 'req_ex_1', fileName: 'invoice-0001.pdf', params: { email: 'anna@example.org', companyName: 'Anna GmbH' } }] },
			{ sizeBytes: 90_000 },
		);
		expect((await sendWebhook('reportflow', hooks['reportflow-email-pdf.json'], payload)).status).toBe(200);
		const mail = await mailTo('anna@example.org', /Your document invoice-0001\.pdf/);
		expect(mail.parsed.text).toContain('Hello Anna GmbH');
		const original = await fakeFile(`${fake.origin}/reportflow/v1/file/download/req_ex_1/file_ex_1`, { appkey: fake.credentials.reportflow.appKey });
		expectPdfAttachment(mail, 'invoice-0001.pdf', original);

		const ghost = { ...payload, timestamp: new Date().toISOString(), files: [{ fileId: 'file_missing', uuid: 'req_missing', fileName: 'ghost.pdf', params: { email: 'x@example.org' } }] };
		expect((await sendWebhook('reportflow', hooks['reportflow-email-pdf.json'], ghost)).status).toBe(200);
		const alert = await mailTo('ops@example.com', /ReportFlow file could not be fetched: ghost\.pdf/);
		expect(alert.parsed.text).toMatch(/ReportFlow answered HTTP 404/);
	});

	test('DocGenLab: the document is emailed; a failed one sends an alert', async () => {
		const { fake } = stack;
		const completed = fake.examplePayloads.docgenlab.generated({ job_id: 'dgl-ex-1' }, { sizeBytes: 70_000 });
		expect((await sendWebhook('docgenlab', hooks['docgenlab-email-pdf.json'], completed)).status).toBe(200);
		const mail = await mailTo('documents@example.com', /Document dgl-ex-1 is ready/);
		expect(mail.parsed.attachments[0].contentType).toBe('application/pdf');
		expect(sha256(mail.parsed.attachments[0].content)).toBe(sha256(await fakeFile(completed.download_url!)));

		expect((await sendWebhook('docgenlab', hooks['docgenlab-email-pdf.json'], fake.examplePayloads.docgenlab.failed({ job_id: 'dgl-ex-2' }))).status).toBe(200);
		await mailTo('ops@example.com', /DocGenLab document dgl-ex-2 failed/);
	});

	test('PDF-Sign: the PDF goes to the client named in the variables; a failure sends an alert', async () => {
		const { fake } = stack;
		const generated = fake.examplePayloads.pdfsign.generated(
			{ data: { storage_path: 'user-id/tmpl/ex-1.pdf', variables: { clientName: 'Jo Client', invoiceNumber: 'INV-77', amount: '99.00', email: 'jo@example.net' } } },
			{ sizeBytes: 60_000 },
		);
		const send = (payload: unknown) => sendWebhook('pdfsign', hooks['pdfsign-email-pdf.json'], payload, { secret: SECRETS.pdfSign });
		expect((await send(generated)).status).toBe(200);
		const mail = await mailTo('jo@example.net', /Invoice INV-77 for Jo Client/);
		expectPdfAttachment(mail, 'ex-1.pdf', await fakeFile(generated.data.pdf_url as string));

		expect((await send(fake.examplePayloads.pdfsign.failed())).status).toBe(200);
		await mailTo('ops@example.com', /PDF-Sign failed: RENDER_FAILED/);
	});

	test('Docflo: a processed document\'s fields arrive as CSV; a rejection sends an alert', async () => {
		const { fake } = stack;
		const processed = fake.examplePayloads.docflo.event('document.processed', { doc: { _id: 'doc-ex-1' }, timestamp: new Date().toISOString() });
		const send = (payload: unknown) => sendWebhook('docflo', hooks['docflo-email-fields.json'], payload, { secret: SECRETS.docflo });
		expect((await send(processed)).status).toBe(200);
		const mail = await mailTo('bookkeeping@example.com', /invoice doc-ex-1 processed/);
		const [csv] = mail.parsed.attachments;
		expect(csv.filename).toBe('doc-ex-1.csv');
		expect(csv.contentType).toMatch(/text\/csv/);
		expect(csv.content.toString('utf8')).toContain('INV-2025-001');

		expect((await send(fake.examplePayloads.docflo.event('document.rejected', { doc: { _id: 'doc-ex-2' } }))).status).toBe(200);
		await mailTo('ops@example.com', /Docflo rejected invoice doc-ex-2/);
	});
});
