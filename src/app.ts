import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import type { Express, NextFunction, Request, Response } from 'express';
import type OpenAPIBackend from 'openapi-backend';
import type { Document } from 'openapi-backend';
import type { Logger } from 'pino';
import { createAuthHandlers } from './auth/auth-handlers';
import { CONTROL_SPEC_PATH, DEFAULT_CONFIG, type Config } from './config';
import { assertAdmin, createControlApi } from './control/control-api';
import type { JournalEntry, JournalFilter } from './control/request-journal';
import { createFallbackResponder } from './contract/fallback-responses';
import { createKeystoreSchemaCheck } from './contract/keystore-schema-check';
import { loadDocument } from './contract/load-document';
import type { Exchange } from './contract/operation';
import { warmUpValidators } from './contract/create-backend';
import { createProductApi } from './contract/product-api';
import { ResponseValidator, enforceContract } from './contract/response-check';
import { errors } from './errors';
import { StartupError, displayPath } from './fixtures/read-data-file';
import { loadWorld } from './fixtures/load-world';
import type { World } from './fixtures/world';
import { generateKeystores } from './generate/generate-keystores';
import { createSeededFaker, deriveSeed } from './generate/seeded-faker';
import { authorizationHeader, createEdge, singleHeader } from './http/edge';
import { errorReply, sendReply, type Reply } from './http/reply';
import { checkSnapshot, type KeystoreSchemaCheck } from './keystores/check-snapshot';
import type { ProjectInfo } from './keystores/keystore';
import { createKeystoreHandlers } from './keystores/keystore-handlers';
import type { StoreSnapshot } from './keystores/keystore-store';
import { createLogger } from './logging/create-logger';
import { loadScenarios } from './scenarios/load-scenarios';
import { ScenarioCatalog } from './scenarios/scenario-catalog';
import { DEFAULT_SESSION, SessionRegistry } from './sessions/session-registry';
import { VERSION } from './version';

/** Things a test or an embedding program may replace. */
export interface AppOptions {
  logger?: Logger;
  /** Epoch milliseconds; token expiry and uptime read it. */
  clock?: () => number;
  /** How simulated deployments wait. */
  wait?: (ms: number) => Promise<void>;
}

/** An app and the parts of it that the programmatic API and the tests steer. */
export interface MockApp {
  /** The Express application, for supertest and for mounting in another Express app. */
  app: Express;
  /** The same request flow as `app`, for a Node HTTP server (it skips Express's per-request prototype swap). */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  config: Config;
  logger: Logger;
  sessions: SessionRegistry;
  scenarios: ScenarioCatalog;
  productBackend: OpenAPIBackend;
  controlBackend: OpenAPIBackend;
  /** Puts every session (or one) back to the fixtures. */
  reset(session?: string): void;
  /** Makes a scenario active in a session (the default one unless named). */
  setScenario(name: string, session?: string): void;
  /** The request journal of a session. */
  requests(filter?: JournalFilter, session?: string): JournalEntry[];
  /** Every keystore of a session, by project. */
  state(session?: string): StoreSnapshot;
  /** Compiles every request validator ahead of first use; call once the server listens. Never rejects. */
  warmUp(): Promise<void>;
  /** From now on, replies ask clients to close their connection (the server is stopping). */
  beginShutdown(): void;
}

const CONTROL_PREFIX = '/__mock';
const MOCK_QUERY = /^__(code|example|dynamic)$/;

function apiRootOf(document: Document): string {
  const url = (document.servers?.[0] as { url?: string } | undefined)?.url;
  if (url === undefined) return '/apiops';
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/\/+$/, '');
  return path === '' ? '/' : path;
}

function projectInfos(world: World): ProjectInfo[] {
  return world.projects.map((project) => ({
    name: project.name,
    id: project.id,
    environmentNames: project.environments.map((environment) => environment.name),
  }));
}

/** Fixture keystores plus `--generate N` faker-made ones, checked exactly as creates are. */
function initialKeystores(
  world: World,
  projects: readonly ProjectInfo[],
  config: Config,
  checkSchema: KeystoreSchemaCheck,
): StoreSnapshot {
  const byProject: Record<string, unknown[]> = {};
  for (const [index, project] of world.projects.entries()) {
    const generated =
      config.generate > 0
        ? generateKeystores(
            projects[index] as ProjectInfo,
            config.generate,
            createSeededFaker(deriveSeed(config.seed, 'generate', project.name)),
          )
        : [];
    byProject[project.name] = [...project.keystores, ...generated];
  }
  const { snapshot, problems } = checkSnapshot(byProject, {
    projects,
    checkSchema,
    maxFileBytes: config.maxFileBytes,
    maxPerProject: config.maxKeystoresPerProject,
  });
  const [problem] = problems;
  if (problem !== undefined) {
    throw new StartupError(
      `Failed to load ${displayPath(`${config.fixturesDir}/world.yaml`)}: ${problem.field} ${problem.message}.`,
    );
  }
  return snapshot;
}

