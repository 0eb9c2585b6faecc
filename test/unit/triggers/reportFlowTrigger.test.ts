/**
 * ReportFlow Trigger at the node level: an unsigned `file.completed` POST
 * (reportflow-webhooks.txt), one item per file by default.
 */
import { ReportFlowTrigger } from '../../../nodes/ReportFlow/ReportFlowTrigger.node';
import { atTimeOfVectors, expectAcknowledged, expectRejected, expectStarted, newWorkflowId, runWebhook } from './context';
import { REPORTFLOW_FILE_COMPLETED, REPORTFLOW_TWO_FILES, buf, json, plainRequest } from './vectors';

const trigger = new ReportFlowTrigger();

// The docs' example payloads are stamped 2026-02-15: the tests run at that time (replay window).
atTimeOfVectors('2026-02-15T10:35:00.000Z');

const COMMON = {
	event: 'file.completed',
	workspaceId: 'ws_abc123',
	designId: 'design_123',
	version: 5,
	timestamp: '2026-02-15T10:30:45.123Z',
};

describe('ReportFlow Trigger: genuine deliveries', () => {
	test('the docs\' file.completed starts the workflow with one clean item per file', async () => {
		const run = await runWebhook(trigger, { request: plainRequest(REPORTFLOW_FILE_COMPLETED) });
		expectStarted(run, [
			{
				...COMMON,
				fileCount: 1,
				fileIndex: 0,
				fileId: 'file_xyz',
				requestId: 'uuid_456',
				fileName: 'invoice.pdf',
				params: { companyName: 'Company A', amount: 50000 },
				payload: json(REPORTFLOW_FILE_COMPLETED),
			},
		]);
	});

	test('two files make two items, each with the event\'s workspace, design and version; requestId is accepted instead of uuid', async () => {
		const run = await runWebhook(trigger, { request: plainRequest(REPORTFLOW_TWO_FILES) });
		// Each item carries the event without its files list (each holds its own file already).
		const { files: _files, ...payload } = json(REPORTFLOW_TWO_FILES);
		const common = { ...COMMON, timestamp: '2026-02-15T10:31:00.000Z', fileCount: 2 };
		expectStarted(run, [
			{ ...common, fileIndex: 0, fileId: 'file_a', requestId: 'uuid_789', fileName: 'invoice-a.pdf', params: { companyName: 'Company A' }, payload },
			{ ...common, fileIndex: 1, fileId: 'file_b', requestId: 'uuid_789', fileName: 'invoice-b.pdf', params: { companyName: 'Company B' }, payload },
		]);
	});

	test('a file with only requestId (current API docs) and no fileName or params', async () => {
		const body = JSON.stringify({ event: 'file.completed', workspaceId: 'ws_1', designId: 'd_1', version: 1, files: [{ fileId: 'f1', requestId: 'r1' }] });
		// No timestamp: only with the replay window off.
		const run = await runWebhook(trigger, { parameters: { options: { maxTimestampAgeSeconds: 0 } }, request: plainRequest(body) });
		expectStarted(run, [
			{
				event: 'file.completed',
				workspaceId: 'ws_1',
				designId: 'd_1',
				version: 1,
				timestamp: null,
				fileCount: 1,
				fileIndex: 0,
				fileId: 'f1',
				requestId: 'r1',
				fileName: null,
				params: {},
				payload: json(body),
			},
		]);
	});

	test('One Item per File off: one item with the files list', async () => {
		const run = await runWebhook(trigger, { parameters: { splitFiles: false }, request: plainRequest(REPORTFLOW_TWO_FILES) });
		expectStarted(run, [
			{
				...COMMON,
				timestamp: '2026-02-15T10:31:00.000Z',
				fileCount: 2,
				files: [
					{ fileId: 'file_a', requestId: 'uuid_789', fileName: 'invoice-a.pdf', params: { companyName: 'Company A' } },
					{ fileId: 'file_b', requestId: 'uuid_789', fileName: 'invoice-b.pdf', params: { companyName: 'Company B' } },
				],
				payload: json(REPORTFLOW_TWO_FILES),
			},
		]);
	});

	test('without req.rawBody the parsed req.body is used', async () => {
		const run = await runWebhook(trigger, { request: { headers: {}, body: json(REPORTFLOW_FILE_COMPLETED) } });
		expect(run.result.workflowData?.[0]).toHaveLength(1);
		expect(run.result.workflowData?.[0][0].json.fileId).toBe('file_xyz');
	});

	test('1.5 MB (under the 2 MiB limit) of valid JSON is handled like any other delivery', async () => {
		const big = 'x'.repeat(1536 * 1024);
		const body = JSON.stringify({ ...json(REPORTFLOW_FILE_COMPLETED), files: [{ fileId: 'f1', uuid: 'u1', fileName: 'big.pdf', params: { notes: big } }] });
		expect(body.length).toBeGreaterThan(1536 * 1024);
		const run = await runWebhook(trigger, { request: plainRequest(body) });
		expect(run.result.webhookResponse).toEqual({ received: true });
		expect(run.result.workflowData?.[0][0].json.params).toEqual({ notes: big });
	});
});

