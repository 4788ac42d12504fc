import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { createAjv } from './create-ajv';
import type OpenAPIBackend from 'openapi-backend';
import { errors } from '../errors';
import { replyJson, type Reply } from '../http/reply';
import { toFieldErrors } from './field-errors';
import { jsonMedia } from './json-media';

/** The result of checking one reply against the document: data, turned into a response at the edge. */
export interface ResponseCheck {
  valid: boolean;
  /** What is wrong, in words, when not valid. */
  problem?: string;
}

type ResponseObject = { content?: Record<string, { schema?: object }> };

/**
 * Checks replies against the responses the document declares for their operation: the status
 * must be documented and the body must match that status's schema. One Ajv instance serves
 * every operation, so a schema shared by many responses (the error shape) compiles once, and
 * each (operation, status) pair compiles on first use.
 *
 * @example
 * const responses = new ResponseValidator(backend);
 * responses.check('createKeystore', reply) // { valid: true }
 */
export class ResponseValidator {
  private ajv: Ajv | undefined;
  private readonly compiled = new Map<string, ValidateFunction | null>();

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
    const validate = this.validatorFor(operationId, key, responses[key]);
    if (validate === null) return { valid: true };
    const json = replyJson(reply);
    if (json === undefined) return { valid: false, problem: 'the body is empty but the document describes one' };
    if (validate(JSON.parse(json) as unknown)) return { valid: true };
    const [first] = toFieldErrors(validate.errors ?? []);
    return { valid: false, problem: first === undefined ? 'the body is invalid' : `${first.field} ${first.message}` };
  }

  private documentedKey(responses: Record<string, ResponseObject>, status: number): string | undefined {
    const family = `${String(status)[0]}XX`;
    return [String(status), family, family.toLowerCase(), 'default'].find((key) => key in responses);
  }

  private validatorFor(
    operationId: string,
    key: string,
    response: ResponseObject | undefined,
  ): ValidateFunction | null {
    const cacheKey = `${operationId} ${key}`;
    let validate = this.compiled.get(cacheKey);
    if (validate === undefined) {
      const schema = jsonMedia(response?.content)?.schema;
      this.ajv ??= createAjv('document');
      validate = schema === undefined ? null : this.ajv.compile(schema);
      this.compiled.set(cacheKey, validate);
    }
    return validate;
  }
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