/**
 * A scenario's canned responses must name operations of the document and honour it. One that
 * names an operation of the mock's own which this document lacks is skipped, so the shipped
 * scenarios work with any `--spec`.
 */
function checkCannedResponses(
  backend: OpenAPIBackend,
  responses: ResponseValidator,
  scenarios: ScenarioCatalog,
  mockOperations: ReadonlySet<string>,
  logger: Logger,
): void {
  for (const scenario of scenarios.all()) {
    for (const [operationId, canned] of Object.entries(scenario.responses)) {
      const fail = (why: string): never => {
        throw new StartupError(`Failed to load ${scenario.source}: responses.${operationId} ${why}.`);
      };
      if (backend.getOperation(operationId) === undefined) {
        if (!mockOperations.has(operationId)) fail('names no operation of the served document');
        // One of the mock's own operations that another served document lacks: skip, but say so.
        logger.warn({ scenario: scenario.name, operationId }, 'canned response for an operation the document lacks');
        continue;
      }
      const check = responses.check(operationId, { status: canned.status, body: canned.body });
      if (!check.valid) fail(`breaks the served document: ${check.problem ?? 'invalid'}`);
    }
  }
}

/** Express's router (the `router` package, which Express 5 exports as express.Router). */
function createRouter(): ReturnType<typeof import('express').Router> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package has no types of its own
  const Router = require('router') as typeof import('express').Router;
  return Router();
}

/** An Express application that runs the given router for every request. */
function expressAppAround(router: ReturnType<typeof createRouter>): Express {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see MockApp.app
  const express = require('express') as typeof import('express');
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(router);
  return app;
}

function mockQueryOf(exchange: Exchange): void {
  const { query } = exchange.request;
  if (!query.includes('__')) return;
  const kept = new URLSearchParams();
  const mock: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    if (MOCK_QUERY.test(key)) mock[key] = value;
    else kept.append(key, value);
  }
  exchange.request.query = kept.toString();
  exchange.mockQuery = mock;
}

/**
 * Builds the whole mock (Express, both openapi-backend instances, the sessions) from a
 * config, without listening, so tests can hand it to supertest.
 *
 * @example
 * const { app } = await createApp(resolveConfig({ seed: 42 }));
 * await request(app).get('/__mock/health').expect(200);
 */
