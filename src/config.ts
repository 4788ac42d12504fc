import path from 'node:path';

/** Levels pino understands, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where the package keeps its shipped files, whether run from `src/` (tests) or `dist/`. */
export const PACKAGE_ROOT = path.resolve(__dirname, '..');

/**
 * Everything that shapes one mock server. Built once by `resolveConfig`; the CLI fills it from
 * flags and environment variables (see `src/cli/parse-arguments.ts`).
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
  /** Load the shipped scenario files too when `fixturesDir` names another folder; a file of the same name wins. */
  builtinScenarios: boolean;
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
  /** Longest request or response body a journal entry keeps whole, in bytes of its JSON text; longer ones are cut. */
  journalBodyLimit: number;
  /** Sessions kept alive at once; past this, an idle one makes room or the new one is refused. */
  maxSessions: number;
  /** How long a session must be idle before it may be evicted to make room, in milliseconds. */
  sessionIdleMs: number;
  /** Lifetime of tokens issued by `POST /auth/token`, in seconds. */
  tokenTtlSeconds: number;
  /** Validate every outgoing response against the served document; a drift becomes a 500. */
  validateResponses: boolean;
  /** How long a request body may stall before it is answered as truncated, in milliseconds. */
  bodyIdleTimeoutMs: number;
  /** How long in-flight requests may run after SIGTERM or SIGINT, in milliseconds. */
  shutdownGraceMs: number;
  /** Largest `X-Mock-Delay` a request may ask for, in milliseconds; a larger one is a 400. */
  maxDelayMs: number;
  /** How long an `X-Mock-Fault: hang` request hangs at most before its socket is destroyed, in milliseconds. */
  maxHangMs: number;
  /** Where sessions live: `memory` (this process) or `redis://HOST:PORT[/DB]`, shared by replicas. */
  store: string;
  /** The prefix of every Redis key, so several mock deployments can share one Redis. */
  storeNamespace: string;
  /** Reload `world.yaml`, the fixtures' scenario files and the spec when they change (`startMockServer` and the CLI). */
  watch: boolean;
  /** Watch by polling the files instead of file-system events: for bind mounts whose events never arrive. */
  watchPoll: boolean;
  /** How long the watched files must stay quiet before a reload, in milliseconds: a burst of writes is one reload. */
  watchDebounceMs: number;
}

/** The defaults, in one place. */
export const DEFAULT_CONFIG: Readonly<Config> = Object.freeze({
  port: 8080,
  host: '127.0.0.1',
  specPath: path.join(PACKAGE_ROOT, 'openapi', 'keystore-api.yaml'),
  fixturesDir: path.join(PACKAGE_ROOT, 'fixtures'),
  scenario: 'happy',
  builtinScenarios: true,
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
  journalBodyLimit: 64 * 1024,
  maxSessions: 1_000,
  sessionIdleMs: 60_000,
  tokenTtlSeconds: 3_600,
  validateResponses: false,
  bodyIdleTimeoutMs: 2_000,
  shutdownGraceMs: 10_000,
  maxDelayMs: 30_000,
  maxHangMs: 60_000,
  store: 'memory',
  storeNamespace: 'keystore-mock',
  watch: false,
  watchPoll: false,
  watchDebounceMs: 150,
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
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_CONFIG, ...(defined as Partial<Config>) };
}
