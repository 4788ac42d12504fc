import fs from 'node:fs';
import path from 'node:path';
import { StartupError, displayPath, readDataFile } from '../fixtures/read-data-file';
import { fixtureChecker } from '../fixtures/validate-fixture';
import { DEFAULT_SCENARIO, type LatencySpec, type Scenario, type ScenarioFile } from './scenario';
import { scenarioSchema } from './scenario-schema';

const checkScenario = fixtureChecker<ScenarioFile>('scenario', scenarioSchema);
const SCENARIO_FILE = /\.(ya?ml|json)$/;

function checkRange(spec: LatencySpec | undefined, field: string, file: string): void {
  if (typeof spec === 'object' && spec.min > spec.max) {
    throw new StartupError(
      `Failed to load ${displayPath(file)}: ${field}.min (${spec.min}) must not exceed ${field}.max (${spec.max}).`,
    );
  }
}

function toScenario(data: ScenarioFile, file: string): Scenario {
  const fromFileName = path.basename(file).replace(SCENARIO_FILE, '');
  if (data.name !== undefined && data.name !== fromFileName) {
    throw new StartupError(
      `Failed to load ${displayPath(file)}: name "${data.name}" must match the file name "${fromFileName}".`,
    );
  }
  const latency = data.latency ?? {};
  checkRange(latency.perRequest, 'latency.perRequest', file);
  checkRange(latency.perEnvironment, 'latency.perEnvironment', file);
  for (const [environment, spec] of Object.entries(latency.environments ?? {})) {
    checkRange(spec, `latency.environments.${environment}`, file);
  }
  return {
    name: fromFileName,
    description: data.description ?? '',
    source: displayPath(file),
    deploy: data.deploy ?? {},
    undeploy: data.undeploy ?? {},
    latency,
    storeOnFailure: data.storeOnFailure ?? true,
    responses: data.responses ?? {},
    tokenExpired: data.tokenExpired ?? false,
  };
}

/**
 * Loads every scenario file of `DIR/scenarios`, sorted by name. A `happy` scenario always
 * exists, even when no file defines it.
 *
 * @example
 * const scenarios = loadScenarios('fixtures');
 * scenarios.get('slow-deploy')?.latency.perEnvironment; // { min: 1000, max: 2000 }
 */
export function loadScenarios(fixturesDir: string): ReadonlyMap<string, Scenario> {
  const folder = path.join(fixturesDir, 'scenarios');
  const files = fs.existsSync(folder)
    ? fs
        .readdirSync(folder)
        .filter((entry) => SCENARIO_FILE.test(entry))
        .sort()
    : [];
  const scenarios = new Map<string, Scenario>();
  for (const entry of files) {
    const file = path.join(folder, entry);
    const scenario = toScenario(checkScenario(readDataFile(file), file), file);
    const earlier = scenarios.get(scenario.name);
    if (earlier !== undefined) {
      throw new StartupError(
        `Failed to load ${displayPath(file)}: scenario "${scenario.name}" is already defined by ${earlier.source}.`,
      );
    }
    scenarios.set(scenario.name, scenario);
  }
  if (!scenarios.has(DEFAULT_SCENARIO)) {
    scenarios.set(DEFAULT_SCENARIO, {
      ...toScenario({ description: 'Every deployment and undeployment succeeds.' }, `${DEFAULT_SCENARIO}.yaml`),
      source: '(built in)',
    });
  }
  return new Map([...scenarios.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
