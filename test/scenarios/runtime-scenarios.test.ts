import type { Express } from 'express';
import { api } from '../helpers/contract-request';
import { testApp } from '../helpers/world';
import { deploysUnder } from './deploys-under';

const STAGING_DOWN = {
  description: 'Staging fails.',
  deploy: { environments: { staging: { success: false, message: 'staging is down' } } },
};

function put(app: Express, name: string, body: unknown, session?: string) {
  const call = api(app)
    .put(`/__mock/scenarios/${name}`)
    .send(body as object);
  return session === undefined ? call : call.set('X-Mock-Session', session);
}

function remove(app: Express, name: string, session?: string) {
  const call = api(app).delete(`/__mock/scenarios/${name}`);
  return session === undefined ? call : call.set('X-Mock-Session', session);
}

async function listed(app: Express, session?: string): Promise<Record<string, unknown>[]> {
  const call = api(app).get('/__mock/scenarios');
  const res = await (session === undefined ? call : call.set('X-Mock-Session', session)).expect(200);
  return res.body.scenarios as Record<string, unknown>[];
}

describe('making and removing scenarios at run time over HTTP', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp());
  });

  it('makes a scenario with 201 and answers it as listed', async () => {
    const res = await put(app, 'staging-down', STAGING_DOWN).expect(201);
    expect(res.body).toEqual({
      name: 'staging-down',
      description: 'Staging fails.',
      source: 'PUT /__mock/scenarios/staging-down',
      origin: 'runtime',
      owner: 'default',
    });
  });

  it('replaces the session own scenario of the same name with 200', async () => {
    await put(app, 'staging-down', STAGING_DOWN).expect(201);
    const res = await put(app, 'staging-down', { description: 'Now calm.' }).expect(200);
    expect(res.body.description).toBe('Now calm.');
    expect(await deploysUnder(app, 'staging-down')).toBe(true);
  });

  it('applies a runtime scenario chosen by X-Mock-Scenario', async () => {
    await put(app, 'staging-down', STAGING_DOWN).expect(201);
    expect(await deploysUnder(app, 'staging-down')).toBe(false);
  });

  it('applies a runtime scenario made active with PUT /__mock/scenario', async () => {
    await put(app, 'staging-down', STAGING_DOWN).expect(201);
    await api(app).put('/__mock/scenario').send({ name: 'staging-down' }).expect(200, { active: 'staging-down' });
    expect(await deploysUnder(app, undefined)).toBe(false);
  });

  it('lists a runtime scenario with its origin and owner beside the files, sorted by name', async () => {
    await put(app, 'staging-down', STAGING_DOWN).expect(201);
    const scenarios = await listed(app);
    expect(scenarios.find((scenario) => scenario.name === 'staging-down')).toEqual({
      name: 'staging-down',
      description: 'Staging fails.',
      source: 'PUT /__mock/scenarios/staging-down',
      origin: 'runtime',
      owner: 'default',
    });
    const names = scenarios.map((scenario) => scenario.name);
    expect(names).toEqual([...names].sort((a, b) => String(a).localeCompare(String(b))));
  });

  it('deletes a runtime scenario, after which its name is unknown', async () => {
    await put(app, 'staging-down', STAGING_DOWN).expect(201);
    await remove(app, 'staging-down').expect(200, { deleted: 'staging-down' });
    expect(await deploysUnder(app, 'staging-down')).toBe('unknown_scenario');
  });

  it('answers 404 unknown_scenario to the delete of a name the session never made', async () => {
    const res = await remove(app, 'never-made').expect(404);
    expect(res.body).toEqual({
      error: 'unknown_scenario',
      error_description:
        'Session "default" has no runtime scenario "never-made"; GET /__mock/scenarios lists the scenarios it sees.',
    });
  });

  it('puts a session whose active scenario is deleted back on the start-up scenario', async () => {
    await put(app, 'staging-down', STAGING_DOWN).expect(201);
    await api(app).put('/__mock/scenario').send({ name: 'staging-down' }).expect(200);
    await remove(app, 'staging-down').expect(200);
    await api(app).get('/__mock/scenario').expect(200, { active: 'happy' });
    expect(await deploysUnder(app, undefined)).toBe(true);
  });

  it.each([
    ['put', (target: Express) => put(target, 'happy', STAGING_DOWN)],
    ['delete', (target: Express) => remove(target, 'happy')],
  ])('refuses to %s the shipped happy with 409 scenario_conflict', async (_action, call) => {
    const res = await call(app).expect(409);
    expect(res.body).toEqual({
      error: 'scenario_conflict',
      error_description: expect.stringMatching(
        /^Scenario "happy" is a built-in scenario \(fixtures[/\\]scenarios[/\\]happy\.yaml\); a runtime scenario can neither replace nor delete it\./,
      ),
    });
    expect(await deploysUnder(app, 'happy')).toBe(true);
  });

  it('refuses a name the path pattern forbids', async () => {
    const res = await put(app, '.hidden', STAGING_DOWN).expect(400);
    expect(res.body.error).toBe('validation_failed');
  });
});

