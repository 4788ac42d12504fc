import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONFIG } from '../config';
import { StartupError, displayPath, readDataFile } from '../fixtures/read-data-file';
import { fixtureChecker } from '../fixtures/validate-fixture';
import { DEFAULT_SCENARIO, type LatencySpec, type Scenario, type ScenarioFile, type ScenarioOrigin } from './scenario';
import { scenarioSchema } from './scenario-schema';
import { scenarioTimingProblems } from './scenario-timing-problems';

const checkScenario = fixtureChecker<ScenarioFile>('scenario', scenarioSchema);
const SCENARIO_FILE = /\.(ya?ml|json)$/;

/** The folder of the scenarios shipped with the package. */
export const BUILTIN_SCENARIOS_DIR = path.join(DEFAULT_CONFIG.fixturesDir, 'scenarios');

/** How scenarios are loaded. */
export interface LoadScenariosOptions {
  /** Load the shipped scenarios first; when false, only the shipped `happy` is kept. */
  builtins: boolean;
}

function checkRange(spec: LatencySpec | undefined, field: string, file: string): void {
  const { min, max } = (typeof spec === 'object' ? spec : {}) as { min?: number; max?: number };
  if (min !== undefined && max !== undefined && min > max) {
    throw new StartupError(
      `Failed to load ${displayPath(file)}: ${field}.min (${min}) must not exceed ${field}.max (${max}).`,
    );
  }
}

function toScenario(data: ScenarioFile, file: string, origin: ScenarioOrigin): Scenario {
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
  const [problem] = scenarioTimingProblems(data);
  if (problem !== undefined) {
    throw new StartupError(`Failed to load ${displayPath(file)}: ${problem.field} ${problem.message}.`);
  }
  return {
    name: fromFileName,
    description: data.description ?? '',
    source: displayPath(file),
    origin,
    deploy: data.deploy ?? {},
    undeploy: data.undeploy ?? {},
    latency,
    storeOnFailure: data.storeOnFailure ?? true,
    responses: data.responses ?? {},
    tokenExpired: data.tokenExpired ?? false,
    ...(data.operations === undefined ? {} : { operations: data.operations }),
    ...(data.faults === undefined ? {} : { faults: data.faults }),
  };
}

/** Every scenario file of one folder, by name; two files of one name are refused. */
function readFolder(folder: string, origin: ScenarioOrigin): Map<string, Scenario> {
  const files = fs.existsSync(folder)
    ? fs
        .readdirSync(folder)
        .filter((entry) => SCENARIO_FILE.test(entry))
        .sort()
    : [];
  const scenarios = new Map<string, Scenario>();
  for (const entry of files) {
    const file = path.join(folder, entry);
    const scenario = toScenario(checkScenario(readDataFile(file), file), file, origin);
    const earlier = scenarios.get(scenario.name);
    if (earlier !== undefined) {
      throw new StartupError(
        `Failed to load ${displayPath(file)}: scenario "${scenario.name}" is already defined by ${earlier.source}; keep one of the two files.`,
      );
    }
    scenarios.set(scenario.name, scenario);
  }
  return scenarios;
}

/**
 * Loads the shipped scenarios, then every scenario file of `DIR/scenarios`, sorted by name. A
 * file of the same name as a shipped one overrides it, so a fixtures folder of one's own never
 * loses the built-ins silently. With `builtins: false` only the shipped `happy` is kept: it is
 * what runs when nothing chooses a scenario, so it always exists (a file of your own may
 * override it).
 *
 * @example
 * const scenarios = loadScenarios('my-fixtures', { builtins: true });
 * scenarios.get('slow-deploy')?.origin; // 'built-in', or 'override' when my-fixtures/scenarios/slow-deploy.yaml exists
 */
export function loadScenarios(
  fixturesDir: string,
  options: LoadScenariosOptions = { builtins: true },
): Map<string, Scenario> {
  const ownFolder = path.join(fixturesDir, 'scenarios');
  const scenarios = new Map<string, Scenario>();
  for (const [name, scenario] of readFolder(BUILTIN_SCENARIOS_DIR, 'built-in')) {
    if (options.builtins || name === DEFAULT_SCENARIO) scenarios.set(name, scenario);
  }
  if (path.resolve(ownFolder) !== path.resolve(BUILTIN_SCENARIOS_DIR)) {
    for (const [name, scenario] of readFolder(ownFolder, 'custom')) {
      scenarios.set(name, scenarios.has(name) ? { ...scenario, origin: 'override' } : scenario);
    }
  }
  if (!scenarios.has(DEFAULT_SCENARIO)) {
    // Only when the package's own folder has lost happy.yaml: the default still exists.
    scenarios.set(DEFAULT_SCENARIO, {
      ...toScenario(
        { description: 'Every deployment and undeployment succeeds.' },
        `${DEFAULT_SCENARIO}.yaml`,
        'built-in',
      ),
      source: '(built in)',
    });
  }
  return new Map([...scenarios.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
