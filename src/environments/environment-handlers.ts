import type { OperationHandler } from '../contract/operation';
import { errors } from '../errors';
import type { Environment } from '../fixtures/world';
import type { Reply } from '../http/reply';

/**
 * Every environment once by name, across projects: the first project (in the fixtures' order)
 * that has a name gives its details, and names keep the order in which they are first met.
 *
 * @example
 * uniqueEnvironments(new Map([['A', [production]], ['B', [production, staging]]])) // [production of A, staging]
 */
export function uniqueEnvironments(byProject: ReadonlyMap<string, readonly Environment[]>): Environment[] {
  const byName = new Map<string, Environment>();
  for (const environments of byProject.values()) {
    for (const environment of environments) {
      if (!byName.has(environment.name)) byName.set(environment.name, environment);
    }
  }
  return [...byName.values()];
}

/**
 * The environment listings, keyed by operationId: those of one project (any valid token) and
 * every environment (ROLE_ADMIN, see `x-forbidden-as` in the document). Environments come from
 * the fixtures and never change, so both answers are serialised once.
 *
 * @example
 * const handlers = createEnvironmentHandlers(new Map([['MyProject', environments]]));
 */
export function createEnvironmentHandlers(
  byProject: ReadonlyMap<string, readonly Environment[]>,
): Record<string, OperationHandler> {
  const listJson = (resultList: readonly Environment[]): string =>
    JSON.stringify({ success: true, resultList, resultCount: resultList.length });
  const perProject = new Map([...byProject].map(([project, environments]) => [project, listJson(environments)]));
  const everyEnvironment = listJson(uniqueEnvironments(byProject));

  return {
    listEnvironments: {
      act: (input): Reply => {
        // The pipeline answers 404 before any handler runs when the project does not exist.
        const json = input.project === undefined ? undefined : perProject.get(input.project.name);
        if (json === undefined) throw errors.internal();
        return { status: 200, json };
      },
    },

    listAllEnvironments: {
      act: (): Reply => ({ status: 200, json: everyEnvironment }),
    },
  };
}
