import { api } from '../helpers/contract-request';
import { aKeystore, auth, JKS_FILE, keystoresPath, testApp } from '../helpers/world';

const UNKNOWN_SCENARIO = {
  error: 'unknown_scenario',
  error_description:
    'Unknown scenario "nope". Known scenarios: deploy-failure, flaky-staging, happy, partial-deploy-failure, server-error, slow-deploy, token-expired.',
};

/** The overall deployment message of a create, which tells the scenario that served it. */
async function deploymentMessage(
  app: Parameters<typeof api>[0],
  name: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await api(app)
    .post(keystoresPath())
    .set({ ...auth(), ...headers })
    .send(aKeystore({ name }))
    .expect(200);
  return res.body.deploymentResult.message as string;
}

const OK = 'Deployment completed successfully';
const FAILED = 'Deployment completed with errors';

describe('choosing the scenario of a request', () => {
  it('uses happy when nothing chooses another', async () => {
    const { app } = await testApp();
    expect(await deploymentMessage(app, 'a')).toBe(OK);
  });

  it('uses the start-up scenario when no header or control call chooses another', async () => {
    const { app } = await testApp({ scenario: 'deploy-failure' });
    expect(await deploymentMessage(app, 'a')).toBe(FAILED);
  });

  it('lets PUT /__mock/scenario override the start-up scenario', async () => {
    const { app } = await testApp({ scenario: 'deploy-failure' });
    await api(app).put('/__mock/scenario').send({ name: 'happy' }).expect(200, { active: 'happy' });
    expect(await deploymentMessage(app, 'a')).toBe(OK);
  });

  it('keeps the scenario set by PUT /__mock/scenario for later requests', async () => {
    const { app } = await testApp();
    await api(app).put('/__mock/scenario').send({ name: 'deploy-failure' }).expect(200);
    expect([await deploymentMessage(app, 'a'), await deploymentMessage(app, 'b')]).toEqual([FAILED, FAILED]);
  });

  it('lets the X-Mock-Scenario header override the scenario set by PUT /__mock/scenario', async () => {
    const { app } = await testApp();
    await api(app).put('/__mock/scenario').send({ name: 'deploy-failure' }).expect(200);
    expect(await deploymentMessage(app, 'a', { 'X-Mock-Scenario': 'happy' })).toBe(OK);
  });

  it('lets the X-Mock-Scenario header override the start-up scenario', async () => {
    const { app } = await testApp({ scenario: 'deploy-failure' });
    expect(await deploymentMessage(app, 'a', { 'X-Mock-Scenario': 'happy' })).toBe(OK);
  });

  it('applies the X-Mock-Scenario header to its own request only', async () => {
    const { app } = await testApp();
    await deploymentMessage(app, 'a', { 'X-Mock-Scenario': 'deploy-failure' });
    expect(await deploymentMessage(app, 'b')).toBe(OK);
  });

  it('falls back to the session scenario after a request with the header', async () => {
    const { app } = await testApp();
    await api(app).put('/__mock/scenario').send({ name: 'partial-deploy-failure' }).expect(200);
    await deploymentMessage(app, 'a', { 'X-Mock-Scenario': 'happy' });
    const res = await api(app)
      .post(keystoresPath())
      .set(auth())
      .send(
        aKeystore({
          name: 'b',
          keyStoreEnvironmentList: [{ environmentName: 'staging', type: 'JKS', file: JKS_FILE }],
        }),
      )
      .expect(200);
    expect(res.body.deploymentResult.message).toBe(FAILED);
  });

  it('does not change the active scenario through the header', async () => {
    const { app } = await testApp();
    await deploymentMessage(app, 'a', { 'X-Mock-Scenario': 'deploy-failure' });
    await api(app).get('/__mock/scenario').expect(200, { active: 'happy' });
  });

  it('answers an unknown X-Mock-Scenario header with 400 unknown_scenario listing the known names', async () => {
    const { app } = await testApp();
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .set('X-Mock-Scenario', 'nope')
      .send(aKeystore())
      .expect(400, UNKNOWN_SCENARIO);
  });

  it('stores nothing for a request with an unknown X-Mock-Scenario header', async () => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(auth()).set('X-Mock-Scenario', 'nope').send(aKeystore()).expect(400);
    await api(app).get(keystoresPath()).set(auth()).expect(200, { success: true, resultList: [], resultCount: 0 });
  });

  it('answers PUT /__mock/scenario with an unknown name with 400 unknown_scenario listing the known names', async () => {
    const { app } = await testApp();
    await api(app).put('/__mock/scenario').send({ name: 'nope' }).expect(400, UNKNOWN_SCENARIO);
  });

  it('keeps the active scenario when PUT /__mock/scenario names an unknown one', async () => {
    const { app } = await testApp({ scenario: 'slow-deploy' });
    await api(app).put('/__mock/scenario').send({ name: 'nope' }).expect(400);
    await api(app).get('/__mock/scenario').expect(200, { active: 'slow-deploy' });
  });

  it('records in the journal the scenario that served each request', async () => {
    const { app } = await testApp({ scenario: 'deploy-failure' });
    await deploymentMessage(app, 'a', { 'X-Mock-Scenario': 'slow-deploy' });
    await deploymentMessage(app, 'b');
    const res = await api(app).get('/__mock/requests').expect(200);
    expect(res.body.requests.map((entry: { scenario: string }) => entry.scenario)).toEqual([
      'slow-deploy',
      'deploy-failure',
    ]);
  });
});
