import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import bytes from 'bytes';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_CONFIG, LOG_LEVELS, resolveConfig, type Config } from '../config';
import { VERSION } from '../version';

/** The config, and for each option where its value came from (in `getOptionValueSource`'s words). */
export interface ParsedArguments {
  config: Config;
  sources: Record<keyof Config, 'cli' | 'env' | 'default'>;
  /** The flag or variable to name in a message about each option: the one that set it, else the flag. */
  labels: Record<keyof Config, string>;
}

/** A value the CLI cannot use; the message is `<flag or VARIABLE>: <what is wrong>`. */
export class UsageError extends Error {}

type Parse<T> = (raw: string) => T;

function invalid(reason: string): never {
  throw new InvalidArgumentError(reason);
}

const nonEmpty: Parse<string> = (raw) => (raw.trim() === '' ? invalid('must not be empty') : raw);

const integer =
  (min: number, max: number): Parse<number> =>
  (raw) => {
    const value = Number(raw);
    const ok = /^-?\d+$/.test(raw.trim()) && Number.isSafeInteger(value) && value >= min && value <= max;
    return ok ? value : invalid(`must be an integer from ${min} to ${max} (got "${raw}")`);
  };

/** `bytes` does the units (1kb = 1024 bytes), but reads "12zz" as 12, so the shape is checked first. */
const size: Parse<number> = (raw) => {
  const value = /^\d+(\.\d+)?\s*([kmgtp]?b)?$/i.test(raw.trim()) ? bytes.parse(raw.trim()) : null;
  return value !== null && value >= 1
    ? value
    : invalid(`must be a size of at least 1 byte, such as 16mb, 512kb or 1048576 (got "${raw}")`);
};

const boolean: Parse<boolean> = (raw) => {
  const word = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(word)) return true;
  if (['false', '0', 'no', 'off'].includes(word)) return false;
  return invalid(`must be true or false (or 1 or 0, yes or no, on or off) (got "${raw}")`);
};

/** An IP literal or a host name; a dotted number that `isIP` refuses is a mistyped IPv4 address. */
const host: Parse<string> = (raw) => {
  const value = nonEmpty(raw).trim();
  if (isIP(value) !== 0) return value;
  if (/^[\d.]+$/.test(value)) invalid(`${value} is not a valid IPv4 address: its four numbers must each be 0 to 255`);
  const labels = value.replace(/\.$/, '').split('.');
  const named = value.length <= 253 && labels.every((label) => /^[a-z\d_]([a-z\d_-]{0,61}[a-z\d_])?$/i.test(label));
  return named ? value : invalid(`"${value}" is neither an IP address nor a host name such as localhost`);
};

const existing =
  (kind: 'file' | 'folder'): Parse<string> =>
  (raw) => {
    const stats = fs.statSync(path.resolve(nonEmpty(raw)), { throwIfNoEntry: false });
    if (stats === undefined) invalid(`names a ${kind} that does not exist: ${raw}`);
    const other = kind === 'file' ? 'folder' : 'file';
    if (stats.isDirectory() === (kind === 'file')) invalid(`names a ${other}, not a ${kind}: ${raw}`);
    return path.resolve(raw);
  };

const origins: Parse<Config['corsOrigins']> = (raw) => {
  const list = raw.split(',').flatMap((origin) => origin.trim() || []);
  if (list.length === 0) invalid('must be * or a comma-separated list of origins');
  const bad = list.find((origin) => origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin));
  if (bad !== undefined) invalid(`must list origins such as http://localhost:3000 (got "${bad}")`);
  return list.includes('*') ? '*' : list;
};

const store: Parse<string> = (raw) => {
  if (raw.trim() === 'memory') return 'memory';
  let url: URL | undefined;
  try {
    url = new URL(raw.trim());
  } catch {
    url = undefined;
  }
  const database = url?.pathname.replace(/^\//, '') ?? '';
  if (url?.protocol !== 'redis:' || url.hostname === '' || !/^(\d{1,2})?$/.test(database)) {
    invalid(`must be memory or redis://HOST:PORT[/DB] (got "${raw}")`);
  }
  return url.href.replace(/\/$/, '');
};

const namespace: Parse<string> = (raw) => {
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(raw))
    invalid(`must be 1 to 64 characters from A-Z, a-z, 0-9, ".", "_", ":" and "-" (got "${raw}")`);
  return raw;
};

/** A boolean takes an optional value (`--flag`, `--flag false`); parseArguments adds its `--no-` form. */
const toggle = (name: string, variable: string, description: string): Option =>
  new Option(`--${name} [boolean]`, description).env(variable).argParser(boolean);

/**
 * Every option, keyed by the Config field it fills: flag, variable, default with its help text, parser.
 *
 * @example
 * cliOptions().port.envVar; // 'PORT'
 */
