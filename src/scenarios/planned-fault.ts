import type { FaultRule, FaultType, FaultWhen } from './scenario';

/** The fault in force for one request, and what asked for it (for the journal's note). */
export interface PlannedFault {
  type: FaultType;
  when: FaultWhen;
  /** `X-Mock-Fault`, or the scenario and field that declared it. */
  source: string;
}

/**
 * Turns a scenario's fault rule (a bare type, or `{ type, when }`) into the fault a request
 * meets; a bare type breaks the answer after the operation, as a lost response does.
 *
 * @example
 * plannedFault('empty-reply', 'scenario flaky faults.environments.staging');
 * // { type: 'empty-reply', when: 'after', source: 'scenario flaky faults.environments.staging' }
 */
export function plannedFault(rule: FaultRule, source: string): PlannedFault {
  return typeof rule === 'string'
    ? { type: rule, when: 'after', source }
    : { type: rule.type, when: rule.when ?? 'after', source };
}
