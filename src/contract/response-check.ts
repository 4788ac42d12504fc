import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { createAjv } from './create-ajv';
import type OpenAPIBackend from 'openapi-backend';
import { errors } from '../errors';
import { replyJson, type Reply } from '../http/reply';
import { toFieldErrors } from './field-errors';
import { jsonMedia, textMedia } from './json-media';

/** The result of checking one reply against the document: data, turned into a response at the edge. */
export interface ResponseCheck {
  valid: boolean;
  /** What is wrong, in words, when not valid. */
  problem?: string;
}

type ResponseObject = { content?: Record<string, { schema?: object }> };

/** How a documented response's body is checked: JSON, or text for a `text/plain`-only response. */
interface BodyCheck {
  kind: 'json' | 'text';
  /** Null when the media type gives no schema. */
  validate: ValidateFunction | null;
}

/**
 * Checks replies against the responses the document declares for their operation: the status
 * must be documented and the body must match that status's schema, as JSON or, where the
 * document answers only `text/plain`, as text. One Ajv instance serves every operation, so a
 * schema shared by many responses (the error shape) compiles once, and each (operation,
 * status) pair compiles on first use.
 *
 * @example
 * const responses = new ResponseValidator(backend);
 * responses.check('createKeystore', reply) // { valid: true }
 */
export class ResponseValidator {
  private ajv: Ajv | undefined;
  private readonly compiled = new Map<string, BodyCheck | null>();

  constructor(private readonly backend: OpenAPIBackend) {}

  /** Whether the reply honours the document. */
  check(operationId: string, reply: Reply): ResponseCheck {
    const responses = (this.backend.getOperation(operationId)?.responses ?? {}) as Record<string, ResponseObject>;
    const key = this.documentedKey(responses, reply.status);
    if (key === undefined) {
      // The mock's own errors are its contract even where a served document forgot to list them.
      if (reply.fromCatalog === true) return { valid: true };
      return { valid: false, problem: `status ${reply.status} is not documented` };
    }
    const expected = this.bodyCheckFor(operationId, key, responses[key]);
    if (expected === null) return { valid: true };
    if (expected.kind === 'text') {
      if (reply.text === undefined) return { valid: false, problem: 'the document describes a text/plain body' };
      return verdict(expected.validate, reply.text);
    }
    if (reply.text !== undefined) return { valid: false, problem: 'the body is text but the document describes JSON' };
    if (expected.validate === null) return { valid: true };
    const json = replyJson(reply);
    if (json === undefined) return { valid: false, problem: 'the body is empty but the document describes one' };
    return verdict(expected.validate, JSON.parse(json) as unknown);
  }

  private documentedKey(responses: Record<string, ResponseObject>, status: number): string | undefined {
    const family = `${String(status)[0]}XX`;
    return [String(status), family, family.toLowerCase(), 'default'].find((key) => key in responses);
  }

  private bodyCheckFor(operationId: string, key: string, response: ResponseObject | undefined): BodyCheck | null {
    const cacheKey = `${operationId} ${key}`;
    let expected = this.compiled.get(cacheKey);
    if (expected === undefined) {
      const json = jsonMedia(response?.content);
      const text = json === undefined ? textMedia(response?.content) : undefined;
      const schema = (json ?? text)?.schema;
      this.ajv ??= createAjv('document');
      const validate = schema === undefined ? null : this.ajv.compile(schema);
      if (json !== undefined) expected = { kind: 'json', validate };
      else if (text !== undefined) expected = { kind: 'text', validate };
      else expected = null;
      this.compiled.set(cacheKey, expected);
    }
    return expected;
  }
}

function verdict(validate: ValidateFunction | null, body: unknown): ResponseCheck {
  if (validate === null || validate(body)) return { valid: true };
  const [first] = toFieldErrors(validate.errors ?? []);
  return { valid: false, problem: first === undefined ? 'the body is invalid' : `${first.field} ${first.message}` };
}

/**
 * Self-validation: returns the reply unchanged when it honours the document, otherwise a 500
 * that says what drifted (and calls `onDrift` so it is logged).
 *
 * @example
 * reply = enforceContract(responses, 'getKeystore', reply, (problem) => log.error({ problem }, 'response drift'));
 */
export function enforceContract(
  responses: ResponseValidator,
  operationId: string,
  reply: Reply,
  onDrift: (problem: string) => void,
): Reply {
  const check = responses.check(operationId, reply);
  if (check.valid) return reply;
  const problem = check.problem ?? 'unknown';
  onDrift(problem);
  const drift = errors.responseDrift(operationId, reply.status, problem);
  return { status: drift.status, body: drift.toBody() };
}
