import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import {
  DEFAULT_CONFIG,
  ENVIRONMENT_VARIABLES,
  LOG_LEVELS,
  isInteractiveTerminal,
  readEnvironment,
  redactConfig,
  resolveConfig,
  type Config,
} from '../config';
import { StartupError } from '../fixtures/read-data-file';
import { startMockServer, type MockServer } from '../server';
import { VERSION } from '../version';

/** How long the logs may take to flush once the server has stopped. */
const FLUSH_BOUND_MS = 1_000;

/** A flag or environment value that cannot be used; the CLI prints it on one line and exits 2. */
class UsageError extends Error {}

/** Binary units, as the `bytes` convention of Node servers has it: 1kb = 1024 bytes. */
const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

type Parser<T> = (raw: string, source: string) => T;

const integer =
  (min: number, max: number): Parser<number> =>
  (raw, source) => {
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new UsageError(`${source} must be an integer from ${min} to ${max} (got "${raw}")`);
    }
    return value;
  };

const bytes: Parser<number> = (raw, source) => {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = BYTE_UNITS[(match?.[2] ?? 'x').toLowerCase()];
  if (match === null || unit === undefined || Number(match[1]) * unit < 1) {
    throw new UsageError(`${source} must be a size such as 16mb, 512kb or 1048576 (got "${raw}")`);
  }
  return Number(match[1]) * unit;
};

const boolean: Parser<boolean> = (raw, source) => {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new UsageError(`${source} must be true or false (got "${raw}")`);
};

const text: Parser<string> = (raw, source) => {
  if (raw.trim() === '') throw new UsageError(`${source} must not be empty`);
  return raw;
};

const existingFile: Parser<string> = (raw, source) => {
  const resolved = path.resolve(raw);
  if (!fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) {
    throw new UsageError(`${source} names a file that does not exist: ${raw}`);
  }
  return resolved;
};

const existingFolder: Parser<string> = (raw, source) => {
  const resolved = path.resolve(raw);
  if (!fs.existsSync(resolved) || !fs.statSync(resolved).isDirectory()) {
    throw new UsageError(`${source} names a folder that does not exist: ${raw}`);
  }
  return resolved;
};

const logLevel: Parser<Config['logLevel']> = (raw, source) => {
  const value = raw.trim().toLowerCase() as Config['logLevel'];
  if (!LOG_LEVELS.includes(value))
    throw new UsageError(`${source} must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`);
  return value;
};

const origins: Parser<Config['corsOrigins']> = (raw, source) => {
  const list = raw
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  if (list.length === 0) throw new UsageError(`${source} must be * or a comma-separated list of origins`);
  if (list.includes('*')) return '*';
  for (const origin of list) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new UsageError(`${source} must list origins such as http://localhost:3000 (got "${origin}")`);
    }
  }
  return list;
};

interface OptionSpec<K extends keyof Config> {
  key: K;
  flags: string;
  description: string;
  parse: Parser<Config[K]>;
}

function spec<K extends keyof Config>(option: OptionSpec<K>): OptionSpec<keyof Config> {
  return option as unknown as OptionSpec<keyof Config>;
}

/** Every option: its flag, its environment variable (from config.ts) and how to read it. */
const OPTIONS: OptionSpec<keyof Config>[] = [
  spec({
    key: 'port',
    flags: '-p, --port <number>',
    description: 'port to listen on; 0 picks a free one',
    parse: integer(0, 65_535),
  }),
  spec({
    key: 'host',
    flags: '-H, --host <address>',
    description: 'interface to bind (0.0.0.0 for every interface)',
    parse: text,
  }),
  spec({ key: 'specPath', flags: '--spec <file>', description: 'OpenAPI document to serve', parse: existingFile }),
  spec({
    key: 'fixturesDir',
    flags: '--fixtures <dir>',
    description: 'folder with world.yaml and scenarios/',
    parse: existingFolder,
  }),
  spec({ key: 'scenario', flags: '--scenario <name>', description: 'scenario active at start', parse: text }),
  spec({
    key: 'seed',
    flags: '--seed <number>',
    description: 'seed of every generated value',
    parse: integer(0, 2 ** 32 - 1),
  }),
  spec({
    key: 'generate',
    flags: '--generate <count>',
    description: 'faker-made keystores added to each project at start',
    parse: integer(0, 100_000),
  }),
  spec({
    key: 'logLevel',
    flags: '--log-level <level>',
    description: `log level: ${LOG_LEVELS.join(', ')}`,
    parse: logLevel,
  }),
  spec({
    key: 'prettyLogs',
    flags: '--pretty-logs <boolean>',
    description: 'human-readable logs',
    parse: boolean,
  }),
  spec({
    key: 'corsOrigins',
    flags: '--cors-origin <origins>',
    description: 'allowed CORS origins, comma-separated, or *',
    parse: origins,
  }),
  spec({
    key: 'adminToken',
    flags: '--admin-token <token>',
    description: 'require this bearer token on /__mock calls',
    parse: text,
  }),
  spec({
    key: 'maxBodyBytes',
    flags: '--max-body <size>',
    description: 'largest request body, e.g. 16mb',
    parse: bytes,
  }),
  spec({
    key: 'maxFileBytes',
    flags: '--max-file <size>',
    description: 'largest decoded keystore file, e.g. 5mb',
    parse: bytes,
  }),
  spec({
    key: 'maxKeystoresPerProject',
    flags: '--max-keystores <count>',
    description: 'most keystores one project may hold',
    parse: integer(1, 10_000_000),
  }),
  spec({
    key: 'journalSize',
    flags: '--journal-size <count>',
    description: 'journal entries kept per session',
    parse: integer(0, 1_000_000),
  }),
  spec({
    key: 'maxSessions',
    flags: '--max-sessions <count>',
    description: 'live sessions before the least recently used is evicted',
    parse: integer(1, 1_000_000),
  }),
  spec({
    key: 'tokenTtlSeconds',
    flags: '--token-ttl <seconds>',
    description: 'lifetime of issued tokens',
    parse: integer(1, 31_536_000),
  }),
  spec({
    key: 'validateResponses',
    flags: '--validate-responses [boolean]',
    description: 'check every response against the document; a drift becomes a 500',
    parse: boolean,
  }),
  spec({
    key: 'bodyIdleTimeoutMs',
    flags: '--body-timeout <ms>',
    description: 'how long a request body may stall',
    parse: integer(1, 600_000),
  }),
  spec({
    key: 'shutdownGraceMs',
    flags: '--shutdown-grace <ms>',
    description: 'how long in-flight requests may finish after SIGTERM',
    parse: integer(0, 600_000),
  }),
];

