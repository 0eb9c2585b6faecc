import { createHash } from 'node:crypto';

import { openRequest } from '../../providers/http-client';
import { pdfSha256 } from '../../providers/pdf';
import type { FakeProviders } from '../../providers/server';
import type { TestCa } from '../../providers/tls';
import { startFake } from './helpers';

/** Set FAKE_PROVIDERS_LARGE_MB=500 to try the full 500 MB size; default keeps the unit run fast. */
const SIZE = Number(process.env.FAKE_PROVIDERS_LARGE_MB ?? 128) * 1024 * 1024;

let fake: FakeProviders;
let ca: TestCa;
beforeAll(async () => {
	({ fake, ca } = await startFake());
});
afterAll(() => fake.close());

test(`a ${SIZE / 1024 / 1024} MB PDF streams through HTTPS with the expected hash and bounded memory`, async () => {
	const payload = fake.examplePayloads.pdfgorilla.completed({ jobId: 'large-job' }, { sizeBytes: SIZE, title: 'Large' });
	const expected = await pdfSha256(SIZE, 'Large');
	const before = process.memoryUsage().rss;
	let peak = before;
	const res = await openRequest(payload.downloadUrl!, { ca: ca.caPem, timeoutMs: 120_000 });
	expect(res.headers['content-length']).toBe(String(SIZE));
	const hash = createHash('sha256');
	let n = 0;
	for await (const chunk of res) {
		hash.update(chunk as Buffer);
		n += (chunk as Buffer).length;
		if ((n & 0xffffff) < 65536) peak = Math.max(peak, process.memoryUsage().rss);
	}
	expect(n).toBe(SIZE);
	expect(hash.digest('hex')).toBe(expected);
	// Server and client share this process: neither may have buffered the file.
	expect(peak - before).toBeLessThan(Math.min(SIZE / 2, 150 * 1024 * 1024));
}, 120_000);
