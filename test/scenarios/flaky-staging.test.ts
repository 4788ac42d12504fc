import fs from 'node:fs';
import path from 'node:path';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystorePath, keystoresPath, testApp } from '../helpers/world';

const ROOT = path.join(__dirname, '..', '..');
const SHIPPED_FILE = fs.readFileSync(path.join(ROOT, 'fixtures', 'scenarios', 'flaky-staging.yaml'), 'utf8');

const BODY = aKeystore({
  keyStoreEnvironmentList: [
    { environmentName: 'production', type: 'JKS', file: '/u3+7QAAAAIAAAAB' },
    { environmentName: 'staging', type: 'JKS', file: '/u3+7QAAAAIAAAAB' },
  ],
});

/** The yaml block of the README's "Writing a scenario" section. */
function readmeExample(): string | undefined {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Writing a scenario'), readme.indexOf('## Sessions'));
  return /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
}

async function appWithWaits() {
  const waits: number[] = [];
  const mock = await testApp({}, { wait: async (ms) => void waits.push(ms) });
  return { app: mock.app, waits };
}

describe('the shipped flaky-staging scenario', () => {
  it('is the annotated example the README shows, word for word', () => {
    expect(readmeExample()).toBe(SHIPPED_FILE);
  });

  it('fails staging with its own message on create and lets production succeed', async () => {
    const { app } = await appWithWaits();
    const res = await api(app).post(keystoresPath()).set(auth()).set('X-Mock-Scenario', 'flaky-staging').send(BODY);
    expect({ status: res.status, body: res.body }).toEqual({
      status: 200,
      body: {
        success: true,
        deploymentResult: {
          success: false,
          message: 'Deployment completed with errors',
          environmentResults: [
            { environmentName: 'production', success: true, message: 'Deployed successfully' },
            {
              environmentName: 'staging',
              success: false,
              message: 'Deployment failed: environment (staging) timed out',
            },
          ],
        },
      },
    });
  });

  it('stores the keystore although staging failed', async () => {
    const { app } = await appWithWaits();
    await api(app).post(keystoresPath()).set(auth()).set('X-Mock-Scenario', 'flaky-staging').send(BODY).expect(200);
    const res = await api(app).get(keystoresPath()).set(auth()).expect(200);
    expect(res.body.resultCount).toBe(1);
  });

  it("fails staging's undeployment with the mock's own text, since the file gives none", async () => {
    const { app } = await appWithWaits();
    await api(app).post(keystoresPath()).set(auth()).send(BODY).expect(200);
    const res = await api(app)
      .delete(keystorePath('my-keystore'))
      .set(auth())
      .set('X-Mock-Scenario', 'flaky-staging')
      .expect(200);
    expect(res.body.deploymentResult.environmentResults[1]).toEqual({
      environmentName: 'staging',
      success: false,
      message: 'Undeployment failed: environment (staging) did not respond',
    });
  });

  it("takes 50 ms plus staging's 1.5 to 2.5 s, its slowest environment", async () => {
    const { app, waits } = await appWithWaits();
    await api(app).post(keystoresPath()).set(auth()).set('X-Mock-Scenario', 'flaky-staging').send(BODY).expect(200);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(1550);
    expect(waits[0]).toBeLessThanOrEqual(2550);
  });

  it('draws the same delay again with the same seed', async () => {
    const first = await appWithWaits();
    const second = await appWithWaits();
    for (const { app } of [first, second]) {
      await api(app).post(keystoresPath()).set(auth()).set('X-Mock-Scenario', 'flaky-staging').send(BODY).expect(200);
    }
    expect(second.waits).toEqual(first.waits);
  });
});