describe('ReportFlow Trigger: hostile bodies (unsigned service) → 400 naming the problem', () => {
	const cases: Array<[string, Buffer, string | RegExp]> = [
		['empty body', Buffer.alloc(0), 'Request body is empty'],
		['only white space', buf('  \n '), 'Request body is empty'],
		['not JSON', buf('event=file.completed&files=1'), /^Request body is not valid JSON/],
		['truncated JSON', buf(REPORTFLOW_FILE_COMPLETED.slice(0, 80)), /^Request body is not valid JSON/],
		['a JSON array', buf(`[${REPORTFLOW_FILE_COMPLETED}]`), 'Expected a JSON object but the request body is an array'],
		['a JSON string', buf('"file.completed"'), 'Expected a JSON object but the request body is a string'],
		['JSON null', buf('null'), 'Expected a JSON object but the request body is null'],
		['no event', buf('{"files": []}'), 'Not a ReportFlow event: event is missing'],
		['files missing', buf('{"event": "file.completed"}'), 'Not a ReportFlow event: files is missing or not an array'],
		['files not an array', buf('{"event": "file.completed", "files": {"fileId": "f"}}'), 'files is missing or not an array'],
		['a file that is not an object', buf('{"event": "file.completed", "files": ["f"]}'), 'files[0] is not an object'],
		['a file without fileId', buf('{"event": "file.completed", "files": [{"uuid": "u"}]}'), 'files[0].fileId is missing'],
		['a file with neither uuid nor requestId', buf('{"event": "file.completed", "files": [{"fileId": "f"}]}'), 'files[0] has neither uuid nor requestId'],
	];

	test.each(cases)('%s', async (_name, rawBody, message) => {
		const run = await runWebhook(trigger, { request: { rawBody, headers: { 'content-type': 'application/json' } } });
		const error = expectRejected(run, 400, message);
		// The answer names the problem, never the body.
		expect(error.length).toBeLessThan(200);
	});

	test('1.5 MB (under the 2 MiB limit) of garbage: 400 with a short message that does not echo the body', async () => {
		const garbage = buf('{"event": "file.completed", "files": [' + 'A'.repeat(1536 * 1024));
		const run = await runWebhook(trigger, { request: { rawBody: garbage } });
		const error = expectRejected(run, 400, /^Request body is not valid JSON/);
		expect(error).not.toContain('AAAA');
		expect(error.length).toBeLessThan(200);
	});
});

describe('ReportFlow Trigger: a file.completed without files', () => {
	// Regression (fixed in c13edb3): `files: []` was accepted, and with One Item per File the pipeline
	// returned workflowData [[]], which n8n runs (an execution with zero items, remembered for
	// dedupe). A file.completed that lists no file is now refused with 400 like other malformed bodies.
	test('files: [] does not start an execution with zero items', async () => {
		const body = '{"event": "file.completed", "workspaceId": "ws_abc123", "designId": "design_123", "version": 5, "files": []}';
		const run = await runWebhook(trigger, { request: plainRequest(body) });
		expect(run.result.workflowData).toBeUndefined();
		expectRejected(run, 400, 'files');
	});
});

describe('ReportFlow Trigger: event filter', () => {
	test('file.completed deselected → acknowledged as filtered', async () => {
		const run = await runWebhook(trigger, { parameters: { events: [] }, request: plainRequest(REPORTFLOW_FILE_COMPLETED) });
		expectAcknowledged(run, 'filtered');
	});

	test('an unknown event is acknowledged, or passed on with Pass Unknown Events', async () => {
		const body = '{"event": "file.deleted", "timestamp": "2026-02-15T10:34:00.000Z", "fileId": "file_xyz"}';
		expectAcknowledged(await runWebhook(trigger, { request: plainRequest(body) }), 'unknown_event');
		const passed = await runWebhook(trigger, { parameters: { options: { passUnknownEvents: true } }, request: plainRequest(body) });
		expectStarted(passed, [{ event: 'file.deleted', payload: json(body) }]);
	});
});

describe('ReportFlow Trigger: dedupe', () => {
	test('the same delivery twice: the second is a duplicate', async () => {
		const workflowId = newWorkflowId();
		expectStarted(await runWebhook(trigger, { workflowId, request: plainRequest(REPORTFLOW_FILE_COMPLETED) }), [
			expect.objectContaining({ fileId: 'file_xyz' }),
		]);
		expectAcknowledged(await runWebhook(trigger, { workflowId, request: plainRequest(REPORTFLOW_FILE_COMPLETED) }), 'duplicate');
	});

	test('a retry with the JSON re-serialised (same content, other bytes) is still a duplicate', async () => {
		const workflowId = newWorkflowId();
		await runWebhook(trigger, { workflowId, request: plainRequest(REPORTFLOW_FILE_COMPLETED) });
		const compact = JSON.stringify(json(REPORTFLOW_FILE_COMPLETED));
		expectAcknowledged(await runWebhook(trigger, { workflowId, request: plainRequest(compact) }), 'duplicate');
	});

	test('another generation (other files) is not a duplicate', async () => {
		const workflowId = newWorkflowId();
		await runWebhook(trigger, { workflowId, request: plainRequest(REPORTFLOW_FILE_COMPLETED) });
		const other = REPORTFLOW_FILE_COMPLETED.replace('"file_xyz"', '"file_abc"').replace('"uuid_456"', '"uuid_999"');
		expect((await runWebhook(trigger, { workflowId, request: plainRequest(other) })).result.workflowData).toHaveLength(1);
	});
});