const INVALID: [string, unknown, string][] = [
  ['a deploy outcome that is not a boolean', { deploy: { default: { success: 'maybe' } } }, 'deploy.default.success'],
  ['an unknown field', { latencyMs: 5 }, 'latencyMs'],
  ['a name that differs from the path', { name: 'other' }, 'name'],
  [
    'a latency range whose min exceeds its max',
    { latency: { perRequest: { min: 9, max: 1 } } },
    'latency.perRequest.min',
  ],
  [
    'an environment no project has',
    { deploy: { environments: { stagng: { success: false } } } },
    'deploy.environments.stagng',
  ],
  [
    'a canned response for an operation the document lacks',
    { responses: { fetchEverything: { status: 500, body: { error: 'x', error_description: 'y' } } } },
    'responses.fetchEverything',
  ],
  [
    'a canned response whose body breaks the document',
    { responses: { listKeystores: { status: 200, body: { nope: true } } } },
    'responses.listKeystores',
  ],
];

describe('checking a scenario made at run time as a file is checked', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp());
  });

  it.each(INVALID)('refuses %s with 400 invalid_scenario naming the field', async (_case, body, field) => {
    const res = await put(app, 'broken', body).expect(400);
    expect(res.body.error).toBe('invalid_scenario');
    expect(res.body.error_description).toMatch(`Scenario "broken" was not stored, nothing changed: ${field} `);
    expect(res.body.validation_errors).toContainEqual({ field, message: expect.any(String) });
  });

  it('names every problem with its field at once', async () => {
    const res = await put(app, 'broken', {
      deploy: { environments: { stagng: { success: false } } },
      undeploy: { environments: { prodution: { success: false } } },
    }).expect(400);
    expect(res.body.validation_errors.map((problem: { field: string }) => problem.field)).toEqual([
      'deploy.environments.stagng',
      'undeploy.environments.prodution',
    ]);
  });

  it('suggests the closest environment, as at start', async () => {
    const res = await put(app, 'broken', { deploy: { environments: { stagng: { success: false } } } }).expect(400);
    expect(res.body.validation_errors[0].message).toMatch('Did you mean "staging"?');
  });

  it('stores nothing when the scenario is refused', async () => {
    await put(app, 'broken', INVALID[0]?.[1]).expect(400);
    expect((await listed(app)).map((scenario) => scenario.name)).not.toContain('broken');
  });

  it('refuses a body that is not a JSON object', async () => {
    const res = await api(app).put('/__mock/scenarios/broken').set('Content-Type', 'application/json').send('[1]');
    expect(res.status).toBe(400);
  });
});

