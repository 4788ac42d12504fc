import type OpenAPIBackend from 'openapi-backend';
import type { Logger } from 'pino';
import type { FieldError } from '../errors';
import { StartupError } from '../fixtures/read-data-file';
import type { Scenario } from '../scenarios/scenario';
import type { ScenarioCatalog } from '../scenarios/scenario-catalog';
import type { ResponseValidator } from './response-check';

/**
 * The problems of one scenario's canned responses: each must name an operation of the
 * document and honour it. One that names an operation of the mock's own which this document
 * lacks is not a problem but `skipped`, so the shipped scenarios work with any `--spec`.
 *
 * @example
 * const { problems, skipped } = cannedResponseProblems(backend, responses, scenario, mockOperations);
 */
export function cannedResponseProblems(
  backend: OpenAPIBackend,
  responses: ResponseValidator,
  scenario: Scenario,
  mockOperations: ReadonlySet<string>,
): { problems: FieldError[]; skipped: string[] } {
  const problems: FieldError[] = [];
  const skipped: string[] = [];
  for (const [operationId, canned] of Object.entries(scenario.responses)) {
    const field = `responses.${operationId}`;
    if (backend.getOperation(operationId) === undefined) {
      if (mockOperations.has(operationId)) skipped.push(operationId);
      else problems.push({ field, message: 'names no operation of the served document' });
      continue;
    }
    const check = responses.check(operationId, { status: canned.status, body: canned.body });
    if (!check.valid) problems.push({ field, message: `breaks the served document: ${check.problem ?? 'invalid'}` });
  }
  return { problems, skipped };
}

/**
 * Stops start-up on the first scenario whose canned responses break the served document;
 * those skipped (an operation of the mock's own the document lacks) are logged as warnings.
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
    const { problems, skipped } = cannedResponseProblems(backend, responses, scenario, mockOperations);
    const [problem] = problems;
    if (problem !== undefined) {
      throw new StartupError(`Failed to load ${scenario.source}: ${problem.field} ${problem.message}.`);
    }
    for (const operationId of skipped) {
      logger.warn({ scenario: scenario.name, operationId }, 'canned response for an operation the document lacks');
    }
  }
}
