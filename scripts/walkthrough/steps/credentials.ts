/** README step 1: the PDF Gorilla API and SMTP credentials, each saved (and so tested) in the editor. */
import { createCredential } from '../editor';
import { step } from '../log';
import { WEBHOOK_SECRET } from '../readme';
import type { Walk } from '../walk';

export async function createCredentials({ p, fake, smtp }: Walk): Promise<void> {
	await step('README 1: PDF Gorilla API credential', async () => {
		await createCredential(p, 'PDF Gorilla API', {
			apiKey: fake.credentials.pdfgorilla.apiKey,
			webhookSecret: WEBHOOK_SECRET,
			// The only deviation from a real setup: the API is the fake on loopback, not pdfgorilla.io.
			baseUrl: `${fake.origin.replace('127.0.0.1', 'localhost')}/pdfgorilla/api/v1`,
		});
	});

	await step('README 1: SMTP credential', async () => {
		const data = smtp.credentialData() as { user: string; password: string; host: string; port: number };
		await createCredential(
			p,
			'SMTP',
			{ user: data.user, password: data.password, host: data.host, port: String(data.port) },
			// The sink speaks plain SMTP; SSL/TLS must be off before Disable STARTTLS appears.
			{ secure: false, disableStartTls: true },
		);
	});
}
