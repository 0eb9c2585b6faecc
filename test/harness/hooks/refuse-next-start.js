/**
 * An n8n external hook (EXTERNAL_HOOK_FILES) for the e2e tests: while the file named by
 * E2E_REFUSE_NEXT_START exists, n8n's `workflow.preExecute` hook refuses the next execution
 * and deletes the file. n8n 2.x then answers that webhook delivery with an error and stores no
 * execution: the way n8n fails to start a workflow after a trigger accepted the delivery (as
 * it can while shutting down), on demand.
 */
const { existsSync, rmSync } = require('node:fs');

module.exports = {
	workflow: {
		preExecute: [
			async function refuseNextStart() {
				const flag = process.env.E2E_REFUSE_NEXT_START;
				if (!flag || !existsSync(flag)) return;
				rmSync(flag, { force: true });
				throw new Error('refused by the e2e test (test/harness/hooks/refuse-next-start.js)');
			},
		],
	},
};
