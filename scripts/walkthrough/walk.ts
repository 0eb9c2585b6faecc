/** What the steps share: the editor page, the fake services, and the nodes built so far. */
import type { Page } from 'playwright-core';

import type { SmtpSink } from '../../test/harness/smtp';
import type { FakeProviders, TestCa } from '../../test/providers';

export interface Walk {
	p: Page;
	fake: FakeProviders;
	smtp: SmtpSink;
	ca: TestCa;
	/** What npm start printed so far, for failure messages. */
	output: () => string;
}

/** The workflow's node names as the editor gave them, and the trigger's Production URL. */
export interface BuiltWorkflow {
	productionUrl: string;
	trigger: string;
	ifNode: string;
	download: string;
	email: string;
	alert: string;
}
