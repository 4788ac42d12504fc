import type { ErrorObject } from 'ajv';
import type { FieldError } from '../errors';

/** No client needs more than this many problems at once, and a hostile body could produce thousands. */
const MAX_FIELD_ERRORS = 25;

/** The request parts openapi-backend validates, and how their fields are named for a client. */
const PART_PREFIXES: Readonly<Record<string, string>> = {
  requestBody: '',
  path: '',
  query: '',
  header: 'header ',
  cookie: 'cookie ',
};

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Turns a JSON pointer into the path notation clients read.
 *
 * @example
 * pointerToField('/keyStoreEnvironmentList/0/type') // 'keyStoreEnvironmentList[0].type'
 */
export function pointerToField(pointer: string): string {
  let field = '';
  for (const raw of pointer.split('/').slice(1)) {
    const segment = unescapePointer(raw);
    if (/^\d+$/.test(segment)) field += `[${segment}]`;
    else field += field === '' ? segment : `.${segment}`;
  }
  return field;
}

function joinField(base: string, property: string): string {
  if (base === '') return property;
  return `${base}.${property}`;
}

/** Splits openapi-backend's `/requestBody/...` or `/query/...` pointer into a client-facing field. */
function locate(instancePath: string): { part: string | undefined; field: string } {
  const match = /^\/(requestBody|path|query|header|cookie)(\/.*)?$/.exec(instancePath);
  if (match === null) return { part: undefined, field: pointerToField(instancePath) };
  const part = match[1] as string;
  const rest = pointerToField(match[2] ?? '');
  return { part, field: `${PART_PREFIXES[part] ?? ''}${rest}` };
}

function describeAllowed(values: unknown): string {
  return Array.isArray(values) ? values.map((value) => String(value)).join(', ') : String(values);
}

/** A JSON type as a sentence names it: `an integer`, `a string`, `null`. */
function withArticle(type: string): string {
  if (type === 'null') return type;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

function messageFor(error: ErrorObject): string {
  const parent = error.parentSchema as Record<string, unknown> | undefined;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not allowed';
    case 'enum':
      return `must be one of: ${describeAllowed((error.params as { allowedValues?: unknown }).allowedValues)}`;
    case 'pattern': {
      const custom = parent?.['x-pattern-message'];
      return typeof custom === 'string' ? custom : (error.message ?? 'has the wrong form');
    }
    case 'parse':
      return `is not valid JSON: ${error.message ?? 'malformed'}`;
    case 'minLength': {
      const limit = (error.params as { limit: number }).limit;
      return limit === 1 ? 'must not be empty' : `must be at least ${limit} characters long`;
    }
    case 'maxLength':
      return `must be at most ${(error.params as { limit: number }).limit} characters long`;
    case 'minItems': {
      const limit = (error.params as { limit: number }).limit;
      return `must have at least ${limit} ${limit === 1 ? 'entry' : 'entries'}`;
    }
    case 'maxItems':
      return `must have at most ${(error.params as { limit: number }).limit} entries`;
    case 'format':
      return `must be a valid ${(error.params as { format: string }).format}`;
    case 'type': {
      const types = (error.params as { type?: unknown }).type;
      if (!Array.isArray(types)) return error.message ?? 'has the wrong type';
      return `must be ${types.map((type) => withArticle(String(type))).join(' or ')}`;
    }
    default:
      return error.message ?? 'is invalid';
  }
}

function fieldFor(error: ErrorObject): string {
  const { part, field } = locate(error.instancePath);
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === 'required' && params.missingProperty !== undefined) {
    if (part === undefined && params.missingProperty === 'requestBody') return 'body';
    if (part === undefined && params.missingProperty === 'path') return 'path';
    if (part === undefined && params.missingProperty === 'query') return 'query';
    return joinField(field, params.missingProperty);
  }
  if (error.keyword === 'additionalProperties' && params.additionalProperty !== undefined) {
    return joinField(field, params.additionalProperty);
  }
  if (field === '' && part === 'requestBody') return 'body';
  return field === '' ? 'body' : field;
}

/**
 * Translates Ajv's errors into the `validation_errors` of the contract, in Ajv's order,
 * without repeats and at most 25 of them. A type that may be one of several reads
 * `must be an integer or an object`.
 *
 * @example
 * toFieldErrors(result.errors ?? []) // [{ field: 'keyStoreEnvironmentList[0].type', message: 'must be one of: JKS, PKCS12' }]
 */
export function toFieldErrors(ajvErrors: readonly ErrorObject[]): FieldError[] {
  const seen = new Set<string>();
  const problems: FieldError[] = [];
  for (const error of ajvErrors) {
    // `if` only says that its `then` or `else` failed; their own errors say how.
    if (error.keyword === 'if') continue;
    const problem = { field: fieldFor(error), message: messageFor(error) };
    const key = `${problem.field}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
    if (problems.length === MAX_FIELD_ERRORS) break;
  }
  return problems;
}
