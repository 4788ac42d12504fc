import { plannedFault, type PlannedFault } from '../scenarios/planned-fault';
import type { OutcomeSpec, Scenario } from '../scenarios/scenario';
import { drawLatency, type DrawInteger } from './draw-latency';

export type { DrawInteger } from './draw-latency';

/** Deploy on create and update, undeploy on delete. */
export type DeploymentKind = 'deploy' | 'undeploy';

/** One environment's line of the deployment response. */
export interface EnvironmentResult {
  environmentName: string;
  success: boolean;
  message: string;
}

/** The `deploymentResult` of the contract. */
export interface DeploymentResult {
  success: boolean;
  message: string;
  environmentResults: EnvironmentResult[];
}

/** What a deployment will report and how long it takes, decided before anything waits. */
export interface DeploymentPlan {
  result: DeploymentResult;
  /** How long the request should take, in milliseconds: per-request delay plus the slowest environment. */
  delayMs: number;
  /** The fault of the first of the keystore's environments that the scenario breaks, if any. */
  fault?: PlannedFault;
}

const WORDS = {
  deploy: {
    ok: 'Deployed successfully',
    failed: 'Deployment failed: environment ({environment}) did not respond',
    allOk: 'Deployment completed successfully',
    someFailed: 'Deployment completed with errors',
  },
  undeploy: {
    ok: 'Undeployed successfully',
    failed: 'Undeployment failed: environment ({environment}) did not respond',
    allOk: 'Undeployment completed successfully',
    someFailed: 'Undeployment completed with errors',
  },
} as const;

function faultOf(environments: readonly string[], scenario: Scenario): PlannedFault | undefined {
  const rules = scenario.faults?.environments;
  if (rules === undefined) return undefined;
  const environment = environments.find((name) => Object.hasOwn(rules, name));
  const rule = environment === undefined ? undefined : rules[environment];
  return rule === undefined
    ? undefined
    : plannedFault(rule, `scenario ${scenario.name} (faults.environments.${environment})`);
}

function outcomeFor(kind: DeploymentKind, environment: string, scenario: Scenario): EnvironmentResult {
  const rules = scenario[kind];
  const spec: OutcomeSpec = rules.environments?.[environment] ?? rules.default ?? { success: true };
  const template = spec.message ?? (spec.success ? WORDS[kind].ok : WORDS[kind].failed);
  return {
    environmentName: environment,
    success: spec.success,
    message: template.replaceAll('{environment}', environment),
  };
}

/**
 * Decides, from the scenario, what deploying to (or undeploying from) each environment reports,
 * how long it takes and whether an environment's fault breaks the request. Pure: the caller
 * waits, stores and breaks.
 *
 * @example
 * planDeployment('deploy', ['production', 'staging'], scenario, draw).result.success
 */
export function planDeployment(
  kind: DeploymentKind,
  environments: readonly string[],
  scenario: Scenario,
  draw: DrawInteger,
): DeploymentPlan {
  const environmentResults = environments.map((environment) => outcomeFor(kind, environment, scenario));
  const success = environmentResults.every((entry) => entry.success);
  const fault = faultOf(environments, scenario);
  const latency = scenario.latency;
  let slowest = 0;
  if (latency.perEnvironment !== undefined || latency.environments !== undefined) {
    for (const environment of environments) {
      const spec = latency.environments?.[environment] ?? latency.perEnvironment;
      slowest = Math.max(slowest, drawLatency(spec, draw));
    }
  }
  return {
    result: {
      success,
      message: success ? WORDS[kind].allOk : WORDS[kind].someFailed,
      environmentResults,
    },
    delayMs: drawLatency(latency.perRequest, draw) + slowest,
    ...(fault === undefined ? {} : { fault }),
  };
}
