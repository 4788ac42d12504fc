import type { IssuedToken, Principal } from '../auth/token-registry';
import type { JournalEntry, JournalFilter } from '../control/request-journal';
import type { LazyFaker } from '../generate/seeded-faker';
import type { Keystore, KeystoreInput } from '../keystores/keystore';
import type { StoreSnapshot } from '../keystores/keystore-store';
import type { ScenarioFile } from '../scenarios/scenario';

/**
 * A name held for a create or rename while its deployment runs. The memory store holds it
 * until released; the Redis store also lets it lapse after a TTL, so a crashed replica frees it.
 */
export interface HeldName {
  readonly projectName: string;
  readonly name: string;
  /** Frees the name; harmless when called twice or after the change was committed. */
  release(): Promise<void>;
}

/**
 * One session's keystores. Each method is one atomic step of the store; a failure is an
 * ApiError from the catalog and changes nothing.
 */
export interface KeystoreRepository {
  /** The keystores of a project, in creation order. */
  list(projectName: string): Promise<Keystore[]>;
  /** One keystore; throws `keystoreNotFound`. */
  get(projectName: string, name: string): Promise<Keystore>;
  /** Checks that a create would succeed now (name free and not held, project under its limit). */
  assertCanCreate(projectName: string, name: string): Promise<void>;
  /** Checks as `assertCanCreate` and holds the name, in one atomic step. */
  reserve(projectName: string, name: string): Promise<HeldName>;
  /** Stores a new keystore under the held name. */
  create(projectName: string, input: KeystoreInput, held: HeldName): Promise<Keystore>;
  /** Checks that a replace would succeed now (throws `keystoreNotFoundForUpdate` or the duplicate error). */
  assertCanReplace(projectName: string, currentName: string, newName: string): Promise<void>;
  /** Checks as `assertCanReplace` and holds the new name of a rename; undefined when the name stays. */
  reserveRename(projectName: string, currentName: string, newName: string): Promise<HeldName | undefined>;
  /** Replaces a keystore; a new name renames it in place, keeping its position. */
  replace(
    projectName: string,
    currentName: string,
    input: KeystoreInput,
    held: HeldName | undefined,
  ): Promise<Keystore>;
  /** Removes a keystore and returns it; throws `keystoreNotFound`. */
  remove(projectName: string, name: string): Promise<Keystore>;
}

/** One session's request journal, bounded. */
export interface JournalRepository {
  /**
   * Stores an entry and returns it with its sequence; sequence 0 means it was not kept (a
   * journal size of 0, or a session reset or evicted meanwhile).
   */
  record(entry: Omit<JournalEntry, 'sequence'>): Promise<JournalEntry>;
  /** Matching entries, oldest first. */
  entries(filter?: JournalFilter): Promise<JournalEntry[]>;
  /** Forgets every entry; returns how many there were. */
  clear(): Promise<number>;
}

/** A scenario a session made at run time (`PUT /__mock/scenarios/NAME`), kept as it was sent. */
export interface StoredScenario {
  name: string;
  /** The session that made it; the default session's are seen by every session. */
  owner: string;
  /** The scenario file's data, checked before it was stored. */
  file: ScenarioFile;
}

/**
 * The runtime scenarios a session sees: its own, and the default session's, which every
 * session sees unless it has its own of the same name. Each change is one atomic step.
 */
export interface ScenarioRepository {
  /** Every runtime scenario the session sees, by name. */
  list(): Promise<StoredScenario[]>;
  /** The one of that name the session sees, its own first; undefined when there is none. */
  get(name: string): Promise<StoredScenario | undefined>;
  /** Stores one of the session's own; resolves to true when it replaced one of its own. */
  put(name: string, file: ScenarioFile): Promise<boolean>;
  /** Forgets one of the session's own; resolves to false when the session has none of that name. */
  remove(name: string): Promise<boolean>;
}

/** Tokens: the fixtures' (never stored) and those issued by `POST /auth/token`, shared by every session. */
export interface TokenRepository {
  lookup(token: string): Promise<Principal | undefined>;
  issue(clientId: string, clientSecret: string, now: number): Promise<IssuedToken>;
}

/** A session's exported state: what `GET /__mock/state` returns and `PUT` replaces, in one atomic step each. */
export interface SessionState {
  activeScenario: string | undefined;
  keystores: StoreSnapshot;
}

/** One isolated world: keystores, active scenario and journal; tokens are shared by all sessions. */
export interface Session {
  readonly id: string;
  readonly keystores: KeystoreRepository;
  readonly journal: JournalRepository;
  readonly tokens: TokenRepository;
  /** Scenarios made at run time: reset and eviction forget them with the session. */
  readonly scenarios: ScenarioRepository;
  /** This session's own seeded stream, so its draws do not depend on other sessions' traffic. */
  readonly random: LazyFaker;
  /** Set by `PUT /__mock/scenario`; undefined falls back to the start-up scenario. */
  activeScenario(): Promise<string | undefined>;
  setActiveScenario(name: string | undefined): Promise<void>;
  exportState(): Promise<SessionState>;
  /** Replaces every keystore, and the active scenario unless `activeScenario` is null. The snapshot must be checked. */
  importState(keystores: StoreSnapshot, activeScenario: string | undefined | null): Promise<void>;
}

/** A session opened for a request, and whether it had been evicted since the last request that named it. */
export interface OpenedSession {
  session: Session;
  evicted: boolean;
}

/** Live-session figures for `/__mock/health`. */
export interface SessionStats {
  live: number;
  max: number;
  /** How long a session must be idle before it may be evicted, in milliseconds. */
  idleMs: number;
  /** Sessions evicted since start (memory) or since the Redis state was made (redis). */
  evicted: number;
  /** New sessions refused with 429 because no live session was idle. */
  refused: number;
}

/** A live session as the dashboard lists it, read without touching it. */
export interface SessionSummary {
  id: string;
  /** Set by `PUT /__mock/scenario`; undefined follows the start-up scenario. */
  activeScenario: string | undefined;
  /** When a request last used it (epoch ms, the store's clock); null for the default session, which never idles out. */
  lastUsed: number | null;
}

/** Whether the store answers; health turns `ok: false` into a 503. */
export interface StoreHealth {
  kind: 'memory' | 'redis';
  ok: boolean;
}

/**
 * Where every session's state lives: this process's memory, or a Redis that replicas share.
 * Handlers and the control plane talk only to this interface.
 *
 * @example
 * const { session, evicted } = await store.open(req.headers['x-mock-session']);
 * await session.keystores.list('MyProject');
 */
export interface WorldStore {
  readonly kind: StoreHealth['kind'];
  /**
   * The session a request names (the default one when absent), created from the fixtures on
   * first use. Throws `invalid_session` for an unusable id and `too_many_sessions` when the
   * live limit is reached and no session has been idle long enough to be evicted.
   */
  open(id: string | undefined): Promise<OpenedSession>;
  /** The session if it is live, without creating, touching or evicting anything. */
  peek(id: string | undefined): Promise<Session | undefined>;
  /** Puts every session (or one) back to the fixtures, in one atomic step; all of them also forgets issued tokens. */
  reset(id?: string): Promise<void>;
  stats(): Promise<SessionStats>;
  /** Every live session, the default one first, then least recently used first; creates, touches and evicts nothing. */
  list(): Promise<SessionSummary[]>;
  /** Never throws. */
  health(): Promise<StoreHealth>;
  /** Lets go of connections; the store is unusable afterwards. */
  close(): Promise<void>;
}
