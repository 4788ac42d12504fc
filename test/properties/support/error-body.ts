const ERROR_KEYS = ['error', 'error_description', 'validation_errors'];

/** The `error` codes the contract and the control plane give each status. */
export const ERROR_CODES: Readonly<Record<number, readonly string[]>> = {
  400: [
    'bad_request',
    'validation_failed',
    'unsupported_grant_type',
    'limit_exceeded',
    'unknown_scenario',
    'invalid_session',
    'invalid_state',
  ],
  401: ['unauthorized_client', 'token_expired'],
  403: ['forbidden'],
  404: ['not_found'],
  405: ['method_not_allowed'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
};

/**
 * Asserts the contract's error shape: `{error, error_description[, validation_errors]}` and
 * nothing else, with an `error` code given to that status (or one of `codes` when named).
 *
 * @example
 * expectErrorBody(res.status, res.body);
 */
export function expectErrorBody(status: number, body: unknown, codes = ERROR_CODES[status] ?? []): void {
  expect(typeof body).toBe('object');
  expect(body).not.toBeNull();
  const record = body as Record<string, unknown>;
  expect(Object.keys(record).filter((key) => !ERROR_KEYS.includes(key))).toEqual([]);
  expect(codes).toContain(record.error);
  expect(typeof record.error_description).toBe('string');
  if ('validation_errors' in record) {
    expect(Array.isArray(record.validation_errors)).toBe(true);
    for (const problem of record.validation_errors as unknown[]) {
      expect(problem).toStrictEqual({ field: expect.any(String), message: expect.any(String) });
    }
  }
}
