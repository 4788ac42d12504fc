import type { OperationHandler, OperationInput } from '../contract/operation';
import { planDeployment, type DeploymentKind, type DeploymentPlan } from '../deployments/simulate-deployment';
import { errors } from '../errors';
import { NOT_ANSWERED } from '../http/break-answer';
import type { Reply } from '../http/reply';
import type { KeystoreInput, ProjectInfo } from './keystore';
import { checkKeystoreRules } from './keystore-rules';
import type { HeldName } from '../store/world-store';
import { keystoreFileNotes } from './sniff-keystore-file';

/** What the keystore handlers need from the app. */
export interface KeystoreHandlerDeps {
  maxFileBytes: number;
  /** Waits for a simulated deployment; injected so tests can control time. */
  wait: (ms: number) => Promise<void>;
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

/**
 * Whether an environment's fault breaks this request before anything changes; the fault is
 * handed to the edge either way (unless `X-Mock-Fault` already chose one).
 */
function brokenBefore(input: OperationInput, deployment: DeploymentPlan): boolean {
  return deployment.fault !== undefined && input.breakWith(deployment.fault) && deployment.fault.when === 'before';
}

/** Waits out a deployment; if waiting fails, the held name is freed so nothing stays changed. */
async function deploy(wait: KeystoreHandlerDeps['wait'], ms: number, held: HeldName | undefined) {
  try {
    await wait(ms);
  } catch (error) {
    await held?.release();
    throw error;
  }
}

const listReply = (resultList: unknown[]): Reply => ({
  status: 200,
  body: { success: true, resultList, resultCount: resultList.length },
});

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
  return {
    listKeystores: {
      act: async (input) => listReply(await input.session.keystores.list(projectOf(input).name)),
    },

    getKeystore: {
      check: async (input) => void (await input.session.keystores.get(projectOf(input).name, keystoreNameOf(input))),
      act: async (input) =>
        listReply([await input.session.keystores.get(projectOf(input).name, keystoreNameOf(input))]),
    },

    createKeystore: {
      check: async (input) => {
        const body = input.body as KeystoreInput;
        checkKeystoreRules(body, projectOf(input), deps.maxFileBytes, input.note);
        await input.session.keystores.assertCanCreate(projectOf(input).name, body.name);
        // Not an error (the product accepts such files): only a note for the journal and the log.
        for (const text of keystoreFileNotes(body.keyStoreEnvironmentList)) input.note(text);
      },
      act: async (input): Promise<Reply> => {
        const project = projectOf(input).name;
        const body = input.body as KeystoreInput;
        const { keystores } = input.session;
        const deployment = plan('deploy', input, body);
        if (brokenBefore(input, deployment)) return NOT_ANSWERED;
        const held = await keystores.reserve(project, body.name);
        await deploy(deps.wait, deployment.delayMs, held);
        const stored = deployment.result.success || input.scenario.storeOnFailure;
        if (stored) await keystores.create(project, body, held);
        else await held.release();
        return { status: 200, body: { success: stored, deploymentResult: deployment.result } };
      },
    },

    updateKeystore: {
      check: async (input) => {
        if (input.query.updateReferencedJwks === 'true' && input.query.updateScope === undefined) {
          throw errors.validationFailed([
            { field: 'updateScope', message: 'is required when updateReferencedJwks is true' },
          ]);
        }
        const body = input.body as KeystoreInput;
        checkKeystoreRules(body, projectOf(input), deps.maxFileBytes, input.note);
        await input.session.keystores.assertCanReplace(projectOf(input).name, keystoreNameOf(input), body.name);
        for (const text of keystoreFileNotes(body.keyStoreEnvironmentList)) input.note(text);
      },
      act: async (input): Promise<Reply> => {
        const project = projectOf(input).name;
        const currentName = keystoreNameOf(input);
        const body = input.body as KeystoreInput;
        const { keystores } = input.session;
        const deployment = plan('deploy', input, body);
        if (brokenBefore(input, deployment)) return NOT_ANSWERED;
        const held = await keystores.reserveRename(project, currentName, body.name);
        await deploy(deps.wait, deployment.delayMs, held);
        const stored = deployment.result.success || input.scenario.storeOnFailure;
        try {
          if (stored) await keystores.replace(project, currentName, body, held);
        } finally {
          await held?.release();
        }
        return { status: 200, body: { success: stored, deploymentResult: deployment.result } };
      },
    },

    deleteKeystore: {
      check: async (input) => void (await input.session.keystores.get(projectOf(input).name, keystoreNameOf(input))),
      act: async (input): Promise<Reply> => {
        const project = projectOf(input).name;
        const name = keystoreNameOf(input);
        const deployment = plan('undeploy', input, await input.session.keystores.get(project, name));
        if (brokenBefore(input, deployment)) return NOT_ANSWERED;
        await deps.wait(deployment.delayMs);
        await input.session.keystores.remove(project, name);
        return { status: 200, body: { success: true, deploymentResult: deployment.result } };
      },
    },
  };
}
