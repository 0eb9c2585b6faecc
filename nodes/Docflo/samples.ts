import type { IDataObject } from 'n8n-workflow';

import type { SampleEvent } from '../../core/delivery/sampleEvent';

/** The payload on Docflo's webhooks page (provider-docs/docflo-webhooks.txt), documented for all events alike. */
const documented: IDataObject = {
	event: 'document.processed',
	tenantId: 'your-tenant-id',
	timestamp: '2025-03-10T17:53:46.000Z',
	doc: {
		_id: 'document-id',
		type: 'invoice',
		status: 'ANALYZED',
		createdAt: '2025-03-10T17:50:00.000Z',
		updatedAt: '2025-03-10T17:53:46.000Z',
		fields: {
			InvoiceId: 'INV-2025-001',
			VendorName: 'Acme Corporation',
			InvoiceDate: '2025-03-01',
			InvoiceTotal: { Amount: 1500.0, CurrencyCode: 'USD' },
			Items: [{ Description: 'Professional Services', Quantity: 10, UnitPrice: 150.0, Amount: 1500.0 }],
		},
	},
};

/** Docflo documents one payload shape for every platform event, so each event's sample is that payload under its name. */
export const docfloSamples: SampleEvent[] = ['document.processed', 'document.created', 'document.approved', 'document.rejected', 'document.status_changed'].map(
	(event) => ({ headers: { 'content-type': 'application/json' }, payload: { ...documented, event } }),
);
