import type { Express } from 'express';
import { VerificationError } from '../../src/control/verify-requests';
import { startMockServer, type MockServer } from '../../src/server';
import { api } from '../helpers/contract-request';
import { JKS_FILE, aKeystore, auth, keystorePath, keystoresPath, testApp, testStore } from '../helpers/world';

/** Two creates (a, b), a duplicate create of a, and a get of a. */
async function traffic(app: Express, headers: Record<string, string> = {}): Promise<void> {
  await api(app)
    .post(keystoresPath())
    .set(auth())
    .set(headers)
    .send(aKeystore({ name: 'a' }))
    .expect(200);
  await api(app)
    .post(keystoresPath())
    .set(auth())
    .set(headers)
    .send(aKeystore({ name: 'b' }))
    .expect(200);
  await api(app)
    .post(keystoresPath())
    .set(auth())
    .set(headers)
    .send(aKeystore({ name: 'a' }))
    .expect(400);
  await api(app).get(keystorePath('a')).set(auth()).set(headers).expect(200);
}

function verify(app: Express, body: object, headers: Record<string, string> = {}) {
  return api(app).post('/__mock/verify').set(headers).send(body);
}

describe('POST /__mock/verify', () => {
  it.each([
    ['an operation, at least once by default', { operationId: 'createKeystore' }, 3],
    ['an operation and a body subset', { operationId: 'createKeystore', body: { name: 'a' } }, 2],
    ['a status', { operationId: 'createKeystore', status: 400 }, 1],
    ['a method in any case and a path prefix', { method: 'get', path: '/apiops/projects/MyProject/*' }, 1],
    ['an exact count', { operationId: 'createKeystore', body: { name: 'b' }, times: 1 }, 1],
    ['a range', { operationId: 'createKeystore', atLeast: 2, atMost: 3 }, 3],
    ['none at all', { operationId: 'deleteKeystore', times: 0 }, 0],
    ['a nested array element by element', { body: { keyStoreEnvironmentList: [{ type: 'JKS' }] } }, 3],
    ['a keystore file given as base64', { body: { keyStoreEnvironmentList: [{ file: JKS_FILE }] } }, 3],
  ])('answers 200 with the count for %s', async (_what, pattern, matched) => {
    const { app } = await testApp();
    await traffic(app);
    const res = await verify(app, pattern).expect(200);
    expect(res.body).toEqual({ matched });
  });

  it('answers 417 verification_failed with the count and the closest near-misses', async () => {
    const { app } = await testApp();
    await traffic(app);
    const res = await verify(app, { operationId: 'createKeystore', body: { name: 'c' }, status: 200 }).expect(417);
    expect(res.body).toEqual({
      error: 'verification_failed',
      error_description: expect.stringContaining(
        'Expected at least 1 request matching createKeystore answered 200 with body {"name":"c"}, but 0 of the 4 in the journal matched. Closest: #2 POST /apiops/projects/MyProject/keystores/ (createKeystore, 200): body.name: expected "c", got "b".',
      ),
      matched: 0,
      expected: { operationId: 'createKeystore', status: 200, body: { name: 'c' }, count: { atLeast: 1 } },
      nearMisses: [
        {
          sequence: 2,
          method: 'POST',
          path: '/apiops/projects/MyProject/keystores/',
          operationId: 'createKeystore',
          status: 200,
          differences: [{ field: 'body.name', expected: 'c', actual: 'b' }],
        },
        {
          sequence: 1,
          method: 'POST',
          path: '/apiops/projects/MyProject/keystores/',
          operationId: 'createKeystore',
          status: 200,
          differences: [{ field: 'body.name', expected: 'c', actual: 'a' }],
        },
        {
          sequence: 3,
          method: 'POST',
          path: '/apiops/projects/MyProject/keystores/',
          operationId: 'createKeystore',
          status: 400,
          differences: [
            { field: 'status', expected: 200, actual: 400 },
            { field: 'body.name', expected: 'c', actual: 'a' },
          ],
        },
      ],
    });
  });

  it('says a field the request lacked is missing, with no actual value', async () => {
    const { app } = await testApp();
    await traffic(app);
    const res = await verify(app, { operationId: 'getKeystore', body: { name: 'a' } }).expect(417);
    expect(res.body.nearMisses[0]).toMatchObject({
      sequence: 4,
      differences: [{ field: 'body', expected: { name: 'a' }, actual: null }],
    });
  });

  it('lists the matching requests instead of near-misses when too many matched', async () => {
    const { app } = await testApp();
    await traffic(app);
    const res = await verify(app, { operationId: 'createKeystore', atMost: 1 }).expect(417);
    expect(res.body).toMatchObject({
      matched: 3,
      nearMisses: [],
      matches: [{ sequence: 1 }, { sequence: 2 }, { sequence: 3 }],
      error_description: expect.stringContaining('Expected at most 1 request matching createKeystore, but 3 of the 4'),
    });
  });

  it('compares a keystore file pattern with the digest the journal keeps', async () => {
    const { app } = await testApp();
    await traffic(app);
    const other = Buffer.from('another file').toString('base64');
    const res = await verify(app, { body: { keyStoreEnvironmentList: [{ file: other }] } }).expect(417);
    const [difference] = res.body.nearMisses[0].differences as object[];
    expect(difference).toMatchObject({
      field: 'body.keyStoreEnvironmentList[0].file',
      expected: { bytes: 12 },
      actual: { bytes: Buffer.from(JKS_FILE, 'base64').length },
    });
  });

  it('says a body cut by the journal cannot be matched', async () => {
    const { app } = await testApp({ journalBodyLimit: 16 });
    await traffic(app);
    const res = await verify(app, { operationId: 'createKeystore', body: { name: 'a' } }).expect(417);
    expect(res.body.nearMisses[0].differences).toEqual([
      { field: 'body', expected: { name: 'a' }, actual: expect.objectContaining({ truncated: true }) },
    ]);
  });

  it.each([
    ['times with atLeast', { times: 1, atLeast: 1 }, 'times'],
    ['times with atMost', { times: 1, atMost: 2 }, 'times'],
    ['atLeast above atMost', { atLeast: 3, atMost: 2 }, 'atLeast'],
  ])('answers 400 validation_failed for %s', async (_what, count, field) => {
    const { app } = await testApp();
    const res = await verify(app, { operationId: 'createKeystore', ...count }).expect(400);
    expect(res.body).toMatchObject({
      error: 'validation_failed',
      validation_errors: [expect.objectContaining({ field })],
    });
  });

  it.each([
    ['a negative count', { times: -1 }],
    ['an unknown field', { operation: 'createKeystore' }],
    ['a status that is not a number', { status: 'ok' }],
  ])('answers 400 for a body with %s', async (_what, body) => {
    const { app } = await testApp();
    const res = await verify(app, body).expect(400);
    expect(res.body.error).toBe('validation_failed');
  });

  it('counts only the requests of the session it names', async () => {
    const { app } = await testApp();
    await traffic(app, { 'X-Mock-Session': 'w1' });
    await verify(app, { operationId: 'createKeystore', times: 3 }, { 'X-Mock-Session': 'w1' }).expect(200);
    await verify(app, { operationId: 'createKeystore', times: 0 }).expect(200);
    await api(app).post('/__mock/verify?session=w1').send({ operationId: 'getKeystore', times: 1 }).expect(200);
  });

  it('needs the admin token when the mock has one', async () => {
    const { app } = await testApp({ adminToken: 'admin-secret-1' });
    await verify(app, { operationId: 'createKeystore' }).expect(401);
    await verify(app, { operationId: 'createKeystore', times: 0 }, auth('admin-secret-1')).expect(200);
  });
});

