import { ApiError } from '../../src/errors';
import { StartupError } from '../../src/fixtures/read-data-file';
import { startMockServer, type MockServer } from '../../src/server';
import type { ScenarioFile } from '../../src/scenarios/scenario';
import { api } from '../helpers/contract-request';
import { testApp, testStore } from '../helpers/world';
import { deploysUnder } from './deploys-under';

const STAGING_DOWN: ScenarioFile = {
  description: 'Staging fails.',
  deploy: { environments: { staging: { success: false } } },
};

function start(options: Parameters<typeof startMockServer>[0] = {}): Promise<MockServer> {
  return startMockServer({ logLevel: 'silent', seed: 42, ...testStore(), wait: () => Promise.resolve(), ...options });
}

describe('scenarios given in code to startMockServer', () => {
  let mock: MockServer;

  beforeAll(async () => {
    mock = await start({ scenarios: { 'staging-down': STAGING_DOWN } });
  });

  afterAll(() => mock.close());

  it('lists a code scenario with origin code', async () => {
    const res = await api(mock.url).get('/__mock/scenarios').expect(200);
    expect((res.body.scenarios as { name: string }[]).find((scenario) => scenario.name === 'staging-down')).toEqual({
      name: 'staging-down',
      description: 'Staging fails.',
      source: 'the scenarios option, staging-down',
      origin: 'code',
    });
  });

  it('applies a code scenario in every session', async () => {
    expect([await deploysUnder(mock.url, 'staging-down'), await deploysUnder(mock.url, 'staging-down', 'w1')]).toEqual([
      false,
      false,
    ]);
  });

  it('keeps a code scenario after a reset of every session', async () => {
    await mock.reset();
    expect(await deploysUnder(mock.url, 'staging-down', 'w1')).toBe(false);
  });

  it('refuses to delete a code scenario over HTTP', async () => {
    const res = await api(mock.url).delete('/__mock/scenarios/staging-down').expect(409);
    expect(res.body.error).toBe('scenario_conflict');
  });
});

describe('starting with a bad scenario in code', () => {
  it('rejects the start naming the scenario and the field', async () => {
    const starting = start({ scenarios: { broken: { deploy: { environments: { stagng: { success: false } } } } } });
    await expect(starting).rejects.toBeInstanceOf(StartupError);
    await expect(starting).rejects.toThrow(
      /^Failed to load the scenarios option, broken: deploy\.environments\.stagng names an environment that no project has\. Did you mean "staging"\?/,
    );
  });

  it('rejects a scenario that breaks the schema, naming every problem', async () => {
    const broken = { tokenExpired: 'yes', storeOnFailure: 1 } as unknown as ScenarioFile;
    await expect(start({ scenarios: { broken } })).rejects.toThrow(
      'Failed to load the scenarios option, broken: storeOnFailure must be boolean; tokenExpired must be boolean.',
    );
  });

  it('rejects a name a scenario may not have', async () => {
    await expect(start({ scenarios: { 'bad name': {} } })).rejects.toThrow(/the name "bad name" must be 1 to 100/);
  });
});

describe('a code scenario as the start-up one', () => {
  it('runs when --scenario names it', async () => {
    const { app } = await testApp({ scenario: 'staging-down' }, { scenarios: { 'staging-down': STAGING_DOWN } });
    await api(app).get('/__mock/scenario').expect(200, { active: 'staging-down' });
  });
});

describe('putScenario and deleteScenario on MockServer', () => {
  let mock: MockServer;

  beforeAll(async () => {
    mock = await start();
  });

  beforeEach(() => mock.reset());

  afterAll(() => mock.close());

  it('makes a runtime scenario in the default session that every session sees', async () => {
    expect(await mock.putScenario('staging-down', STAGING_DOWN)).toEqual({
      name: 'staging-down',
      description: 'Staging fails.',
      source: 'PUT /__mock/scenarios/staging-down',
      origin: 'runtime',
      owner: 'default',
    });
    expect(await deploysUnder(mock.url, 'staging-down', 'w1')).toBe(false);
  });

  it('makes a runtime scenario in a named session only', async () => {
    await mock.putScenario('staging-down', STAGING_DOWN, 'w1');
    expect([await deploysUnder(mock.url, 'staging-down', 'w1'), await deploysUnder(mock.url, 'staging-down')]).toEqual([
      false,
      'unknown_scenario',
    ]);
  });

  it('lets setScenario make a runtime scenario active', async () => {
    await mock.putScenario('staging-down', STAGING_DOWN, 'w1');
    await mock.setScenario('staging-down', 'w1');
    expect(await deploysUnder(mock.url, undefined, 'w1')).toBe(false);
  });

  it('rejects setScenario with unknown_scenario for a name no session made', async () => {
    await expect(mock.setScenario('no-such-scenario')).rejects.toThrow(
      expect.objectContaining({ constructor: ApiError, status: 400, code: 'unknown_scenario' }),
    );
  });

  it('removes a runtime scenario with deleteScenario', async () => {
    await mock.putScenario('staging-down', STAGING_DOWN);
    await mock.deleteScenario('staging-down');
    expect(await deploysUnder(mock.url, 'staging-down')).toBe('unknown_scenario');
  });

  it('rejects a bad scenario with invalid_scenario, naming every field', async () => {
    const broken = { latency: { perRequest: { min: 5, max: 1 } }, deploy: { default: {} } } as unknown as ScenarioFile;
    await expect(mock.putScenario('broken', broken)).rejects.toMatchObject({
      status: 400,
      code: 'invalid_scenario',
      fieldErrors: [{ field: 'deploy.default.success', message: expect.any(String) }],
    });
  });

  it('rejects deleteScenario of a name the session never made with a 404 unknown_scenario', async () => {
    await expect(mock.deleteScenario('never-made')).rejects.toMatchObject({ status: 404, code: 'unknown_scenario' });
  });

  it('keeps the stored scenario when the caller changes its object afterwards', async () => {
    const scenario: ScenarioFile = structuredClone(STAGING_DOWN);
    await mock.putScenario('staging-down', scenario);
    scenario.deploy = { default: { success: true } };
    expect(await deploysUnder(mock.url, 'staging-down')).toBe(false);
  });
});

describe('putScenario and deleteScenario on MockApp', () => {
  it('mirror the HTTP calls', async () => {
    const app = await testApp();
    await app.putScenario('staging-down', STAGING_DOWN, 'w1');
    const listed = await api(app.app).get('/__mock/scenarios').set('X-Mock-Session', 'w1').expect(200);
    expect(
      (listed.body.scenarios as { name: string; owner?: string }[]).find((s) => s.name === 'staging-down')?.owner,
    ).toBe('w1');
    await app.deleteScenario('staging-down', 'w1');
    await api(app.app).delete('/__mock/scenarios/staging-down').set('X-Mock-Session', 'w1').expect(404);
  });
});
