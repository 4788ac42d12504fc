import type { Express } from 'express';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystorePath, keystoresPath, testApp, TOKENS } from '../helpers/world';

interface Entry {
  sequence: number;
  method: string;
  operationId: string | null;
  status: number;
}

/** Five requests: a create, a duplicate create, a list, a forbidden delete, a get of a missing keystore. */
async function makeTraffic(app: Express): Promise<void> {
  await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
  await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(400);
  await api(app).get(keystoresPath()).set(auth()).expect(200);
  await api(app).delete(keystorePath('my-keystore')).set(auth(TOKENS.noDeploy)).expect(403);
  await api(app).get(keystorePath('missing')).set(auth()).expect(400);
}

async function journal(app: Express, query = ''): Promise<Entry[]> {
  return (await api(app).get(`/__mock/requests${query}`).expect(200)).body.requests as Entry[];
}

const sequences = (entries: Entry[]): number[] => entries.map((entry) => entry.sequence);

describe('GET /__mock/requests', () => {
  it('records each product request with its time, method, path, operation, session, scenario, status, duration and keystore', async () => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    const res = await api(app).get('/__mock/requests').expect(200);
    expect(res.body).toEqual({
      requests: [
        {
          sequence: 1,
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
          method: 'POST',
          path: '/apiops/projects/MyProject/keystores/',
          operationId: 'createKeystore',
          session: 'default',
          scenario: 'happy',
          status: 200,
          durationMs: expect.any(Number),
          keystoreName: 'my-keystore',
          request: {
            headers: expect.objectContaining({ authorization: 'Bearer …oken' }),
            query: {},
            body: expect.objectContaining({ name: 'my-keystore' }),
          },
          response: {
            status: 200,
            headers: expect.objectContaining({ 'content-type': 'application/json;charset=UTF-8' }),
            body: expect.objectContaining({ success: true }),
          },
        },
      ],
      count: 1,
    });
  });

  it('records the keystore named by the path', async () => {
    const { app } = await testApp();
    await api(app).get(keystorePath('missing')).set(auth()).expect(400);
    const [entry] = await journal(app);
    expect(entry).toMatchObject({ operationId: 'getKeystore', status: 400, keystoreName: 'missing' });
  });

  it('records a request to no operation with a null operation', async () => {
    const { app } = await testApp();
    await api(app).get('/apiops/nothing-here').set(auth()).expect(404);
    const [entry] = await journal(app);
    expect(entry).toMatchObject({ path: '/apiops/nothing-here', operationId: null, status: 404 });
  });

  it('lists entries oldest first', async () => {
    const { app } = await testApp();
    await makeTraffic(app);
    expect(sequences(await journal(app))).toEqual([1, 2, 3, 4, 5]);
  });

  it('leaves control calls out of the journal', async () => {
    const { app } = await testApp();
    await api(app).get('/__mock/health').expect(200);
    await api(app).get('/__mock/state').expect(200);
    expect(await journal(app)).toEqual([]);
  });

  it.each([
    ['operationId', '?operationId=createKeystore', [1, 2]],
    ['method', '?method=GET', [3, 5]],
    ['method in lower case', '?method=delete', [4]],
    ['status', '?status=403', [4]],
    ['limit, keeping the newest', '?limit=2', [4, 5]],
    ['method and status together', '?method=POST&status=400', [2]],
    ['status and limit together', '?status=200&limit=1', [3]],
  ])('filters by %s', async (_filter, query, expected) => {
    const { app } = await testApp();
    await makeTraffic(app);
    expect(sequences(await journal(app, query))).toEqual(expected);
  });

  it('counts the entries it returns', async () => {
    const { app } = await testApp();
    await makeTraffic(app);
    const res = await api(app).get('/__mock/requests?method=POST').expect(200);
    expect(res.body.count).toBe(2);
  });

  it('answers a limit below 1 with 400', async () => {
    const { app } = await testApp();
    await api(app).get('/__mock/requests?limit=0').expect(400);
  });

  it('keeps only the newest entries up to the journal size', async () => {
    const { app } = await testApp({ journalSize: 5 });
    for (let index = 0; index < 7; index += 1) await api(app).get(keystoresPath()).set(auth()).expect(200);
    expect(sequences(await journal(app))).toEqual([3, 4, 5, 6, 7]);
  });

  it.each([
    ['the session query parameter', '/__mock/requests?session=worker-1', {}],
    ['the X-Mock-Session header', '/__mock/requests', { 'X-Mock-Session': 'worker-1' }],
  ])('reads the journal of the session named by %s', async (_how, path, headers) => {
    const { app } = await testApp();
    await api(app).get(keystoresPath()).set(auth()).set('X-Mock-Session', 'worker-1').expect(200);
    const res = await api(app).get(path).set(headers).expect(200);
    expect(res.body.requests.map((entry: { session: string }) => entry.session)).toEqual(['worker-1']);
  });
});

describe('DELETE /__mock/requests', () => {
  it('says how many entries it dropped', async () => {
    const { app } = await testApp();
    await makeTraffic(app);
    await api(app).delete('/__mock/requests').expect(200, { cleared: 5 });
  });

  it('empties the journal', async () => {
    const { app } = await testApp();
    await makeTraffic(app);
    await api(app).delete('/__mock/requests').expect(200);
    await api(app).get('/__mock/requests').expect(200, { requests: [], count: 0 });
  });

  it('clears only the session it names', async () => {
    const { app } = await testApp();
    await api(app).get(keystoresPath()).set(auth()).expect(200);
    await api(app).get(keystoresPath()).set(auth()).set('X-Mock-Session', 'worker-1').expect(200);
    await api(app).delete('/__mock/requests?session=worker-1').expect(200, { cleared: 1 });
    expect(await journal(app)).toHaveLength(1);
  });

  it('keeps the keystores', async () => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    await api(app).delete('/__mock/requests').expect(200);
    await api(app).get(keystorePath('my-keystore')).set(auth()).expect(200);
  });
});
