import type OpenAPIBackend from 'openapi-backend';
import type { Context, Document, Handler } from 'openapi-backend';
import { bearerToken } from '../auth/authenticate';
import { secretsEqual } from '../auth/token-registry';
import type { Config } from '../config';
import { createBackend } from '../contract/create-backend';
import { methodNotAllowed } from '../contract/method-not-allowed';
import { toFieldErrors } from '../contract/field-errors';
import type { Exchange } from '../contract/operation';
import { errors } from '../errors';
import { singleHeader } from '../http/edge';
import { readOperationBody } from '../http/read-operation-body';
import type { Reply } from '../http/reply';
import { checkSnapshot, type KeystoreSchemaCheck } from '../keystores/check-snapshot';
import type { ScenarioCatalog } from '../scenarios/scenario-catalog';
import {
  SESSION_EVICTED_HEADER,
  evictedSessionNote,
  type Session,
  type SessionRegistry,
} from '../sessions/session-registry';
import type { JournalFilter } from './request-journal';

/** What the control plane needs from the app. */
export interface ControlApiDeps {
  config: Config;
  sessions: SessionRegistry;
  scenarios: ScenarioCatalog;
  /** The product document as loaded, before dereferencing. */
  servedDocument: Document;
  checkKeystoreSchema: KeystoreSchemaCheck;
  version: string;
  startedAt: number;
  clock: () => number;
}

interface StateInput {
  version?: number;
  activeScenario?: string | null;
  projects: Record<string, { keystores: unknown[] }>;
}

/** The session a control call acts on: `?session=` wins over `X-Mock-Session`. */
function sessionIdOf(context: Context, exchange: Exchange): string | undefined {
  const fromQuery = (context.request.query as Record<string, unknown>).session;
  if (typeof fromQuery === 'string') return fromQuery;
  return singleHeader(exchange.req, 'x-mock-session');
}

/**
 * Checks the admin token when one is configured; throws 401 otherwise. The comparison takes
 * the same time whatever the token sent.
 *
 * @example
 * assertAdmin(req.headers.authorization, config.adminToken);
 */
export function assertAdmin(header: string | undefined, adminToken: string | undefined): void {
  if (adminToken === undefined) return;
  const sent = bearerToken(header);
  if (!secretsEqual(sent ?? '', adminToken) || sent === undefined) throw errors.adminTokenRequired();
}

function exportState(session: Session) {
  const projects: Record<string, { keystores: unknown[] }> = {};
  for (const [name, keystores] of Object.entries(session.store.snapshot())) projects[name] = { keystores };
  return { version: 1, activeScenario: session.activeScenario ?? null, projects };
}

/**
 * The `/__mock` control plane, served from its own OpenAPI document and validated like the
 * product API.
 *
 * @example
 * const control = await createControlApi(document, deps);
 */
