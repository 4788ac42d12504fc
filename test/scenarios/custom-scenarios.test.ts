import { api } from '../helpers/contract-request';
import { aKeystore, auth, JKS_FILE, keystorePath, keystoresPath, testApp } from '../helpers/world';
import { removeFixtures, temporaryFixtures } from './temporary-fixtures';

const EVERY_ENVIRONMENT = ['production', 'staging', 'development'].map((environmentName) => ({
  environmentName,
  type: 'JKS',
  file: JKS_FILE,
}));

const SCENARIO_FILES = {
  'outcomes.yaml': [
    'description: Production deploys, the rest refuse; development cannot undeploy.',
    'deploy:',
    '  default:',
    '    success: false',
    "    message: 'Refused by {environment}'",
    '  environments:',
    '    production:',
    '      success: true',
    "      message: 'Live on {environment}'",
    'undeploy:',
    '  environments:',
    '    development:',
    '      success: false',
    '',
  ].join('\n'),
  'latency.yaml': [
    'latency:',
    '  perRequest: 50',
    '  perEnvironment: 100',
    '  environments:',
    '    staging: 300',
    '',
  ].join('\n'),
  'jitter.yaml': ['latency:', '  perRequest:', '    min: 10', '    max: 20', ''].join('\n'),
  'canned.yaml': [
    'responses:',
    '  listKeystores:',
    '    status: 200',
    '    headers:',
    '      X-Canned: "yes"',
    '    body:',
    '      success: true',
    '      resultList: []',
    '      resultCount: 0',
    '  createKeystore:',
    '    status: 400',
    '    body:',
    '      error: bad_request',
    '      error_description: Canned refusal',
    '',
  ].join('\n'),
  'keep-nothing.json': JSON.stringify({
    deploy: { environments: { staging: { success: false } } },
    storeOnFailure: false,
  }),
  'expired.yaml': 'tokenExpired: true\n',
};

