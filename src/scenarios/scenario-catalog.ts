import { errors } from '../errors';
import type { Session, StoredScenario } from '../store/world-store';
import { scenarioFrom, type ScenarioMeta } from './load-scenarios';
import { DEFAULT_SCENARIO, type Scenario, type ScenarioOrigin } from './scenario';

/** A scenario as `GET /__mock/scenarios` lists it; `owner` names the session of a runtime one. */
export interface ScenarioSummary {
  name: string;
  description: string;
  source: string;
  origin: ScenarioOrigin;
  owner?: string;
}

/**
 * How a runtime scenario is described: where it was made, for messages and the listing.
 *
 * @example
 * runtimeScenarioMeta('flaky'); // { name: 'flaky', origin: 'runtime', source: 'PUT /__mock/scenarios/flaky', ... }
 */
export function runtimeScenarioMeta(name: string): ScenarioMeta {
  return { name, origin: 'runtime', source: `PUT /__mock/scenarios/${name}`, nameFrom: 'the name in the path' };
}

function summaryOf({ name, description, source, origin }: Scenario, owner?: string): ScenarioSummary {
  return owner === undefined ? { name, description, source, origin } : { name, description, source, origin, owner };
}

function fromStore(stored: StoredScenario): Scenario {
  return scenarioFrom(stored.file, runtimeScenarioMeta(stored.name));
}

/**
 * The scenarios known to one app and the rule that picks one for a request: the
 * `X-Mock-Scenario` header, else the session's active scenario, else the start-up one. A name
 * means, first, a scenario of the configuration (files and the `scenarios` option), then a
 * runtime scenario of the session, then one of the default session; runtime scenarios live in
 * the store, so they survive a rebuilt app and are shared by replicas.
 *
 * @example
 * const scenario = await catalog.resolve(req.headers['x-mock-scenario'], session);
 */
export class ScenarioCatalog {
  private readonly startup: Scenario;

  constructor(
    private readonly scenarios: ReadonlyMap<string, Scenario>,
    startupName: string = DEFAULT_SCENARIO,
  ) {
    this.startup = this.get(startupName);
  }

  /** Every configured scenario name, sorted. */
  names(): string[] {
    return [...this.scenarios.keys()];
  }

  /** Every configured scenario, sorted by name. */
  all(): Scenario[] {
    return [...this.scenarios.values()];
  }

  /** The scenario in force when nothing else chooses one. */
  startupScenario(): Scenario {
    return this.startup;
  }

  /** A configured scenario by name; throws `unknown_scenario`, listing the configured names, when there is none. */
  get(name: string): Scenario {
    const scenario = this.scenarios.get(name);
    if (scenario === undefined) throw errors.unknownScenario(name, this.names());
    return scenario;
  }

  /** The configured scenario of that name, if any: runtime scenarios may not take its name. */
  configured(name: string): Scenario | undefined {
    return this.scenarios.get(name);
  }

  /** The scenario a name means for a session (configured first, then runtime); undefined when none. */
  async find(name: string, session: Session | undefined): Promise<Scenario | undefined> {
    const configured = this.scenarios.get(name);
    if (configured !== undefined || session === undefined) return configured;
    const stored = await session.scenarios.get(name);
    return stored === undefined ? undefined : fromStore(stored);
  }

  /** As `find`, but an unknown name throws `unknown_scenario` listing every name the session sees. */
  async lookup(name: string, session: Session | undefined): Promise<Scenario> {
    const scenario = await this.find(name, session);
    if (scenario !== undefined) return scenario;
    const known = session === undefined ? this.names() : (await this.visible(session)).map((entry) => entry.name);
    throw errors.unknownScenario(name, known);
  }

  /**
   * The session's active scenario, or the start-up one when it set none, or when its runtime
   * scenario is gone (deleted, or the default session's was reset).
   */
  async active(session: Session | undefined): Promise<Scenario> {
    const name = await session?.activeScenario();
    if (name === undefined) return this.startup;
    return (await this.find(name, session)) ?? this.startup;
  }

  /** The scenario for one request, most specific first. */
  async resolve(header: string | undefined, session: Session | undefined): Promise<Scenario> {
    if (header !== undefined && header !== '') return this.lookup(header.trim(), session);
    return this.active(session);
  }

  /** Every scenario a session sees, sorted by name: the configured ones, then runtime ones of other names. */
  async visible(session: Session): Promise<ScenarioSummary[]> {
    const listed = this.all().map((scenario) => summaryOf(scenario));
    for (const stored of await session.scenarios.list()) {
      if (!this.scenarios.has(stored.name)) listed.push(summaryOf(fromStore(stored), stored.owner));
    }
    return listed.sort((a, b) => a.name.localeCompare(b.name));
  }
}
