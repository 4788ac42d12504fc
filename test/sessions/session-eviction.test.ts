import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystorePath, keystoresPath, testApp } from '../helpers/world';

function inSession(id: string): Record<string, string> {
  return { ...auth(), 'X-Mock-Session': id };
}

async function createIn(app: Parameters<typeof api>[0], id: string): Promise<void> {
  await api(app).post(keystoresPath()).set(inSession(id)).send(aKeystore()).expect(200);
}

async function sessionStats(app: Parameters<typeof api>[0]): Promise<unknown> {
  return (await api(app).get('/__mock/health').expect(200)).body.sessions;
}

describe('bounding the live sessions', () => {
  it('counts the default session as live from the start', async () => {
    const { app } = await testApp({ maxSessions: 3 });
    expect(await sessionStats(app)).toEqual({ live: 1, max: 3, evicted: 0 });
  });

  it('evicts nothing while the sessions fit', async () => {
    const { app } = await testApp({ maxSessions: 3 });
    await createIn(app, 's1');
    await createIn(app, 's2');
    expect(await sessionStats(app)).toEqual({ live: 3, max: 3, evicted: 0 });
  });

  it('evicts a session once one more is created and shows it in health', async () => {
    const { app } = await testApp({ maxSessions: 3 });
    for (const id of ['s1', 's2', 's3']) await createIn(app, id);
    expect(await sessionStats(app)).toEqual({ live: 3, max: 3, evicted: 1 });
  });

  it('counts every eviction', async () => {
    const { app } = await testApp({ maxSessions: 3 });
    for (const id of ['s1', 's2', 's3', 's4', 's5']) await createIn(app, id);
    expect(await sessionStats(app)).toEqual({ live: 3, max: 3, evicted: 3 });
  });

  it('evicts the least recently used session', async () => {
    const { app } = await testApp({ maxSessions: 3 });
    await createIn(app, 's1');
    await createIn(app, 's2');
    await api(app).get(keystoresPath()).set(inSession('s1')).expect(200);
    await createIn(app, 's3');
    await api(app).get(keystorePath('my-keystore')).set(inSession('s2')).expect(404);
  });

  it('keeps a session that was used recently', async () => {
    const { app } = await testApp({ maxSessions: 3 });
    await createIn(app, 's1');
    await createIn(app, 's2');
    await api(app).get(keystoresPath()).set(inSession('s1')).expect(200);
    await createIn(app, 's3');
    await api(app).get(keystorePath('my-keystore')).set(inSession('s1')).expect(200);
  });

  it('never evicts the default session', async () => {
    const { app } = await testApp({ maxSessions: 3 });
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    for (const id of ['s1', 's2', 's3', 's4']) await createIn(app, id);
    await api(app).get(keystorePath('my-keystore')).set(auth()).expect(200);
  });

  it('starts an evicted session again from the fixtures', async () => {
    const { app } = await testApp({ maxSessions: 3 });
    for (const id of ['s1', 's2', 's3']) await createIn(app, id);
    await api(app)
      .get(keystoresPath())
      .set(inSession('s1'))
      .expect(200, { success: true, resultList: [], resultCount: 0 });
  });

  it('bounds the sessions at 1000 by default', async () => {
    const { app } = await testApp();
    expect(await sessionStats(app)).toEqual({ live: 1, max: 1000, evicted: 0 });
  });
});
