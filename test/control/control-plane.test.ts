import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { api } from '../helpers/contract-request';
import { testApp } from '../helpers/world';

const BUILT_IN = [
  'deploy-failure',
  'flaky-staging',
  'happy',
  'partial-deploy-failure',
  'server-error',
  'slow-deploy',
  'token-expired',
];
const PRODUCT_DOCUMENT = path.join(__dirname, '..', '..', 'openapi', 'keystore-api.yaml');

describe('GET /__mock/health', () => {
  it('reports that the mock is up, with its version, uptime, scenarios and sessions', async () => {
    const { app } = await testApp();
    const res = await api(app).get('/__mock/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      uptimeSeconds: expect.any(Number),
      scenario: 'happy',
      startupScenario: 'happy',
      store: { kind: expect.stringMatching(/^(memory|redis)$/), ok: true },
      sessions: { live: 1, max: 1000, idleMs: 60_000, evicted: 0, refused: 0 },
    });
  });

  it('reports the scenario the default session made active, and the start-up one beside it', async () => {
    const { app } = await testApp({ scenario: 'slow-deploy' });
    await api(app).put('/__mock/scenario').send({ name: 'happy' }).expect(200);
    const res = await api(app).get('/__mock/health').expect(200);
    expect({ scenario: res.body.scenario, startupScenario: res.body.startupScenario }).toEqual({
      scenario: 'happy',
      startupScenario: 'slow-deploy',
    });
  });

  it.each([
    ['the X-Mock-Session header', { 'X-Mock-Session': 'worker-1' }, '/__mock/health'],
    ['the session query parameter', {}, '/__mock/health?session=worker-1'],
  ])('reports the active scenario of the session named by %s', async (_how, headers, url) => {
    const { app } = await testApp();
    await api(app).put('/__mock/scenario?session=worker-1').send({ name: 'deploy-failure' }).expect(200);
    const res = await api(app).get(url).set(headers).expect(200);
    expect(res.body.scenario).toBe('deploy-failure');
  });

  it("does not let one session's active scenario show in another session's health", async () => {
    const { app } = await testApp();
    await api(app).put('/__mock/scenario?session=worker-1').send({ name: 'deploy-failure' }).expect(200);
    const res = await api(app).get('/__mock/health?session=worker-2').expect(200);
    expect(res.body.scenario).toBe('happy');
  });

  it('reports the start-up scenario for a session that does not exist, without creating it', async () => {
    const { app } = await testApp({ scenario: 'slow-deploy' });
    const res = await api(app).get('/__mock/health?session=never-used').expect(200);
    expect({ scenario: res.body.scenario, live: res.body.sessions.live }).toEqual({ scenario: 'slow-deploy', live: 1 });
  });

  it('measures uptime with the injected clock', async () => {
    let now = 1_000_000;
    const { app } = await testApp({}, { clock: () => now });
    now += 2_500;
    const res = await api(app).get('/__mock/health').expect(200);
    expect(res.body.uptimeSeconds).toBe(2.5);
  });
});

describe('GET /__mock/scenarios', () => {
  it('lists the built-in scenarios by name with a description and their source file', async () => {
    const { app } = await testApp();
    const res = await api(app).get('/__mock/scenarios').expect(200);
    expect(res.body.scenarios).toEqual(
      BUILT_IN.map((name) => ({
        name,
        description: expect.stringMatching(/\S/),
        source: expect.stringMatching(new RegExp(`scenarios[/\\\\]${name}\\.yaml$`)),
        origin: 'built-in',
      })),
    );
  });

  it('names the active and start-up scenarios of the session', async () => {
    const { app } = await testApp({ scenario: 'slow-deploy' });
    await api(app).put('/__mock/scenario?session=worker-1').send({ name: 'server-error' }).expect(200);
    const res = await api(app).get('/__mock/scenarios?session=worker-1').expect(200);
    expect({ active: res.body.active, startup: res.body.startup }).toEqual({
      active: 'server-error',
      startup: 'slow-deploy',
    });
  });
});

describe('GET and PUT /__mock/scenario', () => {
  it('shows the start-up scenario as active until one is set', async () => {
    const { app } = await testApp({ scenario: 'token-expired' });
    await api(app).get('/__mock/scenario').expect(200, { active: 'token-expired' });
  });

  it('answers PUT with the scenario now active', async () => {
    const { app } = await testApp();
    await api(app).put('/__mock/scenario').send({ name: 'server-error' }).expect(200, { active: 'server-error' });
  });

  it('shows the scenario set by PUT', async () => {
    const { app } = await testApp();
    await api(app).put('/__mock/scenario').send({ name: 'server-error' }).expect(200);
    await api(app).get('/__mock/scenario').expect(200, { active: 'server-error' });
  });

  it('answers a PUT without a name with 400 validation_failed', async () => {
    const { app } = await testApp();
    const res = await api(app).put('/__mock/scenario').send({}).expect(400);
    expect(res.body.error).toBe('validation_failed');
  });
});

describe('GET /__mock/openapi.json', () => {
  it('serves the product API document', async () => {
    const { app } = await testApp();
    const res = await api(app).get('/__mock/openapi.json').expect(200);
    expect(res.body).toEqual(yaml.load(fs.readFileSync(PRODUCT_DOCUMENT, 'utf8')));
  });
});

describe('the control plane routes', () => {
  it('answers an unknown control path with 404 not_found', async () => {
    const { app } = await testApp();
    const res = await api(app).get('/__mock/nothing-here').expect(404);
    expect(res.body.error).toBe('not_found');
  });

  it('answers a known control path with another method with 405 and an Allow header', async () => {
    const { app } = await testApp();
    const res = await api(app).delete('/__mock/health').expect(405);
    expect({ error: res.body.error, allow: res.headers.allow }).toEqual({
      error: 'method_not_allowed',
      allow: 'GET, HEAD, OPTIONS',
    });
  });

  it('answers a session id with forbidden characters with 400', async () => {
    const { app } = await testApp();
    await api(app).get('/__mock/state').set('X-Mock-Session', 'no spaces!').expect(400);
  });
});
