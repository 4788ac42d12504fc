import http, { STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AppOptions, MockApp } from './app';
import { resolveConfig, type Config } from './config';
import type { JournalEntry, JournalFilter } from './control/request-journal';
import type { Verification } from './control/verify-requests';
import { errors } from './errors';
import { JSON_CONTENT_TYPE } from './http/reply';
import type { StoreSnapshot } from './keystores/keystore-store';
import type { ScenarioFile } from './scenarios/scenario';
import type { ScenarioSummary } from './scenarios/scenario-catalog';
import { ReloadableApp, type ReloadEvents } from './watch/reloadable-app';
import { watchFixtures, type FixturesWatcher } from './watch/watch-fixtures';

/** The events of a MockServer, by name: with `watch: true`, one per reload that took effect or failed. */
export type MockServerEvents = ReloadEvents;

/** A running mock server, for tests in other repositories. */
export interface MockServer {
  /** Base URL, such as `http://127.0.0.1:53211`; the product API is under `${url}/apiops`. */
  readonly url: string;
  readonly port: number;
  /** Puts every session (or one) back to the fixtures. With the memory store it takes effect at once. */
  reset(session?: string): Promise<void>;
  /**
   * Makes a scenario active in a session (the default one unless named): a configured one, or a
   * runtime one the session sees. An unknown name rejects with `unknown_scenario`, listing the
   * names the session sees.
   */
  setScenario(name: string, session?: string): Promise<void>;
  /**
   * Stores a runtime scenario in a session, as `PUT /__mock/scenarios/NAME` does: made in the
   * default session (no `session`), every session sees it. Resolves to it as listed; rejects
   * with `invalid_scenario` (every problem with its field) or `scenario_conflict`.
   */
  putScenario(name: string, scenario: ScenarioFile, session?: string): Promise<ScenarioSummary>;
  /** Removes a runtime scenario of a session, as `DELETE /__mock/scenarios/NAME` does. */
  deleteScenario(name: string, session?: string): Promise<void>;
  /** The request journal of a session, filtered. */
  requests(filter?: JournalFilter, session?: string): Promise<JournalEntry[]>;
  /**
   * Checks what a session's clients sent (the default session unless named), as
   * `POST /__mock/verify` does: resolves `{matched}` when the count holds (at least 1 when none
   * is given), else throws a `VerificationError` whose message says what was expected, how many
   * matched, and the closest requests with what differed.
   *
   * @example
   * await mock.verify({ operationId: 'createKeystore', body: { name: 'my-keystore' }, times: 1 });
   */
  verify(verification: Verification, session?: string): Promise<{ matched: number }>;
  /** Every keystore of a session, by project. */
  state(session?: string): Promise<StoreSnapshot>;
  /** Stops watching, stops accepting connections, lets in-flight requests finish (within the grace period), then resolves. */
  close(): Promise<void>;
  /**
   * Listens to `reload` and `reloadError` (with `watch: true`): each is emitted once a burst of
   * file changes has been applied, or refused with the last good configuration kept.
   */
  on<E extends keyof MockServerEvents>(event: E, listener: (payload: MockServerEvents[E]) => void): MockServer;
  off<E extends keyof MockServerEvents>(event: E, listener: (payload: MockServerEvents[E]) => void): MockServer;
  /** The app behind the server, for advanced use: with `watch: true`, the build of the latest good reload. */
  readonly mock: MockApp;
}

/** Options of `startMockServer`: any part of the config, plus test hooks. */
export type MockServerOptions = Partial<Config> & AppOptions;

/** Answers protocol errors Node detects before a request exists (bad framing, huge headers) in the error shape. */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const known = error.code === 'HPE_HEADER_OVERFLOW' ? errors.headersTooLarge() : errors.malformedHttp();
  const body = JSON.stringify(known.toBody());
  socket.end(
    `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status] ?? ''}\r\n` +
      `Content-Type: ${JSON_CONTENT_TYPE}\r\n` +
      'X-Content-Type-Options: nosniff\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The address as a URL host: IPv6 literals go in brackets. */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Listens with a built app and returns a handle. Port 0 (the default here) picks a free port;
 * responses are validated against the document unless `validateResponses: false`.
 *
 * @example
 * const mock = await startMockServer({ seed: 42 });
 * await fetch(`${mock.url}/__mock/health`);
 * await mock.close();
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { logger, clock, wait, openStore, scenarios, ...overrides } = options;
  // For test suites, the defaults differ from the CLI's: a free port, quiet logs, and every
  // response checked against the document, so a drift fails the suite instead of passing unseen.
  const config = resolveConfig({ port: 0, logLevel: 'warn', validateResponses: true, ...overrides });
  // Every request goes to the current build; without --watch there is only ever one.
  const live = await ReloadableApp.start(config, { logger, clock, wait, openStore, scenarios });
  const mock = live.current;
  let closing: Promise<void> | undefined;
  let watcher: FixturesWatcher | undefined;
  const server = http.createServer({ requestTimeout: 60_000, headersTimeout: 30_000 }, live.handle);
  server.keepAliveTimeout = 5_000;
  server.on('clientError', answerClientError);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    if (config.watch) {
      watcher = await watchFixtures({
        fixturesDir: config.fixturesDir,
        specPath: config.specPath,
        poll: config.watchPoll,
        debounceMs: config.watchDebounceMs,
        logger: mock.logger,
        onChange: (changes) => void live.reload(changes),
      });
      mock.logger.info({ files: watcher.watched, poll: config.watchPoll }, 'watching the fixtures for changes');
    }
  } catch (error) {
    await watcher?.close();
    server.close();
    await live.close();
    throw error;
  }
  const { port, address } = server.address() as AddressInfo;
  // A wildcard bind is reachable on loopback too; that is the URL a person on this machine opens.
  const wildcard = address === '0.0.0.0' || address === '::';
  const url = `http://${wildcard ? '127.0.0.1' : urlHost(address)}:${port}`;
  mock.logger.info(
    {
      address: `http://${urlHost(address)}:${port}`,
      url: wildcard ? `http://localhost:${port}` : url,
      apiRoot: mock.apiRoot,
      scenario: config.scenario,
      seed: config.seed,
    },
    'keystore-mock listening',
  );
  void mock.warmUp();

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      // In-flight and later replies ask their clients to close, so keep-alive sockets drain.
      live.beginShutdown();
      const force = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      force.unref();
      const stopped = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      void Promise.allSettled([watcher?.close(), stopped]).then(() => {
        clearTimeout(force);
        void live.close().then(resolve, resolve);
      });
    });
    return closing;
  };

  const handle: MockServer = {
    url,
    port,
    reset: (session) => live.current.reset(session),
    setScenario: (name, session) => live.current.setScenario(name, session),
    putScenario: (name, scenario, session) => live.current.putScenario(name, scenario, session),
    deleteScenario: (name, session) => live.current.deleteScenario(name, session),
    requests: (filter, session) => live.current.requests(filter, session),
    verify: (verification, session) => live.current.verify(verification, session),
    state: (session) => live.current.state(session),
    close,
    on: (event, listener) => {
      live.on(event, listener);
      return handle;
    },
    off: (event, listener) => {
      live.off(event, listener);
      return handle;
    },
    get mock() {
      return live.current;
    },
  };
  return handle;
}
