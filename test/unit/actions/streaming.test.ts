/**
 * "Streams downloads into n8n binary data, so a 500 MB PDF needs about 30 MB of memory": every
 * operation that stores a file hands n8n a stream, never a Buffer, and never holds more than a
 * few MB of the file at once. The fake service makes a 64 MiB body only as it is read, and the
 * fake n8n stores it the way filesystem mode does (reads the stream, keeps nothing), refusing a
 * Buffer; the meter between them records the most bytes ever made but not yet stored.
 * (The memory n8n itself then uses is measured in bench/, download row.)
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';

import type { ICredentialDataDecryptedObject, IDataObject, INodeType } from 'n8n-workflow';

import { DocGenLab } from '../../../nodes/DocGenLab/DocGenLab.node';
import { PdfGorilla } from '../../../nodes/PdfGorilla/PdfGorilla.node';
import { PdfSign } from '../../../nodes/PdfSign/PdfSign.node';
import { ReportFlow } from '../../../nodes/ReportFlow/ReportFlow.node';
import { createExecuteContext, type FakeResponseInit, type Scripted } from '../fetch/fakeExecute';
import { json, runAction } from './runAction';

jest.mock('n8n-workflow', () => jest.requireActual<{ mockSleep: () => object }>('./runAction').mockSleep());

const FILE_BYTES = 64 * 1024 * 1024;
/**
 * The download raises the socket's read buffer to 1 MiB on purpose (core/fetch/download.ts);
 * with a chunk in flight on each side and Node's own buffering, a few MiB are held at most.
 */
const HELD_BUDGET = 4 * 1024 * 1024;
const PDF_HEAD = Buffer.from('%PDF-1.7\n');
const ZIP_HEAD = Buffer.from('PK\x03\x04', 'latin1');

const bigFile = (head: Buffer, headers: Record<string, string> = {}): FakeResponseInit => ({
	status: 200,
	headers: { 'content-length': String(FILE_BYTES), ...headers },
	generated: { bytes: FILE_BYTES, head },
});
const bigPdf = (headers: Record<string, string> = {}) => bigFile(PDF_HEAD, { 'content-type': 'application/pdf', ...headers });
const bigZip = (headers: Record<string, string> = {}) => bigFile(ZIP_HEAD, { 'content-type': 'application/zip', ...headers });

interface Case {
	operation: string;
	/** The module (under the package's nodes/) whose call of downloadToBinary this case runs. */
	module: string;
	node: INodeType;
	parameters: Record<string, unknown>;
	responses: Scripted[];
	items?: IDataObject[];
	credentials?: ICredentialDataDecryptedObject;
}

const GORILLA_JOB = { jobId: 'job-1', status: 'completed', downloadUrl: 'https://cdn.pdfgorilla.io/jobs/job-1/out.pdf?sig=x', expiresAt: null, error: null };
const DOCGENLAB_LINK = 'https://storage.googleapis.com/docgenlab/doc-1.pdf?X-Goog-Signature=abc';
const PDFSIGN_URL = 'https://api.pdf-sign.com/storage/v1/object/public/pdfs/u/invoice.pdf';

/** One service's cases: its node and credential, then per operation what differs. */
function service(name: string, node: INodeType, credentials: ICredentialDataDecryptedObject | undefined) {
	return (operation: string, module: string, parameters: Record<string, unknown>, responses: Scripted[], items?: IDataObject[]): Case => ({
		operation: `${name} → ${operation}`,
		module,
		node,
		parameters,
		responses,
		items,
		credentials,
	});
}
const gorilla = service('PDF Gorilla', new PdfGorilla(), { apiKey: 'pg-key', webhookSecret: 'whsec', baseUrl: '' });
const reportFlow = service('ReportFlow', new ReportFlow(), { environment: 'production', apiKey: 'rf-app', secretKey: 'rf-secret' });
const docGenLab = service('DocGenLab', new DocGenLab(), { apiKey: 'dgl-key', baseUrl: '' });
const pdfSign = service('PDF-Sign', new PdfSign(), { apiKey: 'ps-key', baseUrl: '' });
const generateFile = { designId: 'design_1', version: 1, contentFileName: 'a', params: '{}' };
const docGenLabEvent = [{ jobId: 'doc-1', status: 'completed', downloadUrl: DOCGENLAB_LINK }];