describe('runtime scenarios and sessions', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp());
  });

  it('keeps a scenario made in a named session to that session', async () => {
    await put(app, 'staging-down', STAGING_DOWN, 'w1').expect(201);
    expect([
      await deploysUnder(app, 'staging-down', 'w1'),
      await deploysUnder(app, 'staging-down', 'w2'),
      await deploysUnder(app, 'staging-down'),
    ]).toEqual([false, 'unknown_scenario', 'unknown_scenario']);
  });

  it('lists a named session own scenario with that session as owner, and only there', async () => {
    await put(app, 'staging-down', STAGING_DOWN, 'w1').expect(201);
    const owners = async (session?: string) =>
      (await listed(app, session)).filter((scenario) => scenario.name === 'staging-down').map((s) => s.owner);
    expect([await owners('w1'), await owners('w2'), await owners()]).toEqual([['w1'], [], []]);
  });

  it('shows a scenario made in the default session to every session', async () => {
    await put(app, 'staging-down', STAGING_DOWN).expect(201);
    expect(await deploysUnder(app, 'staging-down', 'w1')).toBe(false);
    expect((await listed(app, 'w1')).find((scenario) => scenario.name === 'staging-down')?.owner).toBe('default');
  });

  it('lets a session own scenario shadow the default session one of the same name for that session only', async () => {
    await put(app, 'staging', STAGING_DOWN).expect(201);
    await put(app, 'staging', { description: 'Calm here.' }, 'w1').expect(201);
    expect([
      await deploysUnder(app, 'staging', 'w1'),
      await deploysUnder(app, 'staging', 'w2'),
      await deploysUnder(app, 'staging'),
    ]).toEqual([true, false, false]);
    expect((await listed(app, 'w1')).filter((scenario) => scenario.name === 'staging')).toEqual([
      expect.objectContaining({ description: 'Calm here.', owner: 'w1' }),
    ]);
  });

  it('refuses to delete the default session scenario from another session, naming its owner', async () => {
    await put(app, 'staging-down', STAGING_DOWN).expect(201);
    const res = await remove(app, 'staging-down', 'w1').expect(404);
    expect(res.body.error_description).toBe(
      'Session "w1" has no runtime scenario "staging-down": the one it sees belongs to session "default"; delete it there.',
    );
    expect(await deploysUnder(app, 'staging-down', 'w1')).toBe(false);
  });

  it('puts a session back on the start-up scenario when the default session scenario it had active is deleted', async () => {
    await put(app, 'staging-down', STAGING_DOWN).expect(201);
    await api(app).put('/__mock/scenario').set('X-Mock-Session', 'w1').send({ name: 'staging-down' }).expect(200);
    await remove(app, 'staging-down').expect(200);
    await api(app).get('/__mock/scenario').set('X-Mock-Session', 'w1').expect(200, { active: 'happy' });
    expect(await deploysUnder(app, undefined, 'w1')).toBe(true);
  });

  it('forgets a session runtime scenarios when that session is reset, and keeps the others', async () => {
    await put(app, 'mine', STAGING_DOWN, 'w1').expect(201);
    await put(app, 'shared', STAGING_DOWN).expect(201);
    await api(app).post('/__mock/reset?session=w1').expect(200);
    expect([await deploysUnder(app, 'mine', 'w1'), await deploysUnder(app, 'shared', 'w1')]).toEqual([
      'unknown_scenario',
      false,
    ]);
  });

  it('forgets the default session scenarios for every session when the default session is reset', async () => {
    await put(app, 'shared', STAGING_DOWN).expect(201);
    await api(app).post('/__mock/reset?session=default').expect(200);
    expect(await deploysUnder(app, 'shared', 'w1')).toBe('unknown_scenario');
  });

  it('forgets every runtime scenario on a reset of all sessions', async () => {
    await put(app, 'mine', STAGING_DOWN, 'w1').expect(201);
    await put(app, 'shared', STAGING_DOWN).expect(201);
    await api(app).post('/__mock/reset').expect(200);
    expect([await deploysUnder(app, 'mine', 'w1'), await deploysUnder(app, 'shared')]).toEqual([
      'unknown_scenario',
      'unknown_scenario',
    ]);
  });

  it('exports a runtime active scenario and imports it back', async () => {
    await put(app, 'staging-down', STAGING_DOWN, 'w1').expect(201);
    await api(app).put('/__mock/scenario').set('X-Mock-Session', 'w1').send({ name: 'staging-down' }).expect(200);
    const exported = await api(app).get('/__mock/state').set('X-Mock-Session', 'w1').expect(200);
    expect(exported.body.activeScenario).toBe('staging-down');
    await api(app).put('/__mock/scenario').set('X-Mock-Session', 'w1').send({ name: 'happy' }).expect(200);
    await api(app).put('/__mock/state').set('X-Mock-Session', 'w1').send(exported.body).expect(200);
    await api(app).get('/__mock/scenario').set('X-Mock-Session', 'w1').expect(200, { active: 'staging-down' });
  });

  it('refuses to import a runtime active scenario into a session that does not see it', async () => {
    await put(app, 'staging-down', STAGING_DOWN, 'w1').expect(201);
    await api(app).put('/__mock/scenario').set('X-Mock-Session', 'w1').send({ name: 'staging-down' }).expect(200);
    const exported = await api(app).get('/__mock/state').set('X-Mock-Session', 'w1').expect(200);
    const res = await api(app).put('/__mock/state').set('X-Mock-Session', 'w2').send(exported.body).expect(400);
    expect(res.body.validation_errors).toContainEqual({
      field: 'activeScenario',
      message: expect.stringMatching(/^is not a known scenario/),
    });
  });
});

describe('runtime scenarios and session eviction', () => {
  it('drops an evicted session runtime scenarios with it', async () => {
    let now = 1_000_000;
    const { app } = await testApp({ maxSessions: 2, sessionIdleMs: 1_000 }, { clock: () => now });
    await put(app, 'mine', STAGING_DOWN, 'w1').expect(201);
    now += 5_000;
    await api(app).get('/__mock/scenario').set('X-Mock-Session', 'w2').expect(200);
    now += 5_000;
    const res = await api(app).get('/__mock/scenarios').set('X-Mock-Session', 'w1').expect(200);
    expect(res.headers['x-mock-session-evicted']).toBe('true');
    expect((res.body.scenarios as { name: string }[]).map((scenario) => scenario.name)).not.toContain('mine');
  });
});
