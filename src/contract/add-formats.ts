import type Ajv from 'ajv';

/**
 * Adds the JSON Schema formats (email, uuid, date-time, ...) to an Ajv instance. ajv-formats
 * is loaded on first use: validators compile after the server listens, so its load time stays
 * out of start-up.
 *
 * @example
 * const ajv = addFormats(new Ajv());
 */
export function addFormats(ajv: Ajv): Ajv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred load, see above
  const formats = require('ajv-formats') as typeof import('ajv-formats');
  return formats.default(ajv);
}
