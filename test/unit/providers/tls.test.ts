import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';

import { createTestCa } from '../../providers/tls';

describe('createTestCa', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'fake-ca-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	test('creates a CA and a loopback server certificate signed by it, then reuses them', async () => {
		const [a, b] = await Promise.all([createTestCa(dir), createTestCa(dir)]);
		expect(a.certPem).toBe(b.certPem);
		const ca = new X509Certificate(a.caPem);
		const cert = new X509Certificate(a.certPem);
		expect(ca.ca).toBe(true);
		expect(cert.ca).toBe(false);
		expect(cert.verify(ca.publicKey)).toBe(true);
		expect(cert.checkIssued(ca)).toBe(true);
		expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
		expect(cert.subjectAltName).toContain('DNS:localhost');
		expect(cert.subjectAltName).toMatch(/IP Address:(0:0:0:0:0:0:0:1|::1)/);
		expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
		expect(cert.checkHost('localhost')).toBe('localhost');
		expect(cert.checkPrivateKey(createPrivateKey(a.keyPem))).toBe(true);

		const verify = spawnSync('openssl', ['verify', '-CAfile', a.caCertPath, a.certPath], { encoding: 'utf8' });
		expect(verify.stdout).toContain(': OK');

		const again = await createTestCa(dir + '/'); // same dir, other spelling
		expect(again.caPem).toBe(a.caPem);
	});
});
