import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { StartupError } from '../fixtures/read-data-file';

/** How long start-up waits for Redis before it gives up with one line. */
const CONNECT_BOUND_MS = 2_000;
/** Longest wait between two reconnection attempts while Redis is away. */
const MAX_BACKOFF_MS = 1_000;
/** A command Redis does not answer within this fails, so a hung Redis cannot hold a request for ever. */
const COMMAND_TIMEOUT_MS = 2_000;
/** The oldest Redis with what the scripts use (COPY, ZADD GT). */
const MINIMUM_VERSION = [6, 2] as const;

/**
 * A Redis URL as it may be shown in a log or an error: any password is masked.
 *
 * @example
 * displayRedisUrl('redis://:secret@cache:6379/1'); // 'redis://:***@cache:6379/1'
 */
export function displayRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/**
 * Rejects with `reason` when `promise` has not settled within `ms`; clears its timer either way,
 * so a bounded wait never keeps the process alive.
 *
 * @example
 * await within(redis.ping(), 1000, 'PING was not answered in time');
 */
export function within<T>(promise: Promise<T>, ms: number, reason: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(reason)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** An open connection and how to let go of it without logging the close as an outage. */
export interface RedisConnection {
  readonly redis: Redis;
  /** The URL as logs and errors show it (password masked). */
  readonly shown: string;
  close(): Promise<void>;
}

function versionOf(info: string): number[] {
  const match = /^redis_version:(\d+)\.(\d+)/m.exec(info);
  return match === null ? [] : [Number(match[1]), Number(match[2])];
}

/** Stops the client, unless a failed connection already ended it (ending it again leaves a timer behind). */
function drop(redis: Redis): void {
  if (redis.status !== 'end') redis.disconnect();
}

function unreachable(shown: string, reason: string): StartupError {
  const message = `Redis at ${shown} is not reachable (${reason}); start Redis or use --store memory`;
  return new StartupError(message, 'store', message);
}

/**
 * Opens the connection of the Redis store. Start-up fails fast, with one line naming the URL;
 * once running, a lost Redis is retried with a capped backoff and every command meanwhile
 * fails at once (no offline queue), so requests answer 500 instead of hanging. The log says
 * `redis unavailable` once when it goes away and `redis back` when it returns.
 *
 * @example
 * const { redis, close } = await connectRedis('redis://127.0.0.1:6379', logger);
 */
export async function connectRedis(url: string, logger: Logger): Promise<RedisConnection> {
  const shown = displayRedisUrl(url);
  let running = false;
  let lastError: Error | undefined;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_BOUND_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    enableOfflineQueue: false,
    // A command in flight when the connection drops fails at once instead of being sent again.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    // After QUIT is refused (Redis away), the socket is dropped at most this long after.
    disconnectTimeout: 200,
    // No retry while starting (start-up reports the failure); after that, retry for ever.
    retryStrategy: (attempt) => (running ? Math.min(attempt * 100, MAX_BACKOFF_MS) : null),
  });
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await within(redis.connect(), CONNECT_BOUND_MS, `no answer within ${CONNECT_BOUND_MS} ms`);
    const version = versionOf(await redis.info('server'));
    const [major = 0, minor = 0] = version;
    if (major < MINIMUM_VERSION[0] || (major === MINIMUM_VERSION[0] && minor < MINIMUM_VERSION[1])) {
      drop(redis);
      const message = `Redis at ${shown} is version ${version.join('.') || 'unknown'}; the store needs Redis ${MINIMUM_VERSION.join('.')} or later`;
      throw new StartupError(message, 'store', message);
    }
  } catch (error) {
    if (error instanceof StartupError) throw error;
    drop(redis);
    throw unreachable(shown, (lastError ?? (error as Error)).message);
  }
  running = true;
  let up = true;
  let closing = false;
  redis.on('close', () => {
    if (!up || closing) return;
    up = false;
    logger.warn(
      {
        store: shown,
        reason: lastError?.message ?? 'the connection closed',
        effect: 'requests answer 500 internal_error and health 503 until Redis is back; reconnecting by itself',
      },
      'redis unavailable',
    );
  });
  redis.on('ready', () => {
    if (up) return;
    up = true;
    lastError = undefined;
    logger.info({ store: shown }, 'redis back');
  });
  return {
    redis,
    shown,
    close: async () => {
      closing = true;
      // QUIT lets Redis answer what was sent; when Redis is away, drop the socket and stop retrying.
      await redis.quit().catch(() => drop(redis));
    },
  };
}
