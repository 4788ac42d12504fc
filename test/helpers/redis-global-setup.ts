import { startRedisServer, type RedisServer } from './redis-server';

declare global {
  // Handed from globalSetup to globalTeardown, which run in the same process.
  var keystoreMockRedis: RedisServer | undefined;
}

/**
 * Starts the real Redis of `npm run test:redis`, unless REDIS_URL names one, and points the
 * shared suites at it: test workers start after this and inherit the environment.
 */
export default async function redisGlobalSetup(): Promise<void> {
  let url = process.env.REDIS_URL;
  if (url === undefined || url === '') {
    globalThis.keystoreMockRedis = await startRedisServer();
    url = globalThis.keystoreMockRedis.url;
    process.env.REDIS_URL = url;
  }
  process.env.KEYSTORE_MOCK_TEST_STORE = url;
}
