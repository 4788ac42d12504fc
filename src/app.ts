import cors from 'cors';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type OpenAPIBackend from 'openapi-backend';
import type { Logger } from 'pino';
import { createAuthHandlers } from './auth/auth-handlers';
import { createEnvironmentHandlers } from './environments/environment-handlers';
import { createHealthHandlers } from './health/health-handlers';
import { CONTROL_SPEC_PATH, DEFAULT_CONFIG, type Config } from './config';
import { assertAdmin, createControlApi } from './control/control-api';
import { JournalFeed } from './control/journal-stream';
import { controlRequestLogger, productRequestRecorder } from './control/record-request';
import { DASHBOARD_FOLDER, uiAssets } from './control/ui-assets';
import type { JournalEntry, JournalFilter } from './control/request-journal';
import { verifyJournal, type Verification } from './control/verify-requests';
import { checkCannedResponses } from './contract/check-canned-responses';
import { warmUpValidators } from './contract/create-backend';
import { createFallbackResponder, preferredReply } from './contract/fallback-responses';
import { createKeystoreSchemaCheck } from './contract/keystore-schema-check';
import { apiRootOf, loadDocument } from './contract/load-document';
import type { Exchange } from './contract/operation';
import { createProductApi } from './contract/product-api';
import { ResponseValidator, enforceContract } from './contract/response-check';
import { StartupError, displayPath } from './fixtures/read-data-file';
import { loadWorld } from './fixtures/load-world';
import { authorizationHeader, createEdge, singleHeader, takeMockQuery } from './http/edge';
import { realWait, type Wait } from './http/real-wait';
import { errorReply, sendReply, type Reply } from './http/reply';
import { initialKeystores } from './keystores/initial-keystores';
import { createKeystoreHandlers } from './keystores/keystore-handlers';
import type { StoreSnapshot } from './keystores/keystore-store';
import { createLogger } from './logging/create-logger';
import { loadScenarios } from './scenarios/load-scenarios';
import { checkScenarioEnvironments } from './scenarios/check-scenario-environments';
import { checkScenarioOperations } from './scenarios/check-scenario-operations';
import { RuntimeScenarios, createScenarioCheck } from './scenarios/runtime-scenarios';
import type { ScenarioFile } from './scenarios/scenario';
import { ScenarioCatalog, type ScenarioSummary } from './scenarios/scenario-catalog';
import { SESSION_EVICTED_HEADER, evictedSessionNote } from './sessions/session-registry';
import { openWorldStore, type WorldStoreContext } from './store/open-world-store';
import type { Session, WorldStore } from './store/world-store';
import { VERSION } from './version';

/** Things a test or an embedding program may replace. */
export interface AppOptions {
  logger?: Logger;
  /** Epoch milliseconds; token expiry, idle sessions and uptime read it. */
  clock?: () => number;
  /** How simulated deployments, `X-Mock-Delay` and hangs wait; a hang passes a signal that ends it early. */
  wait?: Wait;
  /**
   * Opens the store of sessions (by default the one `config.store` names). Hot reload passes one
   * that hands back the store already open, so sessions outlive a rebuild of everything else.
   */
  openStore?: (config: Config, context: WorldStoreContext) => Promise<WorldStore>;
  /**
   * Scenarios given in code, by name, in the schema of scenario files: checked as files are
   * (a bad one rejects the start), seen by every session, kept by reset; one replaces a file of
   * the same name.
   */
  scenarios?: Readonly<Record<string, ScenarioFile>>;
}

/** An app and the parts of it that the programmatic API and the tests steer. */
export interface MockApp {
  /** The Express application: what the CLI serves, what supertest drives and what `app.use()` mounts. */
  app: Express;
  config: Config;
  logger: Logger;
  /** The path prefix the product API is served under, such as `/apiops`. */
  apiRoot: string;
  /** Where every session lives (memory or Redis); handlers and the control plane talk only to it. */
  store: WorldStore;
  scenarios: ScenarioCatalog;
  productBackend: OpenAPIBackend;
  controlBackend: OpenAPIBackend;
  /** Puts every session (or one) back to the fixtures. */
  reset(session?: string): Promise<void>;
  /** Makes a scenario active in a session (the default one unless named); rejects on an unknown name. */
  setScenario(name: string, session?: string): Promise<void>;
  /**
   * Stores a runtime scenario in a session (the default one, seen by every session, unless
   * named), checked as `PUT /__mock/scenarios/NAME` checks it; rejects with its ApiError.
   */
  putScenario(name: string, scenario: ScenarioFile, session?: string): Promise<ScenarioSummary>;
  /** Removes a runtime scenario of a session, as `DELETE /__mock/scenarios/NAME` does; rejects with its ApiError. */
  deleteScenario(name: string, session?: string): Promise<void>;
  /** The request journal of a session. */
  requests(filter?: JournalFilter, session?: string): Promise<JournalEntry[]>;
  /**
   * Checks what a session's clients sent, as `POST /__mock/verify` does: resolves `{matched}`
   * when the count holds, else throws a `VerificationError` whose message lists the near-misses.
   */
  verify(verification: Verification, session?: string): Promise<{ matched: number }>;
  /** Every keystore of a session, by project. */
  state(session?: string): Promise<StoreSnapshot>;
  /** Lets go of the store's connections (Redis); the app answers no more requests afterwards. */
  close(): Promise<void>;
  /** Compiles every request validator ahead of first use; call once the server listens. Never rejects. */
  warmUp(): Promise<void>;
  /** From now on, replies ask clients to close their connection (the server is stopping). */
  beginShutdown(): void;
}

