import type { OperationHandler } from '../contract/operation';
import { errors } from '../errors';
import type { Reply } from '../http/reply';

/**
 * The product's test endpoints, keyed by operationId: the health check (no token) and the
 * secure hello (any valid token; the pipeline has checked it). Both answer in text.
 *
 * @example
 * const handlers = createHealthHandlers();
 */
export function createHealthHandlers(): Record<string, OperationHandler> {
  return {
    healthCheck: {
      act: (): Reply => ({ status: 200, text: 'OK' }),
    },

    secureHello: {
      act: (input): Reply => {
        const name = input.params.name;
        if (name === undefined) throw errors.internal();
        return { status: 200, text: `Hello ${name}` };
      },
    },
  };
}
