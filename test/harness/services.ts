/**
 * PostgreSQL and Redis from Debian's packages, started on loopback in throwaway folders for
 * the queue-mode tests (`.ci/run` installs the packages when they are missing).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { delay, PID_FILE_APPEND } from './processes';
import { freePort } from './ports';
import { scratchDir } from './scratch';

function postgresBinDir(): string {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
	for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
	throw new Error('PostgreSQL server binaries not found: apt-get install -y postgresql (see .ci/run)');
}

function asPostgresUser(): string[] {
	// initdb and postgres refuse to run as root.
	return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
}

export interface Postgres {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	/** Runs one SQL statement with psql as the superuser in `database`; returns its unaligned output. */
	sql(statement: string, database?: string): string;
	stop(): Promise<void>;
}

export async function startPostgres(): Promise<Postgres> {
	const bin = postgresBinDir();
	const dir = scratchDir('postgres-');
	const dataDir = join(dir, 'data');
	const prefix = asPostgresUser();
	if (prefix.length) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
	const run = (args: string[]) => {
		const [cmd, ...rest] = [...prefix, ...args];
		const res = spawnSync(cmd, rest, { encoding: 'utf8' });
		if (res.status !== 0) throw new Error(`${args.join(' ')} failed:\n${res.stdout}\n${res.stderr}`);
	};
	run([join(bin, 'initdb'), '-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
	const port = await freePort();
	const [cmd, ...rest] = [
		...prefix,
		join(bin, 'postgres'),
		'-D',
		dataDir,
		'-p',
		String(port),
		'-k',
		dir,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'max_connections=200',
	];
	const child = spawn(cmd, rest, { detached: true, stdio: 'ignore' });
	child.unref();
	PID_FILE_APPEND(child.pid);
	const psql = (sql: string, database = 'postgres') =>
		spawnSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-tAc', sql], { encoding: 'utf8' });
	for (let i = 0; i < 200; i++) {
		if (psql('select 1').status === 0) break;
		await delay(100);
	}
	const created = psql('create database n8n');
	if (created.status !== 0) throw new Error(`PostgreSQL did not come up: ${created.stderr}`);
	return {
		host: '127.0.0.1',
		port,
		database: 'n8n',
		user: 'postgres',
		password: 'postgres',
		sql: (statement, database = 'n8n') => {
			const res = psql(statement, database);
			if (res.status !== 0) throw new Error(`psql failed: ${res.stderr}`);
			return res.stdout.trim();
		},
		stop: async () => await stopProcess(child),
	};
}

export interface Redis {
	host: string;
	port: number;
	stop(): Promise<void>;
}

export async function startRedis(): Promise<Redis> {
	const port = await freePort();
	const dir = scratchDir('redis-');
	const config = join(dir, 'redis.conf');
	writeFileSync(config, [`port ${port}`, 'bind 127.0.0.1', 'save ""', 'appendonly no', `dir ${dir}`, 'protected-mode yes'].join('\n'));
	if (process.getuid?.() === 0) chownSync(dir, 0, 0);
	const child = spawn('redis-server', [config], { detached: true, stdio: 'ignore' });
	child.unref();
	PID_FILE_APPEND(child.pid);
	for (let i = 0; i < 100; i++) {
		const ping = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping'], { encoding: 'utf8' });
		if (ping.stdout.trim() === 'PONG') break;
		await delay(100);
	}
	return { host: '127.0.0.1', port, stop: async () => await stopProcess(child) };
}

async function stopProcess(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.pid === undefined) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	try {
		process.kill(-child.pid, 'SIGTERM');
	} catch {
		return;
	}
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)))]);
	clearTimeout(timer);
	try {
		process.kill(-child.pid, 'SIGKILL');
	} catch {
		// stopped
	}
}
