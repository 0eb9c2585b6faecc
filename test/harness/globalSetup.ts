import { join } from 'node:path';

import { createTestCa } from '../providers/tls';
import { packPackage } from './package';
import { claimScratchRoot, sweepEndedRuns } from './scratch';
import { installN8nVersions, repoRoot, versionsUnderTest } from './versions';

/** Once per e2e run: make sure the n8n versions are installed, and pack this package. */
export default async function globalSetup(): Promise<void> {
	process.env.E2E_RUN_ID ??= String(process.pid);
	for (const dir of sweepEndedRuns()) console.error(`[e2e] removed ${dir}, left by a run that ended without its teardown`);
	claimScratchRoot(process.pid);
	const versions = versionsUnderTest();
	installN8nVersions(versions);
	process.env.E2E_PACKAGE_TARBALL = packPackage();
	// Fake providers serve HTTPS with this CA; n8n trusts it through NODE_EXTRA_CA_CERTS.
	process.env.E2E_TEST_CA_DIR = join(repoRoot, '.cache', 'test-ca');
	await createTestCa(process.env.E2E_TEST_CA_DIR);
}
