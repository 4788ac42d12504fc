import { startMockServer, type MockServer } from '../../src/server';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystorePath, keystoresPath, testApp } from '../helpers/world';
import { removeFixtures, temporaryFixtures } from '../scenarios/temporary-fixtures';
import { fetchChecked, fetchFailure } from './fetch-checked';

const UNRELIABLE = `description: Creates lose their answer; lists are slow; staging deployments drop.
operations:
  createKeystore:
    fault: connection-reset
  deleteKeystore:
    fault: { type: empty-reply, when: before }
  listKeystores:
    delay: { distribution: lognormal, median: 300, sigma: 0.6, max: 5000 }
faults:
  environments:
    staging: { type: empty-reply, when: before }
`;

const HEADERS = {
  Authorization: 'Bearer demo-token',
  'Content-Type': 'application/json',
  'X-Mock-Scenario': 'unreliable',
};
const STAGING = [{ environmentName: 'staging', type: 'JKS', file: '/u3+7QAAAAIAAAAB' }];

describe('a scenario with operation and environment faults, through startMockServer and fetch', () => {
  let dir: string;
  let mock: MockServer;
  const waits: number[] = [];

  beforeAll(async () => {
    dir = temporaryFixtures({ 'unreliable.yaml': UNRELIABLE });
    mock = await startMockServer({
      fixturesDir: dir,
      seed: 7,
      logLevel: 'silent',
      wait: async (ms) => void waits.push(ms),
    });
  });

  beforeEach(async () => {
    waits.splice(0);
    await mock.reset();
  });

  afterAll(async () => {
    await mock.close();
    removeFixtures(dir);
  });

  const post = (body: Record<string, unknown>, headers: Record<string, string> = HEADERS) =>
    fetch(`${mock.url}${keystoresPath()}`, { method: 'POST', headers, body: JSON.stringify(body) });

  it('resets the answer of a create and keeps the keystore, so the retry meets the duplicate', async () => {
    expect((await fetchFailure(post(aKeystore()))).cause).toBe('ECONNRESET');
    const retry = await fetchChecked(`${mock.url}${keystoresPath()}`, {
      method: 'POST',
      headers: { ...HEADERS, 'X-Mock-Scenario': 'happy' },
      body: JSON.stringify(aKeystore()),
    });
    expect(retry.status).toBe(400);
    expect((await mock.state()).MyProject?.map((keystore) => keystore.name)).toEqual(['my-keystore']);
  });

  it('breaks a delete before it runs, so the keystore stays', async () => {
    await post(aKeystore(), { ...HEADERS, 'X-Mock-Scenario': 'happy' }).then((res) => res.text());
    const failure = await fetchFailure(
      fetch(`${mock.url}${keystorePath('my-keystore')}`, { method: 'DELETE', headers: HEADERS }),
    );
    expect(failure.cause).toBe('UND_ERR_SOCKET');
    expect((await mock.state()).MyProject?.map((keystore) => keystore.name)).toEqual(['my-keystore']);
  });

  it("puts the operation's own fault before an environment's", async () => {
    const failure = await fetchFailure(
      post(aKeystore({ keyStoreEnvironmentList: STAGING }), { ...HEADERS, 'X-Mock-Scenario': 'unreliable' }),
    );
    expect(failure.cause).toBe('ECONNRESET');
    // createKeystore's fault (reset, after) is in force, not staging's (empty reply, before): the create is stored.
    expect((await mock.state()).MyProject?.map((keystore) => keystore.name)).toEqual(['my-keystore']);
  });

  it('draws the list delay from its distribution, the same with the same seed', async () => {
    const list = () => fetchChecked(`${mock.url}${keystoresPath()}`, { headers: HEADERS });
    await list();
    await list();
    const first = [...waits];
    await mock.reset();
    waits.splice(0);
    await list();
    await list();
    expect(waits).toEqual(first);
    expect(first.every((ms) => ms > 0 && ms <= 5000)).toBe(true);
  });

  it('notes the scenario fault in the journal', async () => {
    await fetchFailure(post(aKeystore()));
    const [entry] = await mock.requests({ operationId: 'createKeystore' });
    expect(entry?.notes).toEqual([
      'fault connection-reset (after, from scenario unreliable (operations.createKeystore.fault)): the connection was reset; the operation ran and its 200 answer was not sent',
    ]);
  });

  it('lets X-Mock-Fault win over the scenario’s fault', async () => {
    const res = await post(aKeystore(), { ...HEADERS, 'X-Mock-Fault': 'malformed-json' });
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toMatchObject({ name: 'SyntaxError' });
  });
});

