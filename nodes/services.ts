/**
 * The one list of the services this package ships. Everything that names the services as a
 * set reads it or is checked against it: package.json's `n8n` section (written by
 * `npm run sync:package`, checked by a unit test), the tests' per-service lists, the README's
 * tables and the example workflows' checks.
 *
 * A new service is a folder `nodes/<Folder>/` (descriptor.ts, <Folder>Trigger.node.ts,
 * <Folder>.node.ts, icons, codex files, and its credential files unless they live in
 * credentials/) plus two lines here: its import and its entry.
 */
import type { ServiceDescriptor } from '../core/service';
import { docGenLab } from './DocGenLab/descriptor';
import { docflo } from './Docflo/descriptor';
import { pdfGorilla } from './PdfGorilla/descriptor';
import { pdfSign } from './PdfSign/descriptor';
import { reportFlow } from './ReportFlow/descriptor';

export interface ServiceEntry {
	descriptor: ServiceDescriptor;
	/** The folder under nodes/ and the stem of its node classes and files: `PdfGorilla`. */
	folder: string;
	/** The service's credential classes, API credential first (file `<dir>/<Class>.credentials.ts`, type name `lowerFirst(Class)`). */
	credentials: string[];
	/** Where the credential files are, relative to the package root; `credentials` unless the folder brings its own. */
	credentialsDir?: string;
}

export const SERVICES: readonly ServiceEntry[] = [
	{ descriptor: reportFlow, folder: 'ReportFlow', credentials: ['ReportFlowApi'] },
	{ descriptor: docGenLab, folder: 'DocGenLab', credentials: ['DocGenLabApi'] },
	{ descriptor: docflo, folder: 'Docflo', credentials: ['DocfloApi', 'DocfloWebhookApi'] },
	{ descriptor: pdfGorilla, folder: 'PdfGorilla', credentials: ['PdfGorillaApi'] },
	{ descriptor: pdfSign, folder: 'PdfSign', credentials: ['PdfSignApi', 'PdfSignWebhookApi'] },
];

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/** What follows from an entry by the package's naming rules: node types, class names and files. */
export interface ServiceFiles {
	id: string;
	displayName: string;
	folder: string;
	trigger: { className: string; type: string; file: string };
	action: { className: string; type: string; file: string };
	credentials: Array<{ className: string; type: string; file: string }>;
}

/** File paths are relative to the package root, without extension (`.ts` in the sources, `.js` under dist/). */
export function serviceFiles(entry: ServiceEntry): ServiceFiles {
	const { descriptor, folder } = entry;
	const credentialsDir = entry.credentialsDir ?? 'credentials';
	return {
		id: descriptor.id,
		displayName: descriptor.displayName,
		folder,
		trigger: { className: `${folder}Trigger`, type: `${descriptor.id}Trigger`, file: `nodes/${folder}/${folder}Trigger.node` },
		action: { className: folder, type: descriptor.id, file: `nodes/${folder}/${folder}.node` },
		credentials: entry.credentials.map((className) => ({
			className,
			type: lowerFirst(className),
			file: `${credentialsDir}/${className}.credentials`,
		})),
	};
}

/** The `n8n` section's lists as package.json must hold them (sorted, as npm and the scanner show them). */
export function packageN8nLists(services: readonly ServiceEntry[] = SERVICES): { nodes: string[]; credentials: string[] } {
	const files = services.map(serviceFiles);
	return {
		nodes: files.flatMap((s) => [s.action.file, s.trigger.file]).map((file) => `dist/${file}.js`).sort(),
		credentials: files.flatMap((s) => s.credentials.map((c) => `dist/${c.file}.js`)).sort(),
	};
}
