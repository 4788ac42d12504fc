import { createHash } from 'node:crypto';
import type { JournalRequest, JournalResponse, TruncatedBody, TruncatedField } from './request-journal';

/** Header names whose values are credentials: kept as their scheme and last 4 characters. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|api[-_]?key|token|secret|password/i;

/** Body and query fields whose values are credentials (token requests and their answers). */
const CREDENTIAL_FIELD = /^(access_token|refresh_token|id_token|client_secret|password|api_?key|token|secret)$/i;

/** A secret this short would be mostly shown by its last 4 characters, so none of it is kept. */
const SHORTEST_SHOWN_TAIL = 8;

/** How the admin token is written wherever it would have appeared. */
const ADMIN_TOKEN_MASK = '[admin token]';

/** What the capture needs to know to hide secrets and bound sizes. */
export interface CaptureOptions {
  /** Longest body kept whole, in bytes of its JSON text. */
  bodyLimit: number;
  /** The control plane's admin token, which never appears in full or in part. */
  adminToken: string | undefined;
}

/** The recorded form of a keystore file: its decoded size and digest, never its content. */
export interface FileDigest {
  bytes: number;
  sha256: string;
}

/**
 * A keystore file as the journal records it, so a verification can match a pattern's file
 * against the record without the journal ever holding keystore content.
 *
 * @example
 * fileDigest('AQID'); // { bytes: 3, sha256: '039058c6...' }
 */
export function fileDigest(base64: string): FileDigest {
  const decoded = Buffer.from(base64, 'base64');
  return { bytes: decoded.length, sha256: createHash('sha256').update(decoded).digest('hex') };
}

function maskSecret(secret: string, adminToken: string | undefined): string {
  if (adminToken !== undefined && secret.includes(adminToken)) return ADMIN_TOKEN_MASK;
  return secret.length < SHORTEST_SHOWN_TAIL ? '…' : `…${secret.slice(-4)}`;
}

/**
 * A credential as the journal keeps it: the scheme (when it has one) and the last 4 characters.
 * Cookies keep their names. The admin token is replaced whole.
 *
 * @example
 * maskCredential('authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.abcd', undefined); // 'Bearer …abcd'
 */
export function maskCredential(name: string, value: string, adminToken: string | undefined): string {
  if (name === 'cookie' || name === 'set-cookie') {
    return value
      .split(';')
      .map((part) => {
        const at = part.indexOf('=');
        if (at === -1) return part;
        // set-cookie attributes (Path, Expires...) are not secrets; only the first pair is.
        const key = part.slice(0, at);
        const isAttribute = name === 'set-cookie' && part !== value.split(';')[0];
        return isAttribute ? part : `${key}=${maskSecret(part.slice(at + 1), adminToken)}`;
      })
      .join(';');
  }
  const match = /^([A-Za-z][\w-]*) +(.+)$/.exec(value);
  if (match?.[1] !== undefined && match[2] !== undefined && /^(authorization|proxy-authorization)$/.test(name)) {
    return `${match[1]} ${maskSecret(match[2], adminToken)}`;
  }
  return maskSecret(value, adminToken);
}

/** Replaces secrets and keystore files anywhere in a parsed body or query, without changing the input. */
function redactValue(value: unknown, adminToken: string | undefined, key?: string): unknown {
  if (typeof value === 'string') {
    if (key !== undefined && CREDENTIAL_FIELD.test(key)) return maskSecret(value, adminToken);
    return adminToken !== undefined && value.includes(adminToken)
      ? value.replaceAll(adminToken, ADMIN_TOKEN_MASK)
      : value;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, adminToken, key));
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(value as Record<string, unknown>)) {
    copy[field] =
      field === 'keyStoreEnvironmentList' ? redactFiles(inner, adminToken) : redactValue(inner, adminToken, field);
  }
  return copy;
}

function redactFiles(list: unknown, adminToken: string | undefined): unknown {
  if (!Array.isArray(list)) return redactValue(list, adminToken);
  return list.map((item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return redactValue(item, adminToken);
    const { file, ...rest } = item as Record<string, unknown>;
    const kept = redactValue(rest, adminToken) as Record<string, unknown>;
    if (file === undefined) return kept;
    return { ...kept, file: typeof file === 'string' ? fileDigest(file) : redactValue(file, adminToken) };
  });
}

