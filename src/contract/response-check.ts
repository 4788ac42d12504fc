import type OpenAPIBackend from 'openapi-backend';
import { errors } from '../errors';
import { replyJson, type Reply } from '../http/reply';
import { toFieldErrors } from './field-errors';

/** The result of checking one reply against the document: data, turned into a response at the edge. */
export interface ResponseCheck {
  valid: boolean;
  /** What is wrong, in words, when not valid. */
  problem?: string;
}

function documentsStatus(backend: OpenAPIBackend, operationId: string, status: number): boolean {
  const responses = (backend.getOperation(operationId)?.responses ?? {}) as Record<string, unknown>;
  const family = `${String(status)[0]}XX`;
  return (
    String(status) in responses || family in responses || family.toLowerCase() in responses || 'default' in responses
  );
}

/**
 * Checks a reply against the responses the document declares for its operation: the status
 * must be documented and the body must match that status's schema.
 *
 * @example
 * checkResponse(backend, 'createKeystore', reply) // { valid: true }
 */
export function checkResponse(backend: OpenAPIBackend, operationId: string, reply: Reply): ResponseCheck {
  if (!documentsStatus(backend, operationId, reply.status)) {
    return { valid: false, problem: `status ${reply.status} is not documented` };
  }
  const json = replyJson(reply);
  const body = json === undefined ? undefined : (JSON.parse(json) as unknown);
  const result = backend.validateResponse(body, operationId, reply.status);
  if (result.valid) return { valid: true };
  const [first] = toFieldErrors(result.errors ?? []);
  return { valid: false, problem: first === undefined ? 'the body is invalid' : `${first.field} ${first.message}` };
}

/**
 * Self-validation: returns the reply unchanged when it honours the document, otherwise a 500
 * that says what drifted (and calls `onDrift` so it is logged).
 *
 * @example
 * reply = enforceContract(backend, 'getKeystore', reply, (problem) => log.error({ problem }, 'response drift'));
 */
export function enforceContract(
  backend: OpenAPIBackend,
  operationId: string,
  reply: Reply,
  onDrift: (problem: string) => void,
): Reply {
  const check = checkResponse(backend, operationId, reply);
  if (check.valid) return reply;
  const problem = check.problem ?? 'unknown';
  onDrift(problem);
  const drift = errors.responseDrift(operationId, reply.status, problem);
  return { status: drift.status, body: drift.toBody() };
}
