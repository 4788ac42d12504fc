import type OpenAPIBackend from 'openapi-backend';
import { cannedResponseProblems } from '../contract/check-canned-responses';
import type { ResponseValidator } from '../contract/response-check';
import { errors } from '../errors';
import type { Session } from '../store/world-store';
import { scenarioEnvironmentProblems } from './check-scenario-environments';
import { checkScenarioData, type ScenarioCheck, type ScenarioMeta } from './load-scenarios';
import type { ScenarioFile } from './scenario';
import { runtimeScenarioMeta, type ScenarioCatalog, type ScenarioSummary } from './scenario-catalog';

/** What a scenario made while the mock runs is checked against: the world and the served document. */
export interface ScenarioCheckDeps {
  /** Every environment name of the world's projects. */
  environments: readonly string[];
  backend: OpenAPIBackend;
  responses: ResponseValidator;
  /** Operations the mock answers itself, which a `--spec` may lack (their canned responses are skipped). */
  mockOperations: ReadonlySet<string>;
}

/**
 * The whole check a scenario file gets at start, as one function of data: the schema, the
 * semantic checks, the environments it names and its canned responses. Every problem is
 * returned with its field.
 *
 * @example
 * const check = createScenarioCheck({ environments, backend, responses, mockOperations });
 * check({ deploy: { environments: { stagng: { success: false } } } }, runtimeScenarioMeta('x')).valid; // false
 */
export function createScenarioCheck(deps: ScenarioCheckDeps): (data: unknown, meta: ScenarioMeta) => ScenarioCheck {
  return (data, meta) => {
    const checked = checkScenarioData(data, meta);
    if (!checked.valid) return checked;
    const problems = [
      ...scenarioEnvironmentProblems(checked.scenario, deps.environments),
      ...cannedResponseProblems(deps.backend, deps.responses, checked.scenario, deps.mockOperations).problems,
    ];
    return problems.length > 0 ? { valid: false, problems } : checked;
  };
}

/** A runtime scenario stored, and whether it is new to its session. */
export interface PutScenarioResult {
  created: boolean;
  scenario: ScenarioSummary;
}

/**
 * Scenarios made and removed while the mock runs, by HTTP or code: checked as files are, kept
 * in the session's store, never in place of a configured scenario.
 *
 * @example
 * const runtime = new RuntimeScenarios(catalog, check);
 * await runtime.put(session, 'flaky', { deploy: { default: { success: false } } });
 */
export class RuntimeScenarios {
  constructor(
    private readonly catalog: ScenarioCatalog,
    private readonly check: (data: unknown, meta: ScenarioMeta) => ScenarioCheck,
  ) {}

  /**
   * Checks and stores a scenario as the session's own. Throws `scenario_conflict` for the name
   * of a configured scenario and `invalid_scenario`, with every problem, for a bad one.
   */
  async put(session: Session, name: string, data: unknown): Promise<PutScenarioResult> {
    this.refuseConfigured(name);
    const meta = runtimeScenarioMeta(name);
    const checked = this.check(data, meta);
    if (!checked.valid) throw errors.invalidScenario(name, checked.problems);
    const replaced = await session.scenarios.put(name, data as ScenarioFile);
    const { description, source, origin } = checked.scenario;
    return { created: !replaced, scenario: { name, description, source, origin, owner: session.id } };
  }

  /**
   * Forgets one of the session's own runtime scenarios; a session that had it active goes back
   * to the start-up scenario. Throws `scenario_conflict` for a configured one and 404
   * `unknown_scenario` for a name the session made none of.
   */
  async remove(session: Session, name: string): Promise<void> {
    this.refuseConfigured(name);
    if (!(await session.scenarios.remove(name))) {
      throw errors.runtimeScenarioNotFound(name, session.id, (await session.scenarios.get(name))?.owner);
    }
    if ((await session.activeScenario()) === name) await session.setActiveScenario(undefined);
  }

  private refuseConfigured(name: string): void {
    const configured = this.catalog.configured(name);
    if (configured !== undefined) throw errors.scenarioIsConfigured(name, configured.origin, configured.source);
  }
}
