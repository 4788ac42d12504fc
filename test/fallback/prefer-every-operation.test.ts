import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { MockApp } from '../../src/app';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystorePath, keystoresPath, testApp } from '../helpers/world';
import type { Method } from '../contract/send-request';

type Responses = Record<string, { content?: Record<string, { examples?: Record<string, { value: unknown }> }> }>;
type PathItem = Record<string, { operationId: string; responses: Responses } | undefined>;

const DOCUMENT = yaml.load(
  fs.readFileSync(path.join(__dirname, '..', '..', 'openapi', 'keystore-api.yaml'), 'utf8'),
) as { paths: Record<string, PathItem>; components: { responses: Record<string, Responses[string]> } };

/** A request path for a documented path: unknown names everywhere, since a forced answer checks nothing. */
function concretePath(template: string): string {
  return `/apiops${template.replace('{projectName}', 'NoSuchProject').replace(/\{[^}]+\}/g, 'ghost')}`;
}

/** Every (operation, documented status, its first example) of the shipped document. */
function documentedAnswers(): [string, string, Method, string, unknown][] {
  const rows: [string, string, Method, string, unknown][] = [];
  for (const [template, item] of Object.entries(DOCUMENT.paths)) {
    for (const method of ['get', 'post', 'put', 'delete'] as const) {
      const operation = item[method];
      if (operation === undefined) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        const ref = (response as { $ref?: string }).$ref;
        const resolved = ref === undefined ? response : DOCUMENT.components.responses[ref.split('/').pop() ?? ''];
        const media = Object.values(resolved?.content ?? {})[0];
        const example = Object.values(media?.examples ?? {})[0]?.value;
        rows.push([operation.operationId, status, method, concretePath(template), example]);
      }
    }
  }
  return rows;
}

describe('Prefer: code=N on every operation of the shipped document', () => {
  let mock: MockApp;

  beforeAll(async () => {
    mock = await testApp();
  });

  it.each(documentedAnswers())(
    '%s answers its documented %s with its first example, without a token',
    async (_operationId, status, method, requestPath, example) => {
      const res = await api(mock.app)[method](requestPath).set('Prefer', `code=${status}`).expect(Number(status));
      expect(res.type === 'text/plain' ? res.text : res.body).toEqual(example);
    },
  );
});

describe('a forced answer on the keystore operations', () => {
  let mock: MockApp;

  beforeEach(async () => {
    mock = await testApp();
    await api(mock.app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ name: 'kept' }))
      .expect(200);
  });

  const names = async (): Promise<string[]> => {
    const res = await api(mock.app).get(keystoresPath()).set(auth()).expect(200);
    return res.body.resultList.map((keystore: { name: string }) => keystore.name);
  };

  it('creates nothing when a create is forced to 200', async () => {
    await api(mock.app).post(keystoresPath()).set(auth()).set('Prefer', 'code=200').send(aKeystore()).expect(200);
    expect(await names()).toEqual(['kept']);
  });

  it('deletes nothing when a delete is forced to 200 through the query', async () => {
    await api(mock.app)
      .delete(`${keystorePath('kept')}?__code=200`)
      .set(auth())
      .expect(200);
    expect(await names()).toEqual(['kept']);
  });

  it('answers a named example of a keystore operation', async () => {
    const res = await api(mock.app)
      .put(keystorePath('kept'))
      .set('Prefer', 'example=not_found')
      .send(aKeystore({ name: 'kept' }))
      .expect(400);
    expect(res.body).toEqual({
      error: 'bad_request',
      error_description: 'Keystore (name: my-keystore) is not found! Try create operation.',
    });
  });

  it('ignores a body that breaks the document, as it runs no check', async () => {
    await api(mock.app).post(keystoresPath()).set('Prefer', 'code=200').send({ name: 'has space' }).expect(200);
    expect(await names()).toEqual(['kept']);
  });

  it('answers an undocumented status with a 400 that lists the documented ones', async () => {
    const res = await api(mock.app).get(keystoresPath()).set(auth()).set('Prefer', 'code=409').expect(400);
    expect(res.body).toEqual({
      error: 'bad_request',
      error_description:
        'Prefer code=409 is not a documented response of listKeystores; documented: 200, 400, 401, 403, 404, 429, 500.',
    });
  });

  it('answers an unknown example with a 400 that lists the examples', async () => {
    const res = await api(mock.app)
      .get(keystoresPath())
      .set(auth())
      .set('Prefer', 'code=403, example=nope')
      .expect(400);
    expect(res.body.error_description).toBe(
      'Prefer example=nope is not an example of listKeystores 403; examples: forbidden.',
    );
  });

  it('answers normally with Prefer: dynamic=true alone', async () => {
    await api(mock.app).get(keystoresPath()).set(auth()).set('Prefer', 'dynamic=true').expect(200);
    expect(await names()).toEqual(['kept']);
  });

  it('answers an unusable session id before a Prefer', async () => {
    const res = await api(mock.app).get(keystoresPath()).set('X-Mock-Session', 'a b').set('Prefer', 'code=200');
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error: 'invalid_session' });
  });

  it('answers a path no operation serves with 404, whatever it prefers', async () => {
    await api(mock.app).get('/apiops/nowhere').set('Prefer', 'code=200').expect(404);
  });

  it('answers a forced status before an unknown scenario', async () => {
    await api(mock.app).get(keystoresPath()).set('X-Mock-Scenario', 'nope').set('Prefer', 'code=403').expect(403);
  });

  it('records a forced answer in the journal with its status', async () => {
    await api(mock.app).get(keystorePath('ghost')).set('Prefer', 'code=500').expect(500);
    expect((await mock.requests()).at(-1)).toMatchObject({ operationId: 'getKeystore', status: 500 });
  });
});
