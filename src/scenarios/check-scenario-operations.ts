import type { Logger } from 'pino';
import { StartupError } from '../fixtures/read-data-file';
import type { Scenario } from './scenario';

/**
 * Stops start-up when a scenario's `operations` names an operationId the served document does
 * not have: its delay or fault would never apply, and a typo (`createKeystores`) would pass
 * silently. One of the mock's own operations that this document lacks is only warned about,
 * so the shipped scenarios work with any `--spec`, as canned responses do.
 *
 * @example
 * checkScenarioOperations(scenarios.all(), new Set(['createKeystore']), new Set(['createKeystore']), logger);
 */
export function checkScenarioOperations(
  scenarios: Iterable<Scenario>,
  documentOperations: ReadonlySet<string>,
  mockOperations: ReadonlySet<string>,
  logger: Logger,
): void {
  for (const scenario of scenarios) {
    for (const operationId of Object.keys(scenario.operations ?? {})) {
      if (documentOperations.has(operationId)) continue;
      if (!mockOperations.has(operationId)) {
        const known = [...documentOperations].sort().join(', ');
        throw new StartupError(
          `Failed to load ${scenario.source}: operations.${operationId} names no operation of the served document. ` +
            `Known operationIds: ${known}.`,
        );
      }
      logger.warn({ scenario: scenario.name, operationId }, 'delay or fault for an operation the document lacks');
    }
  }
}
