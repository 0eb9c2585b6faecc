/** Real signed PDF Gorilla deliveries to the Production URL, and the emails they cause. */
import { httpRequest, sendWebhook } from '../../../test/providers';
import { check, log, step } from '../log';
import { mailTo, sha256, waitForWebhook } from '../mail';
import { ALERT_TO, RENDER_ERROR, TO, WEBHOOK_SECRET } from '../readme';
import type { Walk } from '../walk';

export async function deliverAndReadMail({ fake, smtp, ca, output }: Walk, productionUrl: string): Promise<void> {
	await step('Deliveries: a completed and a failed render, signed, to the Production URL', async () => {
		await waitForWebhook(productionUrl);
		const job = fake.pdfgorilla.createJob({ outcome: { status: 'completed', sizeBytes: 150_000 } });
		const sent = await sendWebhook('pdfgorilla', productionUrl, fake.pdfgorilla.webhookPayload(job.jobId), { secret: WEBHOOK_SECRET });
		check(sent.status === 200, `the completed delivery got ${sent.status} ${sent.text}`);
		const mail = await mailTo(smtp, TO, `Your PDF ${job.jobId}`, output);
		check(mail.parsed.attachments.length === 1, `the PDF email has ${mail.parsed.attachments.length} attachments`);
		const [attachment] = mail.parsed.attachments;
		const original = await httpRequest(fake.pdfgorilla.freshDownloadUrl(job.jobId), { ca: ca.caPem });
		check(original.status === 200, `reading the job's PDF from the fake failed: ${original.status}`);
		check(sha256(attachment.content) === sha256(original.body), `the attachment (${attachment.size} bytes) is not the job's PDF (${original.body.length} bytes)`);
		check(/\.pdf$/.test(attachment.filename ?? ''), `the attachment is named ${attachment.filename}`);
		check(attachment.contentType === 'application/pdf', `the attachment is ${attachment.contentType}`);
		log(`  PDF email: "${mail.parsed.subject}", ${attachment.filename}, ${attachment.contentType}, ${attachment.size} bytes, sha256 matches`);

		const failed = fake.pdfgorilla.createJob({ outcome: { status: 'failed', error: RENDER_ERROR } });
		const sentFailed = await sendWebhook('pdfgorilla', productionUrl, fake.pdfgorilla.webhookPayload(failed.jobId), { secret: WEBHOOK_SECRET });
		check(sentFailed.status === 200, `the failed delivery got ${sentFailed.status} ${sentFailed.text}`);
		const alertMail = await mailTo(smtp, ALERT_TO, `PDF render failed: ${RENDER_ERROR.code}`, output);
		check(alertMail.parsed.attachments.length === 0, 'the alert has an attachment');
		check((alertMail.parsed.text ?? '').includes(RENDER_ERROR.message), `the alert's text is ${JSON.stringify(alertMail.parsed.text)}`);
		log(`  alert email: "${alertMail.parsed.subject}"`);
	});
}
