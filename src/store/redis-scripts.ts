import type { Redis } from 'ioredis';
import { DEFAULT_SESSION } from '../sessions/session-registry';

/**
 * What a script answers as its first reply element. Scripts never answer with text to parse:
 * the store maps each code to the catalog's ApiError.
 */
export const ScriptCode = {
  ok: 0,
  duplicate: 1,
  limitReached: 2,
  notFound: 3,
  notFoundForUpdate: 4,
  /** The session was reset, evicted or re-created since the caller opened it: nothing was changed. */
  gone: 5,
  /** The fixtures a session starts from are not in Redis (a Redis restarted empty): write them and retry. */
  needsTemplate: 6,
  tooManySessions: 7,
} as const;

/** Helpers every script starts with. Keys named in ARGV are built as redis-keys.ts builds them. */
const PRELUDE = `
local OK, DUPLICATE, LIMIT_REACHED, NOT_FOUND, NOT_FOUND_FOR_UPDATE, GONE, NEEDS_TEMPLATE, TOO_MANY_SESSIONS =
  ${ScriptCode.ok}, ${ScriptCode.duplicate}, ${ScriptCode.limitReached}, ${ScriptCode.notFound},
  ${ScriptCode.notFoundForUpdate}, ${ScriptCode.gone}, ${ScriptCode.needsTemplate}, ${ScriptCode.tooManySessions}
local DEFAULT_SESSION = ${JSON.stringify(DEFAULT_SESSION)}

-- Redis's own clock, in milliseconds: holds lapse by it, whatever the replicas' clocks say.
local function now_ms()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- Whether the session is still the incarnation the caller opened (not reset, evicted or re-created).
local function current(meta, born)
  return redis.call('HGET', meta, 'born') == born
end

-- Forgets the holds whose time is up, so a crashed replica's names become free.
local function prune(held, owners, now)
  local lapsed = redis.call('ZRANGEBYSCORE', held, '-inf', now)
  if #lapsed > 0 then
    redis.call('ZREMRANGEBYSCORE', held, '-inf', now)
    for _, name in ipairs(lapsed) do redis.call('HDEL', owners, name) end
  end
end

-- Whether a name is stored or held by a create or rename still deploying.
local function taken(keystores, held, name)
  return redis.call('HEXISTS', keystores, name) == 1 or redis.call('ZSCORE', held, name)
end

-- Holds a name for its owner until now + ttl, so a crashed replica's hold lapses.
local function hold(held, owners, name, owner, now, ttl)
  redis.call('ZADD', held, now + ttl, name)
  redis.call('HSET', owners, name, owner)
end

-- The keystores of a project in creation order, read in chunks (Lua's unpack has a bound).
local function read_project(keystores, order)
  local names = redis.call('ZRANGE', order, 0, -1)
  local found = {}
  for first = 1, #names, 500 do
    local chunk = {}
    for index = first, math.min(first + 499, #names) do chunk[#chunk + 1] = names[index] end
    for _, json in ipairs(redis.call('HMGET', keystores, unpack(chunk))) do
      if json then found[#found + 1] = json end
    end
  end
  return found
end

local function session_key(ns, id, kind, project)
  local key = ns .. ':s:{' .. id .. '}:' .. kind
  if project then key = key .. ':' .. project end
  return key
end

local PER_PROJECT = { 'ks', 'order', 'held', 'owners' }

local function template_of(prefix)
  local fields = redis.call('HMGET', prefix .. ':meta', 'projects', 'seq')
  if not fields[1] then return nil end
  return { prefix = prefix, projects = cjson.decode(fields[1]), seq = fields[2] }
end

local function drop(ns, id, template)
  local keys = { session_key(ns, id, 'meta'), session_key(ns, id, 'journal'), session_key(ns, id, 'scenarios') }
  for _, project in ipairs(template.projects) do
    for _, kind in ipairs(PER_PROJECT) do keys[#keys + 1] = session_key(ns, id, kind, project) end
  end
  redis.call('DEL', unpack(keys))
end

-- Puts a session back to the fixtures as a new incarnation, and returns the incarnation.
local function seed(ns, id, template)
  drop(ns, id, template)
  for _, project in ipairs(template.projects) do
    redis.call('COPY', template.prefix .. ':ks:' .. project, session_key(ns, id, 'ks', project))
    redis.call('COPY', template.prefix .. ':order:' .. project, session_key(ns, id, 'order', project))
  end
  local born = redis.call('INCR', ns .. ':born')
  redis.call('HSET', session_key(ns, id, 'meta'), 'born', born, 'seq', template.seq)
  return born
end

-- Remembers an evicted id (the newest last), forgetting the oldest beyond the capacity.
local function remember(ns, id, capacity)
  local evicted = ns .. ':evicted'
  redis.call('ZADD', evicted, redis.call('HINCRBY', ns .. ':stats', 'order', 1), id)
  local excess = redis.call('ZCARD', evicted) - capacity
  if excess > 0 then redis.call('ZREMRANGEBYRANK', evicted, 0, excess - 1) end
end
`;

