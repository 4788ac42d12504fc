import { format as formatByteUnits } from 'bytes';

/** One field-level problem of a request that breaks the OpenAPI document. */
export interface FieldError {
  /** Where the problem is, written as a path such as `keyStoreEnvironmentList[0].type`. */
  field: string;
  /** What is wrong with it. */
  message: string;
}

/** The body of every error response. */
export interface ErrorBody {
  error: string;
  error_description: string;
  validation_errors?: FieldError[];
}

/**
 * A known failure: its status, machine code and description travel together, so no code ever
 * branches on message text.
 *
 * @example
 * throw errors.projectNotFound('NoSuchProject');
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly fieldErrors?: FieldError[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(description);
    this.name = 'ApiError';
  }

  /** The wire form of the error. */
  toBody(): ErrorBody {
    const body: ErrorBody = { error: this.code, error_description: this.description };
    if (this.fieldErrors !== undefined) body.validation_errors = this.fieldErrors;
    return body;
  }
}

/**
 * A known failure whose body carries fields beyond the code and text (a failed verification's
 * count and near-misses), as the contract's error format allows.
 *
 * @example
 * throw errors.verificationFailed('Expected at least 1 request...', { matched: 0 });
 */
export class DetailedApiError extends ApiError {
  constructor(
    status: number,
    code: string,
    description: string,
    readonly details: Readonly<Record<string, unknown>>,
  ) {
    super(status, code, description);
  }

  override toBody(): ErrorBody {
    return { ...this.details, ...super.toBody() };
  }
}

/** The text of every unexpected failure; the cause goes to the log, never to the wire. */
export const INTERNAL_ERROR_DESCRIPTION = 'An unexpected error occurred. Please try again later.';

/** A byte count as a person reads it: `16777216 bytes (16MB)`, in the `bytes` package's binary units. */
function formatBytes(count: number): string {
  return `${count} bytes (${formatByteUnits(count, { unitSeparator: ' ' }) ?? count})`;
}

