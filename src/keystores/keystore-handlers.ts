import type { OperationHandler, OperationInput } from '../contract/operation';
import { planDeployment, type DeploymentKind, type DeploymentPlan } from '../deployments/simulate-deployment';
import { errors } from '../errors';
import type { Reply } from '../http/reply';
import type { Keystore, KeystoreInput, ProjectInfo } from './keystore';
import { checkKeystoreRules } from './keystore-rules';
import type { KeystoreStore, NameReservation } from './keystore-store';
import { keystoreFileNotes } from './sniff-keystore-file';

/** What the keystore handlers need from the app. */
export interface KeystoreHandlerDeps {
  maxFileBytes: number;
  /** Waits for a simulated deployment; injected so tests can control time. */
  wait: (ms: number) => Promise<void>;
}

/** Lists up to this size (about 300 keystores with 3 KB files) are kept serialised between changes. */
const MAX_CACHED_LIST_CHARS = 1024 * 1024;

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

function plan(kind: DeploymentKind, input: OperationInput, keystore: KeystoreInput): DeploymentPlan {
  const draw = (min: number, max: number) => input.session.random.get().number.int({ min, max });
  const environments = keystore.keyStoreEnvironmentList.map((entry) => entry.environmentName);
  return planDeployment(kind, environments, input.scenario, draw);
}

/** Waits out a deployment; if waiting fails, the reservation is freed so nothing stays changed. */
async function deploy(wait: KeystoreHandlerDeps['wait'], ms: number, reservation: NameReservation | undefined) {
  try {
    await wait(ms);
  } catch (error) {
    reservation?.release();
    throw error;
  }
}

/**
 * The five keystore operations, keyed by operationId. They translate HTTP to store calls; the
 * store owns uniqueness and renames. A create or rename reserves its name before the first
 * await, so concurrent requests for one name get the duplicate error at once, and the store
 * changes only once the simulated deployment is over, so a request that fails changes nothing.
 *
 * @example
 * const handlers = createKeystoreHandlers({ maxFileBytes: 5 * 1024 * 1024, wait });
 */
export function createKeystoreHandlers(deps: KeystoreHandlerDeps): Record<string, OperationHandler> {
  // Serialised lists per store and project, reused until the project's keystores change.
  const listCache = new WeakMap<KeystoreStore, Map<string, CachedList>>();
  // Stored keystores are never mutated (a change stores a new object), so their JSON can be kept.
  const keystoreCache = new WeakMap<Keystore, string>();
  const keystoreJson = (keystore: Keystore): string => {
    let json = keystoreCache.get(keystore);
    if (json === undefined) {
      json = JSON.stringify(keystore);
      keystoreCache.set(keystore, json);
    }
    return json;
  };

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
    // Large lists are rebuilt on demand rather than held twice in memory.
    if (json.length <= MAX_CACHED_LIST_CHARS) byProject.set(project, { version, json });
    else byProject.delete(project);
    return json;
  };

  return {
    listKeystores: {
      act: (input): Reply => ({ status: 200, json: listJson(input.session.store, projectOf(input).name) }),
    },

    getKeystore: {
      check: (input) => void input.session.store.get(projectOf(input).name, keystoreNameOf(input)),
      act: (input): Reply => {
        const keystore = input.session.store.get(projectOf(input).name, keystoreNameOf(input));
        return { status: 200, json: `{"success":true,"resultList":[${keystoreJson(keystore)}],"resultCount":1}` };
      },
    },

    createKeystore: {
      check: (input) => {
        const body = input.body as KeystoreInput;
        checkKeystoreRules(body, projectOf(input), deps.maxFileBytes, input.note);
        input.session.store.assertCanCreate(projectOf(input).name, body.name);
        // Not an error (the product accepts such files): only a note for the journal and the log.
        for (const text of keystoreFileNotes(body.keyStoreEnvironmentList)) input.note(text);
      },
      act: async (input): Promise<Reply> => {
        const project = projectOf(input).name;
        const body = input.body as KeystoreInput;
        const { store } = input.session;
        const reservation = store.reserve(project, body.name);
        const deployment = plan('deploy', input, body);
        await deploy(deps.wait, deployment.delayMs, reservation);
        const stored = deployment.result.success || input.scenario.storeOnFailure;
        if (stored) store.create(project, body, reservation);
        else reservation.release();
        return { status: 200, body: { success: stored, deploymentResult: deployment.result } };
      },
    },

    updateKeystore: {
      check: (input) => {
        if (input.query.updateReferencedJwks === 'true' && input.query.updateScope === undefined) {
          throw errors.validationFailed([
            { field: 'updateScope', message: 'is required when updateReferencedJwks is true' },
          ]);
        }
        const body = input.body as KeystoreInput;
        checkKeystoreRules(body, projectOf(input), deps.maxFileBytes, input.note);
        input.session.store.assertCanReplace(projectOf(input).name, keystoreNameOf(input), body.name);
        for (const text of keystoreFileNotes(body.keyStoreEnvironmentList)) input.note(text);
      },
      act: async (input): Promise<Reply> => {
        const project = projectOf(input).name;
        const currentName = keystoreNameOf(input);
        const body = input.body as KeystoreInput;
        const { store } = input.session;
        const reservation = store.reserveRename(project, currentName, body.name);
        const deployment = plan('deploy', input, body);
        await deploy(deps.wait, deployment.delayMs, reservation);
        const stored = deployment.result.success || input.scenario.storeOnFailure;
        try {
          if (stored) store.replace(project, currentName, body, reservation);
        } finally {
          reservation?.release();
        }
        return { status: 200, body: { success: stored, deploymentResult: deployment.result } };
      },
    },

    deleteKeystore: {
      check: (input) => void input.session.store.get(projectOf(input).name, keystoreNameOf(input)),
      act: async (input): Promise<Reply> => {
        const project = projectOf(input).name;
        const name = keystoreNameOf(input);
        const deployment = plan('undeploy', input, input.session.store.get(project, name));
        await deps.wait(deployment.delayMs);
        input.session.store.remove(project, name);
        return { status: 200, body: { success: true, deploymentResult: deployment.result } };
      },
    },
  };
}
