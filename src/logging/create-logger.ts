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
  return pino(options);
}

function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
