import fs from 'node:fs';
import path from 'node:path';
import { startMockServer, type MockServer } from '../../src/server';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystoresPath } from '../helpers/world';
import { removeFixtures, temporaryFixtures } from '../scenarios/temporary-fixtures';
import { capturedLogger, countEvents, nextEvent, saveByRename } from './watch-helpers';

const SHIPPED_SPEC = path.join(__dirname, '..', '..', 'openapi', 'keystore-api.yaml');
const FAILING = 'deploy:\n  default:\n    success: false\n    message: Deployment failed on {environment}\n';
const SUCCEEDING = 'description: Every deployment succeeds.\n';

function create(mock: MockServer, name: string, headers: Record<string, string> = {}) {
  return api(mock.url).post(keystoresPath()).set(auth()).set(headers).send(aKeystore({ name }));
}

async function scenarioNames(mock: MockServer): Promise<string[]> {
  const res = await api(mock.url).get('/__mock/scenarios').expect(200);
  return (res.body as { scenarios: { name: string }[] }).scenarios.map(({ name }) => name);
}

describe('startMockServer({ watch: true })', () => {
  let dir: string;
  let mock: MockServer;
  let log: ReturnType<typeof capturedLogger>;
  const scenarioFile = (name: string) => path.join(dir, 'scenarios', name);
  const worldFile = () => path.join(dir, 'world.yaml');
  const editWorld = (edit: (text: string) => string) =>
    fs.writeFileSync(worldFile(), edit(fs.readFileSync(worldFile(), 'utf8')));

  beforeEach(async () => {
    dir = temporaryFixtures({ 'switchable.yaml': SUCCEEDING });
    fs.copyFileSync(SHIPPED_SPEC, path.join(dir, 'spec.yaml'));
    log = capturedLogger();
    mock = await startMockServer({
      fixturesDir: dir,
      specPath: path.join(dir, 'spec.yaml'),
      watch: true,
      watchDebounceMs: 50,
      logger: log.logger,
    });
  });

  afterEach(async () => {
    await mock.close();
    removeFixtures(dir);
  });

  it('serves a scenario file added while it runs, keeping every session', async () => {
    await create(mock, 'kept').expect(200);
    const reloaded = nextEvent(mock, 'reload');
    fs.writeFileSync(scenarioFile('added.yaml'), FAILING);
    const event = await reloaded;
    expect(event).toMatchObject({
      changed: [{ event: 'add', file: expect.stringMatching(/scenarios[/\\]added\.yaml$/) }],
      scenarios: { added: ['added'], removed: [], changed: [] },
      projectsChanged: [],
      specChanged: false,
      storeReset: false,
    });
    expect(await scenarioNames(mock)).toContain('added');
    expect((await mock.state()).MyProject?.map(({ name }) => name)).toEqual(['kept']);
  });

  it('keeps a runtime scenario and the active scenario of a session across a reload', async () => {
    await api(mock.url)
      .put('/__mock/scenarios/made-at-runtime')
      .set('X-Mock-Session', 'worker-1')
      .send({ deploy: { default: { success: false } } })
      .expect(201);
    await api(mock.url)
      .put('/__mock/scenario')
      .set('X-Mock-Session', 'worker-1')
      .send({ name: 'made-at-runtime' })
      .expect(200);
    const reloaded = nextEvent(mock, 'reload');
    fs.writeFileSync(scenarioFile('added.yaml'), SUCCEEDING);
    expect((await reloaded).storeReset).toBe(false);
    const res = await create(mock, 'after-reload', { 'X-Mock-Session': 'worker-1' }).expect(200);
    expect(res.body.deploymentResult.success).toBe(false);
  });

  it('applies an edited scenario to the next request of a session that has it active', async () => {
    await mock.setScenario('switchable');
    const reloaded = nextEvent(mock, 'reload');
    fs.writeFileSync(scenarioFile('switchable.yaml'), FAILING);
    expect((await reloaded).scenarios.changed).toEqual(['switchable']);
    const res = await create(mock, 'after-edit').expect(200);
    expect(res.body.deploymentResult.success).toBe(false);
  });

  it('reloads a file saved by writing a temporary file and renaming it over the old one', async () => {
    const reloaded = nextEvent(mock, 'reload');
    saveByRename(scenarioFile('switchable.yaml'), FAILING);
    const event = await reloaded;
    expect(event.changed).toEqual([{ event: 'change', file: expect.stringMatching(/switchable\.yaml$/) }]);
    expect(event.scenarios.changed).toEqual(['switchable']);
  });

  it('forgets a deleted scenario file', async () => {
    const reloaded = nextEvent(mock, 'reload');
    fs.rmSync(scenarioFile('switchable.yaml'));
    expect((await reloaded).scenarios.removed).toEqual(['switchable']);
    expect(await scenarioNames(mock)).not.toContain('switchable');
  });

  it('runs the start-up scenario in a session whose active scenario file was deleted, with a warn line', async () => {
    await mock.setScenario('switchable', 'worker-1');
    const reloaded = nextEvent(mock, 'reload');
    fs.rmSync(scenarioFile('switchable.yaml'));
    await reloaded;
    const active = await api(mock.url).get('/__mock/scenario').set('X-Mock-Session', 'worker-1').expect(200);
    expect(active.body.active).toBe('happy');
    const res = await create(mock, 'after-delete', { 'X-Mock-Session': 'worker-1' }).expect(200);
    expect(res.body.deploymentResult.success).toBe(true);
    expect(log.lines).toContainEqual(
      expect.objectContaining({ level: 40, removed: ['switchable'], msg: expect.stringContaining('"happy"') }),
    );
  });

  it('makes one reload of a burst of writes', async () => {
    const counts = countEvents(mock);
    const burst = nextEvent(mock, 'reload');
    for (let index = 0; index < 5; index += 1) {
      fs.writeFileSync(scenarioFile('burst.yaml'), `description: write number ${index}\n`);
    }
    expect((await burst).changed.map(({ file }) => path.basename(file))).toEqual(['burst.yaml']);
    // A later, separate write is the second reload: had the burst been split, it would be the third.
    const marker = nextEvent(mock, 'reload');
    fs.writeFileSync(scenarioFile('marker.yaml'), SUCCEEDING);
    expect((await marker).changed.map(({ file }) => path.basename(file))).toEqual(['marker.yaml']);
    expect(counts).toEqual({ reload: 2, reloadError: 0 });
  });

  it('keeps the store when world.yaml changes no project, and says so in the log', async () => {
    await create(mock, 'kept').expect(200);
    const reloaded = nextEvent(mock, 'reload');
    editWorld((text) => text.replace('Staging gateway for release tests', 'Staging gateway, renamed'));
    expect(await reloaded).toMatchObject({ projectsChanged: ['MyProject', 'OtherProject'], storeReset: false });
    expect((await mock.state()).MyProject?.map(({ name }) => name)).toEqual(['kept']);
    const environments = await api(mock.url).get('/apiops/environments/MyProject').set(auth()).expect(200);
    expect(JSON.stringify(environments.body)).toContain('Staging gateway, renamed');
    expect(log.lines).toContainEqual(expect.objectContaining({ msg: 'fixtures reloaded', store: 'kept' }));
  });

  it('resets the store, with a warn line naming the project, when world.yaml adds a project', async () => {
    await create(mock, 'dropped').expect(200);
    await create(mock, 'dropped-too', { 'X-Mock-Session': 'worker-1' }).expect(200);
    const reloaded = nextEvent(mock, 'reload');
    editWorld((text) =>
      text.replace(
        '\n# Bearer tokens',
        '  - name: Billing\n    id: 64f0c0ffee00000000000003\n    environments: *environments\n\n# Bearer tokens',
      ),
    );
    const event = await reloaded;
    expect(event).toMatchObject({ storeReset: true, storeResetReasons: ['project "Billing" was added'] });
    expect([(await mock.state()).MyProject, (await mock.state('worker-1')).MyProject]).toEqual([[], []]);
    await api(mock.url).get(keystoresPath('Billing')).set(auth()).expect(200);
    expect(log.lines).toContainEqual(
      expect.objectContaining({ level: 40, msg: expect.stringMatching(/^store reset: .*project "Billing" was added/) }),
    );
  });

  it('serves the new spec after the --spec file changes', async () => {
    const reloaded = nextEvent(mock, 'reload');
    const spec = path.join(dir, 'spec.yaml');
    fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace(/^ {2}title: .*$/m, '  title: Reloaded keystore API'));
    expect(await reloaded).toMatchObject({ specChanged: true, storeReset: false });
    const served = await api(mock.url).get('/__mock/openapi.json').expect(200);
    expect(served.body.info.title).toBe('Reloaded keystore API');
  });

  it.each<[string, () => string, string, RegExp]>([
    [
      'a YAML syntax error in a scenario',
      () => scenarioFile('switchable.yaml'),
      'deploy: [\n',
      /switchable\.yaml at line \d+/,
    ],
    [
      'a field of the wrong type in a scenario',
      () => scenarioFile('switchable.yaml'),
      'tokenExpired: 1\n',
      /switchable\.yaml: tokenExpired must be boolean/,
    ],
    [
      'an environment no project has',
      () => scenarioFile('switchable.yaml'),
      'deploy:\n  environments:\n    nowhere:\n      success: false\n',
      /nowhere/,
    ],
    [
      'a YAML syntax error in world.yaml',
      () => path.join(dir, 'world.yaml'),
      'projects: [\n',
      /world\.yaml at line \d+/,
    ],
    [
      'a spec that is not OpenAPI 3',
      () => path.join(dir, 'spec.yaml'),
      'swagger: "2.0"\n',
      /spec\.yaml: openapi must be/,
    ],
  ])(
    'keeps the last good configuration after %s, then reloads the next good write',
    async (_case, file, text, message) => {
      await create(mock, 'kept').expect(200);
      const good = fs.readFileSync(file(), 'utf8');
      const failed = nextEvent(mock, 'reloadError');
      fs.writeFileSync(file(), text);
      const { error } = await failed;
      expect(error.message).toMatch(message);
      expect(log.lines).toContainEqual(expect.objectContaining({ level: 50, msg: expect.stringMatching(message) }));
      expect(await scenarioNames(mock)).toContain('switchable');
      expect((await mock.state()).MyProject?.map(({ name }) => name)).toEqual(['kept']);

      const reloaded = nextEvent(mock, 'reload');
      fs.writeFileSync(file(), good);
      expect((await reloaded).storeReset).toBe(false);
      expect((await mock.state()).MyProject?.map(({ name }) => name)).toEqual(['kept']);
    },
  );

  it('goes on reloading after several invalid writes in a row', async () => {
    for (const broken of ['deploy: [\n', 'tokenExpired: 1\n']) {
      const failed = nextEvent(mock, 'reloadError');
      fs.writeFileSync(scenarioFile('switchable.yaml'), broken);
      await failed;
    }
    const reloaded = nextEvent(mock, 'reload');
    fs.writeFileSync(scenarioFile('switchable.yaml'), FAILING);
    expect((await reloaded).scenarios.changed).toEqual(['switchable']);
  });
});