/** The catalog: the only place where statuses, codes and texts of known failures are written. */
export const errors = {
  invalidToken: () => new ApiError(401, 'unauthorized_client', 'Invalid token'),
  tokenExpired: () => new ApiError(401, 'token_expired', 'Token has expired'),
  forbidden: () => new ApiError(403, 'forbidden', 'You do not have permission to perform this action'),
  /** One answer for a bad token and a missing role, on operations marked `x-forbidden-as: 401`. */
  insufficientPermissions: () => new ApiError(401, 'unauthorized_client', 'Invalid token or insufficient permissions'),
  projectNotFound: (project: string) =>
    new ApiError(404, 'not_found', `Project (${project}) is not found or user does not have privilege to access it!`),
  /** The product's words for a missing keystore on get and delete (its JWK and certificate pages). */
  keystoreNotFound: (name: string) => new ApiError(400, 'bad_request', `Keystore (name: ${name}) is not found!`),
  /** The product's words for an update of a missing keystore. */
  keystoreNotFoundForUpdate: (name: string) =>
    new ApiError(400, 'bad_request', `Keystore (name: ${name}) is not found! Try create operation.`),
  unsupportedMediaType: (expected: string, received: string | undefined) =>
    new ApiError(
      415,
      'unsupported_media_type',
      received === undefined || received === ''
        ? `Content-Type must be ${expected}; the request has none.`
        : `Content-Type must be ${expected}; got ${received}.`,
    ),
  payloadTooLarge: (limit: number) =>
    new ApiError(413, 'payload_too_large', `The request body is larger than the limit of ${formatBytes(limit)}.`),
  malformedJson: (reason: string) => new ApiError(400, 'bad_request', `The request body is not valid JSON: ${reason}`),
  malformedForm: (reason: string) =>
    new ApiError(400, 'bad_request', `The request body is not a valid form: ${reason}`),
  truncatedBody: (received: number, expected: number) =>
    new ApiError(
      400,
      'bad_request',
      `The request body ended after ${received} of the ${expected} bytes its Content-Length announced.`,
    ),
  stalledBody: (received: number) =>
    new ApiError(
      400,
      'bad_request',
      `The request body stopped arriving after ${received} bytes; send the whole body or fix Content-Length.`,
    ),
  malformedHttp: () =>
    new ApiError(400, 'bad_request', 'The request is not valid HTTP/1.1 (check Content-Length and Transfer-Encoding).'),
  headersTooLarge: () => new ApiError(431, 'bad_request', 'The request headers are too large.'),
  malformedPath: (path: string) =>
    new ApiError(
      400,
      'bad_request',
      `The path ${path} has a malformed percent-encoding; encode each byte as %XX with two hex digits.`,
    ),
  validationFailed: (problems: FieldError[]) => {
    const first = problems[0];
    const summary = first === undefined ? 'the request is invalid' : `${first.field} ${first.message}`;
    return new ApiError(400, 'validation_failed', `Validation failed: ${summary}`, problems);
  },
  /** The product's words (its truststore page); the known environments go to the journal, never here. */
  environmentNotInProject: (environment: string) =>
    new ApiError(
      400,
      'bad_request',
      `Environment (${environment}) is not found or user does not have privilege to access it!`,
    ),
  duplicateKeystore: (name: string) =>
    new ApiError(
      400,
      'bad_request',
      `Keystore (name: ${name}) is already exist! Try update operation if want to change its value.`,
    ),
  keystoreLimitReached: (project: string, limit: number) =>
    new ApiError(
      400,
      'limit_exceeded',
      `Project (${project}) already holds the maximum of ${limit} keystores; delete one or raise --max-keystores.`,
    ),
  unsupportedGrantType: () =>
    new ApiError(400, 'unsupported_grant_type', 'GrantType value must be client_credentials!'),
  badCredentials: () => new ApiError(401, 'unauthorized_client', 'Bad credentials'),
  routeNotFound: (method: string, path: string, apiRoot = '/') =>
    new ApiError(
      404,
      'not_found',
      apiRoot === '/' || path === apiRoot || path.startsWith(`${apiRoot}/`)
        ? `No operation is served at ${method} ${path}.`
        : `No operation is served at ${method} ${path}; the API is served under ${apiRoot}/.`,
    ),
  methodNotAllowed: (method: string, path: string, allowed: readonly string[]) =>
    new ApiError(
      405,
      'method_not_allowed',
      `Method ${method} is not allowed on ${path}; allowed methods are ${allowed.join(', ')}.`,
      undefined,
      { Allow: allowed.join(', ') },
    ),
  unknownScenario: (name: string, known: readonly string[]) =>
    new ApiError(400, 'unknown_scenario', `Unknown scenario "${name}". Known scenarios: ${known.join(', ')}.`),
  /** `PUT /__mock/scenarios/NAME` (or `putScenario`) with a scenario that breaks the scenario file schema or the world. */
  invalidScenario: (name: string, problems: FieldError[]) => {
    const first = problems[0];
    const summary = first === undefined ? 'the scenario is invalid' : `${first.field} ${first.message}`;
    return new ApiError(
      400,
      'invalid_scenario',
      `Scenario "${name}" was not stored, nothing changed: ${summary}`,
      problems,
    );
  },
  /** A runtime change aimed at a scenario of the configuration (a file, or the `scenarios` option). */
  scenarioIsConfigured: (name: string, origin: string, source: string) =>
    new ApiError(
      409,
      'scenario_conflict',
      `Scenario "${name}" is a ${origin} scenario (${source}); a runtime scenario can neither replace nor delete it. Choose another name, or change it where it is defined.`,
    ),
  /** `DELETE /__mock/scenarios/NAME` for a name the session made no runtime scenario of. */
  runtimeScenarioNotFound: (name: string, session: string, owner: string | undefined) =>
    new ApiError(
      404,
      'unknown_scenario',
      owner === undefined
        ? `Session "${session}" has no runtime scenario "${name}"; GET /__mock/scenarios lists the scenarios it sees.`
        : `Session "${session}" has no runtime scenario "${name}": the one it sees belongs to session "${owner}"; delete it there.`,
    ),
  /** An `X-Mock-Delay` that is not a whole number of milliseconds from 0 to the configured maximum. */
  invalidMockDelay: (value: string, maxMs: number) =>
    new ApiError(
      400,
      'invalid_mock_header',
      `X-Mock-Delay "${value.slice(0, 40)}" is not usable: send a whole number of milliseconds from 0 to ${maxMs} (the maximum, set by --max-delay).`,
    ),
  /** An `X-Mock-Fault` that names no known fault. */
  unknownMockFault: (value: string, known: readonly string[]) =>
    new ApiError(
      400,
      'invalid_mock_header',
      `X-Mock-Fault "${value.slice(0, 40)}" is not a known fault. Known faults: ${known.join(', ')}.`,
    ),
  /** An `X-Mock-Fault-When` other than after or before, or one sent without `X-Mock-Fault`. */
  invalidMockFaultWhen: (value: string, known: readonly string[], withoutFault: boolean) =>
    new ApiError(
      400,
      'invalid_mock_header',
      withoutFault
        ? `X-Mock-Fault-When "${value.slice(0, 40)}" needs an X-Mock-Fault header to say which fault to time.`
        : `X-Mock-Fault-When "${value.slice(0, 40)}" is not usable; send one of: ${known.join(', ')}.`,
    ),
  /** `Prefer: code=N` (or `__code=N`) for a status the operation does not document. */
  preferredStatusNotDocumented: (code: string, operationId: string, documented: readonly string[]) =>
    new ApiError(
      400,
      'bad_request',
      `Prefer code=${code} is not a documented response of ${operationId}; documented: ${documented.join(', ')}.`,
    ),
  /** `Prefer: example=NAME` (or `__example=NAME`) that names no example of `scope` (an operation, or one of its statuses). */
  preferredExampleUnknown: (example: string, scope: string, known: readonly string[]) =>
    new ApiError(
      400,
      'bad_request',
      `Prefer example=${example} is not an example of ${scope}; examples: ${known.join(', ') || 'none'}.`,
    ),
  invalidSession: (id: string) =>
    new ApiError(
      400,
      'invalid_session',
      `Session id "${id.slice(0, 80)}" is not usable; use 1 to 128 characters from A-Z, a-z, 0-9, ".", "_", ":" and "-".`,
    ),
  tooManySessions: (id: string, limit: number, idleMs: number, retryAfterSeconds: number) =>
    new ApiError(
      429,
      'too_many_sessions',
      `Session "${id.slice(0, 80)}" was not created: all ${limit} sessions allowed by --max-sessions are live and none has been idle for ${idleMs / 1000} s, so none may be evicted. Raise --max-sessions, reset sessions you are done with (POST /__mock/reset?session=ID), or retry once one has been idle for ${idleMs / 1000} s (--session-idle).`,
      undefined,
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  adminTokenRequired: () =>
    new ApiError(
      401,
      'unauthorized_client',
      'This control call needs the admin token: send Authorization: Bearer <admin token>.',
    ),
  dashboardNotBuilt: () =>
    new ApiError(
      404,
      'not_found',
      "The dashboard's files are not built (the package's dist/ui has no index.html): run npm run build, then reload.",
    ),
  invalidState: (problems: FieldError[]) => {
    const first = problems[0];
    const summary = first === undefined ? 'the state is invalid' : `${first.field} ${first.message}`;
    return new ApiError(400, 'invalid_state', `The state was not imported, nothing changed: ${summary}`, problems);
  },
  responseDrift: (operationId: string, status: number, detail: string) =>
    new ApiError(
      500,
      'internal_error',
      `The mock's ${status} response to ${operationId} breaks the served OpenAPI document (${detail}); this is a bug in the mock or in a scenario's canned response.`,
    ),
  /** `POST /__mock/verify` when the count does not hold; the details say how many matched and what came close. */
  verificationFailed: (description: string, details: Readonly<Record<string, unknown>>) =>
    new DetailedApiError(417, 'verification_failed', description, details),
  internal: () => new ApiError(500, 'internal_error', INTERNAL_ERROR_DESCRIPTION),
} as const;
