import type { SampleEvent } from '../../core/delivery/sampleEvent';

/** What the made-up service documents as its delivery; the signature is a placeholder. */
export const sampleDocsSamples: SampleEvent[] = [
	{
		headers: { 'content-type': 'application/json', 'x-sample-signature': 'sha256=sample' },
		payload: { event: 'document.ready', documentId: 'doc-sample-1', timestamp: '2026-04-06T10:01:23.456Z' },
	},
];
