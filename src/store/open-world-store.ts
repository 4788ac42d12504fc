import type { Logger } from 'pino';
import type { Config } from '../config';
import type { SessionTemplate } from '../sessions/session-registry';
import { MemoryWorldStore } from './memory-world-store';
import type { WorldStore } from './world-store';

/**
 * How long a name stays held for a create or rename whose replica never finished it (a crash):
 * longer than any simulated deployment, short enough that a test run recovers.
 */
export const RESERVATION_TTL_MS = 60_000;

/** What opening a store needs besides the config. */
export interface WorldStoreContext {
  template: SessionTemplate;
  logger: Logger;
  clock: () => number;
  onEvict: (id: string) => void;
}

/**
 * The store `--store` names: this process's memory, or a Redis that replicas share. The Redis
 * client is loaded only when asked for, so the common case starts without it. Rejects with a
 * one-line StartupError when Redis does not answer at start.
 *
 * @example
 * const store = await openWorldStore(config, { template, logger, clock, onEvict });
 */
export async function openWorldStore(config: Config, context: WorldStoreContext): Promise<WorldStore> {
  if (config.store === 'memory') {
    return new MemoryWorldStore(context.template, config, context.onEvict, context.clock);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- ioredis loads only for --store redis://
  const { RedisWorldStore } = require('./redis-world-store') as typeof import('./redis-world-store');
  return RedisWorldStore.connect({
    url: config.store,
    namespace: config.storeNamespace,
    template: context.template,
    limits: { ...config, reservationTtlMs: RESERVATION_TTL_MS },
    clock: context.clock,
    logger: context.logger,
    onEvict: context.onEvict,
  });
}
