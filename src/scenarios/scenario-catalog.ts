import { errors } from '../errors';
import { DEFAULT_SCENARIO, type Scenario } from './scenario';

/**
 * The scenarios known to one app, and the rule that picks one for a request: the
 * `X-Mock-Scenario` header, else the session's active scenario, else the start-up one.
 *
 * @example
 * const scenario = catalog.resolve(req.headers['x-mock-scenario'], session.activeScenario);
 */
export class ScenarioCatalog {
  private readonly startup: Scenario;

  constructor(
    private readonly scenarios: ReadonlyMap<string, Scenario>,
    startupName: string = DEFAULT_SCENARIO,
  ) {
    this.startup = this.get(startupName);
  }

  /** Every scenario name, sorted. */
  names(): string[] {
    return [...this.scenarios.keys()];
  }

  /** Every scenario, sorted by name. */
  all(): Scenario[] {
    return [...this.scenarios.values()];
  }

  /** The scenario in force when nothing else chooses one. */
  startupScenario(): Scenario {
    return this.startup;
  }

  /** A scenario by name; throws `unknown_scenario`, listing the known names, when there is none. */
  get(name: string): Scenario {
    const scenario = this.scenarios.get(name);
    if (scenario === undefined) throw errors.unknownScenario(name, this.names());
    return scenario;
  }

  /** The scenario for one request, most specific first. */
  resolve(header: string | undefined, sessionActive: string | undefined): Scenario {
    if (header !== undefined && header !== '') return this.get(header.trim());
    if (sessionActive !== undefined) return this.get(sessionActive);
    return this.startup;
  }
}
