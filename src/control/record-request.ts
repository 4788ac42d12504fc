import type { Logger } from 'pino';
import type { Exchange } from '../contract/operation';
import type { Reply } from '../http/reply';
import { DEFAULT_SESSION } from '../sessions/session-registry';

const roundedMs = (durationMs: number) => Math.round(durationMs * 1000) / 1000;

/**
 * Records a product API request once its reply is sent: an entry in the session's journal and
 * one log line, a warning when the mock noted something the body may not say.
 *
 * @example
 * const done = productRequestRecorder(logger, Date.now);
 * done(exchange, reply, 1.25);
 */
export function productRequestRecorder(logger: Logger, clock: () => number) {
  return (exchange: Exchange, reply: Reply, durationMs: number): void => {
    const { session, notes } = exchange;
    const entry = {
      time: new Date(clock()).toISOString(),
      method: exchange.req.method ?? 'GET',
      path: exchange.request.path,
      operationId: exchange.operationId,
      session: session?.id ?? DEFAULT_SESSION,
      scenario: exchange.scenario?.name ?? null,
      status: reply.status,
      durationMs: roundedMs(durationMs),
      keystoreName: exchange.keystoreName,
      ...(notes.length > 0 ? { notes } : {}),
    };
    // Recorded after the reply is sent: a store that fails now (Redis down) costs the entry, never the process.
    session?.journal.record(entry).catch((error: unknown) => {
      logger.warn({ err: error, operationId: entry.operationId }, 'could not record the request in the journal');
    });
    const level = notes.length > 0 ? 'warn' : 'info';
    if (logger.isLevelEnabled(level)) {
      const { time: _time, ...line } = entry;
      logger[level](line, 'request');
    }
  };
}

/**
 * Logs a control-plane request. Health probes arrive every few seconds from orchestrators, so
 * they log at debug level; a request the mock noted something about (an evicted session) warns.
 *
 * @example
 * const done = controlRequestLogger(logger);
 */
export function controlRequestLogger(logger: Logger) {
  return (exchange: Exchange, reply: Reply, durationMs: number): void => {
    const { notes } = exchange;
    let level: 'debug' | 'info' | 'warn' = exchange.operationId === 'getHealth' ? 'debug' : 'info';
    if (notes.length > 0) level = 'warn';
    if (!logger.isLevelEnabled(level)) return;
    logger[level](
      {
        method: exchange.req.method,
        path: exchange.request.path,
        operationId: exchange.operationId,
        session: exchange.session?.id ?? null,
        status: reply.status,
        durationMs: roundedMs(durationMs),
        ...(notes.length > 0 ? { notes } : {}),
      },
      'control request',
    );
  };
}
