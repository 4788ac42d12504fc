import type OpenAPIBackend from 'openapi-backend';
import type { Logger } from 'pino';
import { StartupError } from '../fixtures/read-data-file';
import type { ScenarioCatalog } from '../scenarios/scenario-catalog';
import type { ResponseValidator } from './response-check';

/**
 * A scenario's canned responses must name operations of the document and honour it. One that
 * names an operation of the mock's own which this document lacks is skipped with a warning,
 * so the shipped scenarios work with any `--spec`.
 *
 * @example
 * checkCannedResponses(backend, responses, scenarios, new Set(Object.keys(handlers)), logger);
 */
export function checkCannedResponses(
  backend: OpenAPIBackend,
  responses: ResponseValidator,
  scenarios: ScenarioCatalog,
  mockOperations: ReadonlySet<string>,
  logger: Logger,
): void {
  for (const scenario of scenarios.all()) {
    for (const [operationId, canned] of Object.entries(scenario.responses)) {
      const fail = (why: string): never => {
        throw new StartupError(`Failed to load ${scenario.source}: responses.${operationId} ${why}.`);
      };
      if (backend.getOperation(operationId) === undefined) {
        if (!mockOperations.has(operationId)) fail('names no operation of the served document');
        logger.warn({ scenario: scenario.name, operationId }, 'canned response for an operation the document lacks');
        continue;
      }
      const check = responses.check(operationId, { status: canned.status, body: canned.body });
      if (!check.valid) fail(`breaks the served document: ${check.problem ?? 'invalid'}`);
    }
  }
}
