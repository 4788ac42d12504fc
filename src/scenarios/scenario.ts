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

/** A delay drawn from a named distribution with the session's seeded generator. */
export type LatencyDistribution =
  | { distribution: 'fixed'; ms: number }
  | { distribution: 'uniform'; min: number; max: number }
  /** Most draws near `median`, a long tail above it; `sigma` is the spread of the log. Clamped to [min, max]. */
  | { distribution: 'lognormal'; median: number; sigma: number; min?: number; max?: number };

/**
 * A delay in milliseconds: a number (fixed), `{ min, max }` (uniform), or a distribution; every
 * draw uses the session's seeded generator, so the same seed gives the same delays.
 */
export type LatencySpec = number | { min: number; max: number } | LatencyDistribution;

/** How a fault breaks a request, the way networks do. */
export const FAULT_TYPES = ['connection-reset', 'empty-reply', 'hang', 'malformed-json'] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

/** `after`: the operation takes effect and only its answer is broken; `before`: nothing changes. */
export const FAULT_TIMINGS = ['after', 'before'] as const;
export type FaultWhen = (typeof FAULT_TIMINGS)[number];

/** A fault as a scenario file writes it: its type alone (broken after), or with its timing. */
export type FaultRule = FaultType | { type: FaultType; when?: FaultWhen };

/** What a scenario does to one operation, by operationId. */
export interface OperationRules {
  /** Added to the operation's answer, on top of any deployment latency. */
  delay?: LatencySpec;
  fault?: FaultRule;
}

/** Faults of keystore operations that deploy to (or undeploy from) an environment. */
export interface FaultRules {
  environments?: Record<string, FaultRule>;
}

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
  operations?: Record<string, OperationRules>;
  faults?: FaultRules;
}

/**
 * Where a scenario comes from: shipped with the mock (`built-in`), a file of the user's own
 * fixtures (`custom`), a file of the user's own that replaces a shipped one (`override`), the
 * `scenarios` option of `createApp` or `startMockServer` (`code`), or `PUT /__mock/scenarios/NAME`
 * while the mock runs (`runtime`).
 */
export type ScenarioOrigin = 'built-in' | 'custom' | 'override' | 'code' | 'runtime';

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
  /** Delays and faults by operationId; absent when the file declares none. */
  operations?: Record<string, OperationRules>;
  /** Faults by environment for deployments; absent when the file declares none. */
  faults?: FaultRules;
}

/** The name of the scenario in force when nothing chooses another. */
export const DEFAULT_SCENARIO = 'happy';
