import { createHash } from 'node:crypto';
import type { Express } from 'express';
import type { JournalEntry } from '../../src/control/request-journal';
import { api } from '../helpers/contract-request';
import { JKS_FILE, aKeystore, auth, keystorePath, keystoresPath, testApp } from '../helpers/world';

async function journal(app: Express, query = ''): Promise<JournalEntry[]> {
  return (await api(app).get(`/__mock/requests${query}`).expect(200)).body.requests as JournalEntry[];
}

async function lastEntry(app: Express): Promise<JournalEntry> {
  const entries = await journal(app);
  const last = entries.at(-1);
  if (last === undefined) throw new Error('the journal is empty');
  return last;
}

const JKS_DIGEST = {
  bytes: Buffer.from(JKS_FILE, 'base64').length,
  sha256: createHash('sha256').update(Buffer.from(JKS_FILE, 'base64')).digest('hex'),
};

describe('journal entries with bodies', () => {
  it('records the request headers lower-cased, its query and its parsed body', async () => {
    const { app } = await testApp();
    await api(app)
      .put(`${keystorePath('missing')}?updateReferencedJwks=false`)
      .set(auth())
      .set('X-Trace-Id', 'trace-1')
      .send(aKeystore({ name: 'missing' }))
      .expect(400);
    const { request } = await lastEntry(app);
    expect(request.headers).toMatchObject({ 'x-trace-id': 'trace-1', 'content-type': 'application/json' });
    expect(request.query).toEqual({ updateReferencedJwks: 'false' });
    expect(request.body).toMatchObject({ name: 'missing', description: 'Keystore for API security' });
  });

  it('records the response status, the headers sent and the body', async () => {
    const { app } = await testApp();
    const res = await api(app).get(keystorePath('missing')).set(auth()).expect(400);
    const entry = await lastEntry(app);
    expect(entry.status).toBe(400);
    expect(entry.response).toEqual({
      status: 400,
      headers: expect.objectContaining({
        'content-type': res.headers['content-type'],
        'content-length': res.headers['content-length'],
        'x-content-type-options': 'nosniff',
      }),
      body: res.body,
    });
  });

  it('records the text of a text answer', async () => {
    const { app } = await testApp();
    await api(app).get('/apiops/test/healthcheck').expect(200);
    expect((await lastEntry(app)).response.body).toBe('OK');
  });

  it('records null for a request without a body', async () => {
    const { app } = await testApp();
    await api(app).get(keystoresPath()).set(auth()).expect(200);
    expect((await lastEntry(app)).request.body).toBeNull();
  });

  it('records a keystore file as its decoded size and sha256, in the request and the response', async () => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    await api(app).get(keystorePath('my-keystore')).set(auth()).expect(200);
    const [create, get] = await journal(app);
    expect(create?.request.body).toMatchObject({
      keyStoreEnvironmentList: [{ environmentName: 'production', type: 'JKS', file: JKS_DIGEST }],
    });
    expect(get?.response.body).toMatchObject({
      resultList: [{ keyStoreEnvironmentList: [{ environmentName: 'production', type: 'JKS', file: JKS_DIGEST }] }],
    });
    expect(JSON.stringify(await journal(app))).not.toContain(JKS_FILE);
  });
});

