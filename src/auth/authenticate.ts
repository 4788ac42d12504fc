import { errors } from '../errors';
import type { Principal, TokenRegistry } from './token-registry';

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Resolves the `Authorization` header to a principal, or throws the contract's 401.
 * `forceExpired` is how a scenario makes every valid token expired.
 *
 * @example
 * const principal = authenticate(req.headers.authorization, session.tokens, Date.now(), false);
 */
export function authenticate(
  header: string | undefined,
  tokens: TokenRegistry,
  now: number,
  forceExpired: boolean,
): Principal {
  const match = header === undefined ? null : BEARER.exec(header);
  const principal = match?.[1] === undefined ? undefined : tokens.lookup(match[1]);
  if (principal === undefined) throw errors.invalidToken();
  if (forceExpired || (principal.expiresAt !== undefined && principal.expiresAt <= now)) {
    throw errors.tokenExpired();
  }
  return principal;
}

/**
 * Throws the contract's 403 unless the principal holds every role.
 *
 * @example
 * authorize(principal, ['ROLE_API_SECURITY']);
 */
export function authorize(principal: Principal, requiredRoles: readonly string[]): void {
  for (const role of requiredRoles) {
    if (!principal.roles.has(role)) throw errors.forbidden();
  }
}
