import { api } from '../helpers/contract-request';
import { aKeystore, auth, JKS_FILE, keystorePath, keystoresPath, testApp } from '../helpers/world';

const ENVIRONMENTS = ['production', 'staging', 'development'];
const EVERY_ENVIRONMENT = ENVIRONMENTS.map((environmentName) => ({ environmentName, type: 'JKS', file: JKS_FILE }));
const INTERNAL_ERROR = {
  error: 'internal_error',
  error_description: 'An unexpected error occurred. Please try again later.',
};
const TOKEN_EXPIRED = { error: 'token_expired', error_description: 'Token has expired' };

/** A keystore deployed to every environment of the project. */
function aWideKeystore(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return aKeystore({ keyStoreEnvironmentList: EVERY_ENVIRONMENT, ...overrides });
}

describe('the happy scenario', () => {
  it('deploys to every environment of the keystore', async () => {
    const { app } = await testApp();
    const res = await api(app).post(keystoresPath()).set(auth()).send(aWideKeystore()).expect(200);
    expect(res.body).toEqual({
      success: true,
      deploymentResult: {
        success: true,
        message: 'Deployment completed successfully',
        environmentResults: ENVIRONMENTS.map((environmentName) => ({
          environmentName,
          success: true,
          message: 'Deployed successfully',
        })),
      },
    });
  });
});

describe('the partial-deploy-failure scenario', () => {
  const partial = (kind: 'Deployment' | 'Undeployment', entryOk: string) => ({
    success: true,
    deploymentResult: {
      success: false,
      message: `${kind} completed with errors`,
      environmentResults: [
        { environmentName: 'production', success: true, message: entryOk },
        {
          environmentName: 'staging',
          success: false,
          message: `${kind} failed: environment (staging) did not respond`,
        },
        { environmentName: 'development', success: true, message: entryOk },
      ],
    },
  });

  it('fails staging only on create and keeps the top-level success true', async () => {
    const { app } = await testApp({ scenario: 'partial-deploy-failure' });
    const res = await api(app).post(keystoresPath()).set(auth()).send(aWideKeystore()).expect(200);
    expect(res.body).toEqual(partial('Deployment', 'Deployed successfully'));
  });

  it('stores the keystore although staging failed', async () => {
    const { app } = await testApp({ scenario: 'partial-deploy-failure' });
    await api(app).post(keystoresPath()).set(auth()).send(aWideKeystore()).expect(200);
    const res = await api(app).get(keystorePath('my-keystore')).set(auth()).expect(200);
    expect(res.body.resultList).toEqual([{ ...aWideKeystore(), projectId: '64f0c0ffee00000000000001' }]);
  });

  it('fails staging on update and still stores the new version', async () => {
    const { app } = await testApp({ scenario: 'partial-deploy-failure' });
    await api(app).post(keystoresPath()).set(auth()).send(aWideKeystore()).expect(200);
    const res = await api(app)
      .put(keystorePath('my-keystore'))
      .set(auth())
      .send(aWideKeystore({ description: 'rotated' }))
      .expect(200);
    const stored = await api(app).get(keystorePath('my-keystore')).set(auth()).expect(200);
    expect({ body: res.body, description: stored.body.resultList[0].description }).toEqual({
      body: partial('Deployment', 'Deployed successfully'),
      description: 'rotated',
    });
  });

  it('fails staging on delete with the undeployment wording', async () => {
    const { app } = await testApp({ scenario: 'partial-deploy-failure' });
    await api(app).post(keystoresPath()).set(auth()).send(aWideKeystore()).expect(200);
    const res = await api(app).delete(keystorePath('my-keystore')).set(auth()).expect(200);
    expect(res.body).toEqual(partial('Undeployment', 'Undeployed successfully'));
  });

  it('removes the keystore on delete although staging failed', async () => {
    const { app } = await testApp({ scenario: 'partial-deploy-failure' });
    await api(app).post(keystoresPath()).set(auth()).send(aWideKeystore()).expect(200);
    await api(app).delete(keystorePath('my-keystore')).set(auth()).expect(200);
    await api(app).get(keystorePath('my-keystore')).set(auth()).expect(400);
  });

  it('succeeds fully for a keystore that does not use staging', async () => {
    const { app } = await testApp({ scenario: 'partial-deploy-failure' });
    const res = await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    expect(res.body.deploymentResult.success).toBe(true);
  });
});

describe('the deploy-failure scenario', () => {
  const failed = (kind: 'Deployment' | 'Undeployment') => ({
    success: true,
    deploymentResult: {
      success: false,
      message: `${kind} completed with errors`,
      environmentResults: ENVIRONMENTS.map((environmentName) => ({
        environmentName,
        success: false,
        message: `${kind} failed: environment (${environmentName}) did not respond`,
      })),
    },
  });

  it('fails every environment on create', async () => {
    const { app } = await testApp({ scenario: 'deploy-failure' });
    const res = await api(app).post(keystoresPath()).set(auth()).send(aWideKeystore()).expect(200);
    expect(res.body).toEqual(failed('Deployment'));
  });

  it('still stores the keystore', async () => {
    const { app } = await testApp({ scenario: 'deploy-failure' });
    await api(app).post(keystoresPath()).set(auth()).send(aWideKeystore()).expect(200);
    const res = await api(app).get(keystoresPath()).set(auth()).expect(200);
    expect(res.body.resultCount).toBe(1);
  });

  it('fails every environment on delete', async () => {
    const { app } = await testApp({ scenario: 'deploy-failure' });
    await api(app).post(keystoresPath()).set(auth()).send(aWideKeystore()).expect(200);
    const res = await api(app).delete(keystorePath('my-keystore')).set(auth()).expect(200);
    expect(res.body).toEqual(failed('Undeployment'));
  });

  it('still removes the keystore on delete', async () => {
    const { app } = await testApp({ scenario: 'deploy-failure' });
    await api(app).post(keystoresPath()).set(auth()).send(aWideKeystore()).expect(200);
    await api(app).delete(keystorePath('my-keystore')).set(auth()).expect(200);
    await api(app).get(keystoresPath()).set(auth()).expect(200, { success: true, resultList: [], resultCount: 0 });
  });
});

