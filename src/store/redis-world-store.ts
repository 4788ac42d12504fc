import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { MAX_ISSUED_TOKENS, TokenRegistry, issuedToken, secretsEqual, type Principal } from '../auth/token-registry';
import { errors } from '../errors';
import type { ProjectInfo } from '../keystores/keystore';
import {
  DEFAULT_SESSION,
  REMEMBERED_EVICTIONS_PER_SESSION,
  SESSION_ID,
  type SessionTemplate,
} from '../sessions/session-registry';
import { connectRedis, within, type RedisConnection } from './connect-redis';
import { redisKeys } from './redis-keys';
import { redisScripts, ScriptCode, type Script, type ScriptName } from './redis-scripts';
import { RedisSession, scriptReply, type RedisSessionContext } from './redis-session';
import type {
  OpenedSession,
  Session,
  SessionStats,
  SessionSummary,
  StoreHealth,
  TokenRepository,
  WorldStore,
} from './world-store';

/** How long `health()` waits for PING before it says Redis is not ok. */
const HEALTH_BOUND_MS = 1_000;
/** Session objects kept per replica beyond the live limit, so a busy replica does not remake them. */
const SESSION_CACHE_SLACK = 16;

/** How the Redis store is opened. */
export interface RedisWorldStoreOptions {
  /** `redis://HOST:PORT[/DB]`. */
  url: string;
  /** Prefix of every key (`NAMESPACE:...`), so several mocks, or tests, can share one Redis. */
  namespace: string;
  /** What every new or reset session is made from; replicas sharing a namespace must share it. */
  template: SessionTemplate;
  limits: {
    maxSessions: number;
    sessionIdleMs: number;
    journalSize: number;
    maxKeystoresPerProject: number;
    tokenTtlSeconds: number;
    seed: number;
    /** How long a name stays held for a create or rename before it lapses (a crashed replica's names free up). */
    reservationTtlMs: number;
  };
  /** When a session was last used, for idle eviction; a hold's lapse uses Redis's own clock. */
  clock: () => number;
  logger: Logger;
  onEvict?: (id: string) => void;
}

/** A short, stable name of the fixtures, so replicas with other fixtures never seed from these. */
function templateDigest(template: SessionTemplate): string {
  const { projects, initialKeystores } = template;
  return createHash('sha256').update(JSON.stringify({ projects, initialKeystores })).digest('hex').slice(0, 16);
}

/** Fails with the first error of a MULTI's replies. */
function execReplies(replies: [Error | null, unknown][] | null): unknown[] {
  if (replies === null) throw new Error('a Redis transaction was aborted');
  return replies.map(([error, value]) => {
    if (error !== null) throw error;
    return value;
  });
}

/**
 * Every session's state in one Redis, shared by the replicas that name the same namespace, so
 * a balancer may send each request to any of them. Each change is one Lua script, an atomic
 * step of Redis: uniqueness is exact across replicas, and a failed change changes nothing. A
 * keystore is in Redis before its call returns. Needs a single Redis (no cluster), 6.2 or later.
 *
 * @example
 * const store = await RedisWorldStore.connect({ url: 'redis://127.0.0.1:6379', namespace: 'keystore-mock', template, limits, clock: Date.now, logger });
 * const { session } = await store.open(undefined);
 */
export class RedisWorldStore implements WorldStore {
  readonly kind = 'redis';
  private readonly redis: Redis;
  private readonly scripts: Record<ScriptName, Script>;
  private readonly keys: ReturnType<typeof redisKeys>;
  private readonly templatePrefix: string;
  private readonly context: RedisSessionContext;
  /** Session objects by id and incarnation, least recently used first (each keeps its own seeded stream). */
  private readonly sessions = new Map<string, RedisSession>();

  private constructor(
    private readonly connection: RedisConnection,
    private readonly options: RedisWorldStoreOptions,
  ) {
    this.redis = connection.redis;
    this.scripts = redisScripts(this.redis);
    this.keys = redisKeys(options.namespace);
    this.templatePrefix = this.keys.template(templateDigest(options.template));
    const projects = new Map(
      options.template.projects.map((project): [string, ProjectInfo] => [project.name, project]),
    );
    this.context = {
      redis: this.redis,
      scripts: this.scripts,
      namespace: options.namespace,
      projects,
      tokens: this.tokenRepository(),
      limits: options.limits,
    };
  }

