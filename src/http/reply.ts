import type { ServerResponse } from 'node:http';
import { ApiError, errors } from '../errors';

/** What a handler answers: plain data, written to the wire only at the edge. */
export interface Reply {
  status: number;
  /** The body, serialised at the edge. Ignored when `json` is given. */
  body?: unknown;
  /** An already serialised body, for answers cached between requests. */
  json?: string;
  /** A plain-text body, for the operations the document answers in `text/plain`. Wins over `body` and `json`. */
  text?: string;
  headers?: Readonly<Record<string, string>>;
  /** True for the mock's own catalogued errors, which a served document may not list. */
  fromCatalog?: boolean;
}

/** The content type of every JSON answer, as the contract spells it. */
export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** The content type of a text answer (the health check and the secure hello). */
export const TEXT_CONTENT_TYPE = 'text/plain;charset=UTF-8';

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

/** The serialised JSON body of a reply; undefined for a text reply or one without a body. */
export function replyJson(reply: Reply): string | undefined {
  if (reply.text !== undefined) return undefined;
  if (reply.json !== undefined) return reply.json;
  if (reply.body === undefined) return undefined;
  return JSON.stringify(reply.body);
}

/**
 * Writes a reply (JSON, or text for a reply with `text`) with the headers every response
 * carries. Headers go to `writeHead` as one flat list, Node's fastest path; those set earlier
 * by middleware (CORS) are kept. Returns that list (empty when headers had already gone), so
 * the journal can record what was sent.
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
): readonly string[] {
  if (res.headersSent) {
    res.end();
    return [];
  }
  const headers: string[] = ['X-Content-Type-Options', 'nosniff'];
  const payload = reply.text ?? json;
  if (reply.text !== undefined) headers.push('Content-Type', TEXT_CONTENT_TYPE);
  else if (json !== undefined) headers.push('Content-Type', JSON_CONTENT_TYPE);
  headers.push('Content-Length', String(payload === undefined ? 0 : Buffer.byteLength(payload)));
  if (closeConnection) headers.push('Connection', 'close');
  if (reply.headers !== undefined) {
    for (const [name, value] of Object.entries(reply.headers)) headers.push(name, value);
  }
  res.writeHead(reply.status, headers);
  res.end(headOnly ? undefined : payload);
  return headers;
}
