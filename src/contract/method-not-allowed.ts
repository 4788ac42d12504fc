import type OpenAPIBackend from 'openapi-backend';
import type { Context, Handler } from 'openapi-backend';
import { errors } from '../errors';
import type { Reply } from '../http/reply';
import type { Exchange } from './operation';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'trace'] as const;

/**
 * The methods a path is served with: those of the document, plus HEAD wherever GET is
 * (answered as GET without a body) and OPTIONS everywhere.
 *
 * @example
 * allowedMethods(backend, '/apiops/auth/token') // ['POST', 'OPTIONS']
 */
export function allowedMethods(backend: OpenAPIBackend, path: string): string[] {
  const allowed: string[] = [];
  for (const method of METHODS) {
    try {
      backend.router.matchOperation({ method, path, headers: {} }, true);
      allowed.push(method.toUpperCase());
    } catch {
      // not served with this method
    }
  }
  if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.push('HEAD');
  allowed.push('OPTIONS');
  return allowed;
}

/**
 * openapi-backend's `methodNotAllowed` fallback: 405 with an `Allow` header for a served path
 * asked with another method, except OPTIONS, which gets 204 and the same `Allow` header
 * (browsers' CORS preflights are answered earlier, by the CORS middleware).
 *
 * @example
 * backend.register('methodNotAllowed', methodNotAllowed(() => backend));
 */
export function methodNotAllowed(backendOf: () => OpenAPIBackend): Handler {
  return (_context: Context, exchange: Exchange): Reply => {
    const { method, path } = exchange.request;
    const allowed = allowedMethods(backendOf(), path);
    if (method.toUpperCase() === 'OPTIONS') return { status: 204, headers: { Allow: allowed.join(', ') } };
    throw errors.methodNotAllowed(method.toUpperCase(), path, allowed);
  };
}
