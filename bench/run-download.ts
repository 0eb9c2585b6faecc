import { benchDownloads } from './download';

const sizes = (process.env.BENCH_SIZES_MB ?? '10,500').split(',').map(Number);
benchDownloads(process.env.BENCH_N8N_VERSION ?? '2.41.1', sizes)
	.then(({ rows }) => {
		for (const r of rows) process.stdout.write(`${r.benchmark}: ours ${r.ours}, baseline ${r.baseline}, ratio ${r.ratio.toFixed(2)} (goal ${r.goal})\n`);
	})
	.catch((e: unknown) => {
		process.stderr.write(`${String(e)}\n`);
		process.exit(1);
	});