export async function createApp(config: Config, options: AppOptions = {}): Promise<MockApp> {
  const logger = options.logger ?? createLogger(config.logLevel, config.prettyLogs);
  const clock = options.clock ?? Date.now;
  const wait =
    options.wait ??
    ((ms: number) => (ms <= 0 ? Promise.resolve() : new Promise<void>((resolve) => setTimeout(resolve, ms))));
  const startedAt = clock();

  const world = loadWorld(config.fixturesDir);
  const scenarioMap = loadScenarios(config.fixturesDir);
  if (!scenarioMap.has(config.scenario)) {
    const reason = `unknown scenario "${config.scenario}"; known scenarios: ${[...scenarioMap.keys()].join(', ')}.`;
    throw new StartupError(reason, 'scenario', reason);
  }
  const scenarios = new ScenarioCatalog(scenarioMap, config.scenario);
  const document = loadDocument(config.specPath);
  const projects = projectInfos(world);

  // The fallback needs the backend it serves, and the backend needs the fallback: tie the knot late.
  let fallback: ReturnType<typeof createFallbackResponder> | undefined;
  const handlers = {
    ...createAuthHandlers({
      environments: new Map(world.projects.map((project) => [project.name, project.environments])),
      clock,
    }),
    ...createKeystoreHandlers({ maxFileBytes: config.maxFileBytes, wait }),
  };
  const productBackend = await createProductApi(document, {
    config,
    scenarios,
    clock,
    apiRoot: apiRootOf(document),
    handlers,
    fallback: (operationId, input) => {
      if (fallback === undefined) throw errors.internal();
      return fallback(operationId, input);
    },
    source: displayPath(config.specPath),
    checkDocument: config.specPath !== DEFAULT_CONFIG.specPath,
  });
  fallback = createFallbackResponder(productBackend, config.seed);
  const productResponses = new ResponseValidator(productBackend);
  checkCannedResponses(productBackend, productResponses, scenarios, new Set(Object.keys(handlers)), logger);

  const checkKeystoreSchema = createKeystoreSchemaCheck(productBackend);
  const sessions = new SessionRegistry(
    { world, projects, initialKeystores: initialKeystores(world, projects, config, checkKeystoreSchema) },
    config,
    (id) => logger.info({ session: id, sessions: config.maxSessions }, 'session evicted (least recently used)'),
  );

  const controlBackend = await createControlApi(loadDocument(CONTROL_SPEC_PATH), {
    config,
    sessions,
    scenarios,
    servedDocument: document,
    checkKeystoreSchema,
    version: VERSION,
    startedAt,
    clock,
  });

  const selfValidate = (responses: ResponseValidator) => (exchange: Exchange, reply: Reply) => {
    if (!config.validateResponses || exchange.operationId === null) return reply;
    const operationId = exchange.operationId;
    return enforceContract(responses, operationId, reply, (problem) =>
      logger.error(
        { operationId, status: reply.status, problem },
        'response drift: the reply breaks the served document',
      ),
    );
  };

  let shuttingDown = false;
  const closing = () => shuttingDown;
  const product = createEdge({
    backend: productBackend,
    logger,
    closing,
    prepare: (exchange) => {
      exchange.session = sessions.get(singleHeader(exchange.req, 'x-mock-session'));
      mockQueryOf(exchange);
    },
    finalize: selfValidate(productResponses),
    done: (exchange, reply, durationMs) => {
      const { session } = exchange;
      const entry = {
        time: new Date(clock()).toISOString(),
        method: exchange.req.method ?? 'GET',
        path: exchange.request.path,
        operationId: exchange.operationId,
        session: session?.id ?? DEFAULT_SESSION,
        scenario: exchange.scenario?.name ?? null,
        status: reply.status,
        durationMs: Math.round(durationMs * 1000) / 1000,
        keystoreName: exchange.keystoreName,
        ...(exchange.notes.length > 0 ? { notes: exchange.notes } : {}),
      };
      session?.journal.record(entry);
      if (logger.isLevelEnabled('info')) {
        const { time: _time, ...line } = entry;
        logger.info(line, 'request');
      }
    },
  });

  const control = createEdge({
    backend: controlBackend,
    logger,
    closing,
    prepare: (exchange) => assertAdmin(authorizationHeader(exchange.req), config.adminToken),
    finalize: selfValidate(new ResponseValidator(controlBackend)),
    done: (exchange, reply, durationMs) => {
      // Health probes arrive every few seconds from orchestrators: keep them out of info logs.
      const level = exchange.operationId === 'getHealth' ? 'debug' : 'info';
      logger[level](
        {
          method: exchange.req.method,
          path: exchange.request.path,
          operationId: exchange.operationId,
          session: exchange.session?.id ?? null,
          scenario: null,
          status: reply.status,
          durationMs: Math.round(durationMs * 1000) / 1000,
        },
        'control request',
      );
    },
  });
  const corsHeaders = cors({
    origin: config.corsOrigins === '*' ? '*' : config.corsOrigins,
    exposedHeaders: ['Allow', 'Content-Length'],
    maxAge: 600,
  });
  const onError = (error: unknown, res: ServerResponse): void => {
    logger.error({ err: error }, 'unexpected error in the middleware chain');
    sendReply(res, errorReply(error), false, shuttingDown);
  };

  // Every request flows through this router: CORS for browsers, then the control plane or the
  // product API. The Express app mounts it; the HTTP server calls it directly (see `handler`).
  const router = createRouter();
  router.use((req: Request, res: Response, next: NextFunction) => {
    // CORS headers matter only to browsers, which always send Origin; skipping the middleware
    // for other callers keeps it off the hot path of test clients and load tools. Every other
    // answer gets nosniff from sendReply; the preflight answer the middleware ends needs it here.
    if (req.headers.origin !== undefined) {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      return corsHeaders(req, res, next);
    }
    if (config.corsOrigins !== '*') res.setHeader('Vary', 'Origin');
    next();
  });
  router.use((req: Request, res: Response) => {
    const path = req.url;
    const isControl =
      path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`) || path.startsWith(`${CONTROL_PREFIX}?`);
    void (isControl ? control(req, res) : product(req, res));
  });
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => onError(error, res));

  // Express's app.handle swaps the prototypes of req and res for its helpers on every request,
  // which costs about 60 µs here; nothing in the pipeline uses those helpers, so the server
  // runs the same router without the swap.
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    router(req as Request, res as Response, (error?: unknown) => onError(error ?? errors.internal(), res));
  };

  let app: Express | undefined;
  return {
    // Built on first use: the HTTP server needs only the router, and loading Express's other
    // modules (body parsers, mime tables) would add about 40 ms to every start.
    get app() {
      app ??= expressAppAround(router);
      return app;
    },
    handler,
    config,
    logger,
    sessions,
    scenarios,
    productBackend,
    controlBackend,
    reset: (session) => sessions.reset(session),
    setScenario: (name, session) => {
      sessions.get(session).activeScenario = scenarios.get(name).name;
    },
    requests: (filter, session) => sessions.get(session).journal.entries(filter),
    state: (session) => sessions.get(session).store.snapshot(),
    beginShutdown: () => {
      shuttingDown = true;
    },
    warmUp: async () => {
      const stopped = () => shuttingDown;
      try {
        await warmUpValidators(productBackend, stopped);
        await warmUpValidators(controlBackend, stopped);
      } catch (error) {
        // A validator that cannot compile now will fail, and be reported, on its first request.
        logger.warn({ err: error }, 'could not compile every request validator ahead of use');
      }
    },
  };
}
