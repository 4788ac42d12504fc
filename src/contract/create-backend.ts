import OpenAPIBackend, { type Document, type Handler } from 'openapi-backend';
import { StartupError } from '../fixtures/read-data-file';
import { AJV_OPTIONS, withFormats } from './create-ajv';
import { StaticDocumentRouter } from './static-document-router';

/** openapi-backend's named hooks and fallbacks, which are not operationIds. */
const SPECIAL_HANDLERS = new Set([
  'notFound',
  'methodNotAllowed',
  'notImplemented',
  'validationFail',
  'unauthorizedHandler',
  'postRoutingHandler',
  'postSecurityHandler',
  'preOperationHandler',
  'postResponseHandler',
]);

/**
 * A copy of the document (openapi-backend dereferences in place) whose paths have no trailing
 * slash: openapi-backend strips it from requests but not from templates, and the contract
 * documents `/keystores/` while promising the same behaviour without the slash.
 */
function withoutTrailingSlashes(document: Document): Document {
  const copy = structuredClone(document);
  const paths = copy.paths ?? {};
  copy.paths = Object.fromEntries(
    Object.entries(paths).map(([key, item]) => [key.length > 1 ? key.replace(/\/+$/, '') : key, item]),
  ) as typeof paths;
  return copy;
}

/**
 * Builds and initialises an openapi-backend instance the way keystore-mock needs it: every
 * Ajv error reported, with the schema that failed (for `x-pattern-message`), formats such as
 * email and uuid checked, and vendor keywords tolerated.
 *
 * @example
 * const backend = await createBackend(document, '/apiops', handlers, 'openapi/keystore-api.yaml', false);
 */
export async function createBackend(
  document: Document,
  apiRoot: string,
  handlers: Record<string, Handler>,
  source: string,
  checkDocument: boolean,
): Promise<OpenAPIBackend> {
  const backend = new OpenAPIBackend({
    definition: withoutTrailingSlashes(document),
    apiRoot,
    strict: true,
    // Quick mode skips the slow parts of init (document validation, eager compilation of every
    // validator): validators compile on first use, or ahead of it in `warmUpValidators`.
    quick: true,
    validate: true,
    ignoreTrailingSlashes: true,
    ajvOpts: { ...AJV_OPTIONS.document },
    customizeAjv: withFormats,
  });
  try {
    await backend.init();
    if (checkDocument) {
      await backend.loadDocument();
      backend.validateDefinition();
    }
  } catch (error) {
    const detail = (error as Error).message.split('\n')[0] ?? 'it is not a valid OpenAPI document';
    throw new StartupError(`Failed to load ${source}: ${detail}`);
  }
  // The document is fixed from here on: route with a router that lists its operations once.
  backend.router = new StaticDocumentRouter({ definition: backend.definition, apiRoot, ignoreTrailingSlashes: true });
  const known = new Set(backend.getOperations().map((operation) => operation.operationId));
  // A served document may lack some of the mock's operations: register only what it has.
  backend.register(
    Object.fromEntries(Object.entries(handlers).filter(([name]) => known.has(name) || SPECIAL_HANDLERS.has(name))),
  );
  return backend;
}

/**
 * Compiles the request validator of every operation ahead of its first request, one
 * operation per turn of the event loop, so a server that already listens stays responsive
 * while it warms up. Stops early once `stopped()` says so (the server is closing).
 *
 * @example
 * server.listen(port, () => void warmUpValidators(backend, () => closing));
 */
export async function warmUpValidators(backend: OpenAPIBackend, stopped: () => boolean): Promise<void> {
  for (const operation of backend.getOperations()) {
    if (operation.operationId === undefined) continue;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (stopped()) return;
    backend.validator.getRequestValidatorsForOperation(operation.operationId);
  }
}
