/** What one environment reports after a deployment or undeployment. */
export interface OutcomeSpec {
  success: boolean;
  /** `{environment}` is replaced by the environment's name. */
  message?: string;
}

/** Outcomes for every environment, with overrides by environment name. */
export interface OutcomeRules {
  default?: OutcomeSpec;
  environments?: Record<string, OutcomeSpec>;
}

/** A delay in milliseconds: fixed, or drawn from a range with the seeded generator. */
export type LatencySpec = number | { min: number; max: number };

/** Where time is spent while a scenario is active. */
export interface LatencyRules {
  /** Added once to every keystore operation. */
  perRequest?: LatencySpec;
  /** Each environment's deployment; environments deploy in parallel. */
  perEnvironment?: LatencySpec;
  /** Overrides `perEnvironment` for named environments. */
  environments?: Record<string, LatencySpec>;
}

/** A response sent instead of the operation's own, once every check of the contract passed. */
export interface CannedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A scenario as written in a file of `fixtures/scenarios/`. */
export interface ScenarioFile {
  name?: string;
  description?: string;
  deploy?: OutcomeRules;
  undeploy?: OutcomeRules;
  latency?: LatencyRules;
  storeOnFailure?: boolean;
  responses?: Record<string, CannedResponse>;
  tokenExpired?: boolean;
}

/**
 * Where a scenario comes from: shipped with the mock (`built-in`), a file of the user's own
 * fixtures (`custom`), or a file of the user's own that replaces a shipped one (`override`).
 */
export type ScenarioOrigin = 'built-in' | 'custom' | 'override';

/** A loaded scenario, every optional part filled in. */
export interface Scenario {
  name: string;
  description: string;
  /** The file it came from, for messages and the start-up log. */
  source: string;
  origin: ScenarioOrigin;
  deploy: OutcomeRules;
  undeploy: OutcomeRules;
  latency: LatencyRules;
  storeOnFailure: boolean;
  responses: Record<string, CannedResponse>;
  tokenExpired: boolean;
}

/** The name of the scenario in force when nothing chooses another. */
export const DEFAULT_SCENARIO = 'happy';
