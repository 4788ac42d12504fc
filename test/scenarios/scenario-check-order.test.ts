import { api } from '../helpers/contract-request';
import { aKeystore, auth, JKS_FILE, keystorePath, keystoresPath, testApp, TOKENS } from '../helpers/world';

/** Every built-in scenario that changes what keystore operations do. */
const FAILING_SCENARIOS = [
  'partial-deploy-failure',
  'deploy-failure',
  'flaky-staging',
  'slow-deploy',
  'server-error',
  'token-expired',
];
/** Those that leave a valid token valid, so that 403 and later checks can be reached. */
const TOKEN_KEEPING_SCENARIOS = FAILING_SCENARIOS.filter((name) => name !== 'token-expired');

const EMPTY_LIST = { success: true, resultList: [], resultCount: 0 };

async function expectNothingStored(app: Parameters<typeof api>[0]): Promise<void> {
  await api(app).get(keystoresPath()).set(auth()).set('X-Mock-Scenario', 'happy').expect(200, EMPTY_LIST);
}

describe.each(FAILING_SCENARIOS)('under the %s scenario', (scenario) => {
  it('still answers a call without a token with 401 unauthorized_client', async () => {
    const { app } = await testApp({ scenario });
    await api(app)
      .post(keystoresPath())
      .send(aKeystore())
      .expect(401, { error: 'unauthorized_client', error_description: 'Invalid token' });
  });

  it('still answers an unknown token with 401 unauthorized_client', async () => {
    const { app } = await testApp({ scenario });
    await api(app)
      .get(keystoresPath())
      .set(auth('no-such-token'))
      .expect(401, { error: 'unauthorized_client', error_description: 'Invalid token' });
  });

  it('stores nothing for a create without a token', async () => {
    const { app } = await testApp({ scenario });
    await api(app).post(keystoresPath()).send(aKeystore()).expect(401);
    await expectNothingStored(app);
  });
});

describe.each(TOKEN_KEEPING_SCENARIOS)('under the %s scenario', (scenario) => {
  it('still answers a token without the deploy role with 403 forbidden', async () => {
    const { app } = await testApp({ scenario });
    await api(app)
      .post(keystoresPath())
      .set(auth(TOKENS.noDeploy))
      .send(aKeystore())
      .expect(403, { error: 'forbidden', error_description: 'You do not have permission to perform this action' });
  });

  it('still answers a token without any role with 403 forbidden on a read', async () => {
    const { app } = await testApp({ scenario });
    await api(app).get(keystoresPath()).set(auth(TOKENS.noRole)).expect(403);
  });

  it('still answers the fixtures expired token with 401 token_expired', async () => {
    const { app } = await testApp({ scenario });
    await api(app)
      .get(keystoresPath())
      .set(auth(TOKENS.expired))
      .expect(401, { error: 'token_expired', error_description: 'Token has expired' });
  });

  it('still answers an unknown project with 404 not_found', async () => {
    const { app } = await testApp({ scenario });
    await api(app).post(keystoresPath('NoSuchProject')).set(auth()).send(aKeystore()).expect(404, {
      error: 'not_found',
      error_description: 'Project (NoSuchProject) is not found or user does not have privilege to access it!',
    });
  });

  it('still answers a body that breaks the document with 400 validation_failed', async () => {
    const { app } = await testApp({ scenario });
    const body = aKeystore({ keyStoreEnvironmentList: [{ environmentName: 'production', type: 'XYZ', file: 'AAAA' }] });
    const res = await api(app).post(keystoresPath()).set(auth()).send(body).expect(400);
    expect(res.body.error).toBe('validation_failed');
  });

  it('still answers an update with an invalid keystore name in the path with 400 validation_failed', async () => {
    const { app } = await testApp({ scenario });
    const res = await api(app).put(keystorePath('has space')).set(auth()).send(aKeystore()).expect(400);
    expect(res.body.error).toBe('validation_failed');
  });

  it('still answers a keystore that lists an environment twice with 400 validation_failed', async () => {
    const { app } = await testApp({ scenario });
    const twice = { environmentName: 'production', type: 'JKS', file: JKS_FILE };
    const res = await api(app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ keyStoreEnvironmentList: [twice, twice] }))
      .expect(400);
    expect(res.body.validation_errors).toEqual([
      {
        field: 'keyStoreEnvironmentList[1].environmentName',
        message: 'repeats environment "production"; each environment may appear once',
      },
    ]);
  });

  it('still answers a file above the file limit with 400 validation_failed', async () => {
    const { app } = await testApp({ scenario, maxFileBytes: 4 });
    const res = await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(400);
    expect(res.body.validation_errors).toEqual([
      { field: 'keyStoreEnvironmentList[0].file', message: 'decodes to 12 bytes, more than the limit of 4 bytes' },
    ]);
  });

  it('still answers updateReferencedJwks=true without updateScope with 400 validation_failed', async () => {
    const { app } = await testApp({ scenario });
    await api(app).post(keystoresPath()).set(auth()).set('X-Mock-Scenario', 'happy').send(aKeystore()).expect(200);
    const res = await api(app)
      .put(`${keystorePath('my-keystore')}?updateReferencedJwks=true`)
      .set(auth())
      .send(aKeystore())
      .expect(400);
    expect(res.body.validation_errors).toEqual([
      { field: 'updateScope', message: 'is required when updateReferencedJwks is true' },
    ]);
  });

  it('stores nothing for a create that breaks the document', async () => {
    const { app } = await testApp({ scenario });
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ name: '' }))
      .expect(400);
    await expectNothingStored(app);
  });

  it('still answers a non-JSON body with 415', async () => {
    const { app } = await testApp({ scenario });
    const res = await api(app)
      .post(keystoresPath())
      .set(auth())
      .set('Content-Type', 'text/plain')
      .send('name=x')
      .expect(415);
    expect(res.body.error).toBe('unsupported_media_type');
  });
});

describe('under the token-expired scenario', () => {
  it('answers a token without the deploy role with 401 token_expired, which comes before 403', async () => {
    const { app } = await testApp({ scenario: 'token-expired' });
    await api(app).post(keystoresPath()).set(auth(TOKENS.noDeploy)).send(aKeystore()).expect(401, {
      error: 'token_expired',
      error_description: 'Token has expired',
    });
  });
});
