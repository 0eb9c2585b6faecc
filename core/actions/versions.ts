/**
 * Node versions of the action nodes, n8n's way: a saved node keeps the typeVersion it was
 * added with, so a change in a parameter's shape comes with a new version, the old version's
 * parameters stay exactly as they were (shown only to nodes of that version), and the code
 * reads whichever shape the node's version has.
 */
import type { IDisplayOptions, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

/**
 * Version 2 of the nodes that download: "Skip Files Already Downloaded" is a parameter of its
 * own with its default in view (before: an option that had to be added to be seen), and PDF
 * Gorilla lists all its operations under one resource, PDF.
 */
export const VISIBLE_DEFAULTS_VERSION = 2;

type Show = NonNullable<IDisplayOptions['show']>;

/** `show` for nodes of `version` and later. */
export function fromVersion(version: number, show: Show = {}): Show {
	return { ...show, '@version': [{ _cnd: { gte: version } }] };
}

/** `show` for nodes saved before `version`. */
export function beforeVersion(version: number, show: Show = {}): Show {
	return { ...show, '@version': [{ _cnd: { lt: version } }] };
}

/** Whether the running node was added at `version` or later. */
export function nodeIsAtLeast(ctx: Pick<IExecuteFunctions | IWebhookFunctions, 'getNode'>, version: number): boolean {
	return ctx.getNode().typeVersion >= version;
}
