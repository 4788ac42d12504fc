import type { IncomingMessage, ServerResponse } from 'node:http';
import type OpenAPIBackend from 'openapi-backend';
import type { Logger } from 'pino';
import type { BackendRequest, Exchange } from '../contract/operation';
import { ApiError, errors } from '../errors';
import { NOT_ANSWERED, breakAnswer, type FaultOptions } from './break-answer';
import { readMockHeaders } from './read-mock-headers';
import { errorReply, sendReply, type Reply } from './reply';

/** How one family of routes (product API or control plane) is served. */
export interface EdgeOptions {
  backend: OpenAPIBackend;
  logger: Logger;
  /** Picks the session for a request; may throw `invalid_session`. Runs before routing. */
  prepare: (exchange: Exchange) => void | Promise<void>;
  /** A reply that short-cuts the whole pipeline (Prefer code=N), or undefined to go on. */
  answerEarly?: (exchange: Exchange) => Reply | undefined;
  /** Runs on every reply before it is sent; may replace it (self-validation). */
  finalize: (exchange: Exchange, reply: Reply) => Reply;
  /** Runs after the reply is sent (journal, log); `sentHeaders` reads the headers sent, lower-cased. */
  done: (exchange: Exchange, reply: Reply, durationMs: number, sentHeaders: () => Record<string, string>) => void;
  /** True once the server is shutting down: replies then ask the client to close the connection. */
  closing: () => boolean;
  /** Delays and faults (`X-Mock-Delay`, `X-Mock-Fault`, scenarios'): the product API's; absent, none apply. */
  faults?: FaultOptions;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The first header of a name, for headers that must not repeat. */
export function singleHeader(req: IncomingMessage, name: string): string | undefined {
  return headerValue(req.headers[name]);
}

/**
 * The Authorization header, or undefined when it is missing or repeated: Node keeps only the
 * first of repeated Authorization headers, and a request that sends two credentials is not
 * trusted with either.
 */
export function authorizationHeader(req: IncomingMessage): string | undefined {
  const raw = req.rawHeaders;
  let seen = 0;
  // rawHeaders alternates names and values; headersDistinct would build every header's list.
  for (let index = 0; index < raw.length; index += 2) {
    if (raw[index]?.length === 13 && raw[index]?.toLowerCase() === 'authorization') seen += 1;
  }
  return seen > 1 ? undefined : req.headers.authorization;
}

const MOCK_QUERY = /^__(code|example|dynamic)$/;

/**
 * Moves the mock-only query parameters (`__code`, `__example`, `__dynamic`) out of the query
 * the document validates, into `exchange.mockQuery`.
 *
 * @example
 * takeMockQuery(exchange); // ?__code=404&x=1 -> query 'x=1', mockQuery { __code: '404' }
 */
export function takeMockQuery(exchange: Exchange): void {
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
 * Takes the request's `X-Mock-Delay` and `X-Mock-Fault` into the exchange, or throws the 400
 * for a bad one: they are the mock user's own instructions, checked as soon as the session is
 * known, before routing and auth.
 */
function takeMockHeaders(exchange: Exchange, maxDelayMs: number): void {
  const read = readMockHeaders(exchange.req, maxDelayMs);
  if (!read.valid) throw read.error;
  exchange.fault = read.headers.fault;
  if (read.headers.delayMs > 0) {
    exchange.delayMs += read.headers.delayMs;
    exchange.notes.push(`delayed ${read.headers.delayMs} ms by X-Mock-Delay`);
  }
}

/** The headers that went out, lower-cased: those set by middleware (CORS), then writeHead's list. */
function sentHeadersOf(res: ServerResponse, written: readonly string[]): Record<string, string> {
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.getHeaders())) sent[name] = String(value);
  for (let index = 0; index + 1 < written.length; index += 2) {
    sent[String(written[index]).toLowerCase()] = String(written[index + 1]);
  }
  return sent;
}

function assertPathEncoding(path: string): void {
  if (!path.includes('%')) return;
  try {
    decodeURIComponent(path);
  } catch {
    throw errors.malformedPath(path);
  }
}

/**
 * Builds the request handler shared by the product API and the control plane: it turns a
 * Node request into an exchange, runs it through openapi-backend, and writes whatever comes
 * out (a reply or an error) in the contract's shape. No error escapes, and none shows a stack.
 *
 * @example
 * app.use(createEdge({ backend, logger, prepare, finalize, done }));
 */
export function createEdge(options: EdgeOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { backend, logger } = options;
  return async (req, res) => {
    const started = process.hrtime.bigint();
    // Under a mount (`app.use('/__mock', edge)`) Express shortens req.url; routing needs it whole.
    const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const headOnly = req.method === 'HEAD';
    const request: BackendRequest = {
      method: headOnly ? 'GET' : (req.method ?? 'GET'),
      path,
      query: queryAt === -1 ? '' : url.slice(queryAt + 1),
      // Node leaves no header undefined; its type only allows for it.
      headers: req.headers as Record<string, string | string[]>,
    };
    const exchange: Exchange = {
      req,
      request,
      headOnly,
      session: undefined,
      scenario: undefined,
      principal: undefined,
      project: undefined,
      operationId: null,
      keystoreName: null,
      body: undefined,
      mockQuery: {},
      notes: [],
      replyHeaders: {},
      delayMs: 0,
      fault: undefined,
    };
    const { faults } = options;
    let reply: Reply;
    try {
      await options.prepare(exchange);
      assertPathEncoding(path);
      if (faults !== undefined) takeMockHeaders(exchange, faults.maxDelayMs);
      reply =
        exchange.fault?.when === 'before'
          ? NOT_ANSWERED
          : (options.answerEarly?.(exchange) ?? ((await backend.handleRequest(request, exchange)) as Reply));
    } catch (error) {
      if (!(error instanceof ApiError)) {
        logger.error({ err: error, method: req.method, path, operationId: exchange.operationId }, 'unexpected error');
      }
      reply = errorReply(error);
    }
    // A `before` fault (a header's, or a scenario's once the checks passed): no operation ran.
    if (exchange.fault?.when === 'before') {
      reply = NOT_ANSWERED;
      // For the journal: the operation the request was for, though it never ran.
      exchange.operationId ??= backend.matchOperation(request)?.operationId ?? null;
    } else {
      try {
        reply = options.finalize(exchange, reply);
      } catch (error) {
        logger.error({ err: error, path }, 'unexpected error while finishing a reply');
        reply = errorReply(error);
      }
      if (Object.keys(exchange.replyHeaders).length > 0) {
        reply = { ...reply, headers: { ...reply.headers, ...exchange.replyHeaders } };
      }
    }
    if (faults !== undefined && exchange.delayMs > 0) await faults.wait(exchange.delayMs);
    if (faults !== undefined && exchange.fault !== undefined) {
      const broken = await breakAnswer(req, res, exchange.fault, reply, faults, headOnly, options.closing());
      exchange.notes.push(broken.note);
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      options.done(exchange, broken.recorded, durationMs, () => sentHeadersOf(res, broken.sentHeaders));
      return;
    }
    const written = sendReply(res, reply, headOnly, options.closing());
    options.done(exchange, reply, Number(process.hrtime.bigint() - started) / 1e6, () => sentHeadersOf(res, written));
  };
}
