import type { OperationHandler } from '../contract/operation';
import { errors } from '../errors';
import type { Environment } from '../fixtures/world';
import type { Reply } from '../http/reply';

interface TokenForm {
  grant_type: string;
  client_id: string;
  client_secret: string;
}

/** What the token and environment handlers need from the app. */
export interface AuthHandlerDeps {
  /** The environments of each project, by project name. */
  environments: ReadonlyMap<string, readonly Environment[]>;
  clock: () => number;
}

/**
 * The token endpoint and the environment listing, keyed by operationId.
 *
 * @example
 * backend.register(createAuthHandlers({ environments, clock: Date.now }));
 */
export function createAuthHandlers(deps: AuthHandlerDeps): Record<string, OperationHandler> {
  return {
    createToken: {
      check: (input) => {
        const form = input.body as TokenForm;
        if (form.grant_type !== 'client_credentials') throw errors.unsupportedGrantType();
      },
      act: (input): Reply => {
        const form = input.body as TokenForm;
        const token = input.session.tokens.issue(form.client_id, form.client_secret, deps.clock());
        return { status: 200, body: token, headers: { 'Cache-Control': 'no-store' } };
      },
    },

    listEnvironments: {
      act: (input): Reply => {
        const project = input.project;
        const resultList = project === undefined ? undefined : deps.environments.get(project.name);
        if (project === undefined || resultList === undefined) throw errors.internal();
        return { status: 200, body: { success: true, resultList, resultCount: resultList.length } };
      },
    },
  };
}
