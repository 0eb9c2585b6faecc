import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCa {
	/** PEM file of the throwaway CA: give it to n8n as NODE_EXTRA_CA_CERTS, or to a client as `ca`. */
	caCertPath: string;
	/** Server certificate (PEM) signed by the CA; SAN = IP:127.0.0.1, IP:::1, DNS:localhost. */
	certPath: string;
	/** Unencrypted server private key (PEM). */
	keyPath: string;
	caPem: string;
	certPem: string;
	keyPem: string;
}

const FILES = {
	caCert: 'ca.pem',
	caKey: 'ca-key.pem',
	cert: 'server.pem',
	key: 'server-key.pem',
	done: 'COMPLETE',
} as const;

const inProcess = new Map<string, Promise<TestCa>>();

/**
 * Creates (once per directory) a throwaway CA and a server certificate for the loopback names,
 * using the `openssl` CLI. Reuses the files when `dir` already holds a complete set. Safe against
 * concurrent callers in other processes (jest workers): a lock directory serialises generation.
 */
export function createTestCa(dir: string): Promise<TestCa> {
	const abs = resolve(dir);
	let pending = inProcess.get(abs);
	if (!pending) {
		pending = ensureCa(abs);
		pending.catch(() => inProcess.delete(abs));
		inProcess.set(abs, pending);
	}
	return pending;
}

async function ensureCa(dir: string): Promise<TestCa> {
	await mkdir(dir, { recursive: true });
	if (!existsSync(join(dir, FILES.done))) {
		const lock = join(dir, '.lock');
		const deadline = Date.now() + 120_000;
		for (;;) {
			try {
				await mkdir(lock);
				break;
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
				if (existsSync(join(dir, FILES.done))) return readCa(dir);
				const age = Date.now() - (await stat(lock).then((s) => s.mtimeMs).catch(() => Date.now()));
				if (age > 60_000) await rm(lock, { recursive: true, force: true });
				if (Date.now() > deadline) throw new Error(`createTestCa: timed out waiting for ${lock}`);
				await new Promise((r) => setTimeout(r, 100));
			}
		}
		try {
			if (!existsSync(join(dir, FILES.done))) await generate(dir);
		} finally {
			await rm(lock, { recursive: true, force: true });
		}
	}
	return readCa(dir);
}

async function readCa(dir: string): Promise<TestCa> {
	const caCertPath = join(dir, FILES.caCert);
	const certPath = join(dir, FILES.cert);
	const keyPath = join(dir, FILES.key);
	const [caPem, certPem, keyPem] = await Promise.all([caCertPath, certPath, keyPath].map((p) => readFile(p, 'utf8')));
	return { caCertPath, certPath, keyPath, caPem, certPem, keyPem };
}

async function openssl(dir: string, args: string[]): Promise<void> {
	try {
		await run('openssl', args, { cwd: dir });
	} catch (error) {
		const e = error as NodeJS.ErrnoException & { stderr?: string };
		if (e.code === 'ENOENT') {
			throw new Error('createTestCa needs the openssl CLI (apt-get install -y openssl)');
		}
		throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
	}
}

async function generate(dir: string): Promise<void> {
	for (const f of Object.values(FILES)) await rm(join(dir, f), { force: true });
	const caExt = join(dir, 'ca-ext.cnf');
	const serverExt = join(dir, 'server-ext.cnf');
	await writeFile(
		caExt,
		[
			'[req]',
			'distinguished_name = dn',
			'x509_extensions = v3_ca',
			'prompt = no',
			'[dn]',
			'CN = n8n-nodes-pdf-webhooks throwaway test CA',
			'[v3_ca]',
			'basicConstraints = critical, CA:TRUE, pathlen:0',
			'keyUsage = critical, keyCertSign, cRLSign',
			'subjectKeyIdentifier = hash',
			'',
		].join('\n'),
	);
	await writeFile(
		serverExt,
		[
			'basicConstraints = critical, CA:FALSE',
			'keyUsage = critical, digitalSignature, keyEncipherment',
			'extendedKeyUsage = serverAuth',
			'subjectAltName = IP:127.0.0.1, IP:::1, DNS:localhost',
			'subjectKeyIdentifier = hash',
			'authorityKeyIdentifier = keyid, issuer',
			'',
		].join('\n'),
	);
	await openssl(dir, [
		'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
		'-keyout', FILES.caKey, '-out', FILES.caCert, '-config', caExt,
	]);
	await openssl(dir, [
		'req', '-newkey', 'rsa:2048', '-nodes', '-sha256',
		'-keyout', FILES.key, '-out', 'server.csr', '-subj', '/CN=localhost',
	]);
	await openssl(dir, [
		'x509', '-req', '-in', 'server.csr', '-CA', FILES.caCert, '-CAkey', FILES.caKey, '-CAcreateserial',
		'-sha256', '-days', '825', '-out', FILES.cert, '-extfile', serverExt,
	]);
	await writeFile(join(dir, FILES.done), new Date().toISOString() + '\n');
}
