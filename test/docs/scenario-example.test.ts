import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystoresPath, testApp } from '../helpers/world';

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The annotated scenario file of the README's "Writing a scenario" section. */
function annotatedScenario(): string {
  const section = README.slice(README.indexOf('### Writing a scenario'), README.indexOf('## Sessions'));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (yaml === undefined) throw new Error('the README has no yaml example under "Writing a scenario"');
  return yaml;
}

describe('the README scenario example', () => {
  let fixtures: string;

  beforeAll(() => {
    fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'keystore-mock-scenario-'));
    fs.copyFileSync(path.join(ROOT, 'fixtures', 'world.yaml'), path.join(fixtures, 'world.yaml'));
    fs.mkdirSync(path.join(fixtures, 'scenarios'));
    fs.writeFileSync(path.join(fixtures, 'scenarios', 'flaky-staging.yaml'), annotatedScenario());
  });

  afterAll(() => fs.rmSync(fixtures, { recursive: true, force: true }));

  it('loads, and fails staging with the message it writes', async () => {
    const waits: number[] = [];
    const { app } = await testApp({ fixturesDir: fixtures }, { wait: async (ms) => void waits.push(ms) });
    const body = aKeystore({
      keyStoreEnvironmentList: [
        { environmentName: 'production', type: 'JKS', file: '/u3+7QAAAAIAAAAB' },
        { environmentName: 'staging', type: 'JKS', file: '/u3+7QAAAAIAAAAB' },
      ],
    });
    const res = await api(app).post(keystoresPath()).set(auth()).set('X-Mock-Scenario', 'flaky-staging').send(body);
    expect(res.status).toBe(200);
    expect(res.body.deploymentResult.environmentResults[1]).toEqual({
      environmentName: 'staging',
      success: false,
      message: 'Deployment failed: environment (staging) timed out',
    });
    // 50 ms per request plus staging's 1.5 to 2.5 s, the slowest of the two environments.
    expect(waits[0]).toBeGreaterThanOrEqual(1550);
    expect(waits[0]).toBeLessThanOrEqual(2550);
  });
});
