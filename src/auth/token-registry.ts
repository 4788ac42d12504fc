import { createHash, timingSafeEqual } from 'node:crypto';
import { errors } from '../errors';
import type { TokenFixture, UserFixture } from '../fixtures/world';

/** The role needed to read keystores. */
export const ROLE_API_SECURITY = 'ROLE_API_SECURITY';
/** The role needed to deploy and undeploy keystores. */
export const ROLE_DEPLOY_UNDEPLOY_PROXIES = 'ROLE_DEPLOY_UNDEPLOY_PROXIES';

/** Who a bearer token speaks for. */
export interface Principal {
  roles: ReadonlySet<string>;
  /** Epoch milliseconds after which the token is expired; undefined for fixture tokens that never expire. */
  expiresAt: number | undefined;
}

/** The body of a successful token response. */
export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** Issued tokens kept at once; the oldest is forgotten past this, so memory stays bounded. */
export const MAX_ISSUED_TOKENS = 10_000;

/**
 * The token issued as the `counter`-th since the last reset: derived from the seed, so runs (and
 * replicas) with one seed issue the same tokens.
 *
 * @example
 * issuedToken(42, 1); // always the same 40 hex digits
 */
export function issuedToken(seed: number, counter: number): string {
  return createHash('sha256').update(`${seed}\u0000${counter}`).digest('hex').slice(0, 40);
}

/** Compares two secrets in constant time, whatever their lengths. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The tokens the mock knows: those of the fixtures and those it issued. Issued tokens are
 * derived from the seed and a counter, so runs with one seed issue the same tokens.
 *
 * @example
 * const tokens = new TokenRegistry(world.tokens, world.users, { ttlSeconds: 3600, seed: 1 });
 * tokens.issue('admin', 'admin', Date.now()).access_token;
 */
export class TokenRegistry {
  private readonly fixed = new Map<string, Principal>();
  private readonly issued = new Map<string, Principal>();
  private counter = 0;

  constructor(
    tokens: readonly TokenFixture[],
    private readonly users: readonly UserFixture[],
    private readonly options: { ttlSeconds: number; seed: number },
  ) {
    for (const fixture of tokens) {
      this.fixed.set(fixture.token, {
        roles: new Set(fixture.roles),
        expiresAt: fixture.expired === true ? 0 : undefined,
      });
    }
  }

  /** The principal of a token, or undefined when the token is unknown. */
  lookup(token: string): Principal | undefined {
    return this.fixed.get(token) ?? this.issued.get(token);
  }

  /** Exchanges client credentials for a new token; throws `Bad credentials` when they are wrong. */
  issue(clientId: string, clientSecret: string, now: number): IssuedToken {
    const user = this.users.find((candidate) => candidate.clientId === clientId);
    // Compare a secret even when the user is unknown, so timing does not reveal which ids exist.
    const secretMatches = secretsEqual(clientSecret, user?.clientSecret ?? '\u0000no-such-user');
    if (user === undefined || !secretMatches) throw errors.badCredentials();
    this.counter += 1;
    const token = issuedToken(this.options.seed, this.counter);
    if (this.issued.size >= MAX_ISSUED_TOKENS) {
      const oldest = this.issued.keys().next().value;
      if (oldest !== undefined) this.issued.delete(oldest);
    }
    this.issued.set(token, {
      roles: new Set(user.roles),
      expiresAt: now + this.options.ttlSeconds * 1000,
    });
    return { access_token: token, token_type: 'Bearer', expires_in: this.options.ttlSeconds };
  }
}