const CONTROL_PREFIX = '/__mock';

/**
 * Builds the whole mock from a config, without listening. One request path serves every
 * caller: CORS, then the control plane under `/__mock`, then the product API, whose contract
 * pipeline runs route → session and scenario → auth → project → body → validation → handler.
 *
 * @example
 * const { app } = await createApp(resolveConfig({ seed: 42 }));
 * await request(app).get('/__mock/health').expect(200);
 */
export async function createApp(config: Config, options: AppOptions = {}): Promise<MockApp> {
  const logger = options.logger ?? createLogger(config.logLevel, config.prettyLogs);
  const clock = options.clock ?? Date.now;
  const wait = options.wait ?? realWait;
  const startedAt = clock();

  // 1. What the mock serves: the world, the scenarios and the product's OpenAPI document.
  const world = loadWorld(config.fixturesDir);
  const scenarioMap = loadScenarios(config.fixturesDir, { builtins: config.builtinScenarios, code: options.scenarios });
  if (!scenarioMap.has(config.scenario)) {
    const reason = `unknown scenario "${config.scenario}"; known scenarios: ${[...scenarioMap.keys()].join(', ')}.`;
    throw new StartupError(reason, 'scenario', reason);
  }
  const environmentNames = world.projects.flatMap((project) => project.environments.map(({ name }) => name));
  checkScenarioEnvironments(scenarioMap.values(), environmentNames);
  const scenarios = new ScenarioCatalog(scenarioMap, config.scenario);
  logger.info(
    { scenarios: scenarios.all().map(({ name, origin, source }) => ({ name, origin, source })) },
    'scenarios loaded',
  );
  const document = loadDocument(config.specPath);
  const apiRoot = apiRootOf(document);

  // 2. The product API: the contract routes and checks, then the handlers act by operationId
  //    (keystore ones through the store and simulated deployments); operations without a
  //    handler answer from the document.
  const handlers = {
    ...createAuthHandlers({ clock }),
    ...createHealthHandlers(),
    ...createEnvironmentHandlers(new Map(world.projects.map((project) => [project.name, project.environments]))),
    ...createKeystoreHandlers({ maxFileBytes: config.maxFileBytes, wait }),
  };
  const projects = world.projects.map((project) => ({
    name: project.name,
    id: project.id,
    environmentNames: project.environments.map((environment) => environment.name),
  }));
  const productBackend = await createProductApi(document, {
    config,
    projects: new Map(projects.map((project) => [project.name, project])),
    scenarios,
    clock,
    apiRoot,
    handlers,
    fallback: createFallbackResponder(config.seed),
    source: displayPath(config.specPath),
    checkDocument: config.specPath !== DEFAULT_CONFIG.specPath,
  });
  const productResponses = new ResponseValidator(productBackend);
  checkCannedResponses(productBackend, productResponses, scenarios, new Set(Object.keys(handlers)), logger);
  const runtimeScenarios = new RuntimeScenarios(
    scenarios,
    createScenarioCheck({
      environments: environmentNames,
      backend: productBackend,
      responses: productResponses,
      mockOperations: new Set(Object.keys(handlers)),
    }),
  );
  const documentOperations = new Set(productBackend.getOperations().flatMap(({ operationId }) => operationId ?? []));
  checkScenarioOperations(scenarios.all(), documentOperations, new Set(Object.keys(handlers)), logger);

  // 3. The store of every session (memory, or Redis shared by replicas); each session starts
  //    from the fixtures, checked exactly as creates are.
  const checkKeystoreSchema = createKeystoreSchemaCheck(productBackend);
  const store = await (options.openStore ?? openWorldStore)(config, {
    template: { world, projects, initialKeystores: initialKeystores(world, projects, config, checkKeystoreSchema) },
    logger,
    clock,
    onEvict: (id) => logger.info({ session: id, sessions: config.maxSessions }, 'idle session evicted to make room'),
  });

  // 4. The control plane, served from its own document.
  const controlBackend = await createControlApi(loadDocument(CONTROL_SPEC_PATH), {
    config,
    store,
    projects,
    scenarios,
    runtimeScenarios,
    servedDocument: document,
    checkKeystoreSchema,
    version: VERSION,
    startedAt,
    clock,
  });

  // 5. The Express app, in request order.
  let shuttingDown = false;
  const closing = () => shuttingDown;
  // Aborted when shutdown begins, so a request hanging on X-Mock-Fault: hang lets go at once.
  const shutdown = new AbortController();
  // The live journal: streams are told of each entry stored and of each clear or reset.
  const journalFeed = new JournalFeed({ store, logger, adminToken: config.adminToken, closing });
  const logControl = controlRequestLogger(logger);
  const selfValidate = (responses: ResponseValidator) => (exchange: Exchange, reply: Reply) => {
    const { operationId } = exchange;
    if (!config.validateResponses || operationId === null) return reply;
    return enforceContract(responses, operationId, reply, (problem) =>
      logger.error(
        { operationId, status: reply.status, problem },
        'response drift: the reply breaks the served document',
      ),
    );
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('case sensitive routing', true);
  app.use(corsFor(config));
  // The dashboard's files (no data, so no admin token) and the journal's event stream, which
  // checks the token itself; both stream past what the control edge's JSON replies can carry.
  app.use(`${CONTROL_PREFIX}/ui`, uiAssets({ folder: DASHBOARD_FOLDER, mount: `${CONTROL_PREFIX}/ui`, closing }));
  app.get(`${CONTROL_PREFIX}/requests/stream`, journalFeed.handler());
  app.use(
    CONTROL_PREFIX,
    createEdge({
      backend: controlBackend,
      logger,
      closing,
      prepare: (exchange) => assertAdmin(authorizationHeader(exchange.req), config.adminToken),
      finalize: selfValidate(new ResponseValidator(controlBackend)),
      done: (exchange, reply, durationMs) => {
        logControl(exchange, reply, durationMs);
        if (
          reply.status === 200 &&
          (exchange.operationId === 'resetMock' || exchange.operationId === 'clearRequests')
        ) {
          journalFeed.notify(exchange.operationId === 'clearRequests' ? exchange.session?.id : undefined);
        }
      },
    }),
  );
  app.use(
    createEdge({
      backend: productBackend,
      logger,
      closing,
      prepare: async (exchange) => {
        const { session, evicted } = await store.open(singleHeader(exchange.req, 'x-mock-session'));
        exchange.session = session;
        if (evicted) {
          exchange.replyHeaders[SESSION_EVICTED_HEADER] = 'true';
          exchange.notes.push(evictedSessionNote(session.id));
        }
        takeMockQuery(exchange);
      },
      // Prism's Prefer code/example: the document's answer, before any check, changing nothing.
      answerEarly: (exchange) => {
        const operation = productBackend.matchOperation(exchange.request);
        if (operation === undefined) return undefined;
        exchange.operationId = operation.operationId ?? null;
        return preferredReply(operation, exchange.request.headers, exchange.mockQuery, config.seed);
      },
      finalize: selfValidate(productResponses),
      faults: { maxDelayMs: config.maxDelayMs, maxHangMs: config.maxHangMs, wait, shutdown: shutdown.signal },
      done: productRequestRecorder(logger, clock, (entry) => journalFeed.notify(entry.session), {
        bodyLimit: config.journalBodyLimit,
        adminToken: config.adminToken,
      }),
    }),
  );
  // The edges answer every request themselves; this catches what fails before them.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    logger.error({ err: error }, 'unexpected error in the middleware chain');
    sendReply(res, errorReply(error), false, shuttingDown);
  });

  const sessionOf = async (id: string | undefined): Promise<Session> => (await store.open(id)).session;
  return {
    app,
    config,
    logger,
    apiRoot,
    store,
    scenarios,
    productBackend,
    controlBackend,
    reset: async (session) => {
      await store.reset(session);
      journalFeed.notify(session);
    },
    setScenario: async (name, id) => {
      const session = await sessionOf(id);
      await session.setActiveScenario((await scenarios.lookup(name, session)).name);
    },
    putScenario: async (name, scenario, id) =>
      (await runtimeScenarios.put(await sessionOf(id), name, scenario)).scenario,
    deleteScenario: async (name, id) => runtimeScenarios.remove(await sessionOf(id), name),
    requests: async (filter, id) => (await sessionOf(id)).journal.entries(filter),
    verify: async (verification, id) =>
      verifyJournal((await sessionOf(id)).journal.entries(), verification, config.adminToken),
    state: async (id) => (await (await sessionOf(id)).exportState()).keystores,
    close: () => {
      journalFeed.closeAll();
      return store.close();
    },
    beginShutdown: () => {
      journalFeed.closeAll();
      shuttingDown = true;
      shutdown.abort();
    },
    warmUp: async () => {
      try {
        await warmUpValidators(productBackend, closing);
        await warmUpValidators(controlBackend, closing);
      } catch (error) {
        // A validator that cannot compile now will fail, and be reported, on its first request.
        logger.warn({ err: error }, 'could not compile every request validator ahead of use');
      }
    },
  };
}

/**
 * CORS for browsers, which always send Origin; other callers get no CORS headers. Every other
 * answer gets nosniff from sendReply; the preflight answer the middleware ends needs it here.
 */
function corsFor(config: Config) {
  const corsHeaders = cors({
    origin: config.corsOrigins === '*' ? '*' : config.corsOrigins,
    exposedHeaders: ['Allow', 'Content-Length'],
    maxAge: 600,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.headers.origin !== undefined) {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      corsHeaders(req, res, next);
      return;
    }
    if (config.corsOrigins !== '*') res.setHeader('Vary', 'Origin');
    next();
  };
}
