/** The shapes of the control plane's answers the page reads (openapi/control-plane.yaml). */

export interface SessionSummary {
  id: string;
  activeScenario: string;
  lastUsed: string | null;
}

export interface FileSummary {
  environmentName: string;
  type: string;
  decodedBytes: number;
  format: 'JKS' | 'JCEKS' | 'PKCS12' | 'unknown';
  looksLike: string;
}

export interface KeystoreSummary {
  name: string;
  description?: string;
  projectId: string;
  environments: FileSummary[];
}

export interface ProjectView {
  name: string;
  projectId: string;
  environmentNames: string[];
  keystores: KeystoreSummary[];
}

export type Latency =
  | number
  | {
      distribution?: 'fixed' | 'uniform' | 'lognormal';
      ms?: number;
      min?: number;
      max?: number;
      median?: number;
      sigma?: number;
    };

export interface ScenarioEffect {
  name: string;
  perRequestLatencyMs: Latency;
  storeOnFailure: boolean;
  tokenExpired: boolean;
  cannedResponses: string[];
  environments: {
    environment: string;
    deploy: { success: boolean; message: string };
    undeploy: { success: boolean; message: string };
    latencyMs: Latency;
  }[];
}

export interface Dashboard {
  session: string;
  activeScenario: string;
  projects: ProjectView[];
  scenarios: ScenarioEffect[];
}

export interface ScenarioSummary {
  name: string;
  description: string;
  origin: string;
  source?: string;
}

export interface ScenarioList {
  active: string;
  startup: string;
  scenarios: ScenarioSummary[];
}

// One home for the entry's shape: the server's own type (it imports nothing, so the page can).
export type { JournalEntry } from '../src/control/request-journal';
