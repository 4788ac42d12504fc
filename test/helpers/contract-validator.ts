import path from 'node:path';
import OpenAPIBackend from 'openapi-backend';
import type { Document } from 'openapi-backend';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';
import fs from 'node:fs';

/** The documents every response is checked against, independently of the mock's own checks. */
const PRODUCT_DOCUMENT = path.join(__dirname, '..', '..', 'openapi', 'keystore-api.yaml');
const CONTROL_DOCUMENT = path.join(__dirname, '..', '..', 'openapi', 'control-plane.yaml');

interface Checker {
  backend: OpenAPIBackend;
  document: Document;
  root: string;
}

const checkers = new Map<string, Promise<Checker>>();

function normalised(document: Document): Document {
  const copy = structuredClone(document);
  copy.paths = Object.fromEntries(
    Object.entries(copy.paths ?? {}).map(([key, item]) => [key.length > 1 ? key.replace(/\/+$/, '') : key, item]),
  ) as typeof copy.paths;
  return copy;
}

function checker(file: string, root: string): Promise<Checker> {
  let pending = checkers.get(file);
  if (pending === undefined) {
    const document = yaml.load(fs.readFileSync(file, 'utf8')) as Document;
    const backend = new OpenAPIBackend({
      definition: normalised(document),
      apiRoot: root,
      quick: true,
      ajvOpts: { strict: false, allErrors: true, validateSchema: false },
      customizeAjv: (ajv) => {
        addFormats(ajv);
        return ajv;
      },
    });
    pending = backend.init().then(() => ({ backend, document, root }));
    checkers.set(file, pending);
  }
  return pending;
}

/** The schema of a documented text/plain answer of a status, when the document answers it in text. */
function textSchemaOf(responses: Record<string, unknown> | undefined, status: number): object | undefined {
  const content = (responses?.[String(status)] as { content?: Record<string, { schema?: object }> } | undefined)
    ?.content;
  if (content === undefined || 'application/json' in content) return undefined;
  const text = content['text/plain'];
  return text === undefined ? undefined : (text.schema ?? {});
}

function validText(schema: object, body: unknown): boolean {
  return typeof body === 'string' && new Ajv({ strict: false }).validate(schema, body);
}

/**
 * What a response must look like to be on contract; returns the problems found. A text/plain
 * answer's body is its text.
 */
export async function contractProblems(
  method: string,
  url: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
): Promise<string[]> {
  const problems: string[] = [];
  const pathOnly = url.split('?')[0] ?? url;
  const isControl = pathOnly.startsWith('/__mock');
  const { backend, document } = await checker(
    isControl ? CONTROL_DOCUMENT : PRODUCT_DOCUMENT,
    isControl ? '/' : '/apiops',
  );
  const contentType = String(headers['content-type'] ?? '');
  const hasBody = method.toUpperCase() !== 'HEAD' && status !== 204;
  if (headers['x-content-type-options'] !== 'nosniff') problems.push('X-Content-Type-Options: nosniff is missing');
  let operation;
  try {
    // HEAD is answered as GET: check it against the GET operation.
    const routed = method.toUpperCase() === 'HEAD' ? 'get' : method.toLowerCase();
    operation = backend.router.matchOperation({ method: routed, path: pathOnly, headers: {} }, true);
  } catch {
    operation = undefined;
  }
  const textSchema = textSchemaOf(operation?.responses as Record<string, unknown> | undefined, status);
  if (textSchema !== undefined) {
    if (!/^text\/plain;\s*charset=utf-8$/i.test(contentType)) {
      problems.push(`Content-Type is "${contentType}", not the documented text/plain;charset=UTF-8`);
    }
    if (hasBody && !validText(textSchema, body)) problems.push(`text body ${JSON.stringify(body)} breaks its schema`);
    return problems;
  }
  if (hasBody && !/^application\/json(;\s*charset=utf-8)?$/i.test(contentType)) {
    problems.push(`Content-Type is "${contentType}", not application/json`);
  }
  if (operation === undefined || operation.operationId === undefined || method.toUpperCase() === 'OPTIONS') {
    // Unknown route, wrong method or a preflight: only the error shape can be checked.
    if (status >= 400 && hasBody) {
      const errorSchemaOk =
        typeof body === 'object' &&
        body !== null &&
        typeof (body as Record<string, unknown>).error === 'string' &&
        typeof (body as Record<string, unknown>).error_description === 'string';
      if (!errorSchemaOk) problems.push(`error body ${JSON.stringify(body)} lacks error/error_description`);
    }
    return problems;
  }
  const responses = (operation.responses ?? {}) as Record<string, unknown>;
  if (!(String(status) in responses) && !('default' in responses)) {
    problems.push(`status ${status} is not documented for ${operation.operationId}`);
    return problems;
  }
  if (!hasBody) return problems;
  const result = backend.validateResponse(body, operation.operationId, status);
  if (!result.valid) {
    problems.push(
      `${operation.operationId} ${status} body breaks ${document.info.title}: ${JSON.stringify(result.errors?.slice(0, 3))}`,
    );
  }
  return problems;
}
