/**
 * `npm run bench`: every benchmark, one after another (they share two cores), a ratio table
 * on stdout and bench/RESULTS.md. Knobs:
 *   BENCH_SECONDS=8          load time per side and trigger (split A-B-B-A), verification slices
 *   BENCH_ROUNDS=1           how many A-B-B-A rounds per webhook and queue row (each side's windows are pooled)
 *   BENCH_ONLY=verify,reject,dedupe,webhook,queue,download,download-concurrent,e2e,e2e-dedupe,generate-wait   a subset
 *   BENCH_DEDUPE_ROUNDS=9    alternating rounds of the deduplication microbenchmarks
 *   BENCH_E2E_DEDUPE_EVENTS=150  events per side and round of the end-to-end deduplication row
 *   BENCH_SIZES_MB=10,500    download sizes
 *   BENCH_E2E_DELIVERIES=20  end-to-end deliveries
 *   BENCH_TRIGGERS=pdfGorilla,docflo  a subset of the five triggers
 *   BENCH_DOWNLOAD_ROUNDS=3  alternating rounds per download size
 *   BENCH_CONCURRENT=8x200   the scale row: downloads at once × MB each (two alternating rounds)
 *   BENCH_NO_WRITE=1         print only, leave RESULTS.md alone
 */
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import { nodeExecutable } from '../test/harness/n8n';
import { benchDedupe } from './dedupe';
import { benchConcurrentDownloads, benchDownloads } from './download';
import { benchEndToEnd } from './e2e';
import { benchEndToEndDedupe } from './e2e-dedupe';
import { benchGenerateWait } from './generate-wait';
import { BENCH_N8N_VERSION, fmt, log, type Row } from './lib';
import { benchQueue, QUEUE_SETTINGS } from './queue';
import type { TargetName } from './targets';
import { benchRejections } from './reject';
import { benchVerify } from './verify';
import { benchWebhooks, WEBHOOK_SETTINGS } from './webhook';

