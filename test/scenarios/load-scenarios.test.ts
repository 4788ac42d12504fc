import fs from 'node:fs';
import path from 'node:path';
import { StartupError } from '../../src/fixtures/read-data-file';
import { loadScenarios } from '../../src/scenarios/load-scenarios';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystoresPath, testApp } from '../helpers/world';
import { removeFixtures, temporaryFixtures } from './temporary-fixtures';

const SHIPPED = fs
  .readdirSync(path.join(__dirname, '..', '..', 'fixtures', 'scenarios'))
  .map((file) => file.replace(/\.ya?ml$/, ''))
  .sort();

const TWO_ENVIRONMENTS = [
  { environmentName: 'production', type: 'JKS', file: '/u3+7QAAAAIAAAAB' },
  { environmentName: 'staging', type: 'JKS', file: '/u3+7QAAAAIAAAAB' },
];

describe('loading the built-in scenarios beside your own', () => {
  let dir: string | undefined;

  afterEach(() => {
    if (dir !== undefined) removeFixtures(dir);
    dir = undefined;
  });

  it('keeps every built-in scenario when your fixtures folder has no scenarios', () => {
    dir = temporaryFixtures({});
    fs.rmSync(path.join(dir, 'scenarios'), { recursive: true });
    expect([...loadScenarios(dir, { builtins: true }).keys()]).toEqual(SHIPPED);
  });

  it('keeps every built-in scenario beside your own, sorted by name', () => {
    dir = temporaryFixtures({ 'calm.yaml': 'description: Nothing happens.\n' });
    expect([...loadScenarios(dir, { builtins: true }).keys()]).toEqual([...SHIPPED, 'calm'].sort());
  });

  it('loads the built-in scenarios when no options are given', () => {
    dir = temporaryFixtures({});
    expect([...loadScenarios(dir).keys()]).toEqual(SHIPPED);
  });

  it('records where each scenario came from', () => {
    dir = temporaryFixtures({
      'calm.yaml': 'description: Nothing happens.\n',
      'slow-deploy.yaml': 'description: Not so slow.\nlatency:\n  perEnvironment: 10\n',
    });
    const scenarios = loadScenarios(dir, { builtins: true });
    const where = (name: string) => {
      const scenario = scenarios.get(name);
      return { source: scenario?.source, origin: scenario?.origin };
    };
    expect([where('calm'), where('slow-deploy'), where('happy')]).toEqual([
      {
        source: expect.stringMatching(/keystore-mock-fixtures-[^/\\]+[/\\]scenarios[/\\]calm\.yaml$/),
        origin: 'custom',
      },
      {
        source: expect.stringMatching(/keystore-mock-fixtures-[^/\\]+[/\\]scenarios[/\\]slow-deploy\.yaml$/),
        origin: 'override',
      },
      { source: expect.stringMatching(/^fixtures[/\\]scenarios[/\\]happy\.yaml$/), origin: 'built-in' },
    ]);
  });

  it('lets a file of the same name override a built-in scenario', () => {
    dir = temporaryFixtures({ 'slow-deploy.yaml': 'description: Not so slow.\nlatency:\n  perEnvironment: 10\n' });
    expect(loadScenarios(dir, { builtins: true }).get('slow-deploy')?.latency).toEqual({ perEnvironment: 10 });
  });

  it('leaves the built-in scenarios out on request, except happy', () => {
    dir = temporaryFixtures({ 'calm.yaml': 'description: Nothing happens.\n' });
    const scenarios = loadScenarios(dir, { builtins: false });
    expect([...scenarios.keys()]).toEqual(['calm', 'happy']);
    expect(scenarios.get('happy')?.origin).toBe('built-in');
  });

  it('lets your own happy replace the built-in one when the built-ins are left out', () => {
    dir = temporaryFixtures({ 'happy.yaml': 'description: My own happy.\n' });
    const happy = loadScenarios(dir, { builtins: false }).get('happy');
    expect({ description: happy?.description, origin: happy?.origin }).toEqual({
      description: 'My own happy.',
      origin: 'override',
    });
  });

  it('loads the shipped folder once, as built-in, when it is your fixtures folder too', () => {
    const scenarios = loadScenarios(path.join(__dirname, '..', '..', 'fixtures'), { builtins: true });
    expect([...scenarios.values()].map((scenario) => scenario.origin)).toEqual(SHIPPED.map(() => 'built-in'));
  });

  it('still refuses two files of one name in your own folder', () => {
    dir = temporaryFixtures({ 'calm.yaml': 'description: a\n', 'calm.json': '{"description": "b"}' });
    expect(() => loadScenarios(dir as string, { builtins: true })).toThrow(StartupError);
    expect(() => loadScenarios(dir as string, { builtins: true })).toThrow(/calm.*already defined/);
  });

  it('answers a built-in scenario over HTTP when the fixtures folder holds only world.yaml', async () => {
    dir = temporaryFixtures({});
    fs.rmSync(path.join(dir, 'scenarios'), { recursive: true });
    const { app } = await testApp({ fixturesDir: dir });
    const res = await api(app)
      .post(keystoresPath())
      .set(auth())
      .set('X-Mock-Scenario', 'partial-deploy-failure')
      .send(aKeystore({ keyStoreEnvironmentList: TWO_ENVIRONMENTS }))
      .expect(200);
    expect(res.body.deploymentResult.success).toBe(false);
  });

  it('answers unknown_scenario for a built-in one when the built-ins are left out', async () => {
    dir = temporaryFixtures({});
    const { app } = await testApp({ fixturesDir: dir, builtinScenarios: false });
    const res = await api(app).get(keystoresPath()).set(auth()).set('X-Mock-Scenario', 'slow-deploy').expect(400);
    expect(res.body.error_description).toBe('Unknown scenario "slow-deploy". Known scenarios: happy.');
  });

  it('lists an overriding scenario in GET /__mock/scenarios with its own file', async () => {
    dir = temporaryFixtures({ 'slow-deploy.yaml': 'description: Not so slow.\n' });
    const { app } = await testApp({ fixturesDir: dir });
    const res = await api(app).get('/__mock/scenarios').expect(200);
    const listed = (res.body.scenarios as { name: string }[]).find((scenario) => scenario.name === 'slow-deploy');
    expect(listed).toEqual({
      name: 'slow-deploy',
      description: 'Not so slow.',
      source: expect.stringMatching(/keystore-mock-fixtures-[^/\\]+[/\\]scenarios[/\\]slow-deploy\.yaml$/),
      origin: 'override',
    });
  });
});
