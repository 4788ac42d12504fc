import fs from 'node:fs';
import path from 'node:path';
import { startMockServer, type MockServer } from '../../src/server';
import { api } from '../helpers/contract-request';
import { TEST_STORE, aKeystore, auth, keystoresPath, testStore } from '../helpers/world';
import { removeFixtures, temporaryFixtures } from '../scenarios/temporary-fixtures';
import { nextEvent } from './watch-helpers';

// With the memory store (npm test) the two servers hold their own sessions; against Redis
// (jest -c jest.redis.config.js) they are two replicas of one store, as behind a balancer.
const SHARED = TEST_STORE !== 'memory';

function create(mock: MockServer, name: string, session: string) {
  return api(mock.url).post(keystoresPath()).set(auth()).set('X-Mock-Session', session).send(aKeystore({ name }));
}

async function names(mock: MockServer, session: string): Promise<string[] | undefined> {
  return (await mock.state(session)).MyProject?.map(({ name }) => name);
}

describe(`a watching mock beside a replica (${SHARED ? 'one Redis store' : 'memory stores'})`, () => {
  let dir: string;
  let watching: MockServer;
  let replica: MockServer;

  beforeEach(async () => {
    dir = temporaryFixtures({});
    const store = testStore();
    watching = await startMockServer({ ...store, fixturesDir: dir, watch: true, watchDebounceMs: 50 });
    replica = await startMockServer({ ...store, fixturesDir: dir });
  });

  afterEach(async () => {
    await Promise.all([watching.close(), replica.close()]);
    removeFixtures(dir);
  });

  it('keeps every session of the store when a reload keeps the projects', async () => {
    await create(replica, 'through-replica', 'worker-1').expect(200);
    await create(watching, 'through-watcher', 'worker-2').expect(200);
    const reloaded = nextEvent(watching, 'reload');
    fs.writeFileSync(path.join(dir, 'scenarios', 'added.yaml'), 'description: Added.\n');
    expect((await reloaded).storeReset).toBe(false);
    expect([await names(replica, 'worker-1'), await names(watching, 'worker-2')]).toEqual([
      ['through-replica'],
      ['through-watcher'],
    ]);
  });

  it('resets the sessions of the store, those the replica serves included when shared, when a project changes', async () => {
    await create(replica, 'through-replica', 'worker-1').expect(200);
    await create(watching, 'through-watcher', 'worker-2').expect(200);
    const reloaded = nextEvent(watching, 'reload');
    const world = path.join(dir, 'world.yaml');
    fs.writeFileSync(
      world,
      fs.readFileSync(world, 'utf8').replace('64f0c0ffee00000000000002', '64f0c0ffee0000000000000f'),
    );
    expect(await reloaded).toMatchObject({
      storeReset: true,
      storeResetReasons: [
        'project "OtherProject" changed its id from 64f0c0ffee00000000000002 to 64f0c0ffee0000000000000f',
      ],
    });
    expect(await names(watching, 'worker-2')).toEqual([]);
    expect(await names(replica, 'worker-1')).toEqual(SHARED ? [] : ['through-replica']);
    // The watching mock goes on serving from the new store.
    await create(watching, 'after-reset', 'worker-2').expect(200);
    expect(await names(watching, 'worker-2')).toEqual(['after-reset']);
  });
});