describe('environment faults of a scenario', () => {
  let dir: string;

  beforeAll(() => {
    dir = temporaryFixtures({
      'staging-drops.yaml': 'faults:\n  environments:\n    staging: { type: empty-reply, when: before }\n',
    });
  });

  afterAll(() => removeFixtures(dir));

  it('break a create that deploys to staging before anything is stored', async () => {
    const mock = await testApp({ fixturesDir: dir });
    const failed = api(mock.app)
      .post(keystoresPath())
      .set(auth())
      .set('X-Mock-Scenario', 'staging-drops')
      .send(aKeystore({ keyStoreEnvironmentList: STAGING }));
    await expect(failed).rejects.toThrow();
    expect(await mock.state()).toEqual({ MyProject: [], OtherProject: [] });
  });

  it('leave a create to other environments alone', async () => {
    const mock = await testApp({ fixturesDir: dir });
    await api(mock.app)
      .post(keystoresPath())
      .set(auth())
      .set('X-Mock-Scenario', 'staging-drops')
      .send(aKeystore())
      .expect(200);
  });

  it('checks the scenario’s faults after the contract’s checks: a 401 stays one', async () => {
    const mock = await testApp({ fixturesDir: dir });
    await api(mock.app)
      .post(keystoresPath())
      .set('X-Mock-Scenario', 'staging-drops')
      .send(aKeystore({ keyStoreEnvironmentList: STAGING }))
      .expect(401);
  });
});

describe('scenario files with delays and faults that cannot work', () => {
  let dir: string | undefined;

  afterEach(() => {
    if (dir !== undefined) removeFixtures(dir);
    dir = undefined;
  });

  it.each([
    ['an unknown fault type', 'operations:\n  getKeystore:\n    fault: timeout\n', /operations\.getKeystore\.fault/],
    [
      'an unknown distribution',
      'latency:\n  perRequest: { distribution: pareto, min: 1, max: 2 }\n',
      /latency\.perRequest/,
    ],
    [
      'a zero median',
      'latency:\n  perRequest: { distribution: lognormal, median: 0, sigma: 1 }\n',
      /latency\.perRequest/,
    ],
    [
      'an operation range whose min exceeds its max',
      'operations:\n  getKeystore:\n    delay: { distribution: uniform, min: 9, max: 1 }\n',
      /operations\.getKeystore\.delay\.min \(9\) must not exceed operations\.getKeystore\.delay\.max \(1\)/,
    ],
    [
      'a median outside its min and max',
      'operations:\n  getKeystore:\n    delay: { distribution: lognormal, median: 900, sigma: 1, max: 500 }\n',
      /operations\.getKeystore\.delay\.median \(900\) must lie between/,
    ],
    [
      'an operationId the document does not have',
      'operations:\n  createKeystores:\n    fault: hang\n',
      /operations\.createKeystores names no operation of the served document\. Known operationIds: .*createKeystore/,
    ],
    [
      'an environment no project has',
      'faults:\n  environments:\n    stagng: hang\n',
      /faults\.environments\.stagng names an environment that no project has\. Did you mean "staging"\?/,
    ],
  ])('refuse to start with %s', async (_case, text, message) => {
    dir = temporaryFixtures({ 'bad.yaml': text });
    await expect(testApp({ fixturesDir: dir })).rejects.toThrow(message);
  });
});
