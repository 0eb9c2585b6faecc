// Lints the code that is not shipped: tests, benchmarks and scripts (bench/ and scripts/ use
// this file too). It is the TypeScript and JavaScript recommended rules, without n8n's
// community-node rules: those forbid what tests and tools must do (timers, the file system,
// child processes, environment variables) and hold only for what n8n loads. The repository
// root's eslint.config.mjs, n8n's unmodified one, lints the package itself; `npm run lint`
// makes ESLint take each file's nearest config (ESLint 10's default; a flag in ESLint 9).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{
		files: ['**/*.{ts,mjs,js}'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		languageOptions: {
			globals: {
				...Object.fromEntries(
					['process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'AbortController', 'AbortSignal', 'TextEncoder', 'TextDecoder', 'fetch', 'Response', 'Request', 'Headers', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'structuredClone', '__dirname', '__filename', 'require', 'module', 'performance', 'global', 'globalThis'].map((name) => [name, 'readonly']),
				),
			},
		},
		rules: {
			// The registry loads node and credential classes by the file names it lists.
			'@typescript-eslint/no-require-imports': 'off',
			// A leading underscore marks a parameter or destructured field left out on purpose.
			// A variable a callback reads before its single assignment (the SMTP sink) stays `let`.
			'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
		},
	},
	{
		// Test-only JSON-ish fixtures and the sample service's copy of n8n code are data here.
		ignores: ['**/fixtures/**'],
	},
);
