import { isDeepStrictEqual } from 'node:util';
import type { World } from '../fixtures/world';
import type { Scenario } from '../scenarios/scenario';

/** What a reload changed in the configuration, for the log line and the `reload` event. */
export interface ReloadSummary {
  scenarios: { added: string[]; removed: string[]; changed: string[] };
  /** Projects of `world.yaml` added, removed or edited in any way (environments' details included). */
  projectsChanged: string[];
  /** Whether the `--spec` file was among the changed files. */
  specChanged: boolean;
}

/** The configuration a summary compares: what the files held at one load. */
export interface LoadedConfiguration {
  scenarios: readonly Scenario[];
  world: World;
}

/**
 * Compares two loads of the files, by scenario name and by project name.
 *
 * @example
 * reloadSummary(before, after, ['openapi/keystore-api.yaml'].includes(spec)).scenarios.added; // ['slow']
 */
export function reloadSummary(
  previous: LoadedConfiguration,
  next: LoadedConfiguration,
  specChanged: boolean,
): ReloadSummary {
  const before = new Map(previous.scenarios.map((scenario) => [scenario.name, scenario]));
  const after = new Map(next.scenarios.map((scenario) => [scenario.name, scenario]));
  const projectsBefore = new Map(previous.world.projects.map((project) => [project.name, project]));
  const projectsAfter = new Map(next.world.projects.map((project) => [project.name, project]));
  const names = [...new Set([...projectsBefore.keys(), ...projectsAfter.keys()])];
  return {
    scenarios: {
      added: [...after.keys()].filter((name) => !before.has(name)),
      removed: [...before.keys()].filter((name) => !after.has(name)),
      changed: [...after].flatMap(([name, scenario]) => {
        const old = before.get(name);
        return old !== undefined && !isDeepStrictEqual(old, scenario) ? [name] : [];
      }),
    },
    projectsChanged: names.filter((name) => !isDeepStrictEqual(projectsBefore.get(name), projectsAfter.get(name))),
    specChanged,
  };
}
