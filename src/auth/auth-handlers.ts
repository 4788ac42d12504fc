import type { OperationHandler } from '../contract/operation';
import { createEnvironmentHandlers } from '../environments/environment-handlers';
import { errors } from '../errors';
import type { Environment } from '../fixtures/world';
import { createHealthHandlers } from '../health/health-handlers';
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
 * The product API's handlers other than the keystore ones, keyed by operationId: the token
 * endpoint, written here, and the test endpoints and environment listings of their own
 * modules, so that the app registers them in one call.
 *
 * @example
 * const handlers = createAuthHandlers({ environments, clock: Date.now });
 */
export function createAuthHandlers(deps: AuthHandlerDeps): Record<string, OperationHandler> {
  return {
    createToken: {
      check: (input) => {
        const form = input.body as TokenForm;
        if (form.grant_type !== 'client_credentials') throw errors.unsupportedGrantType();
      },
      act: async (input): Promise<Reply> => {
        const form = input.body as TokenForm;
        const token = await input.session.tokens.issue(form.client_id, form.client_secret, deps.clock());
        return { status: 200, body: token, headers: { 'Cache-Control': 'no-store' } };
      },
    },
    ...createHealthHandlers(),
    ...createEnvironmentHandlers(deps.environments),
  };
}
