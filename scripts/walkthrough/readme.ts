/** What the README's Quick start asks a user to enter. */
import { randomBytes } from 'node:crypto';

/** What `openssl rand -hex 32` gives, as the README asks. */
export const WEBHOOK_SECRET = randomBytes(32).toString('hex');
export const FROM = 'PDF robot <pdf-robot@example.com>';
export const TO = 'accounts@example.com';
export const ALERT_TO = 'ops@example.com';
export const PDF_MAIL = { to: TO, subject: 'Your PDF {{ $json.jobId }}', text: 'Hello,\n\nyour PDF is attached.\n\nJob {{ $json.jobId }}', attachments: 'data' };
export const ALERT_MAIL = { to: ALERT_TO, subject: 'PDF render failed: {{ $json.errorCode }}', text: '{{ $json.errorMessage }}' };
export const RENDER_ERROR = { code: 'TEMPLATE_ERROR', message: 'Unknown variable customer.name in template tmpl_invoice.' };
/** The UI waits for n8n on a busy 2-core machine: generous, never short. */
export const UI_TIMEOUT = 60_000;
