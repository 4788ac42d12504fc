import net from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import pino from 'pino';
import { issuedToken } from '../../src/auth/token-registry';
import type { JournalEntry } from '../../src/control/request-journal';
import { DEFAULT_CONFIG } from '../../src/config';
import { ApiError, errors } from '../../src/errors';
import { StartupError } from '../../src/fixtures/read-data-file';
import { loadWorld } from '../../src/fixtures/load-world';
import { LazyFaker, deriveSeed } from '../../src/generate/seeded-faker';
import { toStoredKeystore, type Keystore, type KeystoreInput } from '../../src/keystores/keystore';
import { RedisWorldStore, type RedisWorldStoreOptions } from '../../src/store/redis-world-store';
import type { Session } from '../../src/store/world-store';
import {
  freePort,
  sharedRedis,
  startRedisServer,
  uniqueNamespace,
  type RedisServer,
  type SharedRedis,
} from '../helpers/redis-server';

const IDLE_MS = 60_000;
const LIMITS: RedisWorldStoreOptions['limits'] = {
  maxSessions: 3,
  sessionIdleMs: IDLE_MS,
  journalSize: 3,
  maxKeystoresPerProject: 4,
  tokenTtlSeconds: 3600,
  seed: 1,
  reservationTtlMs: 60_000,
};
/** How long a test polls for something Redis does by its own clock (a hold lapsing). */
const POLL_BOUND_MS = 5_000;

const world = loadWorld(DEFAULT_CONFIG.fixturesDir);
const projects = world.projects.map((project) => ({
  name: project.name,
  id: project.id,
  environmentNames: project.environments.map((environment) => environment.name),
}));
const myProject = projects[0] ?? { name: 'MyProject', id: '', environmentNames: [] };

function input(name: string, description = `keystore ${name}`): KeystoreInput {
  return { name, description, keyStoreEnvironmentList: [{ environmentName: 'production', type: 'JKS', file: 'AAEC' }] };
}

function stored(name: string, description?: string): Keystore {
  return toStoredKeystore(input(name, description), myProject.id);
}

const FIXTURE = stored('fixture-keystore');

/** A log that tests can read and wait on. */
function capturedLog() {
  const lines: { level: number; msg: string }[] = [];
  const waiters: { message: string; resolve: () => void }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = JSON.parse(chunk.toString()) as { level: number; msg: string };
      lines.push(line);
      for (const waiter of waiters.filter((candidate) => line.msg.startsWith(candidate.message))) waiter.resolve();
      done();
    },
  });
  return {
    logger: pino({ level: 'info' }, stream),
    lines,
    /** Resolves on the next line that starts with `message`. */
    next: (message: string) => new Promise<void>((resolve) => waiters.push({ message, resolve })),
  };
}

