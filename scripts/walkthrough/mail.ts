/** Waiting for the published webhook and for the emails the workflow sends. */
import { createHash } from 'node:crypto';

import type { ReceivedMail, SmtpSink } from '../../test/harness/smtp';
import { httpRequest } from '../../test/providers';
import { sleep, tail } from './npmStart';

/** n8n 2.x registers production webhooks while publishing; a GET then says "not registered for GET". */
export async function waitForWebhook(url: string): Promise<void> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const res = await httpRequest(url, { method: 'GET', timeoutMs: 5000 }).catch(() => undefined);
		if (res && (res.status !== 404 || /not registered for GET/i.test(res.text))) return;
		if (Date.now() > deadline) throw new Error(`${url} is not registered (last answer: ${res?.status} ${res?.text.slice(0, 200)})`);
		await sleep(250);
	}
}

export async function mailTo(smtp: SmtpSink, to: string, subject: string, output: () => string): Promise<ReceivedMail> {
	const deadline = Date.now() + 90_000;
	for (;;) {
		const found = smtp.messages.find((m) => m.to.includes(to) && m.parsed.subject === subject);
		if (found) return found;
		if (Date.now() > deadline) {
			const got = smtp.messages.map((m) => `${m.to.join(',')} "${m.parsed.subject}"`).join('; ') || 'nothing';
			throw new Error(`no mail to ${to} with subject "${subject}" within 90 s; received: ${got}\n${tail(output(), 30)}`);
		}
		await sleep(250);
	}
}

export function sha256(data: Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}
