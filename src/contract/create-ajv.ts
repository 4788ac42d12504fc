import Ajv, { type Options } from 'ajv';
import ajvFormats from 'ajv-formats';

/**
 * Ajv's options by what is validated. Documents: every error reported with the schema that
 * failed (for `x-pattern-message`), vendor keywords tolerated, and no meta-schema check (each
 * validator would compile the meta-schema again). Fixtures: their schemas are ours and
 * tested, so strict, and the first error is enough for a start-up message.
 */
export const AJV_OPTIONS = {
  document: { strict: false, allErrors: true, verbose: true, unicodeRegExp: true, validateSchema: false },
  fixture: { strict: true, allErrors: false, verbose: true, validateSchema: false },
} as const satisfies Record<string, Options>;

/**
 * Adds the JSON Schema formats (email, uuid, date-time, ...) to an Ajv instance; openapi-backend
 * calls it on each Ajv it makes.
 *
 * @example
 * new OpenAPIBackend({ definition, ajvOpts: AJV_OPTIONS.document, customizeAjv: withFormats });
 */
export function withFormats(ajv: Ajv): Ajv {
  return ajvFormats(ajv);
}

/**
 * The one way the mock makes an Ajv instance of its own.
 *
 * @example
 * const validate = createAjv('fixture').compile(worldSchema);
 */
export function createAjv(purpose: keyof typeof AJV_OPTIONS): Ajv {
  return withFormats(new Ajv(AJV_OPTIONS[purpose]));
}
