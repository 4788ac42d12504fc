import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONFIG } from '../config';
import type { ValidateFunction } from 'ajv';
import { createAjv } from '../contract/create-ajv';
import { toFieldErrors } from '../contract/field-errors';
import type { FieldError } from '../errors';
import { StartupError, displayPath, readDataFile } from '../fixtures/read-data-file';
import { DEFAULT_SCENARIO, type LatencySpec, type Scenario, type ScenarioFile, type ScenarioOrigin } from './scenario';
import { scenarioSchema } from './scenario-schema';
import { scenarioTimingProblems } from './scenario-timing-problems';

const SCENARIO_FILE = /\.(ya?ml|json)$/;

/** The folder of the scenarios shipped with the package. */
export const BUILTIN_SCENARIOS_DIR = path.join(DEFAULT_CONFIG.fixturesDir, 'scenarios');

/** How scenarios are loaded. */
export interface LoadScenariosOptions {
  /** Load the shipped scenarios first; when false, only the shipped `happy` is kept. */
  builtins: boolean;
  /** Scenarios given in code (the `scenarios` option), by name; they replace files of the same name. */
  code?: Readonly<Record<string, unknown>>;
}

/** The names a scenario may have, as the schema writes its `name` field. */
const SCENARIO_NAME = new RegExp(scenarioSchema.properties.name.pattern);

/** What a scenario is called and where it comes from, for the checks and their messages. */
export interface ScenarioMeta {
  /** The name it is stored under (file name, path segment or option key). */
  name: string;
  origin: ScenarioOrigin;
  /** Where it came from, for messages and the listing: a file, or the call that made it. */
  source: string;
  /** What `name` comes from, as messages say it: `the file name`, `the name in the path`. */
  nameFrom: string;
}

/** The outcome of checking a scenario: data, turned into an error by the caller (start-up or HTTP). */
export type ScenarioCheck = { valid: true; scenario: Scenario } | { valid: false; problems: FieldError[] };

/**
 * The scenario schema with every error reported (a request is told all its problems at once).
 * Compiled on first use; the same compiled schema serves every app, as it never changes.
 */
let validateSchema: ValidateFunction | undefined;

function schemaProblems(data: unknown): FieldError[] {
  validateSchema ??= createAjv('document').compile(scenarioSchema);
  if (validateSchema(data)) return [];
  // One problem per field: a value that breaks two keywords (-1.5 ms: not an integer, below 0)
  // is told the first.
  const byField = new Map<string, FieldError>();
  for (const problem of toFieldErrors(validateSchema.errors ?? [])) {
    const field = problem.field === 'body' ? 'the scenario' : problem.field;
    if (!byField.has(field)) byField.set(field, { field, message: problem.message });
  }
  return [...byField.values()];
}

function rangeProblems(spec: LatencySpec | undefined, field: string): FieldError[] {
  const { min, max } = (typeof spec === 'object' ? spec : {}) as { min?: unknown; max?: unknown };
  if (typeof min !== 'number' || typeof max !== 'number' || min <= max) return [];
  return [{ field: `${field}.min`, message: `(${min}) must not exceed ${field}.max (${max})` }];
}

/** The checks the schema cannot express: the name, and latency ranges. */
function semanticProblems(data: ScenarioFile, meta: ScenarioMeta): FieldError[] {
  const problems: FieldError[] = [];
  if (data.name !== undefined && data.name !== meta.name) {
    problems.push({ field: 'name', message: `"${data.name}" must match ${meta.nameFrom} "${meta.name}"` });
  }
  const latency = data.latency ?? {};
  problems.push(...rangeProblems(latency.perRequest, 'latency.perRequest'));
  problems.push(...rangeProblems(latency.perEnvironment, 'latency.perEnvironment'));
  for (const [environment, spec] of Object.entries(latency.environments ?? {})) {
    problems.push(...rangeProblems(spec, `latency.environments.${environment}`));
  }
  // Further semantic checks of the scenario file add their problems here.
  problems.push(...scenarioTimingProblems(data));
  return problems;
}

