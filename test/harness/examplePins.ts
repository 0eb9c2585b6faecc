/**
 * The pinned data examples/ ship on their trigger: the sample event the trigger emits for the
 * example's settings (see core/delivery/sampleEvent.ts), so an imported example can be tried
 * step by step before any real event. `PIN_EXAMPLES=1 npx jest --selectProjects unit examplePins` writes it
 * (through jest: tsx would resolve `X.node` to the codex file `X.node.json`).
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { chooseSample, type SampleEvent } from '../../core/delivery/sampleEvent';
import type { ServiceDescriptor } from '../../core/service';
import { docflo } from '../../nodes/Docflo/descriptor';
import { DocfloTrigger } from '../../nodes/Docflo/DocfloTrigger.node';
import { docfloSamples } from '../../nodes/Docflo/samples';
import { docGenLab } from '../../nodes/DocGenLab/descriptor';
import { DocGenLabTrigger } from '../../nodes/DocGenLab/DocGenLabTrigger.node';
import { docGenLabSamples } from '../../nodes/DocGenLab/samples';
import { pdfGorilla } from '../../nodes/PdfGorilla/descriptor';
import { PdfGorillaTrigger } from '../../nodes/PdfGorilla/PdfGorillaTrigger.node';
import { pdfGorillaSamples } from '../../nodes/PdfGorilla/samples';
import { pdfSign } from '../../nodes/PdfSign/descriptor';
import { PdfSignTrigger } from '../../nodes/PdfSign/PdfSignTrigger.node';
import { pdfSignSamples } from '../../nodes/PdfSign/samples';
import { reportFlow } from '../../nodes/ReportFlow/descriptor';
import { ReportFlowTrigger } from '../../nodes/ReportFlow/ReportFlowTrigger.node';
import { reportFlowSamples } from '../../nodes/ReportFlow/samples';

interface Trigger {
	node: INodeType;
	service: ServiceDescriptor;
	samples: SampleEvent[];
}

const TRIGGERS: Record<string, Trigger> = {
	'n8n-nodes-pdf-webhooks.reportFlowTrigger': { node: new ReportFlowTrigger(), service: reportFlow, samples: reportFlowSamples },
	'n8n-nodes-pdf-webhooks.docGenLabTrigger': { node: new DocGenLabTrigger(), service: docGenLab, samples: docGenLabSamples },
	'n8n-nodes-pdf-webhooks.docfloTrigger': { node: new DocfloTrigger(), service: docflo, samples: docfloSamples },
	'n8n-nodes-pdf-webhooks.pdfGorillaTrigger': { node: new PdfGorillaTrigger(), service: pdfGorilla, samples: pdfGorillaSamples },
	'n8n-nodes-pdf-webhooks.pdfSignTrigger': { node: new PdfSignTrigger(), service: pdfSign, samples: pdfSignSamples },
};

interface WorkflowNode {
	name: string;
	type: string;
	parameters: IDataObject;
}

export type PinData = Record<string, Array<{ json: IDataObject }>>;

/** The node's parameters as n8n fills them in: top-level defaults under what the workflow sets. */
function withDefaults(node: INodeType, parameters: IDataObject): IDataObject {
	const filled: IDataObject = {};
	for (const property of node.description.properties) {
		if (property.type !== 'notice') filled[property.name] = structuredClone(property.default) as IDataObject[string];
	}
	return { ...filled, ...parameters };
}

/** pinData for a workflow: its trigger's sample event, as the trigger would emit it. */
export function samplePinData(workflow: { nodes: WorkflowNode[] }): PinData {
	const pins: PinData = {};
	for (const node of workflow.nodes) {
		const trigger = TRIGGERS[node.type];
		if (!trigger) continue;
		const { items } = chooseSample(trigger.service, trigger.samples, withDefaults(trigger.node, node.parameters));
		pins[node.name] = items.map((item) => ({ json: item.json }));
	}
	return pins;
}