export async function createControlApi(document: Document, deps: ControlApiDeps): Promise<OpenAPIBackend> {
  const { sessions, scenarios } = deps;
  const session = (context: Context, exchange: Exchange): Session => {
    const opened = sessions.open(sessionIdOf(context, exchange));
    exchange.session = opened.session;
    if (opened.evicted) {
      exchange.replyHeaders[SESSION_EVICTED_HEADER] = 'true';
      exchange.notes.push(evictedSessionNote(opened.session.id));
    }
    return opened.session;
  };
  const ok = (body: unknown): Reply => ({ status: 200, body });

  const handlers: Record<string, Handler> = {
    notFound: (_context: Context, exchange: Exchange) => {
      throw errors.routeNotFound(exchange.request.method.toUpperCase(), exchange.request.path);
    },
    methodNotAllowed: methodNotAllowed(() => backend),
    postRoutingHandler: (context: Context, exchange: Exchange) => {
      if (context.operation !== undefined) exchange.operationId = context.operation.operationId ?? null;
    },
    postSecurityHandler: async (context: Context, exchange: Exchange) => {
      exchange.body = await readOperationBody(context.operation, exchange.req, deps.config);
      exchange.request.body = exchange.body;
    },
    validationFail: (context: Context) => {
      throw errors.validationFailed(toFieldErrors(context.validation.errors ?? []));
    },

    // Health never creates a session nor counts as its use: probes must not fill or refresh the registry.
    getHealth: (context: Context, exchange: Exchange) => {
      const asked = sessions.find(sessionIdOf(context, exchange));
      if (asked !== undefined) exchange.session = asked;
      const startup = scenarios.startupScenario().name;
      return ok({
        status: 'ok',
        version: deps.version,
        uptimeSeconds: Math.max(0, (deps.clock() - deps.startedAt) / 1000),
        scenario: asked?.activeScenario ?? startup,
        startupScenario: startup,
        sessions: sessions.stats(),
      });
    },
    resetMock: (context: Context, exchange: Exchange) => {
      const id = sessionIdOf(context, exchange);
      sessions.reset(id);
      return ok({ reset: id ?? 'all' });
    },
    exportState: (context: Context, exchange: Exchange) => ok(exportState(session(context, exchange))),
    importState: (context: Context, exchange: Exchange) => {
      const target = session(context, exchange);
      const input = exchange.body as StateInput;
      const byProject = Object.fromEntries(
        Object.entries(input.projects).map(([name, entry]) => [name, entry.keystores]),
      );
      const { snapshot, problems } = checkSnapshot(byProject, {
        projects: target.store.projectInfos(),
        checkSchema: deps.checkKeystoreSchema,
        maxFileBytes: deps.config.maxFileBytes,
        maxPerProject: deps.config.maxKeystoresPerProject,
      });
      if (
        input.activeScenario !== undefined &&
        input.activeScenario !== null &&
        !scenarios.names().includes(input.activeScenario)
      ) {
        problems.push({
          field: 'activeScenario',
          message: `is not a known scenario (${scenarios.names().join(', ')})`,
        });
      }
      if (problems.length > 0) throw errors.invalidState(problems);
      target.store.restore(snapshot);
      if (input.activeScenario !== undefined) target.activeScenario = input.activeScenario ?? undefined;
      return ok(exportState(target));
    },
    listScenarios: (context: Context, exchange: Exchange) => {
      const target = session(context, exchange);
      return ok({
        active: target.activeScenario ?? scenarios.startupScenario().name,
        startup: scenarios.startupScenario().name,
        scenarios: scenarios
          .all()
          .map(({ name, description, source, origin }) => ({ name, description, source, origin })),
      });
    },
    getActiveScenario: (context: Context, exchange: Exchange) => {
      const target = session(context, exchange);
      return ok({ active: target.activeScenario ?? scenarios.startupScenario().name });
    },
    setActiveScenario: (context: Context, exchange: Exchange) => {
      const target = session(context, exchange);
      const { name } = exchange.body as { name: string };
      target.activeScenario = scenarios.get(name).name;
      return ok({ active: target.activeScenario });
    },
    listRequests: (context: Context, exchange: Exchange) => {
      const query = context.request.query as Record<string, string | undefined>;
      const filter: JournalFilter = {};
      if (query.operationId !== undefined) filter.operationId = query.operationId;
      if (query.method !== undefined) filter.method = query.method;
      if (query.status !== undefined) filter.status = Number(query.status);
      if (query.limit !== undefined) filter.limit = Number(query.limit);
      const requests = session(context, exchange).journal.entries(filter);
      return ok({ requests, count: requests.length });
    },
    clearRequests: (context: Context, exchange: Exchange) =>
      ok({ cleared: session(context, exchange).journal.clear() }),
    getServedDocument: () => ok(deps.servedDocument),
  };

  const backend = await createBackend(document, '/', handlers, 'openapi/control-plane.yaml', false);
  backend.registerSecurityHandler('adminToken', () => true);
  return backend;
}
