/**
 * The key layout of the Redis store, in one place. Every key starts with the namespace.
 *
 * Shared by all sessions:
 * - `NS:sessions`        ZSET  named live session id -> last use (the replicas' injected clock)
 * - `NS:evicted`         ZSET  evicted, not yet reported id -> eviction order (bounded)
 * - `NS:stats`           HASH  evicted, refused (counts), order (eviction counter)
 * - `NS:born`            STRING counter: each seeding of a session gets a new incarnation
 * - `NS:tokens`          HASH  issued token -> {roles, expiresAt} JSON
 * - `NS:tokens:order`    ZSET  issued token -> counter, to forget the oldest past the cap
 * - `NS:tokens:counter`  STRING counter the issued tokens derive from (with the seed)
 * - `NS:t:DIGEST:meta`   HASH  the fixtures a session starts from: projects (JSON), seq
 * - `NS:t:DIGEST:ks:P` / `NS:t:DIGEST:order:P`  the fixture keystores of project P
 *
 * Per session ID (the braces keep one session's keys in one cluster slot, and end the id
 * unambiguously since an id never holds a brace):
 * - `NS:s:{ID}:meta`     HASH  born (incarnation), seq (creation counter), scenario, journal (sequence)
 * - `NS:s:{ID}:journal`  STREAM entry ids `SEQUENCE-0`, field `e` = the entry's JSON, exact MAXLEN
 * - `NS:s:{ID}:ks:P`     HASH  keystore name -> keystore JSON
 * - `NS:s:{ID}:order:P`  ZSET  keystore name -> creation sequence (a rename keeps the score)
 * - `NS:s:{ID}:held:P`   ZSET  held name -> expiry (Redis's own clock, in ms)
 * - `NS:s:{ID}:owners:P` HASH  held name -> owner token of the holder
 * - `NS:s:{ID}:scenarios` HASH scenario name -> scenario file JSON, made at run time (the
 *   default session's are read by every session)
 *
 * @example
 * const keys = redisKeys('keystore-mock');
 * keys.session('default').keystores('MyProject'); // 'keystore-mock:s:{default}:ks:MyProject'
 */
export function redisKeys(namespace: string) {
  return {
    sessions: `${namespace}:sessions`,
    evicted: `${namespace}:evicted`,
    stats: `${namespace}:stats`,
    tokens: `${namespace}:tokens`,
    tokenOrder: `${namespace}:tokens:order`,
    tokenCounter: `${namespace}:tokens:counter`,
    /** The prefix of a template's keys; the Lua scripts append `:meta`, `:ks:P`, `:order:P`. */
    template: (digest: string) => `${namespace}:t:${digest}`,
    session: (id: string) => sessionKeys(namespace, id),
  };
}

/**
 * The keys of one session; the Lua scripts build the same names from the namespace and id.
 *
 * @example
 * sessionKeys('keystore-mock', 'w1').meta; // 'keystore-mock:s:{w1}:meta'
 */
export function sessionKeys(namespace: string, id: string) {
  const prefix = `${namespace}:s:{${id}}`;
  return {
    meta: `${prefix}:meta`,
    journal: `${prefix}:journal`,
    keystores: (project: string) => `${prefix}:ks:${project}`,
    order: (project: string) => `${prefix}:order:${project}`,
    held: (project: string) => `${prefix}:held:${project}`,
    owners: (project: string) => `${prefix}:owners:${project}`,
    scenarios: `${prefix}:scenarios`,
  };
}

/** The keys of one session, as `sessionKeys` gives them. */
export type SessionKeys = ReturnType<typeof sessionKeys>;
