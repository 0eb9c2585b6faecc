/** A real SMTP server on loopback that keeps every message it receives, parsed. */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

import { delay } from './processes';

export interface ReceivedMail {
	parsed: ParsedMail;
	raw: Buffer;
	/** SMTP envelope recipients. */
	to: string[];
	from: string;
	receivedAt: number;
}

export class SmtpSink {
	readonly messages: ReceivedMail[] = [];

	private constructor(
		private readonly server: SMTPServer,
		readonly port: number,
	) {}

	static async start(): Promise<SmtpSink> {
		let sink: SmtpSink | undefined;
		const server = new SMTPServer({
			secure: false,
			disabledCommands: ['STARTTLS'],
			authOptional: true,
			// Any login is fine: the tests check the message, not the account.
			onAuth: (_auth, _session, callback) => callback(null, { user: 'test' }),
			size: 600 * 1024 * 1024,
			logger: false,
			onData: (stream, session, callback) => {
				const chunks: Buffer[] = [];
				stream.on('data', (c: Buffer) => chunks.push(c));
				stream.on('end', () => {
					const raw = Buffer.concat(chunks);
					simpleParser(raw)
						.then((parsed) => {
							sink!.messages.push({
								parsed,
								raw,
								to: session.envelope.rcptTo.map((r) => r.address),
								from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
								receivedAt: Date.now(),
							});
							callback();
						})
						.catch((error: Error) => callback(error));
				});
			},
		});
		const port = await new Promise<number>((resolve, reject) => {
			server.on('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const address = server.server.address();
				resolve(typeof address === 'object' && address ? address.port : 0);
			});
		});
		sink = new SmtpSink(server, port);
		return sink;
	}

	/** n8n `smtp` credential data pointing at this server. */
	credentialData(): Record<string, unknown> {
		return { user: 'n8n', password: 'smtp-test-password', host: '127.0.0.1', port: this.port, secure: false, disableStartTls: true };
	}

	async waitFor(count: number, timeoutMs = 60_000): Promise<ReceivedMail[]> {
		const deadline = Date.now() + timeoutMs;
		while (this.messages.length < count) {
			if (Date.now() > deadline) throw new Error(`expected ${count} emails, received ${this.messages.length}`);
			await delay(100);
		}
		return this.messages;
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