export function cliOptions(): Record<keyof Config, Option> {
  const d = DEFAULT_CONFIG;
  // prettier-ignore
  return {
    port: new Option('-p, --port <number>', 'port to listen on; 0 picks a free one')
      .env('PORT').default(d.port).argParser(integer(0, 65_535)),
    host: new Option('-H, --host <address>', 'interface to bind (0.0.0.0 for every interface)')
      .env('HOST').default(d.host).argParser(host),
    specPath: new Option('--spec <file>', 'OpenAPI document to serve')
      .env('MOCK_SPEC').default(d.specPath, 'the shipped openapi/keystore-api.yaml').argParser(existing('file')),
    fixturesDir: new Option('--fixtures <dir>', 'folder with world.yaml and scenarios/')
      .env('MOCK_FIXTURES').default(d.fixturesDir, 'the shipped fixtures/').argParser(existing('folder')),
    scenario: new Option('--scenario <name>', 'scenario active at start')
      .env('MOCK_SCENARIO').default(d.scenario).argParser(nonEmpty),
    builtinScenarios: toggle('builtin-scenarios', 'MOCK_BUILTIN_SCENARIOS', 'also load the shipped scenarios when --fixtures names another folder')
      .default(d.builtinScenarios),
    seed: new Option('--seed <number>', 'seed of every generated value')
      .env('MOCK_SEED').default(d.seed).argParser(integer(0, 2 ** 32 - 1)),
    generate: new Option('--generate <count>', 'faker-made keystores added to each project at start')
      .env('MOCK_GENERATE').default(d.generate).argParser(integer(0, 100_000)),
    logLevel: new Option('--log-level <level>', 'minimum level of log lines')
      .env('MOCK_LOG_LEVEL').default(d.logLevel).choices(LOG_LEVELS),
    prettyLogs: toggle('pretty-logs', 'MOCK_PRETTY_LOGS', 'human-readable logs instead of JSON lines')
      .default(Boolean(process.stdout.isTTY) && process.env.CI === undefined, 'on in a terminal, off otherwise'),
    corsOrigins: new Option('--cors-origin <origins>', 'allowed CORS origins, comma-separated, or *')
      .env('MOCK_CORS_ORIGIN').default(d.corsOrigins).argParser(origins),
    adminToken: new Option('--admin-token <token>', 'require this bearer token on /__mock calls')
      .env('MOCK_ADMIN_TOKEN').argParser(nonEmpty),
    maxBodyBytes: new Option('--max-body <size>', 'largest request body')
      .env('MOCK_MAX_BODY').default(d.maxBodyBytes, bytes(d.maxBodyBytes)?.toLowerCase()).argParser(size),
    maxFileBytes: new Option('--max-file <size>', 'largest decoded keystore file')
      .env('MOCK_MAX_FILE').default(d.maxFileBytes, bytes(d.maxFileBytes)?.toLowerCase()).argParser(size),
    maxKeystoresPerProject: new Option('--max-keystores <count>', 'most keystores one project may hold')
      .env('MOCK_MAX_KEYSTORES').default(d.maxKeystoresPerProject).argParser(integer(1, 10_000_000)),
    journalSize: new Option('--journal-size <count>', 'journal entries kept per session')
      .env('MOCK_JOURNAL_SIZE').default(d.journalSize).argParser(integer(0, 1_000_000)),
    journalBodyLimit: new Option('--journal-body-limit <size>', 'longest body a journal entry keeps whole; longer ones are cut')
      .env('MOCK_JOURNAL_BODY_LIMIT').default(d.journalBodyLimit, bytes(d.journalBodyLimit)?.toLowerCase()).argParser(size),
    maxSessions: new Option('--max-sessions <count>', 'live sessions; past this an idle one makes room')
      .env('MOCK_MAX_SESSIONS').default(d.maxSessions).argParser(integer(1, 1_000_000)),
    sessionIdleMs: new Option('--session-idle <ms>', 'how long a session must be idle before it may be evicted')
      .env('MOCK_SESSION_IDLE').default(d.sessionIdleMs).argParser(integer(0, 86_400_000)),
    tokenTtlSeconds: new Option('--token-ttl <seconds>', 'lifetime of issued tokens')
      .env('MOCK_TOKEN_TTL').default(d.tokenTtlSeconds).argParser(integer(1, 31_536_000)),
    validateResponses: toggle('validate-responses', 'MOCK_VALIDATE_RESPONSES', 'check every response against the document; a drift becomes a 500')
      .default(d.validateResponses),
    bodyIdleTimeoutMs: new Option('--body-timeout <ms>', 'how long a request body may stall')
      .env('MOCK_BODY_TIMEOUT').default(d.bodyIdleTimeoutMs).argParser(integer(1, 600_000)),
    shutdownGraceMs: new Option('--shutdown-grace <ms>', 'how long in-flight requests may finish after SIGTERM')
      .env('MOCK_SHUTDOWN_GRACE').default(d.shutdownGraceMs).argParser(integer(0, 600_000)),
    maxDelayMs: new Option('--max-delay <ms>', 'largest X-Mock-Delay a request may ask for')
      .env('MOCK_MAX_DELAY').default(d.maxDelayMs).argParser(integer(0, 600_000)),
    maxHangMs: new Option('--max-hang <ms>', 'longest an X-Mock-Fault: hang request hangs before its socket is destroyed')
      .env('MOCK_MAX_HANG').default(d.maxHangMs).argParser(integer(0, 3_600_000)),
    store: new Option('--store <store>', 'where sessions live: memory, or redis://HOST:PORT[/DB] shared by replicas')
      .env('MOCK_STORE').default(d.store).argParser(store),
    storeNamespace: new Option('--store-namespace <prefix>', 'prefix of every Redis key')
      .env('MOCK_STORE_NAMESPACE').default(d.storeNamespace).argParser(namespace),
    watch: toggle('watch', 'MOCK_WATCH', 'reload world.yaml, the scenario files and --spec when they change')
      .default(d.watch),
    watchPoll: toggle('watch-poll', 'MOCK_WATCH_POLL', 'with --watch, poll the files instead of waiting for file events (bind mounts from macOS or Windows)')
      .default(d.watchPoll),
    watchDebounceMs: new Option('--watch-debounce <ms>', 'with --watch, how long the files must stay quiet before a reload')
      .env('MOCK_WATCH_DEBOUNCE').default(d.watchDebounceMs).argParser(integer(0, 60_000)),
  };
}

