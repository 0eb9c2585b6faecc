/**
 * The panels say little: every notice and hint the nodes and credentials show, and the texts
 * around a trigger, are held to a budget of sentences and characters, and no text speaks of n8n
 * versions (n8n's own texts do that where it tells them apart; a node cannot).
 */
import type { ICredentialType, INodeProperties, INodeType, INodeTypeDescription, TriggerPanelDefinition } from 'n8n-workflow';

import { SERVICE_FILES, actionNode, credentialTypes, triggerNode } from '../../registry';

interface Budget {
	sentences: number;
	characters: number;
}

/** Notices are read at a glance; details live behind the Docs link. */
const NOTICE: Budget = { sentences: 2, characters: 220 };
/** A hint is one line under its field. */
const HINT: Budget = { sentences: 1, characters: 120 };
/** The hint under Execute step: how to get a first event. */
const ACTIVATION_HINT: Budget = { sentences: 1, characters: 160 };
/** The activation dialog: "X can now deliver…" plus where the URL goes. */
const ACTIVATION_MESSAGE: Budget = { sentences: 3, characters: 260 };
/** One line on the canvas while listening. */
const LISTENING_LINE: Budget = { sentences: 1, characters: 100 };

const plain = (html: string) => html.replace(/<[^>]*>/g, '');

/** Sentences end with . ! or ? before white space or the end; a last one may lack the stop. */
function sentences(text: string): number {
	const stops = plain(text).match(/[.!?](?=\s|$)/g)?.length ?? 0;
	return /[.!?]\s*$/.test(plain(text).trim()) ? stops : stops + 1;
}

function withinBudget(text: string, budget: Budget): { sentences: number; characters: number } {
	return { sentences: Math.min(sentences(text), budget.sentences + 1), characters: Math.min(plain(text).length, budget.characters + 1) };
}

function expectWithin(where: string, text: string, budget: Budget): void {
	expect({ where, text, ...withinBudget(text, budget) }).toEqual({
		where,
		text,
		sentences: Math.min(sentences(text), budget.sentences),
		characters: Math.min(plain(text).length, budget.characters),
	});
}

/** Every notice and hint in a property list, nested collections and fixed collections included. */
function noticesAndHints(properties: INodeProperties[], where: string): Array<{ where: string; text: string; budget: Budget }> {
	return properties.flatMap((property) => {
		const found: Array<{ where: string; text: string; budget: Budget }> = [];
		if (property.type === 'notice') found.push({ where: `${where} notice ${property.name}`, text: property.displayName, budget: NOTICE });
		if (property.hint) found.push({ where: `${where} hint of ${property.name}`, text: property.hint, budget: HINT });
		for (const option of property.options ?? []) {
			if ('displayName' in option && 'type' in option) found.push(...noticesAndHints([option as INodeProperties], `${where} › ${property.name}`));
			if ('values' in option) found.push(...noticesAndHints(option.values, `${where} › ${property.name}`));
		}
		return found;
	});
}

/** Every string anywhere in a value (descriptions, option names, panel texts…). */
function strings(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(strings);
	if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
	return [];
}

const NODES: INodeTypeDescription[] = SERVICE_FILES.flatMap((service) => [triggerNode(service), actionNode(service)]).map((node: INodeType) => node.description);
const CREDENTIALS: ICredentialType[] = SERVICE_FILES.flatMap(credentialTypes);

describe.each(NODES.map((d) => [d.displayName, d] as const))('%s', (_name, description) => {
	test('every notice and hint is within its budget', () => {
		const texts = noticesAndHints(description.properties, description.displayName);
		for (const { where, text, budget } of texts) expectWithin(where, text, budget);
	});

	test('the texts around a trigger are within their budgets', () => {
		if (!description.group.includes('trigger')) return;
		const panel = description.triggerPanel as TriggerPanelDefinition;
		expectWithin('activation hint', String(panel.activationHint), ACTIVATION_HINT);
		expectWithin('activation message', String(description.activationMessage), ACTIVATION_MESSAGE);
		expectWithin('listening line', String(description.eventTriggerDescription), LISTENING_LINE);
	});

	test('no text speaks of n8n versions', () => {
		for (const text of strings({ ...description, version: undefined, defaultVersion: undefined })) {
			expect({ text, versionWords: /\b[12]\.x\b|n8n [12]\b|\bon n8n\b/i.test(text) }).toEqual({ text, versionWords: false });
		}
	});
});

describe.each(CREDENTIALS.map((c) => [c.displayName, c] as const))('%s credential', (_name, credential) => {
	test('every notice and hint is within its budget, and no text speaks of n8n versions', () => {
		for (const { where, text, budget } of noticesAndHints(credential.properties, credential.displayName)) expectWithin(where, text, budget);
		for (const text of strings(credential.properties)) expect(/\b[12]\.x\b|n8n [12]\b/i.test(text)).toBe(false);
	});
});

test('the budget counts what users read: tags stripped, sentences by their stops', () => {
	expect(sentences('In <b>ReportFlow</b>, paste it. Keep it private.')).toBe(2);
	expect(sentences('One line without a stop')).toBe(1);
	expect(sentences('Values like 0.99 or v1.2 are not stops.')).toBe(1);
	expect(plain('<b>Workspace settings → Developer</b>')).toBe('Workspace settings → Developer');
});
