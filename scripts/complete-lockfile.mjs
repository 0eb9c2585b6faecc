#!/usr/bin/env node
// The registry this project is built against serves only the Linux builds of some packages'
// per-platform optional dependencies (e.g. @unrs/resolver-binding-darwin-x64 answers 404), so
// `npm install` leaves them out of package-lock.json and `npm ci` then refuses the lock as out
// of sync. This adds their entries, marked optional with their platform, exactly as npm writes
// them when it can see the packages: npm ci skips them on other platforms and installs them
// where they match. Run after `npm install` whenever package-lock.json changes.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;

function platformOf(name) {
	const match = /-(android|darwin|freebsd|linux|openharmony|win32)-(arm64|arm|x64|ia32|loong64|ppc64|riscv64|s390x|wasm32)(?:-(gnu|musl|gnueabihf|musleabihf|eabi|msvc))?$/.exec(name);
	if (!match) return undefined;
	const [, os, cpu, abi] = match;
	const entry = { os: [os], cpu: [cpu] };
	if (os === 'linux' && abi) entry.libc = [abi.startsWith('musl') ? 'musl' : 'glibc'];
	return entry;
}

for (const [path, pkg] of Object.entries(packages)) {
	for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
		const nested = `${path}/node_modules/${dep}`;
		const hoisted = `node_modules/${dep}`;
		if (packages[nested] || packages[hoisted]) continue;
		const platform = platformOf(dep);
		if (!platform) continue;
		packages[hoisted] = { version, ...(pkg.dev ? { dev: true } : {}), optional: true, ...platform };
		added++;
	}
}

lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} platform-specific optional entries`);
