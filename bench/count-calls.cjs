/**
 * Analysis aid for bench/profile-webhook.ts (PROFILE_COUNT=1), preloaded into n8n with
 * `node --require`: counts calls of the n8n functions that make a webhook request expensive
 * (isolate builds, isolate acquisitions, credential reads and decryptions) and writes the
 * counts to $N8N_CALL_COUNTS_FILE every 200 ms, so the profiler can take them per window.
 * Not part of the package.
 */
'use strict';
const { renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const counts = {};
const file = process.env.N8N_CALL_COUNTS_FILE && `${process.env.N8N_CALL_COUNTS_FILE}.${process.pid}.json`;
const root = process.env.N8N_CALL_COUNTS_ROOT;

function wrap(modulePath, className, methods) {
	// Only modules n8n has loaded itself: loading them early could change its start-up.
	const cached = require.cache[join(root, modulePath)];
	const exported = cached?.exports?.[className];
	if (!exported) return false;
	for (const method of methods) {
		const original = exported.prototype[method];
		if (typeof original !== 'function' || original.__counted) continue;
		const key = `${className}.${method}`;
		counts[key] = 0;
		exported.prototype[method] = function (...args) {
			counts[key]++;
			return original.apply(this, args);
		};
		exported.prototype[method].__counted = true;
	}
	return true;
}

if (file && root) {
	const wrapAll = () => {
		wrap('@n8n/expression-runtime/dist/cjs/bridge/isolated-vm-bridge.js', 'IsolatedVmBridge', ['initialize', 'initializeSync', 'dispose']);
		wrap('@n8n/expression-runtime/dist/cjs/evaluator/expression-evaluator.js', 'ExpressionEvaluator', ['acquire', 'release']);
		wrap('n8n/dist/credentials-helper.js', 'CredentialsHelper', ['getDecrypted', 'applyDefaultsAndOverwrites']);
	};
	wrapAll();
	const timer = setInterval(() => {
		wrapAll();
		// Whole files only: the profiler reads it at any moment.
		writeFileSync(`${file}.tmp`, JSON.stringify(counts));
		renameSync(`${file}.tmp`, file);
	}, 200);
	timer.unref();
}
