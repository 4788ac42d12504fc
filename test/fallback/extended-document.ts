import fs from 'node:fs';
import path from 'node:path';
import addFormats from 'ajv-formats';
import OpenAPIBackend, { type Document } from 'openapi-backend';
import yaml from 'js-yaml';
import type { MockApp } from '../../src/app';
import type { Config } from '../../src/config';
import { testApp } from '../helpers/world';

/** A document whose operations have no stateful handler: every answer is a fallback. */
export const EXTENDED_SPEC = path.join(__dirname, '..', 'fixtures', 'extended-api.yaml');

/** The shipped world without the shipped scenarios (server-error names keystore operations). */
export const EXTENDED_WORLD = path.join(__dirname, '..', 'fixtures', 'extended-world');

/**
 * An app serving the extended document. Self-validation is off, so a generated body that
 * breaks its schema reaches the test's own validator, which names the field at fault.
 */
export function extendedApp(overrides: Partial<Config> = {}): Promise<MockApp> {
  return testApp({ specPath: EXTENDED_SPEC, fixturesDir: EXTENDED_WORLD, validateResponses: false, ...overrides });
}

let validator: Promise<OpenAPIBackend> | undefined;

/** The extended document's own response schemas, compiled apart from the mock (Ajv with formats). */
export async function responseProblems(operationId: string, status: number, body: unknown): Promise<string[]> {
  validator ??= (async () => {
    const backend = new OpenAPIBackend({
      definition: yaml.load(fs.readFileSync(EXTENDED_SPEC, 'utf8')) as Document,
      apiRoot: '/apiops',
      quick: true,
      ajvOpts: { strict: false, allErrors: true, validateSchema: false },
      customizeAjv: (ajv) => {
        addFormats(ajv);
        return ajv;
      },
    });
    await backend.init();
    return backend;
  })();
  const result = (await validator).validateResponse(body, operationId, status);
  return (result.errors ?? []).map((error) => `${error.instancePath || '(body)'} ${error.message ?? 'is invalid'}`);
}

/** An error body as the contract shapes it. */
export const ERROR_SHAPE = { error: expect.any(String), error_description: expect.any(String) };
