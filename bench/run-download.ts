import { benchConcurrentDownloads, benchDownloads } from './download';
import { BENCH_N8N_VERSION } from './lib';

// BENCH_CONCURRENT=8 BENCH_SIZES_MB=200: that many downloads of the (first) size at once.
const sizes = (process.env.BENCH_SIZES_MB ?? '10,500').split(',').map(Number);
const version = process.env.BENCH_N8N_VERSION ?? BENCH_N8N_VERSION;
const concurrent = Number(process.env.BENCH_CONCURRENT ?? 0);
const run = concurrent > 1
	? benchConcurrentDownloads(version, { count: concurrent, sizeMb: sizes[0], rounds: Number(process.env.BENCH_DOWNLOAD_ROUNDS ?? 2) })
	: benchDownloads(version, sizes);
run
	.then(({ rows }) => {
		for (const r of rows) process.stdout.write(`${r.benchmark}: ours ${r.ours}, baseline ${r.baseline}, ratio ${r.ratio.toFixed(2)} (goal ${r.goal})\n`);
	})
	.catch((e: unknown) => {
		process.stderr.write(`${String(e)}\n`);
		process.exit(1);
	});
