import type { OperationHandler } from '../contract/operation';
import { errors } from '../errors';
import type { Reply } from '../http/reply';

interface TokenForm {
  grant_type: string;
  client_id: string;
  client_secret: string;
}

/** What the token handler needs from the app. */
export interface AuthHandlerDeps {
  clock: () => number;
}

/**
 * The token endpoint, keyed by operationId: client credentials for a bearer token.
 *
 * @example
 * const handlers = createAuthHandlers({ clock: Date.now });
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
  };
}
