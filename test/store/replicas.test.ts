import request from 'supertest';
import { createApp, type MockApp } from '../../src/app';
import { resolveConfig } from '../../src/config';
import { buildDist, startCli, type RunningCli } from '../cli/spawn-cli';
import { startRedisServer, uniqueNamespace, type RedisServer } from '../helpers/redis-server';
import { aKeystore, auth, keystorePath, keystoresPath } from '../helpers/world';

/** A deployment held open until the test lets it finish, with a signal once it has started. */
function heldDeployment() {
  let started!: () => void;
  let finish!: () => void;
  const hasStarted = new Promise<void>((resolve) => (started = resolve));
  const finished = new Promise<void>((resolve) => (finish = resolve));
  return {
    wait: async () => {
      started();
      await finished;
    },
    hasStarted,
    finish,
  };
}

/** Polls `check` until it holds, for at most `bound` ms (no fixed sleeps). */
async function eventually(check: () => Promise<boolean>, bound = 10_000): Promise<void> {
  const deadline = Date.now() + bound;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${bound} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const healthStatus = async (app: MockApp) => (await request(app.app).get('/__mock/health')).status;

describe('replicas sharing one Redis', () => {
  let redis: RedisServer;
  const apps: MockApp[] = [];

  /** A replica: its own app and connection, the same Redis and namespace as its peers. */
  async function replica(namespace: string, wait: (ms: number) => Promise<void> = () => Promise.resolve()) {
    const app = await createApp(
      resolveConfig({
        logLevel: 'silent',
        seed: 42,
        validateResponses: true,
        store: redis.url,
        storeNamespace: namespace,
      }),
      { wait },
    );
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    redis = await startRedisServer({ appendOnly: true });
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await redis.close();
  });

  it('lets exactly one of many concurrent creates of one name win, split across two replicas', async () => {
    const namespace = uniqueNamespace('race');
    const [a, b] = [await replica(namespace), await replica(namespace)];
    const attempts = Array.from({ length: 20 }, (_, index) =>
      request((index % 2 === 0 ? a : b).app)
        .post(keystoresPath())
        .set(auth())
        .send(aKeystore({ name: 'contended' })),
    );
    const statuses = (await Promise.all(attempts)).map((res) => res.status).sort();
    expect(statuses).toEqual([200, ...Array.from({ length: 19 }, () => 400)]);
    const listed = await request(b.app).get(keystoresPath()).set(auth()).expect(200);
    expect(listed.body.resultCount).toBe(1);
  });

  it('holds a name for a slow deployment on replica A against a create on replica B', async () => {
    const namespace = uniqueNamespace('held');
    const deployment = heldDeployment();
    const a = await replica(namespace, deployment.wait);
    const b = await replica(namespace);
    const slow = request(a.app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ name: 'slow-one' }));
    const slowDone = slow.then((res) => res);
    await deployment.hasStarted;
    const rival = await request(b.app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ name: 'slow-one' }));
    expect({ status: rival.status, description: rival.body.error_description }).toEqual({
      status: 400,
      description: 'Keystore (name: slow-one) is already exist! Try update operation if want to change its value.',
    });
    deployment.finish();
    expect((await slowDone).status).toBe(200);
    await request(b.app).get(keystorePath('slow-one')).set(auth()).expect(200);
  });

  it('shows a keystore created on one replica on the next request to the other, in every session', async () => {
    const namespace = uniqueNamespace('shared');
    const [a, b] = [await replica(namespace), await replica(namespace)];
    await request(a.app).post(keystoresPath()).set(auth()).set('X-Mock-Session', 'w1').send(aKeystore()).expect(200);
    const listed = await request(b.app).get(keystoresPath()).set(auth()).set('X-Mock-Session', 'w1').expect(200);
    expect(listed.body.resultList.map((keystore: { name: string }) => keystore.name)).toEqual(['my-keystore']);
    await request(b.app).put('/__mock/scenario?session=w1').send({ name: 'deploy-failure' }).expect(200);
    const scenario = await request(a.app).get('/__mock/scenario?session=w1').expect(200);
    expect(scenario.body.active).toBe('deploy-failure');
  });

  it('keeps the state across a Redis restart with its append-only file', async () => {
    const namespace = uniqueNamespace('aof');
    const app = await replica(namespace);
    await request(app.app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ name: 'durable' }))
      .expect(200);
    await redis.restart();
    await eventually(async () => (await healthStatus(app)) === 200);
    await request(app.app).get(keystorePath('durable')).set(auth()).expect(200);
  });

  it('answers 503 on health and 500 to requests while Redis is down, then recovers by itself', async () => {
    const namespace = uniqueNamespace('outage');
    const app = await replica(namespace);
    await request(app.app).get(keystoresPath()).set(auth()).expect(200);
    await redis.stop();
    try {
      await eventually(async () => (await healthStatus(app)) === 503);
      const health = await request(app.app).get('/__mock/health');
      expect(health.body.store).toEqual({ kind: 'redis', ok: false });
      const failed = await request(app.app).get(keystoresPath()).set(auth());
      expect({ status: failed.status, error: failed.body.error }).toEqual({ status: 500, error: 'internal_error' });
    } finally {
      await redis.restart();
    }
    await eventually(async () => (await healthStatus(app)) === 200);
    await request(app.app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ name: 'after-outage' }))
      .expect(200);
  });
});

describe('a replica killed with SIGKILL under load', () => {
  let redis: RedisServer;
  let survivor: MockApp | undefined;
  let victim: RunningCli | undefined;

  beforeAll(async () => {
    buildDist();
    redis = await startRedisServer();
  });
  afterAll(async () => {
    victim?.child.kill('SIGKILL');
    await survivor?.close();
    await redis.close();
  });

  it('loses no create it acknowledged', async () => {
    const namespace = uniqueNamespace('kill');
    victim = await startCli(['--port', '0', '--store', redis.url, '--store-namespace', namespace]);
    const { url } = victim;
    const acknowledged: string[] = [];
    let sent = 0;
    // Four clients create keystores as fast as they can; the replica dies under them.
    const client = async () => {
      for (;;) {
        const name = `load-${(sent += 1)}`;
        try {
          const res = await fetch(`${url}${keystoresPath()}`, {
            method: 'POST',
            headers: { ...auth(), 'Content-Type': 'application/json' },
            body: JSON.stringify(aKeystore({ name })),
          });
          if (res.status === 200) acknowledged.push(name);
          await res.arrayBuffer();
        } catch {
          return; // the connection died with the replica
        }
      }
    };
    const clients = Promise.all([client(), client(), client(), client()]);
    await eventually(async () => acknowledged.length >= 50).catch((error: Error) => {
      throw new Error(`${error.message}: ${acknowledged.length} acknowledged of ${sent} sent`);
    });
    victim.child.kill('SIGKILL');
    await clients;
    await victim.exited;

    survivor = await createApp(
      resolveConfig({ logLevel: 'silent', seed: 42, store: redis.url, storeNamespace: namespace }),
    );
    const listed = await request(survivor.app).get(keystoresPath()).set(auth()).expect(200);
    const stored = new Set(listed.body.resultList.map((keystore: { name: string }) => keystore.name));
    expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(50);
  });
});