describe('startMockServer({ watch: true }) with requests in flight', () => {
  let dir: string;
  let mock: MockServer;
  /** Deployments wait here until the test lets them go. */
  let held: { started: Promise<void>; release: () => void };

  function holdDeployments(): void {
    let started!: () => void;
    let release!: () => void;
    const startedPromise = new Promise<void>((resolve) => (started = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    held = { started: startedPromise, release };
    gate = () => {
      started();
      return released;
    };
  }
  let gate: () => Promise<void> = () => Promise.resolve();

  beforeEach(async () => {
    dir = temporaryFixtures({ 'slow.yaml': 'latency:\n  perEnvironment: 5\n' });
    mock = await startMockServer({
      fixturesDir: dir,
      scenario: 'slow',
      watch: true,
      watchDebounceMs: 50,
      wait: () => gate(),
    });
  });

  afterEach(async () => {
    await mock.close();
    removeFixtures(dir);
  });

  it('finishes a request in flight on the configuration it started with, and serves the next on the new one', async () => {
    holdDeployments();
    const inFlight = create(mock, 'started-before').then((res) => res);
    await held.started;
    const reloaded = nextEvent(mock, 'reload');
    fs.writeFileSync(path.join(dir, 'scenarios', 'slow.yaml'), `latency:\n  perEnvironment: 5\n${FAILING}`);
    await reloaded;
    gate = () => Promise.resolve();
    held.release();
    expect((await inFlight).body.deploymentResult.success).toBe(true);
    expect((await create(mock, 'started-after')).body.deploymentResult.success).toBe(false);
  });

  it('finishes a request in flight when a reload resets the store', async () => {
    holdDeployments();
    const inFlight = create(mock, 'started-before').then((res) => res);
    await held.started;
    const reloaded = nextEvent(mock, 'reload');
    const world = path.join(dir, 'world.yaml');
    fs.writeFileSync(
      world,
      fs
        .readFileSync(world, 'utf8')
        .replace('- token: demo-token', '- token: new-token\n    roles: []\n  - token: demo-token'),
    );
    expect(await reloaded).toMatchObject({ storeReset: true, storeResetReasons: ['the tokens changed'] });
    gate = () => Promise.resolve();
    held.release();
    expect((await inFlight).status).toBe(200);
    expect((await mock.state()).MyProject).toEqual([]);
  });
});

describe('a journal stream open during a reload', () => {
  it('ends at the swap, so its client reconnects to the new build', async () => {
    const dir = temporaryFixtures({});
    const mock = await startMockServer({ fixturesDir: dir, watch: true, watchDebounceMs: 50 });
    try {
      const response = await fetch(`${mock.url}/__mock/requests/stream`);
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      await reader.read(); // the stream's opening (retry:) proves it is being served
      const reloaded = nextEvent(mock, 'reload');
      fs.writeFileSync(path.join(dir, 'scenarios', 'added.yaml'), SUCCEEDING);
      await reloaded;
      let ended = false;
      while (!ended) ended = (await reader.read()).done;
      expect(ended).toBe(true);
    } finally {
      await mock.close();
      removeFixtures(dir);
    }
  });
});

describe('startMockServer({ watch: true, watchPoll: true })', () => {
  it('reloads a changed file by polling', async () => {
    const dir = temporaryFixtures({});
    const mock = await startMockServer({ fixturesDir: dir, watch: true, watchPoll: true, watchDebounceMs: 50 });
    try {
      const reloaded = nextEvent(mock, 'reload');
      fs.writeFileSync(path.join(dir, 'scenarios', 'polled.yaml'), SUCCEEDING);
      expect((await reloaded).scenarios.added).toEqual(['polled']);
    } finally {
      await mock.close();
      removeFixtures(dir);
    }
  });
});
