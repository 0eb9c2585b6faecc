import type { INode, IWorkflowMetadata } from 'n8n-workflow';

/**
 * One trigger node of one workflow: the scope of what this package remembers in process
 * memory about its deliveries (retries seen, secrets read). Node ids are stable across edits;
 * nodes of old workflows without one are told apart by name.
 */
export function triggerScope(ctx: { getWorkflow(): IWorkflowMetadata; getNode(): INode }): string {
	const node = ctx.getNode();
	return `${ctx.getWorkflow().id ?? ''}/${node.id ?? node.name}`;
}