function describeDefault(key: keyof Config): string {
  const value = DEFAULT_CONFIG[key];
  if (key === 'specPath') return 'the shipped openapi/keystore-api.yaml';
  if (key === 'fixturesDir') return 'the shipped fixtures/';
  if (key === 'prettyLogs') return 'on in a terminal, off otherwise';
  if (key === 'maxBodyBytes' || key === 'maxFileBytes') return `${Number(value) / 1024 ** 2}mb`;
  if (value === undefined) return 'none';
  return Array.isArray(value) ? value.join(',') : String(value);
}

function buildProgram(): Command {
  const program = new Command('keystore-mock')
    .description('Stateful mock of the keystore management API, driven by an OpenAPI document.')
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .showHelpAfterError(false)
    .allowExcessArguments(false)
    // Errors are printed once, by main(), as one line; help and version still print normally.
    .configureOutput({ outputError: () => undefined })
    .exitOverride();
  for (const option of OPTIONS) {
    const environment = ENVIRONMENT_VARIABLES[option.key];
    program.addOption(
      new Option(option.flags, `${option.description} [env: ${environment}] (default: ${describeDefault(option.key)})`),
    );
  }
  program.addHelpText(
    'after',
    '\nFlags win over environment variables, which win over defaults.\nControl plane: GET /__mock/health, POST /__mock/reset, GET|PUT /__mock/state, GET /__mock/scenarios, PUT /__mock/scenario, GET|DELETE /__mock/requests, GET /__mock/openapi.json',
  );
  return program;
}

/**
 * Turns argv and the environment into a Config: flags win over environment variables, which
 * win over defaults. Throws a one-line UsageError naming the flag or variable at fault.
 *
 * @example
 * parseArguments(['--port', '0', '--seed', '42'], process.env)
 */
export function parseArguments(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedArguments {
  const program = buildProgram();
  program.parse(argv, { from: 'user' });
  const flags = program.opts<Record<string, string | boolean | undefined>>();
  const fromEnvironment = readEnvironment(env);
  const values: Partial<Record<keyof Config, unknown>> = {};
  const sources: Partial<Record<keyof Config, string>> = {};
  for (const option of OPTIONS) {
    const flagName = /--([a-z-]+)/.exec(option.flags)?.[1] ?? option.key;
    const attribute = flagName.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
    const flag = flags[attribute];
    if (flag !== undefined) {
      const source = `--${flagName}`;
      sources[option.key] = source;
      values[option.key] = option.parse(flag === true ? 'true' : String(flag), source);
      continue;
    }
    const raw = fromEnvironment[option.key];
    if (raw !== undefined) {
      const source = ENVIRONMENT_VARIABLES[option.key];
      sources[option.key] = source;
      values[option.key] = option.parse(raw, source);
    }
  }
  values.prettyLogs ??= isInteractiveTerminal();
  return { config: resolveConfig(values as Partial<Config>), sources };
}

/** The config, and where each option that was set came from (a flag or an environment variable). */
export interface ParsedArguments {
  config: Config;
  sources: Partial<Record<keyof Config, string>>;
}

function describeStartupError(error: StartupError, parsed: ParsedArguments): string {
  if (error.option === undefined) return error.message;
  const key = error.option as keyof Config;
  const source =
    parsed.sources[key] ??
    OPTIONS.find((option) => option.key === key)
      ?.flags.split(' ')
      .at(-2) ??
    key;
  return `${source.replace(/,$/, '')}: ${error.reason}`;
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
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) process.exit(0);
      fail(error.message.replace(/^error: /, ''));
    }
    if (error instanceof UsageError) fail(error.message);
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
      // A destination that never confirms the flush must not keep a stopped server alive.
      setTimeout(() => process.exit(0), FLUSH_BOUND_MS).unref();
      logger.flush(() => process.exit(0));
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  try {
    server = await startMockServer(config);
  } catch (error) {
    if (error instanceof StartupError) fail(describeStartupError(error, parsed));
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail(`--port ${config.port} is already in use on ${config.host}; choose another port`);
    if (code === 'EADDRNOTAVAIL') fail(`--host ${config.host} is not an address of this machine`);
    throw error;
  }
  server.mock.logger.debug({ config: redactConfig(config) }, 'configuration');
}
