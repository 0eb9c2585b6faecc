/** How a delivery leaves the pipeline without starting the workflow. */

/**
 * Why a delivery does not start the workflow. `reject`: refused with `status` and
 * `{ error }`. `acknowledge`: genuine but deliberately not run, answered 200 so the service
 * does not retry. `misconfiguration` marks causes in the node's own setup, which the
 * editor should show.
 */
export type Stop =
	| { kind: 'reject'; status: number; message: string; misconfiguration?: boolean }
	| { kind: 'acknowledge'; reason: 'filtered' | 'unknown_event' | 'duplicate' | 'test_event' };

export const reject = (status: number, message: string, misconfiguration = false): Stop => ({ kind: 'reject', status, message, misconfiguration });
export const acknowledge = (reason: Extract<Stop, { kind: 'acknowledge' }>['reason']): Stop => ({ kind: 'acknowledge', reason });