/**
 * A scenario from data already checked (a stored runtime scenario), every optional part filled in.
 *
 * @example
 * const scenario = scenarioFrom({ tokenExpired: true }, { name: 'expired', origin: 'runtime', source: 'PUT /__mock/scenarios/expired', nameFrom: 'the name in the path' });
 */
export function scenarioFrom(data: ScenarioFile, meta: ScenarioMeta): Scenario {
  return {
    name: meta.name,
    description: data.description ?? '',
    source: meta.source,
    origin: meta.origin,
    deploy: data.deploy ?? {},
    undeploy: data.undeploy ?? {},
    latency: data.latency ?? {},
    storeOnFailure: data.storeOnFailure ?? true,
    responses: data.responses ?? {},
    tokenExpired: data.tokenExpired ?? false,
    ...(data.operations === undefined ? {} : { operations: data.operations }),
    ...(data.faults === undefined ? {} : { faults: data.faults }),
  };
}

/**
 * Turns parsed data (from a file, a request body or code) into a checked scenario: the JSON
 * Schema, then the checks it cannot express. Every problem is returned, each with its field,
 * so one call serves start-up messages and HTTP answers alike. Environments and canned
 * responses need the world and the document: see `createScenarioCheck`.
 *
 * @example
 * const check = checkScenarioData({ latency: { perRequest: -1 } }, meta);
 * // { valid: false, problems: [{ field: 'latency.perRequest', message: 'must be >= 0' }, ...] }
 */
export function checkScenarioData(data: unknown, meta: ScenarioMeta): ScenarioCheck {
  const problems = schemaProblems(data);
  if (problems.length > 0) return { valid: false, problems };
  const file = data as ScenarioFile;
  const semantic = semanticProblems(file, meta);
  if (semantic.length > 0) return { valid: false, problems: semantic };
  return { valid: true, scenario: scenarioFrom(file, meta) };
}

/**
 * The checked scenario, or a StartupError naming the source and every problem with its field.
 *
 * @example
 * const scenario = loadScenarioData(readDataFile(file), { name: 'calm', origin: 'custom', source: file, nameFrom: 'the file name' });
 */
export function loadScenarioData(data: unknown, meta: ScenarioMeta): Scenario {
  const check = checkScenarioData(data, meta);
  if (check.valid) return check.scenario;
  const problems = check.problems.map(({ field, message }) => `${field} ${message}`).join('; ');
  throw new StartupError(`Failed to load ${meta.source}: ${problems}.`);
}

function fileMeta(file: string, origin: ScenarioOrigin): ScenarioMeta {
  return {
    name: path.basename(file).replace(SCENARIO_FILE, ''),
    origin,
    source: displayPath(file),
    nameFrom: 'the file name',
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
    const scenario = loadScenarioData(readDataFile(file), fileMeta(file, origin));
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
 * Loads the shipped scenarios, then every scenario file of `DIR/scenarios`, then the scenarios
 * given in code (`options.code`), sorted by name. A
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
  for (const [name, data] of Object.entries(options.code ?? {})) {
    const meta: ScenarioMeta = {
      name,
      origin: 'code',
      source: `the scenarios option, ${name}`,
      nameFrom: 'its key in the scenarios option',
    };
    if (!SCENARIO_NAME.test(name)) {
      throw new StartupError(
        `Failed to load ${meta.source}: the name "${name}" must be 1 to 100 characters from A-Z, a-z, 0-9, ".", "_" and "-", starting with a letter or digit.`,
      );
    }
    scenarios.set(name, loadScenarioData(data, meta));
  }
  if (!scenarios.has(DEFAULT_SCENARIO)) {
    // Only when the package's own folder has lost happy.yaml: the default still exists.
    scenarios.set(
      DEFAULT_SCENARIO,
      scenarioFrom(
        { description: 'Every deployment and undeployment succeeds.' },
        { name: DEFAULT_SCENARIO, origin: 'built-in', source: '(built in)', nameFrom: 'the file name' },
      ),
    );
  }
  return new Map([...scenarios.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