const CASES: Case[] = [
	gorilla('Job → Download File', 'PdfGorilla/actions/jobs.ts', { resource: 'job', operation: 'download' }, [bigPdf()], [{ jobId: 'job-1', downloadUrl: GORILLA_JOB.downloadUrl }]),
	gorilla('PDF → Generate', 'PdfGorilla/actions/pdf/generate.ts', { resource: 'pdf', operation: 'generate', templateId: 'tpl-1', data: '{}' }, [bigPdf()]),
	gorilla('PDF → Generate (Async), Wait for Completion', 'PdfGorilla/actions/jobs.ts', { resource: 'pdf', operation: 'generateAsync', templateId: 'tpl-1', data: '{}', waitForCompletion: true }, [
		json({ jobId: 'job-1', status: 'queued' }, 202),
		json(GORILLA_JOB),
		bigPdf(),
	]),
	reportFlow('File → Download File', 'ReportFlow/actions/file/download.ts', { resource: 'file', operation: 'download' }, [bigPdf()], [{ requestId: 'req-1', fileId: 'file-1', fileName: 'a.pdf' }]),
	reportFlow('File → Download All as ZIP', 'ReportFlow/actions/file/downloadZip.ts', { resource: 'file', operation: 'downloadZip' }, [bigZip()], [{ requestId: 'req-1' }]),
	reportFlow('File → Generate', 'ReportFlow/actions/file/generate.ts', { resource: 'file', operation: 'generate', ...generateFile }, [bigPdf({ 'request-id': 'req-9' })]),
	reportFlow('File → Generate (Async), Wait for Completion', 'ReportFlow/actions/file/generateAsync.ts', { resource: 'file', operation: 'generateAsync', ...generateFile, waitForCompletion: true }, [
		json({ requestId: 'req-5', files: [{ fileId: 'file-5', fileName: 'a' }] }),
		bigPdf(),
	]),
	docGenLab('Document → Download (signed link)', 'DocGenLab/actions/document/download.ts', { resource: 'document', operation: 'download' }, [bigPdf()], docGenLabEvent),
	docGenLab('Document → Download (through the API)', 'DocGenLab/actions/document/download.ts', { resource: 'document', operation: 'download' }, [{ status: 403 }, bigPdf()], docGenLabEvent),
	docGenLab('Document → Generate, Wait for Completion', 'DocGenLab/actions/document/generate.ts', { resource: 'document', operation: 'generate', templateId: 'tpl-1', inputJson: '{}', waitForCompletion: true }, [
		json({ id: 'doc-1', status: 'queued' }, 201),
		json({ id: 'doc-1', status: 'ready' }),
		bigPdf(),
	]),
	service('PDF-Sign', new PdfSign(), undefined)('PDF → Download', 'PdfSign/actions/files.ts', { resource: 'pdf', operation: 'download' }, [bigPdf()], [{ downloadUrl: PDFSIGN_URL, fileSize: FILE_BYTES }]),
	pdfSign('PDF → Generate', 'PdfSign/actions/files.ts', { resource: 'pdf', operation: 'generate', templateId: 'tpl-1', variables: '{}' }, [
		json({ success: true, pdf_url: PDFSIGN_URL, generation_id: 'gen-1', file_size: FILE_BYTES }),
		bigPdf(),
	]),
];

describe.each(CASES)('$operation', (c) => {
	test(`hands n8n a stream of the whole ${FILE_BYTES / 1024 / 1024} MiB file and never holds more than ${HELD_BUDGET / 1024 / 1024} MiB of it`, async () => {
		const { output, meter, remaining } = await runAction({ node: c.node, parameters: c.parameters, items: c.items, credentials: c.credentials, responses: c.responses, store: 'streamOnly' });
		expect(remaining).toBe(0);
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ download: expect.objectContaining({ bytes: FILE_BYTES }) });
		expect(meter.produced).toBe(FILE_BYTES);
		expect(meter.stored).toBe(FILE_BYTES);
		expect(meter.maxHeld).toBeLessThanOrEqual(HELD_BUDGET);
	});
});

describe('the controls: the meter and the store catch a download buffered whole', () => {
	test('a Buffer is refused', async () => {
		const env = createExecuteContext({ store: 'streamOnly', readDelayMs: 0 });
		await expect(env.ctx.helpers.prepareBinaryData(Buffer.alloc(10), 'x.pdf')).rejects.toThrow('the file was read whole into memory');
	});

	test('the whole body read into memory and handed over as a new stream counts as held', async () => {
		const env = createExecuteContext({ store: 'streamOnly', readDelayMs: 0, responses: [bigPdf()] });
		const response = (await env.ctx.helpers.httpRequest({ url: 'https://files.docs.example/x.pdf', encoding: 'stream' })) as { body: Readable };
		const chunks: Buffer[] = [];
		for await (const chunk of response.body) chunks.push(chunk as Buffer);
		await env.ctx.helpers.prepareBinaryData(Readable.from(Buffer.concat(chunks)), 'x.pdf');
		expect(env.meter.stored).toBe(FILE_BYTES);
		expect(env.meter.maxHeld).toBe(FILE_BYTES);
	});
});

test('every call of downloadToBinary in the nodes belongs to an operation checked above', () => {
	const nodesDir = join(__dirname, '../../../nodes');
	const files = (dir: string): string[] =>
		readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
	const callers = files(nodesDir)
		.filter((path) => /\bdownloadToBinary\(/.test(readFileSync(path, 'utf8')))
		.map((path) => relative(nodesDir, path));
	// Generate and Wait's callbacks download through the same modules as the operations above.
	const waiting = ['DocGenLab/actions/document/generateAndWait.ts'];
	const covered = new Set(CASES.map((c) => c.module));
	expect(callers.filter((module) => !covered.has(module) && !waiting.includes(module))).toEqual([]);
	expect([...covered].filter((module) => !callers.includes(module))).toEqual([]);
});
