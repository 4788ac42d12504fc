import type { OperationHandler, OperationInput } from '../contract/operation';
import { planDeployment, type DeploymentKind } from '../deployments/simulate-deployment';
import { errors } from '../errors';
import type { Reply } from '../http/reply';
import type { KeystoreStore } from './keystore-store';
import type { KeystoreInput, ProjectInfo } from './keystore';
import { checkKeystoreRules } from './keystore-rules';

/** What the keystore handlers need from the app. */
export interface KeystoreHandlerDeps {
  maxFileBytes: number;
  /** Waits for a simulated deployment; injected so tests can control time. */
  wait: (ms: number) => Promise<void>;
}

interface CachedList {
  version: number;
  json: string;
}

function projectOf(input: OperationInput): ProjectInfo {
  // The pipeline answers 404 before any handler runs when the project does not exist.
  if (input.project === undefined) throw errors.internal();
  return input.project;
}

function keystoreNameOf(input: OperationInput): string {
  const name = input.params.keystoreName;
  if (name === undefined) throw errors.internal();
  return name;
}

function deploymentReply(kind: DeploymentKind, input: OperationInput, environments: readonly string[]) {
  const draw = (min: number, max: number) => input.session.random.get().number.int({ min, max });
  return planDeployment(kind, environments, input.scenario, draw);
}

/**
 * The five keystore operations, keyed by operationId. They translate HTTP to store calls;
 * the store owns uniqueness and renames. Every store change happens before the first await,
 * so concurrent requests see each other's changes and an error leaves nothing half-done.
 *
 * @example
 * backend.register(createKeystoreHandlers({ maxFileBytes: 5 * 1024 * 1024, wait }));
 */
export function createKeystoreHandlers(deps: KeystoreHandlerDeps): Record<string, OperationHandler> {
  // Serialised lists per store and project, reused until the project's keystores change.
  const listCache = new WeakMap<KeystoreStore, Map<string, CachedList>>();

  const listJson = (store: KeystoreStore, project: string): string => {
    let byProject = listCache.get(store);
    if (byProject === undefined) {
      byProject = new Map();
      listCache.set(store, byProject);
    }
    const version = store.version(project);
    const cached = byProject.get(project);
    if (cached !== undefined && cached.version === version) return cached.json;
    const resultList = store.list(project);
    const json = JSON.stringify({ success: true, resultList, resultCount: resultList.length });
    byProject.set(project, { version, json });
    return json;
  };

  return {
    listKeystores: (input): Reply => ({
      status: 200,
      json: listJson(input.session.store, projectOf(input).name),
    }),

    getKeystore: (input): Reply => {
      const keystore = input.session.store.get(projectOf(input).name, keystoreNameOf(input));
      return { status: 200, body: { success: true, resultList: [keystore], resultCount: 1 } };
    },

    createKeystore: async (input): Promise<Reply> => {
      const project = projectOf(input);
      const body = input.body as KeystoreInput;
      const { store } = input.session;
      checkKeystoreRules(body, project, deps.maxFileBytes);
      store.assertCanCreate(project.name, body.name);
      const plan = deploymentReply(
        'deploy',
        input,
        body.keyStoreEnvironmentList.map((entry) => entry.environmentName),
      );
      const stored = plan.result.success || input.scenario.storeOnFailure;
      if (stored) store.create(project.name, body);
      await deps.wait(plan.delayMs);
      return { status: 200, body: { success: stored, deploymentResult: plan.result } };
    },

    updateKeystore: async (input): Promise<Reply> => {
      const project = projectOf(input);
      const currentName = keystoreNameOf(input);
      const body = input.body as KeystoreInput;
      const { store } = input.session;
      if (input.query.updateReferencedJwks === 'true' && input.query.updateScope === undefined) {
        throw errors.validationFailed([
          { field: 'updateScope', message: 'is required when updateReferencedJwks is true' },
        ]);
      }
      checkKeystoreRules(body, project, deps.maxFileBytes);
      store.assertCanReplace(project.name, currentName, body.name);
      const plan = deploymentReply(
        'deploy',
        input,
        body.keyStoreEnvironmentList.map((entry) => entry.environmentName),
      );
      const stored = plan.result.success || input.scenario.storeOnFailure;
      if (stored) store.replace(project.name, currentName, body);
      await deps.wait(plan.delayMs);
      return { status: 200, body: { success: stored, deploymentResult: plan.result } };
    },

    deleteKeystore: async (input): Promise<Reply> => {
      const project = projectOf(input);
      const removed = input.session.store.remove(project.name, keystoreNameOf(input));
      const plan = deploymentReply(
        'undeploy',
        input,
        removed.keyStoreEnvironmentList.map((entry) => entry.environmentName),
      );
      await deps.wait(plan.delayMs);
      return { status: 200, body: { success: true, deploymentResult: plan.result } };
    },
  };
}
