/** Unit tests run in-process against mocked n8n contexts; e2e tests drive a real n8n. */
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }];

/**
 * Suites that start real n8n processes, with the install, pack and CA done once. Every suite
 * has its own ports, user folders and fake providers, so `npm run test:e2e` runs two at a time
 * (most of a suite's time is spent waiting on n8n); the queue suites run one at a time.
 */
function realN8n(displayName, root) {
	return {
		displayName,
		testEnvironment: 'node',
		roots: [root],
		testMatch: ['**/*.test.ts'],
		transform: { '^.+\\.ts$': tsJest },
		globalSetup: '<rootDir>/test/harness/globalSetup.ts',
		globalTeardown: '<rootDir>/test/harness/globalTeardown.ts',
		setupFilesAfterEnv: ['<rootDir>/test/harness/jestSetup.ts'],
	};
}

/** @type {import('jest').Config} */
module.exports = {
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			roots: ['<rootDir>/test/unit'],
			testMatch: ['**/*.test.ts'],
			transform: { '^.+\\.ts$': tsJest },
		},
		realN8n('e2e', '<rootDir>/test/e2e'),
		// Queue mode (PostgreSQL, Redis, main + workers + webhook processes): `npm run test:queue`.
		realN8n('queue', '<rootDir>/test/queue'),
	],
};