/** The scripts by name. KEYS and ARGV are listed above each; replies are `{code, ...}`. */
const SOURCES = {
  /**
   * ARGV ns, template prefix, id, now, maxSessions, idleMs, evicted capacity.
   * -> {OK, born, evicted 0|1, evicted ids...} | {TOO_MANY_SESSIONS, ms until the oldest is idle} | {NEEDS_TEMPLATE}
   */
  open: `
local ns, id = ARGV[1], ARGV[3]
local now, max, idle, capacity = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local sessions, evicted, stats = ns .. ':sessions', ns .. ':evicted', ns .. ':stats'
local born = redis.call('HGET', session_key(ns, id, 'meta'), 'born')
-- The common case, a session in use: no fixtures to read.
if id == DEFAULT_SESSION and born then return { OK, born, 0 } end
-- Read before making room: that may evict, and forget, older ids.
local was_evicted = redis.call('ZSCORE', evicted, id) and 1 or 0
local live = id ~= DEFAULT_SESSION and redis.call('ZSCORE', sessions, id)
if live and born then
  redis.call('ZADD', sessions, 'GT', now, id)
  if was_evicted == 1 then redis.call('ZREM', evicted, id) end
  return { OK, born, was_evicted }
end
local template = template_of(ARGV[2])
if not template then return { NEEDS_TEMPLATE } end
-- The default session, or a live one, whose state Redis lost: seeded again, nothing evicted.
if id == DEFAULT_SESSION or live then
  born = seed(ns, id, template)
  if live then redis.call('ZADD', sessions, 'GT', now, id) end
  redis.call('ZREM', evicted, id)
  return { OK, born, was_evicted }
end
local evicted_ids = {}
-- The default session counts toward the limit and is never the one evicted.
while redis.call('ZCARD', sessions) + 1 >= max do
  local oldest = redis.call('ZRANGE', sessions, 0, 0, 'WITHSCORES')
  if #oldest == 0 or now - tonumber(oldest[2]) < idle then
    redis.call('HINCRBY', stats, 'refused', 1)
    if #oldest == 0 then return { TOO_MANY_SESSIONS, idle } end
    return { TOO_MANY_SESSIONS, tonumber(oldest[2]) + idle - now }
  end
  redis.call('ZREM', sessions, oldest[1])
  drop(ns, oldest[1], template)
  remember(ns, oldest[1], capacity)
  redis.call('HINCRBY', stats, 'evicted', 1)
  evicted_ids[#evicted_ids + 1] = oldest[1]
end
born = seed(ns, id, template)
redis.call('ZADD', sessions, now, id)
redis.call('ZREM', evicted, id)
return { OK, born, was_evicted, unpack(evicted_ids) }
`,
  /** ARGV ns, template prefix, id ('' for every session). -> {OK} | {NEEDS_TEMPLATE} */
  reset: `
local ns, id = ARGV[1], ARGV[3]
local template = template_of(ARGV[2])
if not template then return { NEEDS_TEMPLATE } end
local sessions, evicted = ns .. ':sessions', ns .. ':evicted'
if id == '' then
  for _, named in ipairs(redis.call('ZRANGE', sessions, 0, -1)) do drop(ns, named, template) end
  redis.call('DEL', sessions, evicted, ns .. ':tokens', ns .. ':tokens:order', ns .. ':tokens:counter')
  seed(ns, DEFAULT_SESSION, template)
elseif id == DEFAULT_SESSION then
  seed(ns, id, template)
else
  redis.call('ZREM', sessions, id)
  redis.call('ZREM', evicted, id)
  drop(ns, id, template)
end
return { OK }
`,
  /** KEYS meta, ks, held, owners. ARGV born, name, max, ttl ms, owner, '1' to hold. -> {code} */
  reserve: `
local meta, keystores, held, owners = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local born, name, max, ttl, owner = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
if not current(meta, born) then return { GONE } end
local now = now_ms()
prune(held, owners, now)
if taken(keystores, held, name) then return { DUPLICATE } end
if redis.call('HLEN', keystores) + redis.call('ZCARD', held) >= max then return { LIMIT_REACHED } end
if ARGV[6] == '1' then hold(held, owners, name, owner, now, ttl) end
return { OK }
`,
  /** KEYS meta, ks, order, held, owners. ARGV born, name, keystore JSON, max, owner ('' for none). -> {code} */
  create: `
local meta, keystores, order, held, owners = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local born, name, json, max, owner = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
if not current(meta, born) then return { GONE } end
prune(held, owners, now_ms())
if redis.call('HEXISTS', keystores, name) == 1 then return { DUPLICATE } end
local holder = redis.call('HGET', owners, name)
if holder and holder ~= owner then return { DUPLICATE } end
local pending = redis.call('ZCARD', held)
if holder then pending = pending - 1 end
if redis.call('HLEN', keystores) + pending >= max then return { LIMIT_REACHED } end
if holder then
  redis.call('ZREM', held, name)
  redis.call('HDEL', owners, name)
end
redis.call('ZADD', order, redis.call('HINCRBY', meta, 'seq', 1), name)
redis.call('HSET', keystores, name, json)
return { OK }
`,
  /** KEYS meta, ks, held, owners. ARGV born, current name, new name, ttl ms, owner, '1' to hold. -> {code} */
  reserveRename: `
local meta, keystores, held, owners = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local born, current_name, new_name, ttl, owner = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
if not current(meta, born) then return { GONE } end
if redis.call('HEXISTS', keystores, current_name) == 0 then return { NOT_FOUND_FOR_UPDATE } end
if new_name == current_name then return { OK } end
local now = now_ms()
prune(held, owners, now)
if taken(keystores, held, new_name) then return { DUPLICATE } end
if ARGV[6] == '1' then hold(held, owners, new_name, owner, now, ttl) end
return { OK }
`,
  /** KEYS meta, ks, order, held, owners. ARGV born, current name, new name, keystore JSON, owner. -> {code} */
  replace: `
local meta, keystores, order, held, owners = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local born, current_name, new_name, json, owner = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if not current(meta, born) then return { GONE } end
if redis.call('HEXISTS', keystores, current_name) == 0 then return { NOT_FOUND_FOR_UPDATE } end
if new_name ~= current_name then
  prune(held, owners, now_ms())
  if redis.call('HEXISTS', keystores, new_name) == 1 then return { DUPLICATE } end
  local holder = redis.call('HGET', owners, new_name)
  if holder and holder ~= owner then return { DUPLICATE } end
  if holder then
    redis.call('ZREM', held, new_name)
    redis.call('HDEL', owners, new_name)
  end
  -- In place: the new name takes the old one's creation sequence.
  local position = redis.call('ZSCORE', order, current_name)
  redis.call('ZREM', order, current_name)
  redis.call('HDEL', keystores, current_name)
  redis.call('ZADD', order, position, new_name)
end
redis.call('HSET', keystores, new_name, json)
return { OK }
`,
  /** KEYS meta, ks, order. ARGV born, name. -> {OK, keystore JSON} | {code} */
  remove: `
local meta, keystores, order = KEYS[1], KEYS[2], KEYS[3]
if not current(meta, ARGV[1]) then return { GONE } end
local json = redis.call('HGET', keystores, ARGV[2])
if not json then return { NOT_FOUND } end
redis.call('HDEL', keystores, ARGV[2])
redis.call('ZREM', order, ARGV[2])
return { OK, json }
`,
  /** KEYS held, owners. ARGV name, owner. Frees the name only while this owner holds it. -> {OK} */
  release: `
if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
end
return { OK }
`,
  /** KEYS ks, order. -> keystore JSONs in creation order */
  list: `return read_project(KEYS[1], KEYS[2])`,
  /** KEYS meta, then ks and order of each project. -> {scenario or nil, {JSON...} per project} */
  exportState: `
local state = { redis.call('HGET', KEYS[1], 'scenario') }
for index = 2, #KEYS, 2 do state[#state + 1] = read_project(KEYS[index], KEYS[index + 1]) end
return state
`,
  /**
   * KEYS meta, then ks and order of each project. ARGV born, 'keep'|'set'|'clear', scenario,
   * then per project: count, then name and JSON of each keystore. Holds are kept. -> {code}
   */
  importState: `
local meta = KEYS[1]
if not current(meta, ARGV[1]) then return { GONE } end
local seq = tonumber(redis.call('HGET', meta, 'seq'))
local next_arg = 4
for index = 2, #KEYS, 2 do
  local keystores, order = KEYS[index], KEYS[index + 1]
  redis.call('DEL', keystores, order)
  local count = tonumber(ARGV[next_arg])
  next_arg = next_arg + 1
  for _ = 1, count do
    seq = seq + 1
    redis.call('HSET', keystores, ARGV[next_arg], ARGV[next_arg + 1])
    redis.call('ZADD', order, seq, ARGV[next_arg])
    next_arg = next_arg + 2
  end
end
redis.call('HSET', meta, 'seq', seq)
if ARGV[2] == 'set' then redis.call('HSET', meta, 'scenario', ARGV[3]) end
if ARGV[2] == 'clear' then redis.call('HDEL', meta, 'scenario') end
return { OK }
`,
  /** KEYS meta. ARGV born, 'set'|'clear', scenario. -> {code} */
  setScenario: `
if not current(KEYS[1], ARGV[1]) then return { GONE } end
if ARGV[2] == 'set' then redis.call('HSET', KEYS[1], 'scenario', ARGV[3]) else redis.call('HDEL', KEYS[1], 'scenario') end
return { OK }
`,
  /** KEYS meta, scenarios. ARGV born, name, scenario JSON. -> {OK, 1 when it replaced one} | {GONE} */
  putScenario: `
if not current(KEYS[1], ARGV[1]) then return { GONE } end
local replaced = redis.call('HEXISTS', KEYS[2], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return { OK, replaced }
`,
  /** KEYS meta, scenarios. ARGV born, name. -> {OK, 1 when there was one} | {GONE} */
  removeScenario: `
if not current(KEYS[1], ARGV[1]) then return { GONE } end
return { OK, redis.call('HDEL', KEYS[2], ARGV[2]) }
`,
  /** KEYS meta, journal. ARGV born, journal size, entry JSON. The stream id is the sequence. -> {code, sequence} */
  record: `
if not current(KEYS[1], ARGV[1]) then return { GONE } end
local sequence = redis.call('HINCRBY', KEYS[1], 'journal', 1)
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], sequence .. '-0', 'e', ARGV[3])
return { OK, sequence }
`,
  /** KEYS meta, journal. ARGV born. Sequences start again from 1. -> {OK, how many entries there were} */
  clearJournal: `
if not current(KEYS[1], ARGV[1]) then return { GONE } end
local count = redis.call('XLEN', KEYS[2])
redis.call('DEL', KEYS[2])
redis.call('HDEL', KEYS[1], 'journal')
return { OK, count }
`,
  /** KEYS tokens, tokens order. ARGV token, principal JSON, counter, cap: forgets the oldest past the cap. -> {OK} */
  issueToken: `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if excess > 0 then
  local forgotten = redis.call('ZRANGE', KEYS[2], 0, excess - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
  redis.call('HDEL', KEYS[1], unpack(forgotten))
end
return { OK }
`,
} as const;

