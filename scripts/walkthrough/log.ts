/** The walkthrough's step log: timings, a screenshot after every step, and the failing step named. */
import { join } from 'node:path';

import type { Page } from 'playwright-core';

import { repoRoot } from '../../test/harness/versions';

export const SHOTS = join(repoRoot, '.cache', 'walkthrough');

export const started = Date.now();
let stepNumber = 0;
let page: Page | undefined;

export class StepFailed extends Error {}

/** The editor page the screenshots are taken of. */
export function watchPage(p: Page): void {
	page = p;
}

export function log(line: string): void {
	process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
}

/** Runs one step, then screenshots the editor (or the failure) as NN-slug.png. */
export async function step(title: string, work: () => Promise<void>): Promise<void> {
	const n = String(++stepNumber).padStart(2, '0');
	const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 50);
	const t0 = Date.now();
	log(`▶ ${n} ${title}`);
	try {
		await work();
	} catch (error) {
		const shot = await screenshot(`${n}-${slug}-FAILED`);
		const message = error instanceof Error ? error.message : String(error);
		throw new StepFailed(`step ${n} "${title}" failed: ${message}${shot ? `\n  screenshot: ${shot}` : ''}`);
	}
	const shot = await screenshot(`${n}-${slug}`);
	log(`✓ ${n} ${title} (${((Date.now() - t0) / 1000).toFixed(1)} s)${shot ? `  → ${shot.replace(`${repoRoot}/`, '')}` : ''}`);
}

async function screenshot(name: string): Promise<string | undefined> {
	if (!page || page.isClosed()) return undefined;
	const path = join(SHOTS, `${name}.png`);
	try {
		await page.screenshot({ path, timeout: 30_000 });
		return path;
	} catch {
		return undefined;
	}
}

export function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}