  /**
   * Connects, writes the fixtures sessions start from, and makes sure the default session
   * exists. Rejects with a one-line StartupError when Redis does not answer within 2 s.
   *
   * @example
   * const store = await RedisWorldStore.connect(options);
   */
  static async connect(options: RedisWorldStoreOptions): Promise<RedisWorldStore> {
    const connection = await connectRedis(options.url, options.logger);
    const store = new RedisWorldStore(connection, options);
    try {
      await store.writeTemplate();
      await store.open(undefined);
    } catch (error) {
      await connection.close();
      throw error;
    }
    return store;
  }

  async open(id: string | undefined): Promise<OpenedSession> {
    const sessionId = this.sessionId(id);
    const { maxSessions, sessionIdleMs } = this.options.limits;
    const { code, values } = await this.withTemplate(() =>
      this.scripts.open(
        [],
        [
          this.options.namespace,
          this.templatePrefix,
          sessionId,
          this.options.clock(),
          maxSessions,
          sessionIdleMs,
          REMEMBERED_EVICTIONS_PER_SESSION * Math.max(1, maxSessions),
        ],
      ),
    );
    if (code === ScriptCode.tooManySessions) {
      const idleInSeconds = Math.max(1, Math.ceil(Number(values[0]) / 1000));
      throw errors.tooManySessions(sessionId, maxSessions, sessionIdleMs, idleInSeconds);
    }
    if (code !== ScriptCode.ok) throw new Error(`opening session "${sessionId}" answered the unknown code ${code}`);
    const [born, evicted, ...evictedIds] = values;
    for (const evictedId of evictedIds) this.options.onEvict?.(String(evictedId));
    return { session: this.session(sessionId, String(born)), evicted: evicted === 1 };
  }

  async peek(id: string | undefined): Promise<Session | undefined> {
    const sessionId = this.sessionId(id);
    // The default session always exists; opening it never evicts, refuses or counts as use.
    if (sessionId === DEFAULT_SESSION) return (await this.open(undefined)).session;
    const meta = this.keys.session(sessionId).meta;
    const [score, born] = execReplies(
      await this.redis.multi().zscore(this.keys.sessions, sessionId).hget(meta, 'born').exec(),
    );
    if (score === null || born === null) return undefined;
    return this.session(sessionId, String(born));
  }

  async reset(id?: string): Promise<void> {
    const sessionId = id === undefined ? '' : this.sessionId(id);
    const { code } = await this.withTemplate(() =>
      this.scripts.reset([], [this.options.namespace, this.templatePrefix, sessionId]),
    );
    if (code !== ScriptCode.ok) throw new Error(`resetting answered the unknown code ${code}`);
    for (const key of this.sessions.keys()) {
      if (id === undefined || key.startsWith(`${sessionId}\u0000`)) this.sessions.delete(key);
    }
  }

  async stats(): Promise<SessionStats> {
    const [live, counts] = execReplies(
      await this.redis.multi().zcard(this.keys.sessions).hmget(this.keys.stats, 'evicted', 'refused').exec(),
    );
    const [evicted, refused] = counts as (string | null)[];
    const { maxSessions, sessionIdleMs } = this.options.limits;
    return {
      live: Number(live) + 1,
      max: maxSessions,
      idleMs: sessionIdleMs,
      evicted: Number(evicted ?? 0),
      refused: Number(refused ?? 0),
    };
  }

  async list(): Promise<SessionSummary[]> {
    const ranked = await this.redis.zrange(this.keys.sessions, 0, -1, 'WITHSCORES');
    const named: { id: string; lastUsed: number }[] = [];
    for (let index = 0; index + 1 < ranked.length; index += 2) {
      named.push({ id: String(ranked[index]), lastUsed: Number(ranked[index + 1]) });
    }
    const ids = [DEFAULT_SESSION, ...named.map(({ id }) => id)];
    const reading = this.redis.pipeline();
    for (const id of ids) reading.hget(this.keys.session(id).meta, 'scenario');
    const scenarios = execReplies(await reading.exec());
    return ids.map((id, index) => ({
      id,
      activeScenario: typeof scenarios[index] === 'string' ? scenarios[index] : undefined,
      lastUsed: index === 0 ? null : (named[index - 1]?.lastUsed ?? null),
    }));
  }

