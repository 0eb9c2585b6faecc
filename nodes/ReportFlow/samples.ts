import type { SampleEvent } from '../../core/delivery/sampleEvent';

/** The payload on ReportFlow's webhook page (provider-docs/reportflow-webhooks.txt), as documented. */
export const reportFlowSamples: SampleEvent[] = [
	{
		headers: { 'content-type': 'application/json' },
		payload: {
			event: 'file.completed',
			timestamp: '2026-02-15T10:30:45.123Z',
			workspaceId: 'ws_abc123',
			designId: 'design_123',
			version: 5,
			files: [{ fileId: 'file_xyz', uuid: 'uuid_456', fileName: 'invoice.pdf', params: { companyName: 'Company A', amount: 50000 } }],
		},
	},
];
