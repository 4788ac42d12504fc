import http, { STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createApp, type AppOptions, type MockApp } from './app';
import { resolveConfig, type Config } from './config';
import type { JournalEntry, JournalFilter } from './control/request-journal';
import { errors } from './errors';
import { JSON_CONTENT_TYPE } from './http/reply';
import type { StoreSnapshot } from './keystores/keystore-store';

/** A running mock server, for tests in other repositories. */
export interface MockServer {
  /** Base URL, such as `http://127.0.0.1:53211`; the product API is under `${url}/apiops`. */
  readonly url: string;
  readonly port: number;
  /** Puts every session (or one) back to the fixtures. With the memory store it takes effect at once. */
  reset(session?: string): Promise<void>;
  /**
   * Makes a scenario active in a session (the default one unless named). An unknown name throws
   * at once, listing the known ones: it is a mistake in the test, not a state to wait for.
   */
  setScenario(name: string, session?: string): Promise<void>;
  /** The request journal of a session, filtered. */
  requests(filter?: JournalFilter, session?: string): Promise<JournalEntry[]>;
  /** Every keystore of a session, by project. */
  state(session?: string): Promise<StoreSnapshot>;
  /** Stops accepting connections, lets in-flight requests finish (within the grace period), then resolves. */
  close(): Promise<void>;
  /** The app behind the server, for advanced use. */
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
  const { logger, clock, wait, ...overrides } = options;
  // For test suites, the defaults differ from the CLI's: a free port, quiet logs, and every
  // response checked against the document, so a drift fails the suite instead of passing unseen.
  const config = resolveConfig({ port: 0, logLevel: 'warn', validateResponses: true, ...overrides });
  const mock = await createApp(config, { logger, clock, wait });
  let closing: Promise<void> | undefined;
  const server = http.createServer({ requestTimeout: 60_000, headersTimeout: 30_000 }, mock.app);
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
  } catch (error) {
    await mock.close();
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
      mock.beginShutdown();
      const force = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        void mock.close().then(resolve, resolve);
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  return {
    url,
    port,
    reset: (session) => mock.reset(session),
    setScenario: (name, session) => {
      if (!mock.scenarios.names().includes(name)) throw errors.unknownScenario(name, mock.scenarios.names());
      return mock.setScenario(name, session);
    },
    requests: (filter, session) => mock.requests(filter, session),
    state: (session) => mock.state(session),
    close,
    mock,
  };
}
