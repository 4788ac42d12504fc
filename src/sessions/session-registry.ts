import { TokenRegistry } from '../auth/token-registry';
import { RequestJournal } from '../control/request-journal';
import { errors } from '../errors';
import type { World } from '../fixtures/world';
import { LazyFaker, deriveSeed } from '../generate/seeded-faker';
import type { ProjectInfo } from '../keystores/keystore';
import { KeystoreStore, type StoreSnapshot } from '../keystores/keystore-store';
import type { ScenarioFile } from '../scenarios/scenario';
import type { SessionStats } from '../store/world-store';

/** The id of the session a caller is in when it names none. */
export const DEFAULT_SESSION = 'default';

/** What a session id may be made of: an id outside it answers 400 invalid_session. */
export const SESSION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

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
  /** Scenarios made at run time by this session, by name, as they were sent. */
  readonly scenarios: Map<string, ScenarioFile>;
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
  /** How long a session must go without a request before it may be evicted; one minute when absent. */
  sessionIdleMs?: number;
  journalSize: number;
  maxKeystoresPerProject: number;
  tokenTtlSeconds: number;
  seed: number;
}

/** A session for one request, and whether that request is the first to name it since it was evicted. */
export interface OpenedSession {
  session: Session;
  evicted: boolean;
}

/** The idle window when the options give none: a minute. */
export const DEFAULT_SESSION_IDLE_MS = 60_000;

/** The response header that tells a client, once, that its session had been evicted. */
export const SESSION_EVICTED_HEADER = 'X-Mock-Session-Evicted';

/** How many evicted ids are remembered, per allowed live session. */
export const REMEMBERED_EVICTIONS_PER_SESSION = 10;

/**
 * The note for the journal and the log when a request names a session that had been evicted.
 *
 * @example
 * if (opened.evicted) exchange.notes.push(evictedSessionNote(opened.session.id));
 */
export function evictedSessionNote(id: string): string {
  return `session "${id}" had been evicted (it was idle while --max-sessions sessions were live), so it starts again from the fixtures: its keystores, active scenario and journal are gone`;
}

interface LiveSession {
  session: Session;
  /** When a request last used it, by the registry's clock. */
  lastUsed: number;
}

/**
 * Sessions by id, created lazily from the fixtures. Beyond `maxSessions` live sessions, a new
 * one evicts the least recently used session only if that one has been idle for the idle
 * window; otherwise the new one is refused with 429, so a session in use is never dropped. The
 * default session is never evicted. Evicted ids are remembered (a bounded number) so the next
 * request naming one can be told.
 *
 * @example
 * const sessions = new SessionRegistry(template, config, (id) => log.info({ session: id }, 'session evicted'), clock);
 * const { session, evicted } = sessions.open(req.headers['x-mock-session']);
 */
export class SessionRegistry {
  /** Live named sessions, least recently used first. */
  private readonly named = new Map<string, LiveSession>();
  /** Ids evicted and not yet reported, oldest first. */
  private readonly evictedIds = new Set<string>();
  private primary: Session;
  private evictions = 0;
  private refusals = 0;
  private tokens: TokenRegistry;

  constructor(
    private readonly template: SessionTemplate,
    private readonly options: SessionOptions,
    private readonly onEvict: (id: string) => void = () => undefined,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = this.createTokens();
    this.primary = this.create(DEFAULT_SESSION);
  }

  /**
   * The session a request names (the default one when the id is absent), created on first use,
   * and whether the request is the first to name it since it was evicted (reported once).
   * Throws `invalid_session` for an unusable id and `too_many_sessions` when there is no room.
   */
  open(id: string | undefined): OpenedSession {
    // Read before making room: that may evict, and forget, older ids.
    const evicted = id !== undefined && this.evictedIds.has(id);
    const session = this.use(id);
    if (evicted) this.evictedIds.delete(id);
    return { session, evicted };
  }

  /**
   * The session of an id, as `open` gives it, but leaving an eviction unreported for the next
   * request: for programmatic callers that have no response to report it in.
   */
  get(id: string | undefined): Session {
    return this.use(id);
  }

  /**
   * The session of an id if it is live, without creating it or counting this as use: for
   * read-only looks such as the health call. Throws `invalid_session` for an unusable id.
   */
  find(id: string | undefined): Session | undefined {
    if (id === undefined || id === DEFAULT_SESSION) return this.primary;
    if (!SESSION_ID.test(id)) throw errors.invalidSession(id);
    return this.named.get(id)?.session;
  }

  /**
   * Puts every session (or only `id`) back to the fixtures; resetting them all also forgets
   * issued tokens. A reset session is no longer reported as evicted.
   */
  reset(id?: string): void {
    if (id === undefined) {
      this.named.clear();
      this.evictedIds.clear();
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
    this.evictedIds.delete(id);
  }

  /** Figures for the health call. */
  stats(): SessionStats {
    return {
      live: this.named.size + 1,
      max: this.options.maxSessions,
      idleMs: this.idleMs(),
      evicted: this.evictions,
      refused: this.refusals,
    };
  }

  /** Every live session with its last use, the default one first, then least recently used first; touches none. */
  list(): { session: Session; lastUsed: number | null }[] {
    const named = [...this.named.values()].map(({ session, lastUsed }) => ({ session, lastUsed }));
    return [{ session: this.primary, lastUsed: null }, ...named];
  }

  private idleMs(): number {
    return this.options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
  }

  private use(id: string | undefined): Session {
    if (id === undefined || id === DEFAULT_SESSION) return this.primary;
    if (!SESSION_ID.test(id)) throw errors.invalidSession(id);
    const now = this.clock();
    const existing = this.named.get(id);
    if (existing !== undefined) {
      // Re-inserting keeps the map in least-recently-used order.
      this.named.delete(id);
      existing.lastUsed = now;
      this.named.set(id, existing);
      return existing.session;
    }
    this.makeRoom(id, now);
    const session = this.create(id);
    this.named.set(id, { session, lastUsed: now });
    return session;
  }

  private makeRoom(id: string, now: number): void {
    const idleMs = this.idleMs();
    // The default session counts toward the limit and is never the one evicted.
    while (this.named.size + 1 >= this.options.maxSessions) {
      const oldest = this.named.entries().next().value;
      if (oldest === undefined || now - oldest[1].lastUsed < idleMs) {
        this.refusals += 1;
        const idleInMs = oldest === undefined ? idleMs : oldest[1].lastUsed + idleMs - now;
        throw errors.tooManySessions(id, this.options.maxSessions, idleMs, Math.max(1, Math.ceil(idleInMs / 1000)));
      }
      const [oldestId] = oldest;
      this.named.delete(oldestId);
      this.remember(oldestId);
      this.evictions += 1;
      this.onEvict(oldestId);
    }
  }

  private remember(evictedId: string): void {
    this.evictedIds.delete(evictedId);
    this.evictedIds.add(evictedId);
    const capacity = REMEMBERED_EVICTIONS_PER_SESSION * Math.max(1, this.options.maxSessions);
    for (const forgotten of this.evictedIds) {
      if (this.evictedIds.size <= capacity) break;
      this.evictedIds.delete(forgotten);
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
      scenarios: new Map(),
      random: new LazyFaker(deriveSeed(seed, 'session', id)),
    };
  }
}
