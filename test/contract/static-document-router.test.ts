import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import OpenAPIBackend, { OpenAPIRouter, type Document } from 'openapi-backend';
import { StaticDocumentRouter } from '../../src/contract/static-document-router';
import { testApp } from '../helpers/world';

const SPEC = path.join(__dirname, '..', '..', 'openapi', 'keystore-api.yaml');

/** The shipped document, dereferenced by openapi-backend itself, as the mock serves it. */
async function dereferencedDocument(): Promise<Document> {
  const backend = new OpenAPIBackend({
    definition: yaml.load(fs.readFileSync(SPEC, 'utf8')) as Document,
    apiRoot: '/apiops',
    quick: true,
  });
  await backend.init();
  return backend.definition;
}

describe('the router that lists its operations once', () => {
  let definition: Document;
  let plain: OpenAPIRouter;
  let memo: StaticDocumentRouter;
  beforeAll(async () => {
    definition = await dereferencedDocument();
    const options = { definition, apiRoot: '/apiops', ignoreTrailingSlashes: true };
    plain = new OpenAPIRouter(options);
    memo = new StaticDocumentRouter(options);
  });

  it('lists exactly the operations the library lists', () => {
    expect(memo.getOperations()).toEqual(plain.getOperations());
  });

  it('computes the list once and hands out the same one after', () => {
    expect(memo.getOperations()).toBe(memo.getOperations());
  });

  it.each([
    ['get', '/apiops/projects/MyProject/keystores/'],
    ['get', '/apiops/projects/MyProject/keystores'],
    ['post', '/apiops/projects/MyProject/keystores/'],
    ['get', '/apiops/projects/MyProject/keystores/ks-1/'],
    ['put', '/apiops/projects/MyProject/keystores/ks-1'],
    ['delete', '/apiops/projects/MyProject/keystores/ks-1/'],
    ['get', '/apiops/environments/'],
    ['get', '/apiops/environments/MyProject'],
    ['post', '/apiops/auth/token'],
    ['get', '/apiops/test/hello/world'],
    ['get', '/apiops/nowhere'],
    ['patch', '/apiops/projects/MyProject/keystores/'],
  ])('routes %s %s to the operation the library routes it to', (method, requestPath) => {
    const request = { method, path: requestPath, headers: {} };
    expect(memo.matchOperation(request)?.operationId).toBe(plain.matchOperation(request)?.operationId);
  });

  it('is the router the mock serves with', async () => {
    const { productBackend, controlBackend } = await testApp();
    expect(
      [productBackend.router, controlBackend.router].map((router) => router instanceof StaticDocumentRouter),
    ).toEqual([true, true]);
  });
});
