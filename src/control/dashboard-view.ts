import { planDeployment, type EnvironmentResult } from '../deployments/simulate-deployment';
import type { Keystore, ProjectInfo } from '../keystores/keystore';
import type { StoreSnapshot } from '../keystores/keystore-store';
import { sniffKeystoreFile, type KeystoreFormat } from '../keystores/sniff-keystore-file';
import type { LatencySpec, Scenario } from '../scenarios/scenario';

/** One environment of a keystore as the dashboard shows it: no file, but what the file is. */
export interface EnvironmentFileSummary {
  environmentName: string;
  type: string;
  /** The decoded size of the file, in bytes. */
  decodedBytes: number;
  /** What the file's first bytes say it is, by the same rule the journal's notes use. */
  format: KeystoreFormat;
  /** The sniffer's words: the format, or what the bytes look like instead. */
  looksLike: string;
}

/** A keystore without its files, for the dashboard's table. */
export interface KeystoreSummary {
  name: string;
  description?: string;
  projectId: string;
  environments: EnvironmentFileSummary[];
}

/** What a scenario does to one environment. */
export interface EnvironmentEffect {
  environment: string;
  deploy: Omit<EnvironmentResult, 'environmentName'>;
  undeploy: Omit<EnvironmentResult, 'environmentName'>;
  /** The environment's deployment delay in milliseconds: fixed, a seeded range, or 0. */
  latencyMs: LatencySpec;
}

/** What a scenario does, environment by environment, and what it does to every call. */
export interface ScenarioEffect {
  name: string;
  perRequestLatencyMs: LatencySpec;
  storeOnFailure: boolean;
  tokenExpired: boolean;
  /** Operations answered with a canned response, by operationId. */
  cannedResponses: string[];
  environments: EnvironmentEffect[];
}

function summarise(keystore: Keystore): KeystoreSummary {
  const environments = keystore.keyStoreEnvironmentList.map(({ environmentName, type, file }) => {
    const sniffed = sniffKeystoreFile(file);
    return {
      environmentName,
      type,
      decodedBytes: Buffer.byteLength(file, 'base64'),
      format: sniffed.format,
      looksLike: sniffed.description,
    };
  });
  const { name, description, projectId } = keystore;
  return description === undefined ? { name, projectId, environments } : { name, description, projectId, environments };
}

/**
 * The keystores of a session by project, each file reduced to its decoded size and sniffed
 * format, so the page needs neither the files nor a copy of the sniffing rule.
 *
 * @example
 * keystoreSummaries(snapshot, projects) // [{ name: 'MyProject', keystores: [{ name, environments: [{ format: 'JKS', ... }] }] }]
 */
export function keystoreSummaries(snapshot: StoreSnapshot, projects: readonly ProjectInfo[]) {
  return projects.map((project) => ({
    name: project.name,
    projectId: project.id,
    environmentNames: [...project.environmentNames],
    keystores: (snapshot[project.name] ?? []).map(summarise),
  }));
}

/**
 * What each scenario does to every environment of the world, worked out by the deployment
 * planner itself, so the dashboard never restates the rules.
 *
 * @example
 * scenarioEffects(catalog.all(), ['production', 'staging'])[0].environments[1].deploy.success
 */
export function scenarioEffects(scenarios: readonly Scenario[], environmentNames: readonly string[]): ScenarioEffect[] {
  const environments = [...new Set(environmentNames)].sort();
  // The planner draws a delay inside a range; the dashboard shows the range itself instead.
  const noDraw = (min: number) => min;
  return scenarios.map((scenario) => {
    const deployed = planDeployment('deploy', environments, scenario, noDraw).result.environmentResults;
    const undeployed = planDeployment('undeploy', environments, scenario, noDraw).result.environmentResults;
    const { latency } = scenario;
    return {
      name: scenario.name,
      perRequestLatencyMs: latency.perRequest ?? 0,
      storeOnFailure: scenario.storeOnFailure,
      tokenExpired: scenario.tokenExpired,
      cannedResponses: Object.keys(scenario.responses).sort(),
      environments: environments.map((environment, index) => ({
        environment,
        deploy: { success: deployed[index]?.success ?? true, message: deployed[index]?.message ?? '' },
        undeploy: { success: undeployed[index]?.success ?? true, message: undeployed[index]?.message ?? '' },
        latencyMs: latency.environments?.[environment] ?? latency.perEnvironment ?? 0,
      })),
    };
  });
}
