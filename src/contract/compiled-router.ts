import bath from 'bath-es5';
import type OpenAPIBackend from 'openapi-backend';
import type { Operation, ParsedRequest, Request } from 'openapi-backend';
import { parse as parseCookies } from 'cookie';
import { parse as parseQueryString } from 'qs';

interface CompiledOperation {
  operation: Operation;
  method: string;
  path: string;
  pattern: RegExp;
  /** Length of the literal part of the template: longer is more specific. */
  specificity: number;
}

function templateToRegExp(template: string): RegExp {
  const literal = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    `^${template
      .split(/\{[^}]+\}/)
      .map(literal)
      .join('[^/]+')}$`,
  );
}

/**
 * Replaces openapi-backend's router matching and request parsing with versions compiled at
 * start. The library builds
 * a RegExp for every path template and sorts the matches with lodash on every request; the
 * document never changes, so this does that work once. The semantics are the library's:
 * exact paths first, then templates by specificity, and the same 404 and 405 errors, which
 * `handleRequest` turns into the notFound and methodNotAllowed handlers.
 *
 * @example
 * installCompiledRouter(backend);
 */
export function installCompiledRouter(backend: OpenAPIBackend): void {
  const router = backend.router;
  const compiled: CompiledOperation[] = router
    .getOperations()
    .map((operation) => ({
      operation,
      method: operation.method.toLowerCase(),
      path: operation.path,
      pattern: templateToRegExp(operation.path),
      specificity: operation.path.replace(/\{.*?\}/g, '').length,
    }))
    .sort((a, b) => b.specificity - a.specificity);

  const root = router.apiRoot.replace(/\/$/, '');
  const underRoot = (path: string) => root === '' || path === root || path.startsWith(`${root}/`);

  function match(req: Request, strict?: boolean): Operation | undefined {
    const normalized = router.normalizeRequest(req);
    const fail = (message: string): undefined => {
      if (strict === true) throw new Error(message);
      return undefined;
    };
    if (!underRoot(normalized.path)) return fail('404-notFound: no route matches request');
    const path = router.normalizePath(normalized.path);
    const exact = compiled.find((entry) => entry.path === path && entry.method === normalized.method);
    if (exact !== undefined) return exact.operation;
    let pathMatched = false;
    for (const entry of compiled) {
      if (!entry.pattern.test(path)) continue;
      pathMatched = true;
      if (entry.method === normalized.method) return entry.operation;
    }
    return pathMatched
      ? fail('405-methodNotAllowed: this method is not registered for the route')
      : fail('404-notFound: no route matches request');
  }

  router.matchOperation = match as typeof router.matchOperation;
  router.parseRequest = createRequestParser(router) as typeof router.parseRequest;
}

type Router = OpenAPIBackend['router'];
type QueryParameter = {
  in?: string;
  name?: string;
  explode?: boolean;
  style?: string;
  content?: Record<string, unknown>;
};

/**
 * openapi-backend's `parseRequest`, which it calls three times per request, with the same
 * result but without its per-call costs: the path template's parser is built once per path,
 * headers Node already lower-cased are not copied through lodash, and cookies and the query
 * are parsed only when present.
 */
function createRequestParser(router: Router) {
  const templates = new Map<string, (path: string) => Record<string, string> | null>();
  const paramsOf = (template: string, path: string): Record<string, string> => {
    let parse = templates.get(template);
    if (parse === undefined) {
      parse = bath(template).params as (path: string) => Record<string, string> | null;
      templates.set(template, parse);
    }
    return parse(path) ?? {};
  };

  return (req: Request, operation?: Operation): ParsedRequest => {
    let requestBody: unknown = req.body;
    if (req.body !== undefined && req.body !== null && typeof req.body !== 'object') {
      try {
        requestBody = JSON.parse(String(req.body));
      } catch {
        // left as it is; validation reports it
      }
    }
    // Node already lower-cases header names; the library copied them through lodash each time.
    const headers = req.headers;
    const cookieHeader = headers.cookie;
    const cookies =
      cookieHeader === undefined
        ? {}
        : parseCookies(Array.isArray(cookieHeader) ? cookieHeader.join('; ') : cookieHeader);
    const rawQuery = typeof req.query === 'string' ? req.query.replace('?', '') : req.path.split('?')[1];
    const query: Record<string, unknown> =
      typeof req.query === 'object' ? structuredClone(req.query) : rawQuery ? parseQueryString(rawQuery) : {};
    const normalized = router.normalizeRequest(req);
    let params: Record<string, string> = {};
    if (operation !== undefined) {
      params = paramsOf(operation.path, router.normalizePath(normalized.path));
      for (const name of Object.keys(query)) applyQueryStyle(query, name, operation);
    }
    return { ...normalized, params, headers, query, cookies, requestBody } as ParsedRequest;
  };
}

/** Decodes a query parameter declared with JSON content or a non-exploded style, as openapi-backend does. */
function applyQueryStyle(query: Record<string, unknown>, name: string, operation: Operation): void {
  const raw = query[name];
  if (!raw) return;
  const parameter = (operation.parameters as QueryParameter[] | undefined)?.find(
    (candidate) => candidate.in === 'query' && candidate.name === name,
  );
  if (parameter === undefined) return;
  if (parameter.content?.['application/json'] !== undefined) {
    if (typeof raw !== 'string') return;
    try {
      query[name] = JSON.parse(raw) as unknown;
    } catch {
      // left raw; validation reports malformed JSON
    }
    return;
  }
  if (parameter.explode !== false) return;
  if (Array.isArray(raw) && raw.length > 1) return;
  const value: unknown = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string') return;
  let decoded = value.replace(/%2C/g, ',');
  if (parameter.style === 'spaceDelimited') decoded = decoded.replace(/ /g, ',').replace(/%20/g, ',');
  if (parameter.style === 'pipeDelimited') decoded = decoded.replace(/\|/g, ',').replace(/%7C/g, ',');
  query[name] = decoded.split(',');
}
