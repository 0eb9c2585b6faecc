import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type ClientOptions, type ClientResponse, httpRequest } from '../../providers/http-client';
import { type FakeProviders, type FakeProvidersOptions, startFakeProviders } from '../../providers/server';
import { type TestCa, createTestCa } from '../../providers/tls';

/** Shared across test files and runs: createTestCa caches per directory. */
export const CA_DIR = join(tmpdir(), 'n8n-nodes-pdf-webhooks-test-ca');

export async function startFake(options: Omit<Partial<FakeProvidersOptions>, 'tls'> = {}): Promise<{ fake: FakeProviders; ca: TestCa }> {
	const ca = await createTestCa(CA_DIR);
	const fake = await startFakeProviders({ tls: { certPem: ca.certPem, keyPem: ca.keyPem, caPem: ca.caPem }, ...options });
	return { fake, ca };
}

/** Request against the fake, trusting the test CA. */
export function call(ca: TestCa, url: string, options: ClientOptions = {}): Promise<ClientResponse> {
	return httpRequest(url, { ca: ca.caPem, ...options });
}

export function postJson(ca: TestCa, url: string, body: unknown, headers: Record<string, string> = {}): Promise<ClientResponse> {
	return call(ca, url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}
