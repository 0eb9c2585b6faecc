/**
 * examples/ ship with pinned data on their trigger: exactly the sample event the trigger emits
 * for the example's settings, so what a user tries before the first real event is what the
 * trigger really outputs. PIN_EXAMPLES=1 rewrites the pins after a sample or an output changes;
 * such a run checks nothing (its checks are reported as skipped), so run once more without it.
 * An example that starts from n8n's own Webhook node (Generate and Wait needs no trigger of
 * ours) pins a hand-written sample request there instead, marked the same way.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { samplePinData, type PinData } from '../../harness/examplePins';
import { EXAMPLES_DIR } from '../../harness/examples';
import { unlessSkipped } from '../../harness/skips';

const FILES = readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.json'));
const writing = process.env.PIN_EXAMPLES === '1';
const check = unlessSkipped(writing ? 'PIN_EXAMPLES=1 writes the pins; run again without it to check them' : undefined);

type Workflow = Parameters<typeof samplePinData>[0] & { pinData?: PinData };

describe.each(FILES)('%s', (file) => {
	const path = join(EXAMPLES_DIR, file);

	check('pins its trigger\'s sample event, and nothing else', () => {
		const workflow = JSON.parse(readFileSync(path, 'utf8')) as Workflow;
		const expected = samplePinData(workflow);
		if (Object.keys(expected).length === 0) {
			const starts = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.webhook').map((node) => node.name);
			expect(starts).toHaveLength(1);
			expect(Object.keys(workflow.pinData ?? {})).toEqual(starts);
			for (const item of workflow.pinData![starts[0]]) expect(item.json.sample).toBe(true);
			return;
		}
		expect(Object.keys(expected)).toHaveLength(1);
		expect(workflow.pinData).toEqual(expected);
		const [items] = Object.values(workflow.pinData!);
		expect(items.length).toBeGreaterThan(0);
		for (const item of items) expect(item.json.sample).toBe(true);
	});

	if (!writing) return;
	test('writes its trigger\'s sample event as its pinned data', () => {
		const workflow = JSON.parse(readFileSync(path, 'utf8')) as Workflow;
		const expected = samplePinData(workflow);
		if (Object.keys(expected).length === 0) return;
		workflow.pinData = expected;
		writeFileSync(path, `${JSON.stringify(workflow, null, 2)}\n`);
	});
});
