import type { Operation } from 'openapi-backend';
import { errors } from '../errors';
import { createSeededFaker, deriveSeed } from '../generate/seeded-faker';
import type { Reply } from '../http/reply';
import type { OperationInput } from './operation';
import { jsonMedia, textMedia } from './json-media';
import { generateFromSchema } from './schema-faker';

type MediaObject = { schema?: unknown; example?: unknown; examples?: Record<string, { value?: unknown }> };
type ResponseObject = { content?: Record<string, MediaObject> };

/** The Prism-style choices a client can make: `Prefer: code=404, example=name, dynamic=true`. */
export interface ResponsePreference {
  /** The status asked for, as written (so a message can quote a code that is not a number). */
  code?: string;
  example?: string;
  dynamic?: boolean;
}

/** The media a documented response is answered in: JSON, or text where it documents only `text/plain`. */
interface ResponseMedia {
  kind: 'json' | 'text';
  media: MediaObject;
}

function first(value: unknown): string | undefined {
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads the preference from the `Prefer` header and its `__code`, `__example` and `__dynamic`
 * query equivalents (the query wins).
 *
 * @example
 * readPreference({ prefer: 'code=404' }, {}) // { code: '404' }
 */
export function readPreference(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  query: Readonly<Record<string, unknown>>,
): ResponsePreference {
  const preference: ResponsePreference = {};
  const values = new Map<string, string>();
  for (const part of (first(headers.prefer) ?? '').split(/[,;]/)) {
    const [key, value] = part.split('=').map((piece) => piece.trim());
    if (key !== undefined && key !== '' && value !== undefined)
      values.set(key.toLowerCase(), value.replace(/^"|"$/g, ''));
  }
  for (const key of ['code', 'example', 'dynamic']) {
    const fromQuery = first(query[`__${key}`]);
    if (fromQuery !== undefined) values.set(key, fromQuery);
  }
  const code = values.get('code');
  if (code !== undefined) preference.code = code;
  const example = values.get('example');
  if (example !== undefined) preference.example = example;
  if (values.get('dynamic') === 'true') preference.dynamic = true;
  return preference;
}

function mediaOf(response: ResponseObject | undefined): ResponseMedia | undefined {
  const json = jsonMedia(response?.content);
  if (json !== undefined) return { kind: 'json', media: json };
  const text = textMedia(response?.content);
  return text === undefined ? undefined : { kind: 'text', media: text };
}

/** Success statuses first (lowest first), then the others in the document's order. */
function statusesInOrder(responses: Record<string, ResponseObject>): string[] {
  const documented = Object.keys(responses);
  const success = documented.filter((status) => /^2\d\d$/.test(status)).sort();
  return [...success, ...documented.filter((status) => !success.includes(status))];
}

function exampleNames(response: ResponseObject | undefined): string[] {
  return Object.keys(mediaOf(response)?.media.examples ?? {});
}

/** The status that answers: the preferred one, else the one holding the preferred example, else the first success. */
function pickStatus(
  responses: Record<string, ResponseObject>,
  operationId: string,
  preference: ResponsePreference,
): string {
  const ordered = statusesInOrder(responses);
  if (preference.code !== undefined) {
    if (preference.code in responses) return preference.code;
    throw errors.preferredStatusNotDocumented(preference.code, operationId, Object.keys(responses));
  }
  const { example } = preference;
  if (example !== undefined) {
    const holder = ordered.find((status) => exampleNames(responses[status]).includes(example));
    if (holder !== undefined) return holder;
    const known = ordered.flatMap((status) => exampleNames(responses[status]).map((name) => `${status} ${name}`));
    throw errors.preferredExampleUnknown(example, operationId, known);
  }
  return ordered.find((status) => /^\d{3}$/.test(status)) ?? 'default';
}

/**
 * The answer the document gives for a preference: the named example, else the first example
 * of the status (unless `dynamic` asks for a generated one), else a body generated from the
 * schema with a faker seeded by the app's seed, the operation, the status and `key`.
 */
function answerFromDocument(operation: Operation, preference: ResponsePreference, seed: number, key: string): Reply {
  const operationId = operation.operationId ?? `${operation.method.toUpperCase()} ${operation.path}`;
  const responses = (operation.responses ?? {}) as Record<string, ResponseObject>;
  const statusKey = pickStatus(responses, operationId, preference);
  const status = statusKey === 'default' ? 200 : Number(statusKey);
  const chosen = mediaOf(responses[statusKey]);
  if (chosen === undefined) return { status };
  const { media } = chosen;
  const examples = media.examples ?? {};
  const reply = (value: unknown): Reply =>
    chosen.kind === 'text' ? { status, text: String(value) } : { status, body: value };
  if (preference.example !== undefined) {
    const named = examples[preference.example];
    if (named === undefined) {
      throw errors.preferredExampleUnknown(preference.example, `${operationId} ${statusKey}`, Object.keys(examples));
    }
    return reply(named.value);
  }
  if (preference.dynamic !== true) {
    if (media.example !== undefined) return reply(media.example);
    const firstExample = Object.values(examples)[0];
    if (firstExample?.value !== undefined) return reply(firstExample.value);
  }
  const faker = createSeededFaker(deriveSeed(seed, operationId, statusKey, key));
  return reply(generateFromSchema(media.schema, faker));
}

/**
 * The forced answer of Prism's conventions, for any operation: `Prefer: code=N` or `__code=N`
 * answers the document's example for status N, `Prefer: example=NAME` or `__example=NAME` a
 * named one. It runs no check and changes nothing, so the pipeline asks for it right after
 * routing. Undefined when the request states no preference (`dynamic=true` alone only shapes
 * the fallback's bodies); throws a 400 for an undocumented status or an unknown example.
 *
 * @example
 * preferredReply(backend.getOperation('getKeystore'), { prefer: 'code=400' }, {}, 42)
 * // { status: 400, body: { error: 'bad_request', error_description: 'Keystore (name: my-keystore) is not found!' } }
 */
export function preferredReply(
  operation: Operation,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  mockQuery: Readonly<Record<string, string>>,
  seed: number,
): Reply | undefined {
  const preference = readPreference(headers, mockQuery);
  if (preference.code === undefined && preference.example === undefined) return undefined;
  return answerFromDocument(operation, preference, seed, '');
}

/**
 * Answers an operation that has no stateful handler from the document: a preferred, named or
 * first example when there is one, otherwise a body generated from the schema with a faker
 * seeded by the app's seed, the operation, the status and the path (the same request gets the
 * same answer, whatever came before it).
 *
 * @example
 * const fallback = createFallbackResponder(42);
 * fallback(context.operation, input) // { status: 200, body: { id: 'c0a8...', name: 'fluffy-cat' } }
 */
export function createFallbackResponder(seed: number): (operation: Operation, input: OperationInput) => Reply {
  return (operation, input) => {
    const path = Object.entries(input.params)
      .map(([key, value]) => `${key}=${value}`)
      .join('&');
    return answerFromDocument(operation, readPreference(input.headers, input.mockQuery), seed, path);
  };
}