/** Runs `act`, expecting it to reject with an ApiError, and returns that error. */
async function apiErrorOf(act: Promise<unknown>): Promise<ApiError> {
  try {
    await act;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError, but the call succeeded');
}

/** The parts of an ApiError a client sees. */
function wire(error: ApiError) {
  return { status: error.status, body: error.toBody(), headers: error.headers };
}

async function names(session: Session, project = 'MyProject'): Promise<string[]> {
  return (await session.keystores.list(project)).map((keystore) => keystore.name);
}

function journalEntry(overrides: Partial<JournalEntry> = {}): Omit<JournalEntry, 'sequence'> {
  return {
    time: '2024-01-01T00:00:00.000Z',
    method: 'GET',
    path: '/apiops/projects/MyProject/keystores/',
    operationId: 'getKeystores',
    session: 'default',
    scenario: null,
    status: 200,
    durationMs: 1,
    keystoreName: null,
    request: { headers: {}, query: {}, body: null },
    response: { status: 200, headers: {}, body: null },
    ...overrides,
  };
}

describe('RedisWorldStore', () => {
  let redis: SharedRedis;
  let opened: RedisWorldStore[] = [];
  const clock = { now: 1_000_000 };
  const evictedIds: string[] = [];

  beforeAll(async () => {
    redis = await sharedRedis();
  });

  afterAll(() => redis.release());

  beforeEach(() => {
    clock.now = 1_000_000;
    evictedIds.length = 0;
  });

  afterEach(async () => {
    await Promise.all(opened.map((store) => store.close()));
    opened = [];
  });

  /** Replicas: stores on one namespace, sharing the test's clock. */
  async function replicas(count: number, limits: Partial<RedisWorldStoreOptions['limits']> = {}) {
    const namespace = uniqueNamespace('store');
    const stores: RedisWorldStore[] = [];
    for (let index = 0; index < count; index += 1) {
      const store = await RedisWorldStore.connect({
        url: redis.url,
        namespace,
        template: { world, projects, initialKeystores: { MyProject: [FIXTURE], OtherProject: [] } },
        limits: { ...LIMITS, ...limits },
        clock: () => clock.now,
        logger: pino({ level: 'silent' }),
        onEvict: (id) => evictedIds.push(id),
      });
      opened.push(store);
      stores.push(store);
    }
    return stores;
  }

  async function replica(limits: Partial<RedisWorldStoreOptions['limits']> = {}) {
    const [store] = await replicas(1, limits);
    if (store === undefined) throw new Error('no store was opened');
    return store;
  }

  describe('keystores', () => {
    it('starts the default session from the fixtures', async () => {
      const session = await defaultSession(await replica());
      expect(await session.keystores.list('MyProject')).toEqual([FIXTURE]);
    });

    it('lists keystores in creation order', async () => {
      const session = await defaultSession(await replica());
      for (const name of ['zeta', 'alpha', 'mid']) {
        await session.keystores.create('MyProject', input(name), await session.keystores.reserve('MyProject', name));
      }
      expect(await names(session)).toEqual(['fixture-keystore', 'zeta', 'alpha', 'mid']);
    });

    it('shows a keystore created on one replica to the other', async () => {
      const [a, b] = await replicas(2);
      const onA = await defaultSession(a!);
      await onA.keystores.create('MyProject', input('shared'), await onA.keystores.reserve('MyProject', 'shared'));
      expect(await (await defaultSession(b!)).keystores.get('MyProject', 'shared')).toEqual(stored('shared'));
    });

    it('answers a missing keystore with the catalog error', async () => {
      const session = await defaultSession(await replica());
      expect(wire(await apiErrorOf(session.keystores.get('MyProject', 'nope')))).toEqual(
        wire(errors.keystoreNotFound('nope')),
      );
    });

    it('answers an unknown project with the catalog error', async () => {
      const session = await defaultSession(await replica());
      expect(wire(await apiErrorOf(session.keystores.list('NoSuchProject')))).toEqual(
        wire(errors.projectNotFound('NoSuchProject')),
      );
    });

    it('refuses a duplicate name and changes nothing', async () => {
      const session = await defaultSession(await replica());
      const error = await apiErrorOf(session.keystores.reserve('MyProject', 'fixture-keystore'));
      expect({ error: wire(error), names: await names(session) }).toEqual({
        error: wire(errors.duplicateKeystore('fixture-keystore')),
        names: ['fixture-keystore'],
      });
    });

    it('lets exactly one of many concurrent reserves of one name across two replicas win', async () => {
      const [a, b] = await replicas(2);
      const sessions = [await defaultSession(a!), await defaultSession(b!)];
      const attempts = await Promise.allSettled(
        Array.from({ length: 40 }, (_, index) => sessions[index % 2]!.keystores.reserve('MyProject', 'contested')),
      );
      const refusals = attempts.flatMap((attempt) =>
        attempt.status === 'rejected' ? [wire(attempt.reason as ApiError)] : [],
      );
      expect({ won: attempts.length - refusals.length, refusals }).toEqual({
        won: 1,
        refusals: Array.from({ length: 39 }, () => wire(errors.duplicateKeystore('contested'))),
      });
    });

    it('lets exactly one of many concurrent creates of one name across two replicas win', async () => {
      const [a, b] = await replicas(2);
      const sessions = [await defaultSession(a!), await defaultSession(b!)];
      const attempts = await Promise.allSettled(
        Array.from({ length: 40 }, async (_, index) => {
          const { keystores } = sessions[index % 2]!;
          return keystores.create(
            'MyProject',
            input('raced', `by ${index}`),
            await keystores.reserve('MyProject', 'raced'),
          );
        }),
      );
      const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
      expect({ won: won.length, names: await names(sessions[0]!) }).toEqual({
        won: 1,
        names: ['fixture-keystore', 'raced'],
      });
    });

    it('holds a reserved name against another replica until it is released', async () => {
      const [a, b] = await replicas(2);
      const onA = await defaultSession(a!);
      const onB = await defaultSession(b!);
      const held = await onA.keystores.reserve('MyProject', 'slow');
      const whileHeld = wire(await apiErrorOf(onB.keystores.assertCanCreate('MyProject', 'slow')));
      await held.release();
      await held.release();
      await onB.keystores.create('MyProject', input('slow'), await onB.keystores.reserve('MyProject', 'slow'));
      expect({ whileHeld, names: await names(onA) }).toEqual({
        whileHeld: wire(errors.duplicateKeystore('slow')),
        names: ['fixture-keystore', 'slow'],
      });
    });

    it('frees a held name once its TTL lapses, as when the holding replica crashed', async () => {
      const [a, b] = await replicas(2, { reservationTtlMs: 50 });
      await (await defaultSession(a!)).keystores.reserve('MyProject', 'orphaned');
      const onB = await defaultSession(b!);
      const deadline = Date.now() + POLL_BOUND_MS;
      let free = false;
      while (!free && Date.now() < deadline) {
        free = await onB.keystores.assertCanCreate('MyProject', 'orphaned').then(
          () => true,
          () => false,
        );
        if (!free) await delay(10);
      }
      expect(free).toBe(true);
    });

    it('commits a create whose hold lapsed while nobody else took the name', async () => {
      const session = await defaultSession(await replica({ reservationTtlMs: 1 }));
      const held = await session.keystores.reserve('MyProject', 'late');
      // Whether or not the hold has lapsed yet, the create commits.
      expect(await session.keystores.create('MyProject', input('late'), held)).toEqual(stored('late'));
    });

    it('refuses a create past the per-project limit, counting held names', async () => {
      const session = await defaultSession(await replica());
      await session.keystores.create('MyProject', input('two'), await session.keystores.reserve('MyProject', 'two'));
      await session.keystores.reserve('MyProject', 'three');
      await session.keystores.reserve('MyProject', 'four');
      const error = await apiErrorOf(session.keystores.reserve('MyProject', 'five'));
      expect({ error: wire(error), names: await names(session) }).toEqual({
        error: wire(errors.keystoreLimitReached('MyProject', LIMITS.maxKeystoresPerProject)),
        names: ['fixture-keystore', 'two'],
      });
    });

    it('renames a keystore in place, keeping its position', async () => {
      const session = await defaultSession(await replica());
      const { keystores } = session;
      await keystores.create('MyProject', input('second'), await keystores.reserve('MyProject', 'second'));
      const held = await keystores.reserveRename('MyProject', 'fixture-keystore', 'renamed');
      const replaced = await keystores.replace('MyProject', 'fixture-keystore', input('renamed', 'new'), held);
      expect({ replaced, names: await names(session) }).toEqual({
        replaced: stored('renamed', 'new'),
        names: ['renamed', 'second'],
      });
    });

    it('replaces a keystore under the same name without holding one', async () => {
      const session = await defaultSession(await replica());
      const held = await session.keystores.reserveRename('MyProject', 'fixture-keystore', 'fixture-keystore');
      await session.keystores.replace('MyProject', 'fixture-keystore', input('fixture-keystore', 'changed'), held);
      expect({ held, list: await session.keystores.list('MyProject') }).toEqual({
        held: undefined,
        list: [stored('fixture-keystore', 'changed')],
      });
    });

    it('refuses a replace of a missing keystore with the update error', async () => {
      const session = await defaultSession(await replica());
      expect(wire(await apiErrorOf(session.keystores.assertCanReplace('MyProject', 'ghost', 'ghost')))).toEqual(
        wire(errors.keystoreNotFoundForUpdate('ghost')),
      );
    });

    it('refuses a rename onto a name another replica holds, and changes nothing', async () => {
      const [a, b] = await replicas(2);
      const onA = await defaultSession(a!);
      const onB = await defaultSession(b!);
      await onA.keystores.reserve('MyProject', 'wanted');
      const error = await apiErrorOf(
        onB.keystores.replace('MyProject', 'fixture-keystore', input('wanted'), undefined),
      );
      expect({ error: wire(error), names: await names(onB) }).toEqual({
        error: wire(errors.duplicateKeystore('wanted')),
        names: ['fixture-keystore'],
      });
    });

    it('removes a keystore and returns it, then answers it as missing', async () => {
      const session = await defaultSession(await replica());
      const removed = await session.keystores.remove('MyProject', 'fixture-keystore');
      const again = await apiErrorOf(session.keystores.remove('MyProject', 'fixture-keystore'));
      expect({ removed, again: wire(again), names: await names(session) }).toEqual({
        removed: FIXTURE,
        again: wire(errors.keystoreNotFound('fixture-keystore')),
        names: [],
      });
    });
  });

  describe('state', () => {
    it('exports every project and the active scenario', async () => {
      const session = await defaultSession(await replica());
      await session.setActiveScenario('flaky-staging');
      expect(await session.exportState()).toEqual({
        activeScenario: 'flaky-staging',
        keystores: { MyProject: [FIXTURE], OtherProject: [] },
      });
    });

    it('imports keystores and the scenario, replacing what was there', async () => {
      const [a, b] = await replicas(2);
      const keystores = { MyProject: [stored('b'), stored('a')], OtherProject: [] };
      await (await defaultSession(a!)).importState(keystores, 'happy-path');
      expect(await (await defaultSession(b!)).exportState()).toEqual({ activeScenario: 'happy-path', keystores });
    });

    it('keeps the active scenario when the import gives null and clears it when undefined', async () => {
      const session = await defaultSession(await replica());
      await session.setActiveScenario('happy-path');
      await session.importState({ MyProject: [], OtherProject: [] }, null);
      const kept = await session.activeScenario();
      await session.importState({ MyProject: [], OtherProject: [] }, undefined);
      expect({ kept, cleared: await session.activeScenario() }).toEqual({ kept: 'happy-path', cleared: undefined });
    });

    it('never shows another replica half an import', async () => {
      const [a, b] = await replicas(2, { maxKeystoresPerProject: 1000 });
      const before = await (await defaultSession(b!)).exportState();
      const big = { MyProject: Array.from({ length: 500 }, (_, index) => stored(`k${index}`)), OtherProject: [] };
      const importing = (await defaultSession(a!)).importState(big, null);
      const reader = await defaultSession(b!);
      const seen = await Promise.all(Array.from({ length: 20 }, () => reader.exportState()));
      await importing;
      const sizes = new Set(seen.map((state) => state.keystores.MyProject?.length));
      expect([...sizes].every((size) => size === before.keystores.MyProject?.length || size === 500)).toBe(true);
    });

    it('creates after an import follow the imported keystores', async () => {
      const session = await defaultSession(await replica());
      await session.importState({ MyProject: [stored('imported')], OtherProject: [] }, null);
      await session.keystores.create(
        'MyProject',
        input('after'),
        await session.keystores.reserve('MyProject', 'after'),
      );
      expect(await names(session)).toEqual(['imported', 'after']);
    });
  });

  describe('sessions', () => {
    it('creates a named session from the fixtures on first use, apart from the default one', async () => {
      const store = await replica();
      const named = (await store.open('w1')).session;
      await named.keystores.remove('MyProject', 'fixture-keystore');
      expect({ named: await names(named), primary: await names(await defaultSession(store)) }).toEqual({
        named: [],
        primary: ['fixture-keystore'],
      });
    });

    it('refuses an unusable session id with the catalog error', async () => {
      const store = await replica();
      expect(wire(await apiErrorOf(store.open('no spaces')))).toEqual(wire(errors.invalidSession('no spaces')));
    });

    it('evicts the least recently used session once it has been idle, on any replica', async () => {
      const [a, b] = await replicas(2);
      await a!.open('w1');
      clock.now += 1;
      await b!.open('w2');
      clock.now += IDLE_MS;
      await a!.open('w3');
      expect({ evictedIds, stats: await b!.stats() }).toEqual({
        evictedIds: ['w1'],
        stats: { live: 3, max: 3, idleMs: IDLE_MS, evicted: 1, refused: 0 },
      });
    });

    it('refuses a new session with 429 while no session has been idle long enough', async () => {
      const store = await replica();
      await store.open('w1');
      clock.now += 1000;
      await store.open('w2');
      clock.now += 10_000;
      const error = await apiErrorOf(store.open('w3'));
      expect({ error: wire(error), stats: await store.stats() }).toEqual({
        error: wire(errors.tooManySessions('w3', 3, IDLE_MS, 49)),
        stats: { live: 3, max: 3, idleMs: IDLE_MS, evicted: 0, refused: 1 },
      });
    });

    it('tells the next request naming an evicted session, once, whichever replica it reaches', async () => {
      const [a, b] = await replicas(2);
      await a!.open('w1');
      await a!.open('w2');
      clock.now += IDLE_MS;
      await a!.open('w3');
      clock.now += IDLE_MS;
      const first = await b!.open('w1');
      const second = await a!.open('w1');
      expect([first.evicted, second.evicted, await names(first.session)]).toEqual([true, false, ['fixture-keystore']]);
    });

    it('never evicts the default session', async () => {
      const store = await replica({ maxSessions: 2 });
      const primary = await defaultSession(store);
      await primary.keystores.remove('MyProject', 'fixture-keystore');
      await store.open('w1');
      clock.now += IDLE_MS;
      await store.open('w2');
      expect({ evictedIds, primary: await names(await defaultSession(store)) }).toEqual({
        evictedIds: ['w1'],
        primary: [],
      });
    });

    it('finds a live session without creating or touching it', async () => {
      const store = await replica();
      await store.open('w1');
      expect({
        live: (await store.peek('w1'))?.id,
        absent: await store.peek('w9'),
        primary: (await store.peek(undefined))?.id,
        stats: (await store.stats()).live,
      }).toEqual({ live: 'w1', absent: undefined, primary: 'default', stats: 2 });
    });

    it('gives each session its own seeded stream', async () => {
      const { session } = await (await replica()).open('w1');
      const expected = new LazyFaker(deriveSeed(LIMITS.seed, 'session', 'w1')).get().string.uuid();
      expect(session.random.get().string.uuid()).toBe(expected);
    });

    it('shares the active scenario of a session between replicas', async () => {
      const [a, b] = await replicas(2);
      await (await a!.open('w1')).session.setActiveScenario('flaky-staging');
      expect(await (await b!.open('w1')).session.activeScenario()).toBe('flaky-staging');
    });
  });

  describe('reset', () => {
    it('puts one session back to the fixtures and leaves the others', async () => {
      const store = await replica();
      const w1 = (await store.open('w1')).session;
      const w2 = (await store.open('w2')).session;
      await w1.keystores.remove('MyProject', 'fixture-keystore');
      await w2.keystores.remove('MyProject', 'fixture-keystore');
      await store.reset('w1');
      expect({
        w1: await names((await store.open('w1')).session),
        w2: await names((await store.open('w2')).session),
      }).toEqual({ w1: ['fixture-keystore'], w2: [] });
    });

    it('puts the default session back to the fixtures, scenario and journal included', async () => {
      const [a, b] = await replicas(2);
      const primary = await defaultSession(a!);
      await primary.keystores.remove('MyProject', 'fixture-keystore');
      await primary.setActiveScenario('happy-path');
      await primary.journal.record(journalEntry());
      await b!.reset('default');
      const fresh = await defaultSession(a!);
      expect({
        names: await names(fresh),
        scenario: await fresh.activeScenario(),
        journal: await fresh.journal.entries(),
      }).toEqual({ names: ['fixture-keystore'], scenario: undefined, journal: [] });
    });

    it('puts every session back, forgets issued tokens and numbers tokens from the start again', async () => {
      const [a, b] = await replicas(2);
      const w1 = (await a!.open('w1')).session;
      await w1.keystores.remove('MyProject', 'fixture-keystore');
      const { access_token: token } = await w1.tokens.issue('admin', 'admin', clock.now);
      await b!.reset();
      const after = await defaultSession(a!);
      expect({
        live: (await a!.stats()).live,
        w1: await a!.peek('w1'),
        token: await after.tokens.lookup(token),
        reissued: (await after.tokens.issue('admin', 'admin', clock.now)).access_token,
      }).toEqual({ live: 1, w1: undefined, token: undefined, reissued: token });
    });

    it('keeps no change a request makes to a session reset while it ran', async () => {
      const [a, b] = await replicas(2);
      const stale = (await a!.open('w1')).session;
      await b!.reset('w1');
      const fresh = (await b!.open('w1')).session;
      await stale.keystores.remove('MyProject', 'fixture-keystore').catch(() => undefined);
      await stale.keystores.create('MyProject', input('lost'), await stale.keystores.reserve('MyProject', 'lost'));
      await stale.journal.record(journalEntry());
      expect({ names: await names(fresh), journal: await fresh.journal.entries() }).toEqual({
        names: ['fixture-keystore'],
        journal: [],
      });
    });

    it('refuses to reset an unusable session id', async () => {
      const store = await replica();
      expect(wire(await apiErrorOf(store.reset('bad id')))).toEqual(wire(errors.invalidSession('bad id')));
    });
  });

  describe('tokens', () => {
    it('issues the tokens the seed gives, in order, across replicas', async () => {
      const [a, b] = await replicas(2);
      const first = await (await defaultSession(a!)).tokens.issue('admin', 'admin', clock.now);
      const second = await (await defaultSession(b!)).tokens.issue('admin', 'admin', clock.now);
      expect([first, second]).toEqual([
        { access_token: issuedToken(LIMITS.seed, 1), token_type: 'Bearer', expires_in: LIMITS.tokenTtlSeconds },
        { access_token: issuedToken(LIMITS.seed, 2), token_type: 'Bearer', expires_in: LIMITS.tokenTtlSeconds },
      ]);
    });

    it('finds a token issued on another replica with its roles and expiry', async () => {
      const [a, b] = await replicas(2);
      const { access_token: token } = await (await defaultSession(a!)).tokens.issue('admin', 'admin', clock.now);
      const user = world.users.find((candidate) => candidate.clientId === 'admin');
      expect(await (await defaultSession(b!)).tokens.lookup(token)).toEqual({
        roles: new Set(user?.roles),
        expiresAt: clock.now + LIMITS.tokenTtlSeconds * 1000,
      });
    });

    it('still finds an issued token past its expiry, so it answers token_expired rather than unknown', async () => {
      const session = await defaultSession(await replica());
      const issuedAt = clock.now - 2 * LIMITS.tokenTtlSeconds * 1000;
      const { access_token: token } = await session.tokens.issue('admin', 'admin', issuedAt);
      expect((await session.tokens.lookup(token))?.expiresAt).toBe(issuedAt + LIMITS.tokenTtlSeconds * 1000);
    });

    it('refuses wrong credentials with the catalog error', async () => {
      const session = await defaultSession(await replica());
      expect(wire(await apiErrorOf(session.tokens.issue('admin', 'wrong', clock.now)))).toEqual(
        wire(errors.badCredentials()),
      );
    });

    it('finds the fixture tokens, an expired one with an expiry in the past, and not an unknown one', async () => {
      const session = await defaultSession(await replica());
      expect({
        demo: await session.tokens.lookup('demo-token'),
        expired: (await session.tokens.lookup('expired-token'))?.expiresAt,
        unknown: await session.tokens.lookup('no-such-token'),
      }).toEqual({
        demo: { roles: new Set(['ROLE_API_SECURITY', 'ROLE_DEPLOY_UNDEPLOY_PROXIES']), expiresAt: undefined },
        expired: 0,
        unknown: undefined,
      });
    });
  });

  describe('journal', () => {
    it('numbers entries from 1 and keeps only the newest, up to the journal size', async () => {
      const session = await defaultSession(await replica());
      for (const status of [200, 201, 400, 404]) await session.journal.record(journalEntry({ status }));
      expect((await session.journal.entries()).map(({ sequence, status }) => ({ sequence, status }))).toEqual([
        { sequence: 2, status: 201 },
        { sequence: 3, status: 400 },
        { sequence: 4, status: 404 },
      ]);
    });

    it('keeps one sequence for a session whichever replica records', async () => {
      const [a, b] = await replicas(2);
      await (await a!.open('w1')).session.journal.record(journalEntry({ session: 'w1' }));
      await (await b!.open('w1')).session.journal.record(journalEntry({ session: 'w1', method: 'POST' }));
      expect(await (await a!.open('w1')).session.journal.entries()).toEqual([
        { sequence: 1, ...journalEntry({ session: 'w1' }) },
        { sequence: 2, ...journalEntry({ session: 'w1', method: 'POST' }) },
      ]);
    });

    it.each([
      [{ operationId: 'createKeystore' }, [2]],
      [{ method: 'post' }, [2]],
      [{ status: 200 }, [1, 3]],
      [{ limit: 2 }, [2, 3]],
      [{ status: 200, limit: 1 }, [3]],
    ])('filters with %j, oldest first', async (filter, sequences) => {
      const session = await defaultSession(await replica());
      await session.journal.record(journalEntry());
      await session.journal.record(journalEntry({ method: 'POST', operationId: 'createKeystore', status: 201 }));
      await session.journal.record(journalEntry());
      expect((await session.journal.entries(filter)).map(({ sequence }) => sequence)).toEqual(sequences);
    });

    it('forgets every entry on clear, says how many, and numbers from 1 again', async () => {
      const session = await defaultSession(await replica());
      await session.journal.record(journalEntry());
      await session.journal.record(journalEntry());
      const cleared = await session.journal.clear();
      await session.journal.record(journalEntry());
      expect({ cleared, sequences: (await session.journal.entries()).map(({ sequence }) => sequence) }).toEqual({
        cleared: 2,
        sequences: [1],
      });
    });

    it('records nothing when the journal size is 0', async () => {
      const session = await defaultSession(await replica({ journalSize: 0 }));
      await session.journal.record(journalEntry());
      expect(await session.journal.entries()).toEqual([]);
    });
  });

  it('reports itself healthy while Redis answers', async () => {
    expect(await (await replica()).health()).toEqual({ kind: 'redis', ok: true });
  });
});

describe('RedisWorldStore when Redis is unavailable', () => {
  const options = (url: string, logger = pino({ level: 'silent' })): RedisWorldStoreOptions => ({
    url,
    namespace: uniqueNamespace('outage'),
    template: { world, projects, initialKeystores: { MyProject: [FIXTURE], OtherProject: [] } },
    limits: LIMITS,
    clock: () => 1_000_000,
    logger,
  });

  it('refuses to start with one line naming the URL when nothing listens', async () => {
    const port = await freePort();
    const error = await RedisWorldStore.connect(options(`redis://127.0.0.1:${port}`)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StartupError);
    expect((error as StartupError).reason).toBe(
      `Redis at redis://127.0.0.1:${port} is not reachable (connect ECONNREFUSED 127.0.0.1:${port}); start Redis or use --store memory`,
    );
    expect((error as StartupError).option).toBe('store');
  });

  it('gives up at start, with one line, on a server that accepts connections but never answers', async () => {
    // Reads and drops what it is sent, so it sees the client hang up.
    const silent = net.createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const error = await RedisWorldStore.connect(options(`redis://127.0.0.1:${port}`)).catch(
        (caught: unknown) => caught,
      );
      expect((error as StartupError).reason).toBe(
        `Redis at redis://127.0.0.1:${port} is not reachable (no answer within 2000 ms); start Redis or use --store memory`,
      );
    } finally {
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  describe('with a Redis the suite stops and starts', () => {
    let server: RedisServer;

    beforeAll(async () => {
      server = await startRedisServer({ appendOnly: true });
    });

    afterAll(() => server.close());

    it('says it is not ok and rejects calls while Redis is away, then recovers by itself', async () => {
      const log = capturedLog();
      const store = await RedisWorldStore.connect(options(server.url, log.logger));
      try {
        const session = await defaultSession(store);
        const away = log.next('redis unavailable');
        await server.stop();
        await away;
        const down = {
          health: await store.health(),
          list: await session.keystores.list('MyProject').then(
            () => 'answered',
            () => 'rejected',
          ),
          open: await store.open('w1').then(
            () => 'answered',
            () => 'rejected',
          ),
        };
        const back = log.next('redis back');
        await server.restart();
        await back;
        expect({ down, health: await store.health(), names: await names(await defaultSession(store)) }).toEqual({
          down: { health: { kind: 'redis', ok: false }, list: 'rejected', open: 'rejected' },
          health: { kind: 'redis', ok: true },
          names: ['fixture-keystore'],
        });
        expect(log.lines.filter((line) => /^redis/.test(line.msg)).map(({ level, msg }) => [level, msg])).toEqual([
          [40, 'redis unavailable'],
          [30, 'redis back'],
        ]);
      } finally {
        await store.close();
      }
    });

    it('keeps every acknowledged keystore across a kill and restart of a Redis with AOF', async () => {
      const settings = options(server.url);
      const before = await RedisWorldStore.connect(settings);
      const session = (await before.open('w1')).session;
      await session.keystores.create('MyProject', input('kept'), await session.keystores.reserve('MyProject', 'kept'));
      await before.close();
      await server.kill();
      await server.restart();
      const after = await RedisWorldStore.connect(settings);
      try {
        expect(await names((await after.open('w1')).session)).toEqual(['fixture-keystore', 'kept']);
      } finally {
        await after.close();
      }
    });
  });
});

async function defaultSession(store: RedisWorldStore): Promise<Session> {
  return (await store.open(undefined)).session;
}
