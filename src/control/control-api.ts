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
import type { ProjectInfo } from '../keystores/keystore';
import type { RuntimeScenarios } from '../scenarios/runtime-scenarios';
import type { ScenarioCatalog } from '../scenarios/scenario-catalog';
import { SESSION_EVICTED_HEADER, evictedSessionNote } from '../sessions/session-registry';
import type { Session, WorldStore } from '../store/world-store';
import { keystoreSummaries, scenarioEffects } from './dashboard-view';
import type { JournalFilter } from './request-journal';
import { checkCount, verifyEntries, type Verification } from './verify-requests';

/** What the control plane needs from the app. */
export interface ControlApiDeps {
  config: Config;
  store: WorldStore;
  /** The projects of the world, which state imports are checked against. */
  projects: readonly ProjectInfo[];
  scenarios: ScenarioCatalog;
  /** Scenarios made and removed at run time (`PUT` and `DELETE /__mock/scenarios/NAME`). */
  runtimeScenarios: RuntimeScenarios;
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

async function exportState(session: Session) {
  const state = await session.exportState();
  const projects: Record<string, { keystores: unknown[] }> = {};
  for (const [name, keystores] of Object.entries(state.keystores)) projects[name] = { keystores };
  return { version: 1, activeScenario: state.activeScenario ?? null, projects };
}

/**
 * The `/__mock` control plane, served from its own OpenAPI document and validated like the
 * product API.
 *
 * @example
 * const control = await createControlApi(document, deps);
 */
export async function createControlApi(document: Document, deps: ControlApiDeps): Promise<OpenAPIBackend> {
  const { store, scenarios } = deps;
  const session = async (context: Context, exchange: Exchange): Promise<Session> => {
    const opened = await store.open(sessionIdOf(context, exchange));
    exchange.session = opened.session;
    if (opened.evicted) {
      exchange.replyHeaders[SESSION_EVICTED_HEADER] = 'true';
      exchange.notes.push(evictedSessionNote(opened.session.id));
    }
    return opened.session;
  };
  const activeOf = async (target: Session) => (await scenarios.active(target)).name;
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
    // A store that does not answer (Redis down) is a 503, so orchestrators see it.
    getHealth: async (context: Context, exchange: Exchange) => {
      const health = await store.health();
      const startup = scenarios.startupScenario().name;
      const base = {
        version: deps.version,
        uptimeSeconds: Math.max(0, (deps.clock() - deps.startedAt) / 1000),
        startupScenario: startup,
        store: health,
      };
      if (!health.ok) return { status: 503, body: { status: 'unavailable', scenario: startup, ...base } };
      const asked = await store.peek(sessionIdOf(context, exchange));
      if (asked !== undefined) exchange.session = asked;
      return ok({
        status: 'ok',
        scenario: asked === undefined ? startup : await activeOf(asked),
        ...base,
        sessions: await store.stats(),
      });
    },
    resetMock: async (context: Context, exchange: Exchange) => {
      const id = sessionIdOf(context, exchange);
      await store.reset(id);
      return ok({ reset: id ?? 'all' });
    },
    exportState: async (context: Context, exchange: Exchange) =>
      ok(await exportState(await session(context, exchange))),
    importState: async (context: Context, exchange: Exchange) => {
      const target = await session(context, exchange);
      const input = exchange.body as StateInput;
      const byProject = Object.fromEntries(
        Object.entries(input.projects).map(([name, entry]) => [name, entry.keystores]),
      );
      const { snapshot, problems } = checkSnapshot(byProject, {
        projects: deps.projects,
        checkSchema: deps.checkKeystoreSchema,
        maxFileBytes: deps.config.maxFileBytes,
        maxPerProject: deps.config.maxKeystoresPerProject,
      });
      if (
        input.activeScenario !== undefined &&
        input.activeScenario !== null &&
        (await scenarios.find(input.activeScenario, target)) === undefined
      ) {
        const known = (await scenarios.visible(target)).map((scenario) => scenario.name);
        problems.push({ field: 'activeScenario', message: `is not a known scenario (${known.join(', ')})` });
      }
      if (problems.length > 0) throw errors.invalidState(problems);
      // Absent keeps the active scenario; null clears it back to the start-up one.
      const activeScenario = input.activeScenario === undefined ? null : (input.activeScenario ?? undefined);
      await target.importState(snapshot, activeScenario);
      return ok(await exportState(target));
    },
    listScenarios: async (context: Context, exchange: Exchange) => {
      const target = await session(context, exchange);
      return ok({
        active: await activeOf(target),
        startup: scenarios.startupScenario().name,
        scenarios: await scenarios.visible(target),
      });
    },
    putScenario: async (context: Context, exchange: Exchange) => {
      const target = await session(context, exchange);
      const { name } = context.request.params as { name: string };
      const { created, scenario } = await deps.runtimeScenarios.put(target, name, exchange.body);
      return { status: created ? 201 : 200, body: scenario };
    },
    deleteScenario: async (context: Context, exchange: Exchange) => {
      const target = await session(context, exchange);
      const { name } = context.request.params as { name: string };
      await deps.runtimeScenarios.remove(target, name);
      return ok({ deleted: name });
    },
    getActiveScenario: async (context: Context, exchange: Exchange) =>
      ok({ active: await activeOf(await session(context, exchange)) }),
    setActiveScenario: async (context: Context, exchange: Exchange) => {
      const target = await session(context, exchange);
      const { name } = exchange.body as { name: string };
      const active = (await scenarios.lookup(name, target)).name;
      await target.setActiveScenario(active);
      return ok({ active });
    },
    listRequests: async (context: Context, exchange: Exchange) => {
      const query = context.request.query as Record<string, string | undefined>;
      const filter: JournalFilter = {};
      for (const field of ['operationId', 'method', 'path', 'scenario', 'keystoreName'] as const) {
        const value = query[field];
        if (value !== undefined) filter[field] = value;
      }
      if (query.status !== undefined) filter.status = Number(query.status);
      if (query.limit !== undefined) filter.limit = Number(query.limit);
      const requests = await (await session(context, exchange)).journal.entries(filter);
      return ok({ requests, count: requests.length });
    },
    verifyRequests: async (context: Context, exchange: Exchange) => {
      const verification = exchange.body as Verification;
      const problems = checkCount(verification);
      if (problems.length > 0) throw errors.validationFailed(problems);
      const entries = await (await session(context, exchange)).journal.entries();
      const outcome = verifyEntries(entries, verification, deps.config.adminToken);
      if (outcome.ok) return ok({ matched: outcome.matched });
      const { matched, expected, nearMisses, matches } = outcome;
      throw errors.verificationFailed(outcome.description, {
        matched,
        expected,
        nearMisses,
        ...(matches.length > 0 ? { matches } : {}),
      });
    },
    clearRequests: async (context: Context, exchange: Exchange) =>
      ok({ cleared: await (await session(context, exchange)).journal.clear() }),
    getServedDocument: () => ok(deps.servedDocument),
    // Lists without opening: looking at the sessions must not create, refresh or evict one.
    listSessions: async () => {
      const startup = scenarios.startupScenario().name;
      const sessions = (await store.list()).map(({ id, activeScenario, lastUsed }) => ({
        id,
        activeScenario: activeScenario ?? startup,
        lastUsed: lastUsed === null ? null : new Date(lastUsed).toISOString(),
      }));
      return ok({ sessions, count: sessions.length });
    },
    getDashboard: async (context: Context, exchange: Exchange) => {
      const target = await session(context, exchange);
      return ok({
        session: target.id,
        activeScenario: await activeOf(target),
        projects: keystoreSummaries((await target.exportState()).keystores, deps.projects),
        scenarios: scenarioEffects(
          scenarios.all(),
          deps.projects.flatMap((project) => project.environmentNames),
        ),
      });
    },
  };

  const backend = await createBackend(document, '/', handlers, 'openapi/control-plane.yaml', false);
  backend.registerSecurityHandler('adminToken', () => true);
  return backend;
}
