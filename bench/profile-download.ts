/**
 * Where the n8n process spends a large download's CPU time: the download benchmark with
 * n8n under `--cpu-prof`, summarised per MB over the download's own window.
 *
 *   BENCH_SIZES_MB=500 npx tsx bench/profile-download.ts
 *   BENCH_CONCURRENT=8 BENCH_SIZES_MB=200 npx tsx bench/profile-download.ts   (concurrent, ours and the HTTP Request node)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { benchConcurrentDownloads, benchDownloads } from './download';
import { BENCH_N8N_VERSION } from './lib';
import { readMainProfile, summarise } from './profile-webhook';

const sizes = (process.env.BENCH_SIZES_MB ?? '500').split(',').map(Number);
const dir = mkdtempSync(join(tmpdir(), 'bench-download-prof-'));
const windows: Array<[number, [number, number]]> = [];
const concurrent = Number(process.env.BENCH_CONCURRENT ?? 0);

/** BENCH_CONCURRENT=8 BENCH_SIZES_MB=200: one batch per side, ours and the HTTP Request node, per MB of the batch. */
async function profileConcurrent(): Promise<void> {
	const sideWindows: Array<['ours' | 'control', [number, number]]> = [];
	const { rows } = await benchConcurrentDownloads(process.env.BENCH_N8N_VERSION ?? BENCH_N8N_VERSION, {
		count: concurrent,
		sizeMb: sizes[0],
		rounds: 1,
		env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir} --cpu-prof-interval=500` },
		onWindow: (side, window) => sideWindows.push([side, window]),
	});
	for (const r of rows) process.stdout.write(`${r.benchmark}: ours ${r.ours}, baseline ${r.baseline}, ratio ${r.ratio.toFixed(2)}\n`);
	const { file, profile } = readMainProfile(dir);
	for (const [side, window] of sideWindows) {
		process.stdout.write(`\n=== ${concurrent} × ${sizes[0]} MB, ${side === 'ours' ? 'ours' : 'HTTP Request node'} (${file}), wall ${((window[1] - window[0]) / 1000).toFixed(0)} ms\n`);
		process.stdout.write(`${summarise(profile, window, concurrent * sizes[0], 'MB', 30)}\n`);
	}
}

if (concurrent > 1) {
	profileConcurrent().catch((e: unknown) => {
		process.stderr.write(`${String(e)}\n`);
		process.exit(1);
	});
} else benchDownloads(process.env.BENCH_N8N_VERSION ?? BENCH_N8N_VERSION, sizes, {
	env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir} --cpu-prof-interval=500` },
	onWindow: (sizeMb, window) => windows.push([sizeMb, window]),
})
	.then(({ rows }) => {
		for (const r of rows) process.stdout.write(`${r.benchmark}: ours ${r.ours}, baseline ${r.baseline}, ratio ${r.ratio.toFixed(2)}\n`);
		const { file, profile } = readMainProfile(dir);
		for (const [sizeMb, window] of windows) {
			process.stdout.write(`\n=== ${sizeMb} MB download (${file}), wall ${((window[1] - window[0]) / 1000).toFixed(0)} ms\n`);
			process.stdout.write(`${summarise(profile, window, sizeMb, 'MB', 30)}\n`);
		}
	})
	.catch((e: unknown) => {
		process.stderr.write(`${String(e)}\n`);
		process.exit(1);
	});