  async health(): Promise<StoreHealth> {
    try {
      await within(this.redis.ping(), HEALTH_BOUND_MS, 'PING was not answered in time');
      return { kind: this.kind, ok: true };
    } catch {
      return { kind: this.kind, ok: false };
    }
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  private sessionId(id: string | undefined): string {
    if (id === undefined) return DEFAULT_SESSION;
    if (!SESSION_ID.test(id)) throw errors.invalidSession(id);
    return id;
  }

  /** The session object of an incarnation, made once per replica so its seeded stream goes on. */
  private session(id: string, born: string): RedisSession {
    const key = `${id}\u0000${born}`;
    let session = this.sessions.get(key);
    if (session !== undefined) this.sessions.delete(key);
    session ??= new RedisSession(id, born, this.context);
    this.sessions.set(key, session);
    const capacity = this.options.limits.maxSessions + SESSION_CACHE_SLACK;
    for (const oldest of this.sessions.keys()) {
      if (this.sessions.size <= capacity) break;
      this.sessions.delete(oldest);
    }
    return session;
  }

  /** Runs a script that seeds sessions; writes the fixtures first when Redis has lost them. */
  private async withTemplate(run: () => Promise<unknown>): Promise<{ code: number; values: unknown[] }> {
    let reply = scriptReply(await run());
    if (reply.code !== ScriptCode.needsTemplate) return reply;
    await this.writeTemplate();
    reply = scriptReply(await run());
    if (reply.code === ScriptCode.needsTemplate) {
      throw new Error(`the fixtures written to Redis under ${this.templatePrefix} vanished at once; is it flushed?`);
    }
    return reply;
  }

  /** Writes the fixture keystores sessions are seeded from, once per set of fixtures, in one transaction. */
  private async writeTemplate(): Promise<void> {
    const prefix = this.templatePrefix;
    if ((await this.redis.exists(`${prefix}:meta`)) === 1) return;
    const { projects, initialKeystores } = this.options.template;
    const transaction = this.redis.multi();
    let sequence = 0;
    for (const { name } of projects) {
      const keystores = initialKeystores[name] ?? [];
      transaction.del(`${prefix}:ks:${name}`, `${prefix}:order:${name}`);
      if (keystores.length === 0) continue;
      transaction.hset(
        `${prefix}:ks:${name}`,
        new Map(keystores.map((keystore) => [keystore.name, JSON.stringify(keystore)])),
      );
      transaction.zadd(`${prefix}:order:${name}`, ...keystores.flatMap((keystore) => [(sequence += 1), keystore.name]));
    }
    transaction.hset(`${prefix}:meta`, 'projects', JSON.stringify(projects.map(({ name }) => name)), 'seq', sequence);
    execReplies(await transaction.exec());
  }

  /** Issued tokens live in Redis, so any replica knows them; fixture tokens are never stored. */
  private tokenRepository(): TokenRepository {
    const { world } = this.options.template;
    const { seed, tokenTtlSeconds } = this.options.limits;
    // Never issues: only its fixture tokens are looked up.
    const fixtures = new TokenRegistry(world.tokens, world.users, { ttlSeconds: tokenTtlSeconds, seed });
    const { redis, scripts, keys } = this;
    return {
      lookup: async (token) => {
        const fixed = fixtures.lookup(token);
        if (fixed !== undefined) return fixed;
        const json = await redis.hget(keys.tokens, token);
        if (json === null) return undefined;
        const stored = JSON.parse(json) as { roles: string[]; expiresAt: number };
        const principal: Principal = { roles: new Set(stored.roles), expiresAt: stored.expiresAt };
        return principal;
      },
      issue: async (clientId, clientSecret, now) => {
        const user = world.users.find((candidate) => candidate.clientId === clientId);
        // Compare a secret even when the user is unknown, so timing does not reveal which ids exist.
        const secretMatches = secretsEqual(clientSecret, user?.clientSecret ?? '\u0000no-such-user');
        if (user === undefined || !secretMatches) throw errors.badCredentials();
        const counter = await redis.incr(keys.tokenCounter);
        const token = issuedToken(seed, counter);
        const principal = JSON.stringify({ roles: user.roles, expiresAt: now + tokenTtlSeconds * 1000 });
        await scripts.issueToken([keys.tokens, keys.tokenOrder], [token, principal, counter, MAX_ISSUED_TOKENS]);
        return { access_token: token, token_type: 'Bearer', expires_in: tokenTtlSeconds };
      },
    };
  }
}
