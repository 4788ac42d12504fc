import path from 'node:path';

/** Levels pino understands, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where the package keeps its shipped files, whether run from `src/` (tests) or `dist/`. */
export const PACKAGE_ROOT = path.resolve(__dirname, '..');

/**
 * Everything that shapes one mock server. Built once by `resolveConfig`; nothing else reads
 * `process.env`.
 */
export interface Config {
  /** TCP port to listen on; 0 picks a free one. */
  port: number;
  /** Interface to bind. */
  host: string;
  /** The OpenAPI document of the product API to serve. */
  specPath: string;
  /** Folder holding `world.yaml` and `scenarios/`. */
  fixturesDir: string;
  /** Scenario active at start when no header or control call chooses another. */
  scenario: string;
  /** Seed for every generated value (tokens, ids, generated keystores, fallback bodies). */
  seed: number;
  /** Number of faker-made keystores to add to each project at start. */
  generate: number;
  /** Minimum level of log lines written. */
  logLevel: LogLevel;
  /** Write human-readable logs instead of JSON lines. */
  prettyLogs: boolean;
  /** Origins allowed by CORS; `*` allows every origin. */
  corsOrigins: '*' | string[];
  /** When set, every `/__mock` call must carry it as a bearer token. Never logged. */
  adminToken: string | undefined;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Largest decoded keystore file accepted, in bytes. */
  maxFileBytes: number;
  /** Most keystores one project may hold. */
  maxKeystoresPerProject: number;
  /** Entries kept in each session's request journal. */
  journalSize: number;
  /** Sessions kept alive at once; the least recently used is evicted past this. */
  maxSessions: number;
  /** Lifetime of tokens issued by `POST /auth/token`, in seconds. */
  tokenTtlSeconds: number;
  /** Validate every outgoing response against the served document; a drift becomes a 500. */
  validateResponses: boolean;
  /** How long a request body may stall before it is answered as truncated, in milliseconds. */
  bodyIdleTimeoutMs: number;
  /** How long in-flight requests may run after SIGTERM or SIGINT, in milliseconds. */
  shutdownGraceMs: number;
}

/** The defaults, in one place. */
export const DEFAULT_CONFIG: Readonly<Config> = Object.freeze({
  port: 8080,
  host: '127.0.0.1',
  specPath: path.join(PACKAGE_ROOT, 'openapi', 'keystore-api.yaml'),
  fixturesDir: path.join(PACKAGE_ROOT, 'fixtures'),
  scenario: 'happy',
  seed: 1,
  generate: 0,
  logLevel: 'info',
  prettyLogs: false,
  corsOrigins: '*',
  adminToken: undefined,
  maxBodyBytes: 16 * 1024 * 1024,
  maxFileBytes: 5 * 1024 * 1024,
  maxKeystoresPerProject: 10_000,
  journalSize: 1_000,
  maxSessions: 1_000,
  tokenTtlSeconds: 3_600,
  validateResponses: false,
  bodyIdleTimeoutMs: 2_000,
  shutdownGraceMs: 10_000,
});

/** The path of the control plane's own OpenAPI document (not configurable: it describes this code). */
export const CONTROL_SPEC_PATH = path.join(PACKAGE_ROOT, 'openapi', 'control-plane.yaml');

/**
 * Fills the gaps of a partial config with the defaults.
 *
 * @example
 * const config = resolveConfig({ port: 0, seed: 42 });
 */
export function resolveConfig(overrides: Partial<Config> = {}): Config {
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  ) as Partial<Config>;
  return { ...DEFAULT_CONFIG, ...defined };
}

/** The config as it may be logged: the admin token is redacted. */
export function redactConfig(config: Config): Record<string, unknown> {
  return { ...config, adminToken: config.adminToken === undefined ? undefined : '[redacted]' };
}

/** One environment variable per option; flags win over these, these win over defaults. */
export const ENVIRONMENT_VARIABLES = {
  port: 'PORT',
  host: 'HOST',
  specPath: 'MOCK_SPEC',
  fixturesDir: 'MOCK_FIXTURES',
  scenario: 'MOCK_SCENARIO',
  seed: 'MOCK_SEED',
  generate: 'MOCK_GENERATE',
  logLevel: 'MOCK_LOG_LEVEL',
  prettyLogs: 'MOCK_PRETTY_LOGS',
  corsOrigins: 'MOCK_CORS_ORIGIN',
  adminToken: 'MOCK_ADMIN_TOKEN',
  maxBodyBytes: 'MOCK_MAX_BODY',
  maxFileBytes: 'MOCK_MAX_FILE',
  maxKeystoresPerProject: 'MOCK_MAX_KEYSTORES',
  journalSize: 'MOCK_JOURNAL_SIZE',
  maxSessions: 'MOCK_MAX_SESSIONS',
  tokenTtlSeconds: 'MOCK_TOKEN_TTL',
  validateResponses: 'MOCK_VALIDATE_RESPONSES',
  bodyIdleTimeoutMs: 'MOCK_BODY_TIMEOUT',
  shutdownGraceMs: 'MOCK_SHUTDOWN_GRACE',
} as const satisfies Record<keyof Config, string>;

/** Reads the raw values of the environment variables that are set; parsing belongs to the CLI. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Partial<Record<keyof Config, string>> {
  const found: Partial<Record<keyof Config, string>> = {};
  for (const [key, name] of Object.entries(ENVIRONMENT_VARIABLES) as [keyof Config, string][]) {
    const value = env[name];
    if (value !== undefined && value !== '') found[key] = value;
  }
  return found;
}

/** True when the process runs under CI or in a terminal where pretty logs make no sense. */
export function isInteractiveTerminal(): boolean {
  return Boolean(process.stdout.isTTY) && process.env.CI === undefined;
}
