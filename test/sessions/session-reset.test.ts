import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystorePath, keystoresPath, testApp } from '../helpers/world';

const EMPTY_LIST = { success: true, resultList: [], resultCount: 0 };
const TOKEN_FORM = { grant_type: 'client_credentials', client_id: 'admin', client_secret: 'admin' };

function inSession(id: string): Record<string, string> {
  return { ...auth(), 'X-Mock-Session': id };
}

describe('POST /__mock/reset', () => {
  it('answers that every session was reset', async () => {
    const { app } = await testApp();
    await api(app).post('/__mock/reset').expect(200, { reset: 'all' });
  });

  it.each(['default', 'worker-1'])(
    'removes the keystores of the %s session when every session is reset',
    async (id) => {
      const { app } = await testApp();
      await api(app).post(keystoresPath()).set(inSession(id)).send(aKeystore()).expect(200);
      await api(app).post('/__mock/reset').expect(200);
      await api(app).get(keystoresPath()).set(inSession(id)).expect(200, EMPTY_LIST);
    },
  );

  it('puts back the start-up scenario of every session', async () => {
    const { app } = await testApp({ scenario: 'slow-deploy' });
    await api(app).put('/__mock/scenario').send({ name: 'deploy-failure' }).expect(200);
    await api(app).put('/__mock/scenario?session=worker-1').send({ name: 'deploy-failure' }).expect(200);
    await api(app).post('/__mock/reset').expect(200);
    const actives = [
      (await api(app).get('/__mock/scenario').expect(200)).body,
      (await api(app).get('/__mock/scenario?session=worker-1').expect(200)).body,
    ];
    expect(actives).toEqual([{ active: 'slow-deploy' }, { active: 'slow-deploy' }]);
  });

  it('empties the request journal', async () => {
    const { app } = await testApp();
    await api(app).get(keystoresPath()).set(auth()).expect(200);
    await api(app).post('/__mock/reset').expect(200);
    await api(app).get('/__mock/requests').expect(200, { requests: [], count: 0 });
  });

  it('forgets issued tokens', async () => {
    const { app } = await testApp();
    const token = await api(app).post('/apiops/auth/token').type('form').send(TOKEN_FORM).expect(200);
    await api(app).post('/__mock/reset').expect(200);
    await api(app)
      .get(keystoresPath())
      .set(auth(token.body.access_token))
      .expect(401, { error: 'unauthorized_client', error_description: 'Invalid token' });
  });

  it('keeps the fixture tokens working', async () => {
    const { app } = await testApp();
    await api(app).post('/__mock/reset').expect(200);
    await api(app).get(keystoresPath()).set(auth()).expect(200);
  });

  it('brings back the keystores the fixtures start with', async () => {
    const { app } = await testApp({ generate: 2 });
    const before = await api(app).get(keystoresPath()).set(auth()).expect(200);
    await api(app)
      .delete(keystorePath(before.body.resultList[0].name as string))
      .set(auth())
      .expect(200);
    await api(app).post('/__mock/reset').expect(200);
    const after = await api(app).get(keystoresPath()).set(auth()).expect(200);
    expect(after.text).toBe(before.text);
  });

  it.each([
    ['the session query parameter', '/__mock/reset?session=worker-1', {}],
    ['the X-Mock-Session header', '/__mock/reset', { 'X-Mock-Session': 'worker-1' }],
  ])('answers with the id of the one session named by %s', async (_how, path, headers) => {
    const { app } = await testApp();
    await api(app).post(path).set(headers).expect(200, { reset: 'worker-1' });
  });

  it.each([
    ['the session query parameter', '/__mock/reset?session=worker-1', {}],
    ['the X-Mock-Session header', '/__mock/reset', { 'X-Mock-Session': 'worker-1' }],
  ])('resets the one session named by %s', async (_how, path, headers) => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(inSession('worker-1')).send(aKeystore()).expect(200);
    await api(app).post(path).set(headers).expect(200);
    await api(app).get(keystoresPath()).set(inSession('worker-1')).expect(200, EMPTY_LIST);
  });

  it.each(['default', 'worker-2'])('leaves the %s session alone when only another session is reset', async (id) => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(inSession(id)).send(aKeystore()).expect(200);
    await api(app).post('/__mock/reset?session=worker-1').expect(200);
    await api(app).get(keystorePath('my-keystore')).set(inSession(id)).expect(200);
  });

  it('resets only the default session when it is named', async () => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    await api(app).post(keystoresPath()).set(inSession('worker-1')).send(aKeystore()).expect(200);
    await api(app).post('/__mock/reset?session=default').expect(200, { reset: 'default' });
    const lists = [
      (await api(app).get(keystoresPath()).set(auth()).expect(200)).body.resultCount,
      (await api(app).get(keystoresPath()).set(inSession('worker-1')).expect(200)).body.resultCount,
    ];
    expect(lists).toEqual([0, 1]);
  });

  it('puts back the start-up scenario of the one session reset', async () => {
    const { app } = await testApp();
    await api(app).put('/__mock/scenario?session=worker-1').send({ name: 'deploy-failure' }).expect(200);
    await api(app).post('/__mock/reset?session=worker-1').expect(200);
    await api(app).get('/__mock/scenario?session=worker-1').expect(200, { active: 'happy' });
  });
});