describe('the slow-deploy scenario', () => {
  it.each([
    ['a create', 'post', keystoresPath()],
    ['an update', 'put', keystorePath('my-keystore')],
    ['a delete', 'delete', keystorePath('my-keystore')],
  ] as const)('waits 1 to 2 seconds before it answers %s', async (_name, method, path) => {
    const waits: number[] = [];
    const { app } = await testApp({ scenario: 'slow-deploy' }, { wait: async (ms) => void waits.push(ms) });
    if (method !== 'post') {
      await api(app)
        .post(keystoresPath())
        .set(auth())
        .set('X-Mock-Scenario', 'happy')
        .send(aWideKeystore())
        .expect(200);
      waits.length = 0;
    }
    await api(app)[method](path).set(auth()).send(aWideKeystore()).expect(200);
    expect(waits).toEqual([expect.any(Number)]);
    expect(waits[0]).toBeGreaterThanOrEqual(1000);
    expect(waits[0]).toBeLessThanOrEqual(2000);
  });

  it('still deploys successfully once the wait is over', async () => {
    const { app } = await testApp({ scenario: 'slow-deploy' });
    const res = await api(app).post(keystoresPath()).set(auth()).send(aWideKeystore()).expect(200);
    expect(res.body.deploymentResult.success).toBe(true);
  });
});

describe('the server-error scenario', () => {
  it.each([
    ['listKeystores', 'get', keystoresPath()],
    ['getKeystore', 'get', keystorePath('my-keystore')],
    ['createKeystore', 'post', keystoresPath()],
    ['updateKeystore', 'put', keystorePath('my-keystore')],
    ['deleteKeystore', 'delete', keystorePath('my-keystore')],
  ] as const)('answers %s with 500 internal_error', async (_operation, method, path) => {
    const { app } = await testApp({ scenario: 'server-error' });
    await api(app).post(keystoresPath()).set(auth()).set('X-Mock-Scenario', 'happy').send(aKeystore()).expect(200);
    const request = api(app)[method](path).set(auth());
    const res = await (method === 'post' || method === 'put' ? request.send(aKeystore({ name: 'other' })) : request);
    expect({ status: res.status, body: res.body }).toEqual({ status: 500, body: INTERNAL_ERROR });
  });

  it('stores nothing on create', async () => {
    const { app } = await testApp({ scenario: 'server-error' });
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(500);
    await api(app)
      .get(keystoresPath())
      .set(auth())
      .set('X-Mock-Scenario', 'happy')
      .expect(200, { success: true, resultList: [], resultCount: 0 });
  });

  it('changes nothing on update', async () => {
    const { app } = await testApp({ scenario: 'server-error' });
    await api(app).post(keystoresPath()).set(auth()).set('X-Mock-Scenario', 'happy').send(aKeystore()).expect(200);
    await api(app)
      .put(keystorePath('my-keystore'))
      .set(auth())
      .send(aKeystore({ name: 'renamed', description: 'changed' }))
      .expect(500);
    const res = await api(app).get(keystoresPath()).set(auth()).set('X-Mock-Scenario', 'happy').expect(200);
    expect(res.body.resultList).toEqual([{ ...aKeystore(), projectId: '64f0c0ffee00000000000001' }]);
  });

  it('removes nothing on delete', async () => {
    const { app } = await testApp({ scenario: 'server-error' });
    await api(app).post(keystoresPath()).set(auth()).set('X-Mock-Scenario', 'happy').send(aKeystore()).expect(200);
    await api(app).delete(keystorePath('my-keystore')).set(auth()).expect(500);
    await api(app).get(keystorePath('my-keystore')).set(auth()).set('X-Mock-Scenario', 'happy').expect(200);
  });
});

describe('the token-expired scenario', () => {
  it.each([
    ['listEnvironments', 'get', '/apiops/environments/MyProject'],
    ['listKeystores', 'get', keystoresPath()],
    ['getKeystore', 'get', keystorePath('my-keystore')],
    ['createKeystore', 'post', keystoresPath()],
    ['updateKeystore', 'put', keystorePath('my-keystore')],
    ['deleteKeystore', 'delete', keystorePath('my-keystore')],
  ] as const)('answers %s with 401 token_expired', async (_operation, method, path) => {
    const { app } = await testApp({ scenario: 'token-expired' });
    await api(app).post(keystoresPath()).set(auth()).set('X-Mock-Scenario', 'happy').send(aKeystore()).expect(200);
    const request = api(app)[method](path).set(auth());
    const res = await (method === 'post' || method === 'put' ? request.send(aKeystore({ name: 'other' })) : request);
    expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: TOKEN_EXPIRED });
  });

  it('still issues tokens, which then answer token_expired', async () => {
    const { app } = await testApp({ scenario: 'token-expired' });
    const token = await api(app)
      .post('/apiops/auth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: 'admin', client_secret: 'admin' })
      .expect(200);
    await api(app).get(keystoresPath()).set(auth(token.body.access_token)).expect(401, TOKEN_EXPIRED);
  });

  it('stores nothing on create', async () => {
    const { app } = await testApp({ scenario: 'token-expired' });
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(401);
    await api(app)
      .get(keystoresPath())
      .set(auth())
      .set('X-Mock-Scenario', 'happy')
      .expect(200, { success: true, resultList: [], resultCount: 0 });
  });
});
