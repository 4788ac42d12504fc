/** Stops the Redis that globalSetup started; one named by REDIS_URL from outside is left running. */
export default async function redisGlobalTeardown(): Promise<void> {
  await globalThis.keystoreMockRedis?.close();
}