const HELP_AFTER = `
Flags win over environment variables, which win over defaults. A boolean option is on with --flag
(or --flag true), off with --no-flag (or --flag false); its variable takes true/false, 1/0, yes/no
or on/off. The control plane is under /__mock; GET /__mock/openapi.json describes it.`;

/**
 * Turns argv and an environment into a Config (flag > variable > default), or throws a UsageError
 * naming the flag or variable at fault; `--help` and `--version` print, then throw commander's
 * exit-0 CommanderError. commander reads `process.env`, so `env` (less its empty variables, which
 * count as unset) stands in for it during the one synchronous parse.
 *
 * @example
 * const { config, sources } = parseArguments(['--port', '0'], { MOCK_SEED: '42' });
 * // config.seed === 42, sources.seed === 'env', sources.port === 'cli'
 */
export function parseArguments(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ParsedArguments {
  const options = Object.entries(cliOptions()) as [keyof Config, Option][];
  const program = new Command('keystore-mock')
    .description('Stateful mock of the keystore management API, driven by an OpenAPI document.')
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .configureOutput({ outputError: () => undefined }) // runCli prints each error once, on one line
    .exitOverride()
    .addHelpText('after', HELP_AFTER);
  const givenAsFlag = new Set<keyof Config>();
  for (const [key, option] of options) {
    // Registered before commander's own listener, so it has run when the value is parsed.
    program.on(`option:${option.name()}`, () => givenAsFlag.add(key));
    const parse = option.parseArg; // every option in the table has one
    option.argParser((raw: string, previous: unknown) => {
      try {
        return parse?.(raw, previous);
      } catch (error) {
        const label = givenAsFlag.has(key) ? option.long : option.envVar;
        throw error instanceof InvalidArgumentError ? new UsageError(`${label}: ${error.message}`) : error;
      }
    });
    program.addOption(option);
    // Only the booleans take an optional value; each also gets its negation.
    if (option.optional) program.addOption(new Option(`--no-${option.name()}`, `turn ${option.long} off`));
  }

  const realEnvironment = process.env;
  process.env = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError) || error.exitCode === 0) throw error;
    const stray = error.code === 'commander.excessArguments' ? `${program.args.join(' ')}: unexpected argument` : '';
    throw new UsageError(stray || error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '));
  } finally {
    process.env = realEnvironment;
  }

  const values: Partial<Record<keyof Config, unknown>> = {};
  const sources = {} as ParsedArguments['sources'];
  const labels = {} as Record<keyof Config, string>;
  for (const [key, option] of options) {
    const source = program.getOptionValueSource(option.attributeName());
    values[key] = program.getOptionValue(option.attributeName());
    sources[key] = source === 'cli' ? 'cli' : source === 'env' ? 'env' : 'default';
    labels[key] = (source === 'env' ? option.envVar : option.long) ?? key;
  }
  // Each parser returns the type of its Config field; commander's values are untyped.
  return { config: resolveConfig(values as Partial<Config>), sources, labels };
}