describe('verify() of the programmatic API', () => {
  let mock: MockServer;

  beforeAll(async () => {
    mock = await startMockServer({ seed: 42, ...testStore() });
  });

  beforeEach(() => mock.reset());

  afterAll(() => mock.close());

  async function create(name: string, session?: string): Promise<void> {
    const headers = {
      ...auth(),
      'Content-Type': 'application/json',
      ...(session ? { 'X-Mock-Session': session } : {}),
    };
    const res = await fetch(`${mock.url}${keystoresPath()}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(aKeystore({ name })),
    });
    expect(res.status).toBe(200);
  }

  it('resolves the count when it holds', async () => {
    await create('a');
    await expect(mock.verify({ operationId: 'createKeystore', body: { name: 'a' }, times: 1 })).resolves.toEqual({
      matched: 1,
    });
  });

  it('throws a VerificationError whose message lists the near-misses and their differences', async () => {
    await create('a');
    const failure = mock.verify({ operationId: 'createKeystore', body: { name: 'x' } });
    await expect(failure).rejects.toBeInstanceOf(VerificationError);
    await expect(failure).rejects.toThrow(
      [
        'Expected at least 1 request matching createKeystore with body {"name":"x"}, but 0 of the 1 in the journal matched.',
        '',
        'Closest requests:',
        '  #1 POST /apiops/projects/MyProject/keystores/ (createKeystore, 200)',
        '    - body.name: expected "x", got "a"',
      ].join('\n'),
    );
  });

  it('checks the session it names', async () => {
    await create('a', 'w2');
    await expect(mock.verify({ operationId: 'createKeystore', times: 1 }, 'w2')).resolves.toEqual({ matched: 1 });
    await expect(mock.verify({ operationId: 'createKeystore', times: 0 })).resolves.toEqual({ matched: 0 });
  });

  it('rejects counts that cannot go together, naming them', async () => {
    await expect(mock.verify({ times: 1, atLeast: 1 })).rejects.toThrow('times cannot go with atLeast or atMost');
  });

  it('is on the app as well', async () => {
    await create('a');
    await expect(mock.mock.verify({ operationId: 'createKeystore' })).resolves.toEqual({ matched: 1 });
  });
});
