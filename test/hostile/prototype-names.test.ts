import type { MockServer } from '../../src/server';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystorePath, keystoresPath } from '../helpers/world';
import { expectErrorBody } from '../properties/support/error-body';
import { head, jsonOf, rawRequest } from './support/raw-http';
import { startHostileServer } from './support/hostile-server';

/** Names that are special to JavaScript objects, non-ASCII, or that look like percent-encodings. */
const NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'ключ-🔑',
  '100%25',
  'a%2Fb',
  '%E0%A4%A',
  '..',
];

const VALID_ENTRY = { environmentName: 'production', type: 'JKS', file: '/u3+7QAAAAIAAAAB' };
const POLLUTING_JSON = '{"polluted":true}';

/** Each hostile request, the status it must get, and what it sends. */
const POLLUTION_ATTEMPTS: readonly [string, number, { method: string; path: string; type: string; body: string }][] = [
  [
    'a create body with a top-level __proto__',
    400,
    {
      method: 'POST',
      path: keystoresPath(),
      type: 'application/json',
      body: `{"__proto__":${POLLUTING_JSON},"name":"p1","keyStoreEnvironmentList":[${JSON.stringify(VALID_ENTRY)}]}`,
    },
  ],
  [
    'a create body with __proto__ in an environment entry',
    400,
    {
      method: 'POST',
      path: keystoresPath(),
      type: 'application/json',
      body: `{"name":"p2","keyStoreEnvironmentList":[{"__proto__":${POLLUTING_JSON},"environmentName":"production","type":"JKS","file":"QQ=="}]}`,
    },
  ],
  [
    'a create body with constructor.prototype',
    400,
    {
      method: 'POST',
      path: keystoresPath(),
      type: 'application/json',
      body: `{"constructor":{"prototype":${POLLUTING_JSON}},"name":"p3","keyStoreEnvironmentList":[${JSON.stringify(VALID_ENTRY)}]}`,
    },
  ],
  [
    'an update body with a top-level __proto__ sent to the keystore named __proto__',
    400,
    {
      method: 'PUT',
      path: keystorePath('__proto__'),
      type: 'application/json',
      body: `{"__proto__":${POLLUTING_JSON},"name":"__proto__","keyStoreEnvironmentList":[${JSON.stringify(VALID_ENTRY)}]}`,
    },
  ],
  [
    'a state import with a __proto__ project',
    400,
    {
      method: 'PUT',
      path: '/__mock/state',
      type: 'application/json',
      body: `{"projects":{"__proto__":{"keystores":[${POLLUTING_JSON}]}}}`,
    },
  ],
  [
    'a state import with a top-level __proto__',
    400,
    {
      method: 'PUT',
      path: '/__mock/state',
      type: 'application/json',
      body: `{"__proto__":${POLLUTING_JSON},"projects":{}}`,
    },
  ],
  [
    'a token request with __proto__ form fields',
    200,
    {
      method: 'POST',
      path: '/apiops/auth/token',
      type: 'application/x-www-form-urlencoded',
      body: '__proto__[polluted]=true&constructor[prototype][polluted]=true&__proto__=x&grant_type=client_credentials&client_id=admin&client_secret=admin',
    },
  ],
];

describe('names that are special to JavaScript or to URLs', () => {
  let server: MockServer;

  beforeAll(async () => {
    server = await startHostileServer();
  });

  afterAll(async () => {
    await server.close();
  });

  describe.each(NAMES)('the keystore name %s', (name) => {
    const session = `names-${NAMES.indexOf(name)}`;
    const headers = { ...auth(), 'X-Mock-Session': session };

    beforeEach(async () => {
      server.reset(session);
      await api(server.url).post(keystoresPath()).set(headers).send(aKeystore({ name })).expect(200);
    });

    it('is read back by name', async () => {
      const res = await api(server.url).get(keystorePath(name)).set(headers).expect(200);
      expect(res.body.resultList).toEqual([expect.objectContaining({ name })]);
    });

    it('is listed under its own name', async () => {
      const res = await api(server.url).get(keystoresPath()).set(headers).expect(200);
      expect(res.body.resultList.map((keystore: { name: string }) => keystore.name)).toEqual([name]);
    });

    it('is refused as a duplicate like any other name', async () => {
      const res = await api(server.url).post(keystoresPath()).set(headers).send(aKeystore({ name })).expect(400);
      expect(res.body.error_description).toBe(
        `Keystore (name: ${name}) is already exist! Try update operation if want to change its value.`,
      );
    });

    it('is deleted, after which get answers that it is not found', async () => {
      await api(server.url).delete(keystorePath(name)).set(headers).expect(200);
      const res = await api(server.url).get(keystorePath(name)).set(headers).expect(400);
      expect(res.body).toEqual({ error: 'bad_request', error_description: `Keystore (name: ${name}) is not found!` });
    });
  });

  describe('prototype pollution attempts', () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

    it.each(POLLUTION_ATTEMPTS)('answers %s with %i', async (_case, status, request) => {
      const res = await rawRequest(server.port, {
        chunks: [
          head(request.method, request.path, {
            ...auth(),
            'Content-Type': request.type,
            'Content-Length': String(Buffer.byteLength(request.body)),
          }),
          request.body,
        ],
      });
      expect(res.status).toBe(status);
      if (status >= 400) expectErrorBody(status, jsonOf(res));
    });

    it.each(NAMES)('leaves Object.prototype untouched after creating and renaming the keystore %s', async (name) => {
      const headers = { ...auth(), 'X-Mock-Session': 'pollution' };
      server.reset('pollution');
      await api(server.url)
        .post(keystoresPath())
        .set(headers)
        .send(aKeystore({ name, description: POLLUTING_JSON }))
        .expect(200);
      await api(server.url)
        .put(keystorePath(name))
        .set(headers)
        .send(aKeystore({ name: 'polluted' }))
        .expect(200);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    });

    // Runs after the attempts above, which share this process with the server.
    it('leaves Object.prototype untouched after every attempt', () => {
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
      expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    });
  });

  it('treats a session named __proto__ as an ordinary, isolated session', async () => {
    const proto = { ...auth(), 'X-Mock-Session': '__proto__' };
    server.reset('__proto__');
    await api(server.url)
      .post(keystoresPath())
      .set(proto)
      .send(aKeystore({ name: 'in-proto-session' }))
      .expect(200);
    const other = await api(server.url)
      .get(keystoresPath())
      .set({ ...auth(), 'X-Mock-Session': 'constructor' })
      .expect(200);
    expect(other.body.resultCount).toBe(0);
  });

  // Runs last: the hostile requests above must not have taken the server down.
  it('still answers the health check after the hostile requests', async () => {
    await api(server.url).get('/__mock/health').expect(200);
  });
});
