import type OpenAPIBackend from 'openapi-backend';
import type { Context, Document, Handler, Operation } from 'openapi-backend';
import { authenticate, holdsRoles } from '../auth/authenticate';
import type { Config } from '../config';
import { ApiError, errors } from '../errors';
import { authorizationHeader, singleHeader } from '../http/edge';
import { NOT_ANSWERED } from '../http/break-answer';
import { readOperationBody } from '../http/read-operation-body';
import type { Reply } from '../http/reply';
import type { ProjectInfo } from '../keystores/keystore';
import { drawLatency } from '../deployments/draw-latency';
import { plannedFault } from '../scenarios/planned-fault';
import type { ScenarioCatalog } from '../scenarios/scenario-catalog';
import { createBackend } from './create-backend';
import { methodNotAllowed } from './method-not-allowed';
import { toFieldErrors } from './field-errors';
import type { Exchange, OperationHandler, OperationInput } from './operation';

/** What the product API pipeline needs from the app. */
export interface ProductApiDeps {
  config: Config;
  /** The projects of the world by name (case-sensitive); any other name is a 404. */
  projects: ReadonlyMap<string, ProjectInfo>;
  scenarios: ScenarioCatalog;
  clock: () => number;
  /** Stateful handlers keyed by operationId. */
  handlers: Record<string, OperationHandler>;
  /** Answers an operation that has no stateful handler, from the document itself. */
  fallback: (operation: Operation, input: OperationInput) => Reply;
  /** Where the document came from, for messages. */
  source: string;
  /** The path prefix the document's paths are served under, such as `/apiops`. */
  apiRoot: string;
  /** Check the document against the OpenAPI schema at start (the shipped one is linted in CI instead). */
  checkDocument: boolean;
}

function requiredRoles(context: Context): readonly string[] {
  const roles = (context.operation as { 'x-required-roles'?: unknown })['x-required-roles'];
  return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
}

/**
 * Whether the operation answers a bad token and a missing role alike, with one 401
 * (`x-forbidden-as: 401` in the document), as the product does for its admin listing.
 */
function forbiddenAs401(context: Context): boolean {
  const value = (context.operation as { 'x-forbidden-as'?: unknown })['x-forbidden-as'];
  return value === 401 || value === '401';
}

/** An expired token keeps its own 401 on every operation, so a client knows to fetch a new one. */
const TOKEN_EXPIRED = errors.tokenExpired().code;

function inputOf(context: Context, exchange: Exchange): OperationInput {
  if (exchange.session === undefined || exchange.scenario === undefined) throw errors.internal();
  return {
    operationId: context.operation.operationId ?? '',
    params: context.request.params as Record<string, string>,
    query: context.request.query as Record<string, unknown>,
    body: exchange.body,
    session: exchange.session,
    scenario: exchange.scenario,
    project: exchange.project,
    headers: exchange.request.headers,
    mockQuery: exchange.mockQuery,
    note: (text) => void exchange.notes.push(text),
    breakWith: (fault) => {
      exchange.fault ??= fault;
      return exchange.fault === fault;
    },
  };
}

function keystoreNameOf(input: OperationInput): string | null {
  const fromBody = (input.body as { name?: unknown } | undefined)?.name;
  if (typeof fromBody === 'string') return fromBody;
  return input.params.keystoreName ?? null;
}

/**
 * The product API: openapi-backend routes and validates, and the hooks below run the
 * contract's checks in its order (route, scenario, 401, 403, project, 415, 413, malformed
 * body, validation) before the handler of the operationId acts.
 *
 * @example
 * const backend = await createProductApi(document, deps);
 * await backend.handleRequest(request, exchange);
 */
