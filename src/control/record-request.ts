import type { Logger } from 'pino';
import { DEFAULT_CONFIG } from '../config';
import type { Exchange } from '../contract/operation';
import type { Reply } from '../http/reply';
import { DEFAULT_SESSION } from '../sessions/session-registry';
import { captureExchange, type CaptureOptions } from './journal-capture';
import type { JournalEntry } from './request-journal';

const roundedMs = (durationMs: number) => Math.round(durationMs * 1000) / 1000;

/** The body a reply put on the wire: its text, its parsed JSON, or undefined for none. */
function sentBody(exchange: Exchange, reply: Reply): unknown {
  if (exchange.headOnly) return undefined;
  if (reply.text !== undefined) return reply.text;
  return reply.json === undefined ? reply.body : JSON.parse(reply.json);
}

/**
 * Records a product API request once its reply is sent: an entry in the session's journal and
 * one log line, a warning when the mock noted something the body may not say. `onRecorded`
 * sees each entry the journal kept (with its sequence), for live feeds.
 *
 * @example
 * const done = productRequestRecorder(logger, Date.now, undefined, { bodyLimit: 65536, adminToken: undefined });
 * done(exchange, reply, 1.25, () => ({ 'content-type': 'application/json' }));
 */
export function productRequestRecorder(
  logger: Logger,
  clock: () => number,
  onRecorded?: (entry: JournalEntry) => void,
  capture: CaptureOptions = { bodyLimit: DEFAULT_CONFIG.journalBodyLimit, adminToken: undefined },
) {
  return (exchange: Exchange, reply: Reply, durationMs: number, sentHeaders: () => Record<string, string>): void => {
    const { session, notes } = exchange;
    const summary = {
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
    if (session !== undefined) {
      const captured = captureExchange(
        {
          requestHeaders: exchange.req.headers,
          query: exchange.request.query,
          mockQuery: exchange.mockQuery,
          requestBody: exchange.body,
          status: reply.status,
          responseHeaders: sentHeaders(),
          responseBody: sentBody(exchange, reply),
        },
        capture,
      );
      // Recorded after the reply is sent: a store that fails now (Redis down) costs the entry, never the process.
      session.journal.record({ ...summary, ...captured }).then(
        (entry) => {
          if (entry.sequence > 0) onRecorded?.(entry);
        },
        (error: unknown) => {
          logger.warn({ err: error, operationId: summary.operationId }, 'could not record the request in the journal');
        },
      );
    }
    const level = notes.length > 0 ? 'warn' : 'info';
    if (logger.isLevelEnabled(level)) {
      const { time: _time, ...line } = summary;
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