/** The name of one of the store's scripts. */
export type ScriptName = keyof typeof SOURCES;

/** Runs a script with its keys and arguments, in one atomic step of Redis. */
export type Script = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

/** ioredis adds a method per defined command; its name is only known at run time. */
type DefinedCommand = (numberOfKeys: number, ...keysAndArgs: (string | number)[]) => Promise<unknown>;

/**
 * Defines the store's Lua scripts on a connection (ioredis sends EVALSHA and falls back to EVAL
 * when Redis does not know the script, as after a restart) and returns a caller for each.
 *
 * @example
 * const scripts = redisScripts(redis);
 * await scripts.release([held, owners], [name, owner]);
 */
export function redisScripts(redis: Redis): Record<ScriptName, Script> {
  const commands = redis as unknown as Record<string, DefinedCommand>;
  const scripts = {} as Record<ScriptName, Script>;
  for (const [name, body] of Object.entries(SOURCES) as [ScriptName, string][]) {
    const command = `keystoreMock${name[0]?.toUpperCase()}${name.slice(1)}`;
    redis.defineCommand(command, { lua: `${PRELUDE}\n${body}` });
    scripts[name] = (keys, args) => {
      const run = commands[command];
      if (run === undefined) throw new Error(`the Redis script ${command} is not defined on this connection`);
      return run.call(redis, keys.length, ...keys, ...args);
    };
  }
  return scripts;
}