export async function createProductApi(document: Document, deps: ProductApiDeps): Promise<OpenAPIBackend> {
  const { config } = deps;

  const runOperation =
    (operationId: string, handler: OperationHandler): Handler =>
    async (context: Context, exchange: Exchange) => {
      const input = inputOf(context, exchange);
      exchange.keystoreName = keystoreNameOf(input);
      await handler.check?.(input);
      // A scenario's delays and faults, like its canned answers, come only once every check passed.
      const rules = input.scenario.operations?.[operationId];
      if (rules?.delay !== undefined) {
        const delayMs = drawLatency(rules.delay, (min, max) => input.session.random.get().number.int({ min, max }));
        exchange.delayMs += delayMs;
        if (delayMs > 0) {
          input.note(`delayed ${delayMs} ms by scenario ${input.scenario.name} (operations.${operationId}.delay)`);
        }
      }
      const fault =
        rules?.fault === undefined
          ? undefined
          : plannedFault(rules.fault, `scenario ${input.scenario.name} (operations.${operationId}.fault)`);
      if (fault !== undefined && input.breakWith(fault) && fault.when === 'before') return NOT_ANSWERED;
      const canned = input.scenario.responses[operationId];
      if (canned !== undefined) {
        return { status: canned.status, body: canned.body, headers: canned.headers };
      }
      return handler.act(input);
    };

  const operationHandlers: Record<string, Handler> = {};
  for (const [operationId, handler] of Object.entries(deps.handlers)) {
    operationHandlers[operationId] = runOperation(operationId, handler);
  }

  let backend: OpenAPIBackend | undefined;
  const hooks: Record<string, Handler> = {
    notFound: (_context: Context, exchange: Exchange) => {
      throw errors.routeNotFound(exchange.request.method.toUpperCase(), exchange.request.path, deps.apiRoot);
    },
    methodNotAllowed: methodNotAllowed(() => backend as OpenAPIBackend),
    postRoutingHandler: async (context: Context, exchange: Exchange) => {
      if (context.operation === undefined) return;
      exchange.operationId = context.operation.operationId ?? null;
      exchange.scenario = await deps.scenarios.resolve(singleHeader(exchange.req, 'x-mock-scenario'), exchange.session);
    },
    postSecurityHandler: async (context: Context, exchange: Exchange) => {
      const needsToken = (context.operation.security ?? []).length > 0;
      const combined = forbiddenAs401(context);
      if (needsToken && !context.security.authorized) {
        const failure = Object.values(context.security).find(
          (result): result is { error: unknown } => typeof result === 'object' && result !== null && 'error' in result,
        );
        const error = failure?.error instanceof ApiError ? failure.error : errors.invalidToken();
        throw combined && error.code !== TOKEN_EXPIRED ? errors.insufficientPermissions() : error;
      }
      if (needsToken && exchange.principal !== undefined && !holdsRoles(exchange.principal, requiredRoles(context))) {
        throw combined ? errors.insufficientPermissions() : errors.forbidden();
      }
      const projectName = (context.request.params as Record<string, string | undefined>).projectName;
      if (projectName !== undefined) {
        exchange.project = deps.projects.get(projectName);
        if (exchange.project === undefined) throw errors.projectNotFound(projectName);
      }
      exchange.body = await readOperationBody(context.operation, exchange.req, config);
      exchange.request.body = exchange.body;
    },
    unauthorizedHandler: () => {
      throw errors.invalidToken();
    },
    validationFail: (context: Context) => {
      throw errors.validationFailed(toFieldErrors(context.validation.errors ?? []));
    },
    notImplemented: (context: Context, exchange: Exchange) => {
      const operationId = context.operation.operationId ?? '';
      return runOperation(operationId, { act: (input) => deps.fallback(context.operation, input) })(context, exchange);
    },
  };

  backend = await createBackend(
    document,
    deps.apiRoot,
    { ...operationHandlers, ...hooks },
    deps.source,
    deps.checkDocument,
  );

  const bearer: Handler = async (_context: Context, exchange: Exchange) => {
    if (exchange.session === undefined || exchange.scenario === undefined) throw errors.internal();
    exchange.principal = await authenticate(
      authorizationHeader(exchange.req),
      exchange.session.tokens,
      deps.clock(),
      exchange.scenario.tokenExpired,
    );
    return exchange.principal;
  };
  const schemes = (document.components?.securitySchemes ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(schemes)) backend.registerSecurityHandler(name, bearer);
  return backend;
}
