import type { FieldError } from '../errors';
import { StartupError } from '../fixtures/read-data-file';
import type { Scenario } from './scenario';

/**
 * Levenshtein distance between two short names. Written here rather than taken from a library:
 * no runtime dependency offers one, and a dozen lines for a start-up hint do not earn one.
 */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known name closest to `name`, when it is close enough to be a plausible typo. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { name: candidate, distance };
  }
  const tolerance = Math.max(2, Math.floor(name.length / 3));
  return best !== undefined && best.distance <= tolerance ? best.name : undefined;
}

/** Every place a scenario names an environment: its field path and the name. */
function namedEnvironments(scenario: Scenario): { field: string; environment: string }[] {
  const places: [string, Record<string, unknown> | undefined][] = [
    ['deploy.environments', scenario.deploy.environments],
    ['undeploy.environments', scenario.undeploy.environments],
    ['latency.environments', scenario.latency.environments],
    ['faults.environments', scenario.faults?.environments],
  ];
  return places.flatMap(([prefix, byEnvironment]) =>
    Object.keys(byEnvironment ?? {}).map((environment) => ({ field: `${prefix}.${environment}`, environment })),
  );
}

/**
 * Every environment a scenario names that no project has, each with its field and a hint:
 * such a rule would never apply, and a typo (`stagng`) would pass silently.
 *
 * @example
 * scenarioEnvironmentProblems(scenario, ['production', 'staging']);
 * // [{ field: 'deploy.environments.stagng', message: 'names an environment that no project has. Did you mean "staging"? ...' }]
 */
export function scenarioEnvironmentProblems(scenario: Scenario, known: readonly string[]): FieldError[] {
  const environments = [...new Set(known)].sort();
  const knownSet = new Set(environments);
  return namedEnvironments(scenario)
    .filter(({ environment }) => !knownSet.has(environment))
    .map(({ field, environment }) => {
      const suggestion = closest(environment, environments);
      const hint = suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`;
      return {
        field,
        message:
          `names an environment that no project has.${hint} ` +
          `Known environments: ${environments.join(', ')}. ` +
          'Fix the name in the scenario, or add the environment to a project of world.yaml',
      };
    });
}

/**
 * Stops start-up when a scenario of the user's own names an environment no project has.
 * Built-in scenarios are not checked: they are written for the default world, and in another
 * world a rule for an environment it lacks simply never applies.
 *
 * @example
 * checkScenarioEnvironments(scenarios.values(), world.projects.flatMap((p) => p.environments.map((e) => e.name)));
 * // StartupError: Failed to load my-fixtures/scenarios/flaky.yaml: deploy.environments.stagng names an
 * // environment that no project has. Did you mean "staging"? Known environments: development, production, staging. ...
 */
export function checkScenarioEnvironments(scenarios: Iterable<Scenario>, known: readonly string[]): void {
  for (const scenario of scenarios) {
    if (scenario.origin === 'built-in') continue;
    const [problem] = scenarioEnvironmentProblems(scenario, known);
    if (problem !== undefined) {
      throw new StartupError(`Failed to load ${scenario.source}: ${problem.field} ${problem.message}.`);
    }
  }
}
