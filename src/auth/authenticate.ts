import { errors } from '../errors';
import type { TokenRepository } from '../store/world-store';
import type { Principal } from './token-registry';

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * The token of an `Authorization: Bearer <token>` header, or undefined for any other header.
 *
 * @example
 * bearerToken('Bearer demo-token') // 'demo-token'
 */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

/**
 * Resolves the `Authorization` header to a principal, or throws the contract's 401.
 * `forceExpired` is how a scenario makes every valid token expired.
 *
 * @example
 * const principal = await authenticate(req.headers.authorization, session.tokens, Date.now(), false);
 */
export async function authenticate(
  header: string | undefined,
  tokens: TokenRepository,
  now: number,
  forceExpired: boolean,
): Promise<Principal> {
  const token = bearerToken(header);
  const principal = token === undefined ? undefined : await tokens.lookup(token);
  if (principal === undefined) throw errors.invalidToken();
  if (forceExpired || (principal.expiresAt !== undefined && principal.expiresAt <= now)) {
    throw errors.tokenExpired();
  }
  return principal;
}

/**
 * Whether the principal holds every role. The pipeline turns a no into the operation's answer:
 * 403, or the single 401 of an operation marked `x-forbidden-as: 401`.
 *
 * @example
 * holdsRoles(principal, ['ROLE_API_SECURITY']) // true
 */
export function holdsRoles(principal: Principal, requiredRoles: readonly string[]): boolean {
  return requiredRoles.every((role) => principal.roles.has(role));
}
