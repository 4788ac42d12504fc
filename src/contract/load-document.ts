import type { Document } from 'openapi-backend';
import { StartupError, displayPath, readDataFile } from '../fixtures/read-data-file';

/**
 * Reads an OpenAPI 3.0 or 3.1 document from a YAML or JSON file.
 *
 * @example
 * const document = loadDocument('openapi/keystore-api.yaml');
 */
export function loadDocument(file: string): Document {
  const data = readDataFile(file);
  const version = (data as { openapi?: unknown } | null)?.openapi;
  if (typeof version !== 'string' || !/^3\.[01]\.\d+$/.test(version)) {
    throw new StartupError(
      `Failed to load ${displayPath(file)}: openapi must be a 3.0.x or 3.1.x version string; this is not an OpenAPI 3 document.`,
    );
  }
  return data as Document;
}

/**
 * The path prefix a document's operations are served under: the path of its first server URL,
 * or `/apiops` (the product's) when it names no server.
 *
 * @example
 * apiRootOf({ servers: [{ url: 'https://gateway.example/apiops' }] }) // '/apiops'
 */
export function apiRootOf(document: Document): string {
  const url = (document.servers?.[0] as { url?: string } | undefined)?.url;
  if (url === undefined) return '/apiops';
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/\/+$/, '');
  return path === '' ? '/' : path;
}
