import type { Operation } from 'openapi-backend';
import { ApiError } from '../errors';
import { createSeededFaker, deriveSeed } from '../generate/seeded-faker';
import type { Reply } from '../http/reply';
import type { OperationInput } from './operation';
import { jsonMedia } from './json-media';
import { generateFromSchema } from './schema-faker';

type MediaObject = { schema?: unknown; example?: unknown; examples?: Record<string, { value?: unknown }> };
type ResponseObject = { content?: Record<string, MediaObject> };

/** The Prism-style choices a client can make: `Prefer: code=404, example=name, dynamic=true`. */
export interface ResponsePreference {
  code?: number;
  example?: string;
  dynamic?: boolean;
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
 * readPreference({ prefer: 'code=404' }, {}) // { code: 404 }
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
  if (code !== undefined) preference.code = Number(code);
  const example = values.get('example');
  if (example !== undefined) preference.example = example;
  if (values.get('dynamic') === 'true') preference.dynamic = true;
  return preference;
}

function pickStatus(
  responses: Record<string, ResponseObject>,
  operationId: string,
  wanted: number | undefined,
): string {
  const documented = Object.keys(responses);
  if (wanted !== undefined) {
    if (documented.includes(String(wanted))) return String(wanted);
    throw new ApiError(
      400,
      'bad_request',
      `Prefer code=${wanted} is not a documented response of ${operationId}; documented: ${documented.join(', ')}.`,
    );
  }
  const success = documented.filter((status) => /^2\d\d$/.test(status)).sort();
  return success[0] ?? documented.find((status) => /^\d{3}$/.test(status)) ?? 'default';
}

/**
 * Answers an operation that has no stateful handler from the document: a named or the first
 * example when there is one, otherwise a body generated from the schema with a faker seeded
 * by the app's seed, the operation, the status and the path (the same request gets the same
 * answer, whatever came before it).
 *
 * @example
 * const fallback = createFallbackResponder(42);
 * fallback(context.operation, input) // { status: 200, body: { id: 'c0a8...', name: 'fluffy-cat' } }
 */
export function createFallbackResponder(seed: number): (operation: Operation, input: OperationInput) => Reply {
  return (operation, input) => {
    const operationId = operation.operationId ?? `${operation.method.toUpperCase()} ${operation.path}`;
    const responses = (operation.responses ?? {}) as Record<string, ResponseObject>;
    const preference = readPreference(input.headers, input.mockQuery);
    const statusKey = pickStatus(responses, operationId, preference.code);
    const status = statusKey === 'default' ? 200 : Number(statusKey);
    const media = jsonMedia(responses[statusKey]?.content);
    if (media === undefined) return { status };
    const examples = media.examples ?? {};
    if (preference.example !== undefined) {
      const named = examples[preference.example];
      if (named === undefined) {
        throw new ApiError(
          400,
          'bad_request',
          `Prefer example=${preference.example} is not an example of ${operationId} ${statusKey}; examples: ${Object.keys(examples).join(', ') || 'none'}.`,
        );
      }
      return { status, body: named.value };
    }
    if (preference.dynamic !== true) {
      if (media.example !== undefined) return { status, body: media.example };
      const firstExample = Object.values(examples)[0];
      if (firstExample?.value !== undefined) return { status, body: firstExample.value };
    }
    const path = Object.entries(input.params)
      .map(([key, value]) => `${key}=${value}`)
      .join('&');
    const faker = createSeededFaker(deriveSeed(seed, operationId, statusKey, path));
    return { status, body: generateFromSchema(media.schema, faker) };
  };
}
