import type { ServerResponse } from 'node:http';
import { ApiError, errors } from '../errors';

/** What a handler answers: plain data, written to the wire only at the edge. */
export interface Reply {
  status: number;
  /** The body, serialised at the edge. Ignored when `json` is given. */
  body?: unknown;
  /** An already serialised body, for answers cached between requests. */
  json?: string;
  headers?: Readonly<Record<string, string>>;
  /** True for the mock's own catalogued errors, which a served document may not list. */
  fromCatalog?: boolean;
}

/** The content type of every JSON answer, as the contract spells it. */
export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/**
 * The reply for an error: an `ApiError` as itself, anything else as a 500 with no detail.
 *
 * @example
 * errorReply(errors.forbidden()) // { status: 403, body: { error: 'forbidden', ... } }
 */
export function errorReply(error: unknown): Reply {
  const known = error instanceof ApiError ? error : errors.internal();
  return { status: known.status, body: known.toBody(), headers: known.headers, fromCatalog: true };
}

/** The serialised body of a reply. */
export function replyJson(reply: Reply): string | undefined {
  if (reply.json !== undefined) return reply.json;
  if (reply.body === undefined) return undefined;
  return JSON.stringify(reply.body);
}

/**
 * Writes a reply with the headers every response carries. Headers go to `writeHead` as one
 * flat list, Node's fastest path; those set earlier by middleware (CORS) are kept.
 *
 * @example
 * sendReply(res, { status: 200, body: { status: 'ok' } }, false, false);
 */
export function sendReply(
  res: ServerResponse,
  reply: Reply,
  headOnly: boolean,
  closeConnection: boolean,
  json = replyJson(reply),
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const headers: string[] = ['X-Content-Type-Options', 'nosniff'];
  if (json !== undefined) headers.push('Content-Type', JSON_CONTENT_TYPE);
  headers.push('Content-Length', String(json === undefined ? 0 : Buffer.byteLength(json)));
  if (closeConnection) headers.push('Connection', 'close');
  if (reply.headers !== undefined) {
    for (const [name, value] of Object.entries(reply.headers)) headers.push(name, value);
  }
  res.writeHead(reply.status, headers);
  res.end(headOnly ? undefined : json);
}
