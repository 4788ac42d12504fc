import { CommanderError } from 'commander';
import type { Config } from '../config';
import { StartupError } from '../fixtures/read-data-file';
import { startMockServer, type MockServer } from '../server';
import { UsageError, parseArguments, type ParsedArguments } from './parse-arguments';

/**
 * The one line to print when a value the user gave keeps the server from starting (a port in
 * use, a host this machine lacks, a fixture an option names); undefined for any other failure.
 *
 * @example
 * describeStartFailure(Object.assign(new Error(), { code: 'EADDRINUSE' }), parsed);
 * // '--port: 8080 is already in use on 127.0.0.1; choose another port, or 0 for a free one'
 */
export function describeStartFailure(error: unknown, { config, labels }: ParsedArguments): string | undefined {
  if (error instanceof StartupError && error.option === undefined) return error.message;
  if (error instanceof StartupError) return `${labels[error.option as keyof Config] ?? error.option}: ${error.reason}`;
  const { host, port } = config;
  const elsewhere = 'use 127.0.0.1, 0.0.0.0 (every interface) or an address of this machine';
  const unresolved = `${labels.host}: ${host} does not resolve to an address; ${elsewhere}`;
  const byCode: Partial<Record<string, string>> = {
    EADDRINUSE: `${labels.port}: ${port} is already in use on ${host}; choose another port, or 0 for a free one`,
    EACCES: `${labels.port}: ${port} needs privileges this process does not have; choose a port above 1023`,
    EADDRNOTAVAIL: `${labels.host}: ${host} is not an address of this machine; ${elsewhere}`,
    ENOTFOUND: unresolved,
    EAI_AGAIN: unresolved,
  };
  return byCode[(error as NodeJS.ErrnoException | null)?.code ?? ''];
}

function fail(message: string): never {
  process.stderr.write(`keystore-mock: ${message}\n`);
  process.exit(2);
}

/**
 * The keystore-mock command: parses flags and environment into a Config and starts the server.
 * Bad values exit 2 with one line; SIGTERM and SIGINT finish in-flight requests, then exit 0.
 *
 * @example
 * void runCli(process.argv.slice(2), process.env);
 */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  let parsed: ParsedArguments;
  try {
    parsed = parseArguments(argv, env);
  } catch (error) {
    if (error instanceof UsageError) fail(error.message);
    // --help and --version have printed; commander says how to exit.
    if (error instanceof CommanderError) process.exit(error.exitCode);
    throw error;
  }
  const { config } = parsed;

  // Signals are handled from the first moment, so a stop during start-up still exits cleanly.
  let server: MockServer | undefined;
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      server?.mock.logger.warn({ signal }, 'second signal: exiting at once');
      process.exit(1);
    }
    stopping = true;
    if (server === undefined) process.exit(0);
    const { logger } = server.mock;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down: finishing in-flight requests');
    void server.close().then(() => {
      logger.info('stopped');
      // A log destination that never confirms the flush must not keep a stopped server alive.
      setTimeout(() => process.exit(0), 1_000).unref();
      logger.flush(() => process.exit(0));
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  try {
    server = await startMockServer(config);
  } catch (error) {
    const usage = describeStartFailure(error, parsed);
    if (usage !== undefined) fail(usage);
    throw error;
  }
  // The admin token is a secret: it never reaches the log.
  server.mock.logger.debug({ config: { ...config, adminToken: config.adminToken && '[redacted]' } }, 'configuration');
}
