import { TokenRegistry } from '../auth/token-registry';
import { RequestJournal } from '../control/request-journal';
import { errors } from '../errors';
import type { World } from '../fixtures/world';
import { LazyFaker, deriveSeed } from '../generate/seeded-faker';
import type { ProjectInfo } from '../keystores/keystore';
import { KeystoreStore, type StoreSnapshot } from '../keystores/keystore-store';

/** The id of the session a caller is in when it names none. */
export const DEFAULT_SESSION = 'default';

const SESSION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One isolated world: its keystores, active scenario and journal. The tokens are shared by
 * every session, so a token obtained without a session header works in any session.
 */
export interface Session {
  readonly id: string;
  readonly store: KeystoreStore;
  readonly tokens: TokenRegistry;
  readonly journal: RequestJournal;
  /** Set by `PUT /__mock/scenario`; undefined falls back to the start-up scenario. */
  activeScenario: string | undefined;
  /** This session's own seeded stream, so its draws do not depend on other sessions' traffic. */
  readonly random: LazyFaker;
}

/** What every new or reset session is made from. */
export interface SessionTemplate {
  world: World;
  projects: readonly ProjectInfo[];
  initialKeystores: StoreSnapshot;
}

/** The limits and seed sessions are made with. */
export interface SessionOptions {
  maxSessions: number;
  journalSize: number;
  maxKeystoresPerProject: number;
  tokenTtlSeconds: number;
  seed: number;
}

/** Live-session figures for `/__mock/health`. */
export interface SessionStats {
  live: number;
  max: number;
  evicted: number;
}

/**
 * Sessions by id, created lazily from the fixtures and evicted least-recently-used first once
 * there are more than `maxSessions`. The default session is never evicted.
 *
 * @example
 * const sessions = new SessionRegistry(template, options, (id) => log.info({ session: id }, 'session evicted'));
 * const session = sessions.get(req.headers['x-mock-session']);
 */
export class SessionRegistry {
  private readonly named = new Map<string, Session>();
  private primary: Session;
  private evicted = 0;
  private tokens: TokenRegistry;

  constructor(
    private readonly template: SessionTemplate,
    private readonly options: SessionOptions,
    private readonly onEvict: (id: string) => void = () => undefined,
  ) {
    this.tokens = this.createTokens();
    this.primary = this.create(DEFAULT_SESSION);
  }

  /**
   * The session of an id (the default one when the id is absent), created on first use.
   * Throws `invalid_session` for an id that is not usable.
   */
  get(id: string | undefined): Session {
    if (id === undefined || id === DEFAULT_SESSION) return this.primary;
    if (!SESSION_ID.test(id)) throw errors.invalidSession(id);
    const existing = this.named.get(id);
    if (existing !== undefined) {
      this.named.delete(id);
      this.named.set(id, existing);
      return existing;
    }
    const session = this.create(id);
    this.named.set(id, session);
    this.evictBeyondLimit();
    return session;
  }

  /** Puts every session (or only `id`) back to the fixtures; resetting them all also forgets issued tokens. */
  reset(id?: string): void {
    if (id === undefined) {
      this.named.clear();
      this.tokens = this.createTokens();
      this.primary = this.create(DEFAULT_SESSION);
      return;
    }
    if (id === DEFAULT_SESSION) {
      this.primary = this.create(DEFAULT_SESSION);
      return;
    }
    if (!SESSION_ID.test(id)) throw errors.invalidSession(id);
    this.named.delete(id);
  }

  /** Figures for the health call. */
  stats(): SessionStats {
    return { live: this.named.size + 1, max: this.options.maxSessions, evicted: this.evicted };
  }

  private evictBeyondLimit(): void {
    // The default session counts toward the limit and is never the one evicted.
    while (this.named.size + 1 > this.options.maxSessions && this.named.size > 0) {
      const oldest = this.named.keys().next().value as string;
      this.named.delete(oldest);
      this.evicted += 1;
      this.onEvict(oldest);
    }
  }

  private createTokens(): TokenRegistry {
    const { world } = this.template;
    return new TokenRegistry(world.tokens, world.users, {
      ttlSeconds: this.options.tokenTtlSeconds,
      seed: this.options.seed,
    });
  }

  private create(id: string): Session {
    const { projects, initialKeystores } = this.template;
    const { seed } = this.options;
    return {
      id,
      store: new KeystoreStore(projects, { maxPerProject: this.options.maxKeystoresPerProject }, initialKeystores),
      tokens: this.tokens,
      journal: new RequestJournal(this.options.journalSize),
      activeScenario: undefined,
      random: new LazyFaker(deriveSeed(seed, 'session', id)),
    };
  }
}
