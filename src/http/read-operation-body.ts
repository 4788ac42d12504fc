import type { IncomingMessage } from 'node:http';
import type { Operation } from 'openapi-backend';
import { errors } from '../errors';
import { singleHeader } from './edge';
import { parseContentType } from './media-type';
import { parseFormBody, parseJsonBody } from './parse-body';
import { readBody } from './read-body';

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** The limits that apply to reading a body. */
export interface BodyLimits {
  maxBodyBytes: number;
  bodyIdleTimeoutMs: number;
}

function acceptedTypes(operation: Operation): string[] {
  const content = (operation.requestBody as { content?: Record<string, unknown> } | undefined)?.content;
  return content === undefined ? [] : Object.keys(content).map((type) => type.toLowerCase());
}

/**
 * Reads and parses the body of an operation that declares one, failing in the contract's
 * order: 415 for a media type the operation does not take, 413 past the size limit, 400 for
 * a body that does not parse. Operations without a request body read nothing.
 *
 * @example
 * exchange.body = await readOperationBody(context.operation, req, config);
 */
export async function readOperationBody(
  operation: Operation,
  req: IncomingMessage,
  limits: BodyLimits,
): Promise<unknown> {
  const accepted = acceptedTypes(operation);
  if (accepted.length === 0) return undefined;
  const header = singleHeader(req, 'content-type');
  const { type, charset } = parseContentType(header);
  const expected = accepted.join(' or ');
  if (!accepted.includes(type)) throw errors.unsupportedMediaType(expected, header);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw errors.unsupportedMediaType(`${expected} in UTF-8`, header);
  }
  const raw = await readBody(req, limits.maxBodyBytes, limits.bodyIdleTimeoutMs);
  if (type === FORM_TYPE) return parseFormBody(raw);
  if (type === JSON_TYPE || type.endsWith('+json')) return parseJsonBody(raw);
  return raw.toString('utf8');
}
