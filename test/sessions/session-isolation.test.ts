import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystorePath, keystoresPath, testApp } from '../helpers/world';

const EMPTY_LIST = { success: true, resultList: [], resultCount: 0 };

function inSession(id: string): Record<string, string> {
  return { ...auth(), 'X-Mock-Session': id };
}

describe('sessions', () => {
  it('hides a keystore created in one session from another session', async () => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(inSession('worker-1')).send(aKeystore()).expect(200);
    await api(app).get(keystoresPath()).set(inSession('worker-2')).expect(200, EMPTY_LIST);
  });

  it('hides a keystore created in a session from the default session', async () => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(inSession('worker-1')).send(aKeystore()).expect(200);
    await api(app).get(keystoresPath()).set(auth()).expect(200, EMPTY_LIST);
  });

  it('hides a keystore created without a session header from a named session', async () => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    await api(app).get(keystorePath('my-keystore')).set(inSession('worker-1')).expect(400);
  });

  it('lets two sessions create a keystore of the same name', async () => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(inSession('worker-1')).send(aKeystore()).expect(200);
    await api(app).post(keystoresPath()).set(inSession('worker-2')).send(aKeystore()).expect(200);
  });

  it('keeps the keystores of a session across its requests', async () => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(inSession('worker-1')).send(aKeystore()).expect(200);
    const res = await api(app).get(keystoresPath()).set(inSession('worker-1')).expect(200);
    expect(res.body.resultCount).toBe(1);
  });

  it('treats the session named default as the default session', async () => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    await api(app).get(keystorePath('my-keystore')).set(inSession('default')).expect(200);
  });

  it('creates a new session from the fixtures, not from another session', async () => {
    const { app } = await testApp({ generate: 2 });
    const before = await api(app).get(keystoresPath()).set(auth()).expect(200);
    const first = before.body.resultList[0].name as string;
    await api(app).delete(keystorePath(first)).set(auth()).expect(200);
    const fresh = await api(app).get(keystoresPath()).set(inSession('fresh')).expect(200);
    expect(fresh.text).toBe(before.text);
  });

  it('keeps the active scenario of one session out of another', async () => {
    const { app } = await testApp();
    await api(app)
      .put('/__mock/scenario')
      .set('X-Mock-Session', 'worker-1')
      .send({ name: 'deploy-failure' })
      .expect(200);
    const res = await api(app).post(keystoresPath()).set(inSession('worker-2')).send(aKeystore()).expect(200);
    expect(res.body.deploymentResult.success).toBe(true);
  });

  it('applies the active scenario of a session to its own requests', async () => {
    const { app } = await testApp();
    await api(app).put('/__mock/scenario?session=worker-1').send({ name: 'deploy-failure' }).expect(200);
    const res = await api(app).post(keystoresPath()).set(inSession('worker-1')).send(aKeystore()).expect(200);
    expect(res.body.deploymentResult.success).toBe(false);
  });

  it('keeps the active scenario of a session out of the default session', async () => {
    const { app } = await testApp();
    await api(app).put('/__mock/scenario?session=worker-1').send({ name: 'deploy-failure' }).expect(200);
    await api(app).get('/__mock/scenario').expect(200, { active: 'happy' });
  });

  it('keeps the journal of one session out of another', async () => {
    const { app } = await testApp();
    await api(app).get(keystoresPath()).set(inSession('worker-1')).expect(200);
    await api(app).get('/__mock/requests?session=worker-2').expect(200, { requests: [], count: 0 });
  });

  it('records a request in the journal of its session, under the session id', async () => {
    const { app } = await testApp();
    await api(app).get(keystoresPath()).set(inSession('worker-1')).expect(200);
    const res = await api(app).get('/__mock/requests').set('X-Mock-Session', 'worker-1').expect(200);
    expect(res.body.requests.map((entry: { session: string }) => entry.session)).toEqual(['worker-1']);
  });

  it('records a request without a session header in the default session', async () => {
    const { app } = await testApp();
    await api(app).get(keystoresPath()).set(auth()).expect(200);
    const res = await api(app).get('/__mock/requests').expect(200);
    expect(res.body.requests.map((entry: { session: string }) => entry.session)).toEqual(['default']);
  });

  it.each([
    ['the session query parameter', '/__mock/state?session=worker-1', {}],
    ['the X-Mock-Session header', '/__mock/state', { 'X-Mock-Session': 'worker-1' }],
  ])('lets a control call name its session with %s', async (_how, path, headers) => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(inSession('worker-1')).send(aKeystore()).expect(200);
    const res = await api(app).get(path).set(headers).expect(200);
    expect(res.body.projects.MyProject.keystores).toHaveLength(1);
  });

  it('answers a session id with forbidden characters with 400 invalid_session', async () => {
    const { app } = await testApp();
    const res = await api(app).get(keystoresPath()).set(inSession('no spaces!')).expect(400);
    expect(res.body.error).toBe('invalid_session');
  });
});