describe('scenarios written as files', () => {
  let dir: string;

  beforeAll(() => {
    dir = temporaryFixtures(SCENARIO_FILES);
  });

  afterAll(() => {
    removeFixtures(dir);
  });

  const appWith = (options: Parameters<typeof testApp>[1] = {}) => testApp({ fixturesDir: dir }, options);

  it('lists each file as a scenario, beside the built-in ones, with its description and source', async () => {
    const { app } = await appWith();
    const res = await api(app).get('/__mock/scenarios').expect(200);
    const outcomes = res.body.scenarios.find((entry: { name: string }) => entry.name === 'outcomes');
    const custom = res.body.scenarios.filter((entry: { origin: string }) => entry.origin !== 'built-in');
    expect({ names: custom.map((entry: { name: string }) => entry.name), outcomes }).toEqual({
      names: ['canned', 'expired', 'jitter', 'keep-nothing', 'latency', 'outcomes'],
      outcomes: {
        name: 'outcomes',
        description: 'Production deploys, the rest refuse; development cannot undeploy.',
        source: expect.stringMatching(/scenarios[/\\]outcomes\.yaml$/),
        origin: 'custom',
      },
    });
  });

  it('applies the default deploy outcome and the per-environment override, with the environment in the message', async () => {
    const { app } = await appWith();
    const res = await api(app)
      .post(keystoresPath())
      .set(auth())
      .set('X-Mock-Scenario', 'outcomes')
      .send(aKeystore({ keyStoreEnvironmentList: EVERY_ENVIRONMENT }))
      .expect(200);
    expect(res.body).toEqual({
      success: true,
      deploymentResult: {
        success: false,
        message: 'Deployment completed with errors',
        environmentResults: [
          { environmentName: 'production', success: true, message: 'Live on production' },
          { environmentName: 'staging', success: false, message: 'Refused by staging' },
          { environmentName: 'development', success: false, message: 'Refused by development' },
        ],
      },
    });
  });

  it('applies the undeploy rules on delete, with the default failure message when the file gives none', async () => {
    const { app } = await appWith();
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ keyStoreEnvironmentList: EVERY_ENVIRONMENT }))
      .expect(200);
    const res = await api(app)
      .delete(keystorePath('my-keystore'))
      .set(auth())
      .set('X-Mock-Scenario', 'outcomes')
      .expect(200);
    expect(res.body.deploymentResult.environmentResults).toEqual([
      { environmentName: 'production', success: true, message: 'Undeployed successfully' },
      { environmentName: 'staging', success: true, message: 'Undeployed successfully' },
      {
        environmentName: 'development',
        success: false,
        message: 'Undeployment failed: environment (development) did not respond',
      },
    ]);
  });

  it.each([
    ['production and staging', ['production', 'staging'], 350],
    ['production only', ['production'], 150],
  ])('waits the per-request delay plus the slowest fixed environment delay for %s', async (_case, names, expected) => {
    const waits: number[] = [];
    const { app } = await appWith({ wait: async (ms) => void waits.push(ms) });
    const keyStoreEnvironmentList = names.map((environmentName) => ({ environmentName, type: 'JKS', file: JKS_FILE }));
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .set('X-Mock-Scenario', 'latency')
      .send(aKeystore({ keyStoreEnvironmentList }))
      .expect(200);
    expect(waits).toEqual([expected]);
  });

  it('draws a ranged per-request delay within its min and max', async () => {
    const waits: number[] = [];
    const { app } = await appWith({ wait: async (ms) => void waits.push(ms) });
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      await api(app)
        .post(keystoresPath())
        .set(auth())
        .set('X-Mock-Scenario', 'jitter')
        .send(aKeystore({ name }))
        .expect(200);
    }
    expect(waits.every((ms) => ms >= 10 && ms <= 20)).toBe(true);
    expect(waits).toHaveLength(5);
  });

  it('answers a chosen operation with its canned status, body and headers', async () => {
    const { app } = await appWith();
    const res = await api(app).get(keystoresPath()).set(auth()).set('X-Mock-Scenario', 'canned').expect(200);
    expect({ body: res.body, header: res.headers['x-canned'] }).toEqual({
      body: { success: true, resultList: [], resultCount: 0 },
      header: 'yes',
    });
  });

  it('stores nothing when a create is answered with a canned response', async () => {
    const { app } = await appWith();
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .set('X-Mock-Scenario', 'canned')
      .send(aKeystore())
      .expect(400, { error: 'bad_request', error_description: 'Canned refusal' });
    await api(app).get(keystoresPath()).set(auth()).expect(200, { success: true, resultList: [], resultCount: 0 });
  });

  it('answers operations without a canned response as usual', async () => {
    const { app } = await appWith();
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    await api(app).get(keystorePath('my-keystore')).set(auth()).set('X-Mock-Scenario', 'canned').expect(200);
  });

  it('answers a failed deployment with success false when storeOnFailure is false', async () => {
    const { app } = await appWith();
    const res = await api(app)
      .post(keystoresPath())
      .set(auth())
      .set('X-Mock-Scenario', 'keep-nothing')
      .send(aKeystore({ keyStoreEnvironmentList: EVERY_ENVIRONMENT }))
      .expect(200);
    expect({ success: res.body.success, deployed: res.body.deploymentResult.success }).toEqual({
      success: false,
      deployed: false,
    });
  });

  it('stores nothing for a failed deployment when storeOnFailure is false', async () => {
    const { app } = await appWith();
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .set('X-Mock-Scenario', 'keep-nothing')
      .send(aKeystore({ keyStoreEnvironmentList: EVERY_ENVIRONMENT }))
      .expect(200);
    await api(app).get(keystorePath('my-keystore')).set(auth()).expect(400);
  });

  it('stores a fully successful deployment when storeOnFailure is false', async () => {
    const { app } = await appWith();
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .set('X-Mock-Scenario', 'keep-nothing')
      .send(aKeystore())
      .expect(200);
    await api(app).get(keystorePath('my-keystore')).set(auth()).expect(200);
  });

  it('keeps the old version when an update fails and storeOnFailure is false', async () => {
    const { app } = await appWith();
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    await api(app)
      .put(keystorePath('my-keystore'))
      .set(auth())
      .set('X-Mock-Scenario', 'keep-nothing')
      .send(aKeystore({ description: 'changed', keyStoreEnvironmentList: EVERY_ENVIRONMENT }))
      .expect(200);
    const res = await api(app).get(keystorePath('my-keystore')).set(auth()).expect(200);
    expect(res.body.resultList[0].description).toBe('Keystore for API security');
  });

  it('answers every authenticated call with 401 token_expired when tokenExpired is set', async () => {
    const { app } = await appWith();
    await api(app)
      .get('/apiops/environments/MyProject')
      .set(auth())
      .set('X-Mock-Scenario', 'expired')
      .expect(401, { error: 'token_expired', error_description: 'Token has expired' });
  });
});
