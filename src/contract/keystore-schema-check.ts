import type { ValidateFunction } from 'ajv';
import { createAjv } from './create-ajv';
import type OpenAPIBackend from 'openapi-backend';
import type { KeystoreSchemaCheck } from '../keystores/check-snapshot';
import { toFieldErrors } from './field-errors';

/**
 * A checker for keystores that did not arrive through createKeystore (fixtures, state
 * imports), built from the same schema the document gives createKeystore's body, so the rules
 * are written once.
 *
 * @example
 * const check = createKeystoreSchemaCheck(backend);
 * check({ name: 'a b' }) // [{ field: 'name', message: 'must not contain whitespace, ...' }, ...]
 */
export function createKeystoreSchemaCheck(backend: OpenAPIBackend): KeystoreSchemaCheck {
  const operation = backend.getOperation('createKeystore');
  const content = (operation?.requestBody as { content?: Record<string, { schema?: object }> } | undefined)?.content;
  const schema = content?.['application/json']?.schema;
  if (schema === undefined) {
    return (data) =>
      typeof data === 'object' && data !== null && !Array.isArray(data)
        ? []
        : [{ field: 'body', message: 'must be object' }];
  }
  let validate: ValidateFunction | undefined;
  return (data) => {
    // Compiled on first use: most starts have no fixture keystores to check.
    validate ??= createAjv('document').compile(schema);
    return validate(data) ? [] : toFieldErrors(validate.errors ?? []);
  };
}