describe('credentials in the journal', () => {
  it.each([
    ['authorization', 'Bearer eyJhbGciOiJub25lIn0.e30.wxyz', 'Bearer …wxyz'],
    ['authorization', 'Bearer demo-token', 'Bearer …oken'],
    ['authorization', 'Bearer short', 'Bearer …'],
    ['x-api-key', 'key-0123456789', '…6789'],
    ['cookie', 'session=abcdefgh12345678; theme=dark', 'session=…5678; theme=…'],
  ])('keeps only the scheme and last 4 characters of %s %s', async (name, sent, recorded) => {
    const { app } = await testApp();
    await api(app).get('/apiops/test/healthcheck').set(name, sent).expect(200);
    expect((await lastEntry(app)).request.headers[name]).toBe(recorded);
  });

  it('masks the client secret of a token request and the token it answers', async () => {
    const { app } = await testApp();
    const res = await api(app)
      .post('/apiops/auth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: 'admin', client_secret: 'admin' })
      .expect(200);
    const token = String(res.body.access_token);
    const { request, response } = await lastEntry(app);
    expect(request.body).toEqual({ grant_type: 'client_credentials', client_id: 'admin', client_secret: '…' });
    expect(response.body).toMatchObject({ access_token: `…${token.slice(-4)}` });
    expect(JSON.stringify(response.body)).not.toContain(token);
  });

  it('never shows the admin token, whole or in part', async () => {
    const adminToken = 'admin-token-never-shown';
    const { app } = await testApp({ adminToken });
    await api(app)
      .post(keystoresPath())
      .set(auth(adminToken))
      .send(aKeystore({ description: `copied ${adminToken} here` }))
      .expect(401);
    const res = await api(app).get('/__mock/requests').set(auth(adminToken)).expect(200);
    const [entry] = res.body.requests as JournalEntry[];
    expect(entry?.request.headers.authorization).toBe('Bearer [admin token]');
    expect(JSON.stringify(res.body)).not.toContain(adminToken);
    expect(JSON.stringify(res.body)).not.toContain(adminToken.slice(-4));
  });
});

describe('--journal-body-limit', () => {
  it('cuts a body whose JSON text is longer than the limit and says so', async () => {
    const { app } = await testApp({ journalBodyLimit: 64 });
    const body = aKeystore({ description: 'd'.repeat(200) });
    await api(app).post(keystoresPath()).set(auth()).send(body).expect(200);
    const entry = await lastEntry(app);
    expect(entry.truncated).toEqual(['request.body', 'response.body']);
    expect(entry.request.body).toEqual({
      truncated: true,
      bytes: expect.any(Number),
      preview: expect.stringMatching(/^\{"name":"my-keystore"/),
    });
    const cut = entry.request.body as { bytes: number; preview: string };
    expect(Buffer.byteLength(cut.preview)).toBeLessThanOrEqual(64);
    expect(cut.bytes).toBeGreaterThan(200);
  });

  it('keeps a body within the limit whole, with no truncated list', async () => {
    const { app } = await testApp({ journalBodyLimit: 64 });
    await api(app).get(keystoresPath()).set(auth()).expect(200);
    const entry = await lastEntry(app);
    expect(entry.truncated).toBeUndefined();
    expect(entry.response.body).toEqual({ success: true, resultList: [], resultCount: 0 });
  });
});

describe('GET /__mock/requests filters', () => {
  async function traffic(app: Express): Promise<void> {
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ name: 'a' }))
      .expect(200);
    await api(app)
      .post(keystoresPath('OtherProject'))
      .set(auth())
      .send(aKeystore({ name: 'b' }))
      .expect(200);
    await api(app).get(keystorePath('a')).set(auth()).set('X-Mock-Scenario', 'deploy-failure').expect(200);
    await api(app).get('/apiops/environments/MyProject').set(auth()).expect(200);
  }

  it.each([
    ['an exact path', '?path=/apiops/projects/MyProject/keystores/', [1]],
    ['a path prefix ending with *', '?path=/apiops/projects/MyProject/*', [1, 3]],
    ['a scenario', '?scenario=deploy-failure', [3]],
    ['a keystore name', '?keystoreName=a', [1, 3]],
    ['a path prefix and a method together', '?path=/apiops/projects/*&method=get', [3]],
  ])('filters by %s', async (_what, query, sequences) => {
    const { app } = await testApp();
    await traffic(app);
    expect((await journal(app, query)).map((entry) => entry.sequence)).toEqual(sequences);
  });
});

describe('the journal from the programmatic API', () => {
  it('returns entries with bodies, filtered by path prefix', async () => {
    const mock = await testApp();
    await api(mock.app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    await api(mock.app).get('/apiops/test/healthcheck').expect(200);
    const entries = await mock.requests({ path: '/apiops/projects/*' });
    expect(entries).toHaveLength(1);
    expect(entries[0]?.request.body).toMatchObject({ name: 'my-keystore' });
  });
});
