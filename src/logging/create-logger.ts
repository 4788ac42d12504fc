import pino, { type Logger } from 'pino';
import type { LogLevel } from '../config';

/** Paths of log fields that may carry secrets; pino replaces them before a line is written. */
const REDACTED = [
  'adminToken',
  'config.adminToken',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'access_token',
  'token',
  'clientSecret',
  'client_secret',
];

/**
 * The app's logger: JSON lines by default, or human-readable through pino-pretty when
 * `pretty` is set and pino-pretty is installed. Secrets are redacted.
 *
 * @example
 * const logger = createLogger('info', false);
 * logger.info({ port: 8080 }, 'listening');
 */
export function createLogger(level: LogLevel, pretty: boolean, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { name: 'keystore-mock' },
    redact: { paths: REDACTED, censor: '[redacted]' },
  };
  if (destination !== undefined) return pino(options, destination);
  if (pretty && prettyAvailable()) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname,name' } },
    });
  }
  // Written synchronously: a line is out before the next request, and nothing is left to flush
  // at exit. pino's asynchronous default flushes at exit with a loop that never ends when the
  // reader of stdout has gone (`keystore-mock | head`), so SIGTERM hung the process.
  return pino(options, pino.destination({ dest: 1, sync: true }));
}

function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