/**
 * A body or query as the journal keeps it: credential fields masked, the admin token hidden,
 * and each keystore `file` (in a `keyStoreEnvironmentList`) reduced to `{bytes, sha256}`.
 *
 * @example
 * redactBody({ keyStoreEnvironmentList: [{ environmentName: 'production', type: 'JKS', file: 'AQID' }] }, undefined);
 * // { keyStoreEnvironmentList: [{ environmentName: 'production', type: 'JKS', file: { bytes: 3, sha256: '...' } }] }
 */
export function redactBody(body: unknown, adminToken: string | undefined): unknown {
  return redactValue(body, adminToken);
}

/**
 * Request headers with lower-cased names and credentials masked.
 *
 * @example
 * redactHeaders({ authorization: 'Bearer 0123456789abcd' }, undefined); // { authorization: 'Bearer …abcd' }
 */
export function redactHeaders<V extends string | string[]>(
  headers: Readonly<Record<string, V | undefined>>,
  adminToken: string | undefined,
): Record<string, V> {
  const kept: Record<string, string | string[]> = {};
  for (const [rawName, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    const mask = (one: string) =>
      CREDENTIAL_HEADER.test(name) ? maskCredential(name, one, adminToken) : (redactValue(one, adminToken) as string);
    kept[name] = Array.isArray(value) ? value.map(mask) : mask(value);
  }
  return kept as Record<string, V>;
}

/**
 * Keeps a body whole when its JSON text fits the limit, else a `TruncatedBody` with its size
 * and the start of that text. `json` may be passed when the text is already at hand.
 *
 * @example
 * boundBody({ name: 'x'.repeat(100) }, 20); // { body: { truncated: true, bytes: 113, preview: '{"name":"xxxxxxxxxxx' }, cut: true }
 */
export function boundBody(body: unknown, limit: number, json?: string): { body: unknown; cut: boolean } {
  if (body === null || body === undefined) return { body: null, cut: false };
  const text = json ?? JSON.stringify(body);
  const size = Buffer.byteLength(text);
  if (size <= limit) return { body, cut: false };
  // Cut on bytes, then drop a character split in two by the cut.
  const preview = Buffer.from(text)
    .subarray(0, limit)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  const truncated: TruncatedBody = { truncated: true, bytes: size, preview };
  return { body: truncated, cut: true };
}

/** Query parameters from a query string; a repeated name becomes an array. */
export function parseQuery(query: string, extra: Readonly<Record<string, string>> = {}): Record<string, unknown> {
  const parsed: Record<string, string | string[]> = {};
  const add = (key: string, value: string) => {
    const previous = parsed[key];
    if (previous === undefined) parsed[key] = value;
    else parsed[key] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  };
  for (const [key, value] of new URLSearchParams(query)) add(key, value);
  for (const [key, value] of Object.entries(extra)) add(key, value);
  return parsed;
}

/** What the capture of one exchange produced. */
export interface Captured {
  request: JournalRequest;
  response: JournalResponse;
  truncated?: TruncatedField[];
}

/** The raw material of one exchange, as the edge has it once the reply is sent. */
export interface CaptureInput {
  requestHeaders: Readonly<Record<string, string | string[] | undefined>>;
  query: string;
  mockQuery: Readonly<Record<string, string>>;
  requestBody: unknown;
  status: number;
  responseHeaders: Readonly<Record<string, string>>;
  /** The body sent: parsed JSON, text, or undefined for none. */
  responseBody: unknown;
}

/**
 * The request and response parts of a journal entry: secrets masked, keystore files digested,
 * bodies bounded by the limit.
 *
 * @example
 * const { request, response, truncated } = captureExchange(input, { bodyLimit: 65536, adminToken: undefined });
 */
export function captureExchange(input: CaptureInput, options: CaptureOptions): Captured {
  const { adminToken, bodyLimit } = options;
  const requestBody = boundBody(redactBody(input.requestBody, adminToken), bodyLimit);
  const responseBody = boundBody(redactBody(input.responseBody, adminToken), bodyLimit);
  const truncated: TruncatedField[] = [];
  if (requestBody.cut) truncated.push('request.body');
  if (responseBody.cut) truncated.push('response.body');
  return {
    request: {
      headers: redactHeaders(input.requestHeaders, adminToken),
      query: redactBody(parseQuery(input.query, input.mockQuery), adminToken) as Record<string, unknown>,
      body: requestBody.body,
    },
    response: {
      status: input.status,
      headers: redactHeaders(input.responseHeaders, adminToken),
      body: responseBody.body,
    },
    ...(truncated.length > 0 ? { truncated } : {}),
  };
}