const LAZY = { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' };

interface Section {
	title: string;
	rows: Row[];
	extra?: string;
}

function machine(): string[] {
	const cpu = cpus();
	let n8nNode = '?';
	try {
		n8nNode = execSync(`${nodeExecutable(BENCH_N8N_VERSION)} --version`).toString().trim();
	} catch {
		// reported as unknown
	}
	const autocannonVersion = (JSON.parse(readFileSync(join(__dirname, '..', 'node_modules', 'autocannon', 'package.json'), 'utf8')) as { version: string }).version;
	return [
		`- Date: ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC`,
		`- CPU: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores; RAM ${fmt(totalmem() / 1024 ** 3, 1)} GB`,
		`- Node: ${process.version} (benchmark process, load generator autocannon ${autocannonVersion}); n8n runs on ${n8nNode}`,
		`- n8n: ${BENCH_N8N_VERSION} (regular mode: SQLite; queue mode: PostgreSQL + Redis), binary data in filesystem mode`,
		`- Load: ${process.env.BENCH_SECONDS ?? 8} s per side and trigger, 10 connections, keep-alive, loopback; every trigger at its defaults (deduplication on) and every request a new, signed event, in four settings (expression engine default or lazy acquire, successful executions saved or not); rows marked "deduplication off" send one fixed body (BENCH_WEBHOOK_FIXED_BODY=1)`,
	];
}

function ratioText(r: Row): string {
	return Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : '—';
}

function metText(r: Row): string {
	if (r.met === undefined) return '—';
	return r.met ? 'yes' : '**no**';
}

function table(rows: Row[]): string {
	const lines = ['| Benchmark | Ours | Baseline | Ratio | Goal | Met |', '|---|---|---|---:|---|---|'];
	for (const r of rows) {
		lines.push(`| ${r.benchmark}${r.note ? ` (${r.note})` : ''} | ${r.ours} | ${r.baseline} | ${ratioText(r)} | ${r.goal} | ${metText(r)} |`);
	}
	return lines.join('\n');
}

async function main(): Promise<void> {
	const only = new Set((process.env.BENCH_ONLY ?? 'verify,reject,dedupe,webhook,queue,download,download-concurrent,e2e,e2e-dedupe,generate-wait').split(','));
	const seconds = Number(process.env.BENCH_SECONDS ?? 8);
	const targets = process.env.BENCH_TRIGGERS ? (process.env.BENCH_TRIGGERS.split(',') as TargetName[]) : undefined;
	const sections: Section[] = [];
	const started = Date.now();

	if (only.has('verify')) {
		log('signature verification');
		sections.push({ title: '2. Signature verification per request', rows: benchVerify(seconds) });
	}
	if (only.has('reject')) {
		log('what a forger can make a trigger spend before the refusal');
		sections.push({ title: '2b. Rejecting crafted input (in process)', rows: benchRejections(seconds) });
	}
	if (only.has('dedupe')) {
		log('deduplication cost against events remembered');
		sections.push({ title: '5. Deduplication: cost per new event against events remembered (in process)', rows: await benchDedupe() });
	}
	if (only.has('webhook')) {
		const rows: Row[] = [];
		for (const setting of WEBHOOK_SETTINGS) {
			log(`webhook throughput, ${setting.label}`);
			rows.push(...(await benchWebhooks(BENCH_N8N_VERSION, { seconds, targets, label: setting.label, env: setting.env })));
		}
		sections.push({ title: '1. Webhook throughput and latency, regular mode', rows });
	}
	if (only.has('queue')) {
		log('queue mode');
		const rows: Row[] = [];
		for (const setting of QUEUE_SETTINGS) rows.push(...(await benchQueue(BENCH_N8N_VERSION, { seconds, targets, label: setting.label, env: setting.env })));
		sections.push({ title: '1b. Queue mode', rows });
	}
	if (only.has('download')) {
		log('downloads');
		const sizes = (process.env.BENCH_SIZES_MB ?? '10,500').split(',').map(Number);
		sections.push({ title: '3. Download through the action node (filesystem binary mode)', rows: (await benchDownloads(BENCH_N8N_VERSION, sizes)).rows });
	}
	if (only.has('download-concurrent')) {
		const [count, sizeMb] = (process.env.BENCH_CONCURRENT ?? '8x200').split('x').map(Number);
		log(`${count} concurrent ${sizeMb} MB downloads`);
		sections.push({ title: '3b. Concurrent downloads in one n8n process', rows: (await benchConcurrentDownloads(BENCH_N8N_VERSION, { count, sizeMb })).rows });
	}
	if (only.has('e2e')) {
		log('end to end');
		const deliveries = Number(process.env.BENCH_E2E_DELIVERIES ?? 20);
		const standard = await benchEndToEnd(BENCH_N8N_VERSION, { deliveries, label: 'default settings' });
		const lazy = await benchEndToEnd(BENCH_N8N_VERSION, { deliveries, label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: LAZY });
		sections.push({ title: '4. End to end: webhook → email', rows: [...standard.rows, ...lazy.rows], extra: `${standard.breakdown}\n\n${lazy.breakdown}` });
	}

	if (only.has('e2e-dedupe')) {
		log('end to end, deduplication: processed_data row empty vs full');
		const events = Number(process.env.BENCH_E2E_DEDUPE_EVENTS ?? 150);
		sections.push({
			title: '4b. End to end: deduplication with the processed_data row empty vs full',
			rows: await benchEndToEndDedupe(BENCH_N8N_VERSION, { events, label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: LAZY }),
		});
	}

	if (only.has('generate-wait')) {
		log('generate and wait: callback → file in the execution, against the trigger workflow');
		const runs = Number(process.env.BENCH_GENERATE_WAIT_RUNS ?? 15);
		sections.push({ title: '4c. Generate and Wait: callback → file in the execution', rows: await benchGenerateWait(BENCH_N8N_VERSION, { runs, label: 'default settings' }) });
	}

	const minutes = (Date.now() - started) / 60_000;
	const body = sections.map((s) => `### ${s.title}\n\n${table(s.rows)}${s.extra ? `\n\n${s.extra}` : ''}`).join('\n\n');
	process.stdout.write(`\n${body}\n\n(${fmt(minutes, 1)} min)\n`);
	if (process.env.BENCH_NO_WRITE) return;
	const notesPath = join(__dirname, 'NOTES.md');
	let notes = '';
	try {
		notes = readFileSync(notesPath, 'utf8');
	} catch {
		// no notes yet
	}
	const doc = [
		'# Benchmark results',
		'',
		'Written by `npm run bench` (bench/run.ts); ratios are ours ÷ baseline, measured in the same run, alternating, on the same machine. The machine is shared: treat single runs as ±10 %.',
		'',
		...machine(),
		`- Run time: ${fmt(minutes, 1)} min`,
		'',
		body,
		'',
		notes.trim(),
		'',
	].join('\n');
	writeFileSync(join(__dirname, 'RESULTS.md'), doc);
	log('wrote bench/RESULTS.md');
}

main().catch((e: unknown) => {
	process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
	process.exit(1);
});
