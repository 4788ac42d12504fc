import { api } from '../helpers/contract-request';
import { JKS_FILE, aKeystore, auth, keystoresPath, testApp } from '../helpers/world';

const PEM_FILE = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n').toString('base64');

describe('GET /__mock/sessions', () => {
  it('lists the default session alone on a fresh mock, with the start-up scenario', async () => {
    const { app } = await testApp({ scenario: 'slow-deploy' });
    const res = await api(app).get('/__mock/sessions').expect(200);
    expect(res.body).toEqual({
      sessions: [{ id: 'default', activeScenario: 'slow-deploy', lastUsed: null }],
      count: 1,
    });
  });

  it('lists named sessions with their active scenario and last use, least recently used first', async () => {
    const clock = { now: Date.parse('2026-12-02T10:00:00.000Z') };
    const { app } = await testApp({}, { clock: () => clock.now });
    await api(app).get(keystoresPath()).set(auth()).set('X-Mock-Session', 'first').expect(200);
    clock.now += 1000;
    await api(app).put('/__mock/scenario?session=second').send({ name: 'deploy-failure' }).expect(200);
    const res = await api(app).get('/__mock/sessions').expect(200);
    expect(res.body.sessions).toEqual([
      { id: 'default', activeScenario: 'happy', lastUsed: null },
      { id: 'first', activeScenario: 'happy', lastUsed: '2026-12-02T10:00:00.000Z' },
      { id: 'second', activeScenario: 'deploy-failure', lastUsed: '2026-12-02T10:00:01.000Z' },
    ]);
  });

  it('creates no session and counts as no use', async () => {
    const { app } = await testApp();
    await api(app).get('/__mock/sessions').set('X-Mock-Session', 'ghost').expect(200);
    const health = await api(app).get('/__mock/health').expect(200);
    expect(health.body.sessions.live).toBe(1);
  });
});

describe('GET /__mock/dashboard', () => {
  it('gives each keystore file its decoded size and what its bytes look like, never the file', async () => {
    const { app } = await testApp();
    const environments = [
      { environmentName: 'production', type: 'JKS', file: JKS_FILE },
      { environmentName: 'staging', type: 'PKCS12', file: PEM_FILE },
    ];
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ keyStoreEnvironmentList: environments }))
      .expect(200);
    const res = await api(app).get('/__mock/dashboard').expect(200);
    const project = res.body.projects.find((entry: { name: string }) => entry.name === 'MyProject');
    expect(project.keystores).toEqual([
      {
        name: 'my-keystore',
        description: 'Keystore for API security',
        projectId: project.projectId,
        environments: [
          {
            environmentName: 'production',
            type: 'JKS',
            decodedBytes: 12,
            format: 'JKS',
            looksLike: 'JKS (starts with FE ED FE ED)',
          },
          {
            environmentName: 'staging',
            type: 'PKCS12',
            decodedBytes: 33,
            format: 'unknown',
            looksLike: 'looks like PEM text (starts with -----BEGIN CERTIFICATE-----)',
          },
        ],
      },
    ]);
  });

  it('says what each scenario does per environment, as a deployment would do it', async () => {
    const { app } = await testApp();
    const res = await api(app).get('/__mock/dashboard').expect(200);
    const partial = res.body.scenarios.find((entry: { name: string }) => entry.name === 'partial-deploy-failure');
    expect(
      partial.environments.map(({ environment, deploy }: { environment: string; deploy: { success: boolean } }) => [
        environment,
        deploy.success,
      ]),
    ).toEqual([
      ['development', true],
      ['production', true],
      ['staging', false],
    ]);
    const slow = res.body.scenarios.find((entry: { name: string }) => entry.name === 'slow-deploy');
    expect(slow.environments[0].latencyMs).toEqual({ min: 1000, max: 2000 });
  });

  it('names the active scenario of the session asked', async () => {
    const { app } = await testApp();
    await api(app).put('/__mock/scenario?session=w1').send({ name: 'server-error' }).expect(200);
    const res = await api(app).get('/__mock/dashboard?session=w1').expect(200);
    expect({ session: res.body.session, activeScenario: res.body.activeScenario }).toEqual({
      session: 'w1',
      activeScenario: 'server-error',
    });
  });

  it.each(['/__mock/sessions', '/__mock/dashboard'])(
    'refuses %s without the admin token when one is set',
    async (path) => {
      const { app } = await testApp({ adminToken: 's3cret' });
      await api(app).get(path).expect(401);
      await api(app).get(path).set('Authorization', 'Bearer s3cret').expect(200);
    },
  );
});
