import { DEFAULT_CONFIG } from '../../src/config';
import { ApiError } from '../../src/errors';
import { loadWorld } from '../../src/fixtures/load-world';
import { DEFAULT_SESSION, SessionRegistry, type SessionOptions } from '../../src/sessions/session-registry';

const IDLE_MS = 60_000;

function registry(overrides: Partial<SessionOptions> = {}) {
  const world = loadWorld(DEFAULT_CONFIG.fixturesDir);
  const projects = world.projects.map((project) => ({
    name: project.name,
    id: project.id,
    environmentNames: project.environments.map((environment) => environment.name),
  }));
  const clock = { now: 1_000_000 };
  const evictedIds: string[] = [];
  const sessions = new SessionRegistry(
    { world, projects, initialKeystores: {} },
    {
      maxSessions: 3,
      sessionIdleMs: IDLE_MS,
      journalSize: 10,
      maxKeystoresPerProject: 100,
      tokenTtlSeconds: 3600,
      seed: 1,
      ...overrides,
    },
    (id) => evictedIds.push(id),
    () => clock.now,
  );
  return { sessions, clock, evictedIds };
}

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the registry to refuse the session');
}

describe('SessionRegistry', () => {
  describe('opening sessions', () => {
    it('gives the default session when no id is named', () => {
      const { sessions } = registry();
      expect(sessions.open(undefined)).toEqual({ session: sessions.get(DEFAULT_SESSION), evicted: false });
    });

    it('creates a named session on first use and gives the same one afterwards', () => {
      const { sessions } = registry();
      const first = sessions.open('w1').session;
      expect(sessions.open('w1')).toEqual({ session: first, evicted: false });
    });

    it('refuses an id with forbidden characters with 400 invalid_session', () => {
      const { sessions } = registry();
      expect(refusal(() => sessions.open('no spaces')).code).toBe('invalid_session');
    });
  });

  describe('making room beyond maxSessions', () => {
    it('evicts the least recently used session once it has been idle for the idle window', () => {
      const { sessions, clock, evictedIds } = registry();
      sessions.open('w1');
      clock.now += 1;
      sessions.open('w2');
      clock.now += IDLE_MS;
      sessions.open('w3');
      expect({ evictedIds, stats: sessions.stats() }).toEqual({
        evictedIds: ['w1'],
        stats: { live: 3, max: 3, idleMs: IDLE_MS, evicted: 1, refused: 0 },
      });
    });

    it('refuses a new session with 429 too_many_sessions while no session is idle', () => {
      const { sessions, clock } = registry();
      sessions.open('w1');
      sessions.open('w2');
      clock.now += IDLE_MS - 1;
      const error = refusal(() => sessions.open('w3'));
      expect({ status: error.status, code: error.code }).toEqual({ status: 429, code: 'too_many_sessions' });
    });

    it('says in the refusal what the limit is and how to get past it', () => {
      const { sessions } = registry();
      sessions.open('w1');
      sessions.open('w2');
      const { description } = refusal(() => sessions.open('w3'));
      expect(description).toMatch(/all 3 sessions allowed by --max-sessions/);
      expect(description).toMatch(/raise --max-sessions/i);
      expect(description).toMatch(/POST \/__mock\/reset/);
      expect(description).toMatch(/idle for 60 s/);
    });

    it('tells a refused client in Retry-After when the least recently used session becomes idle', () => {
      const { sessions, clock } = registry();
      sessions.open('w1');
      clock.now += 15_500;
      sessions.open('w2');
      expect(refusal(() => sessions.open('w3')).headers).toEqual({ 'Retry-After': '45' });
    });

    it('keeps every live session when it refuses one, and counts the refusal', () => {
      const { sessions } = registry();
      const w1 = sessions.open('w1').session;
      sessions.open('w2');
      refusal(() => sessions.open('w3'));
      expect({ same: sessions.open('w1').session === w1, stats: sessions.stats() }).toEqual({
        same: true,
        stats: { live: 3, max: 3, idleMs: IDLE_MS, evicted: 0, refused: 1 },
      });
    });

    it('counts a request to a session as use, so a busy session is never the one evicted', () => {
      const { sessions, clock, evictedIds } = registry();
      sessions.open('w1');
      sessions.open('w2');
      clock.now += IDLE_MS;
      sessions.open('w1');
      sessions.open('w3');
      expect(evictedIds).toEqual(['w2']);
    });

    it('never evicts the default session, however long it has been idle', () => {
      const { sessions, clock } = registry({ maxSessions: 1 });
      clock.now += 10 * IDLE_MS;
      expect(refusal(() => sessions.open('w1')).status).toBe(429);
    });

    it('reads a missing idle window as one minute', () => {
      const { sessions } = registry({ sessionIdleMs: undefined });
      expect(sessions.stats().idleMs).toBe(60_000);
    });
  });

  describe('reporting an evicted session', () => {
    function withW1Evicted() {
      const made = registry();
      made.sessions.open('w1');
      made.clock.now += IDLE_MS;
      made.sessions.open('w2');
      made.sessions.open('w3');
      made.clock.now += IDLE_MS;
      return made;
    }

    it('reports once that a session named again had been evicted', () => {
      const { sessions } = withW1Evicted();
      expect([sessions.open('w1').evicted, sessions.open('w1').evicted]).toEqual([true, false]);
    });

    it('starts the evicted session again from the fixtures', () => {
      const { sessions } = withW1Evicted();
      expect(sessions.open('w1').session.store.snapshot()).toEqual({ MyProject: [], OtherProject: [] });
    });

    it('keeps the report for a later request when get() recreates the session first', () => {
      const { sessions } = withW1Evicted();
      sessions.get('w1');
      expect(sessions.open('w1').evicted).toBe(true);
    });

    it('keeps the report while the evicted session is refused for want of room', () => {
      const { sessions, clock } = withW1Evicted();
      sessions.open('w2');
      sessions.open('w3');
      refusal(() => sessions.open('w1'));
      clock.now += IDLE_MS;
      expect(sessions.open('w1').evicted).toBe(true);
    });

    it('forgets evicted ids once it remembers ten times maxSessions of them, oldest first', () => {
      const { sessions, clock } = registry({ maxSessions: 2 });
      for (let index = 0; index <= 21; index += 1) {
        sessions.open(`s${index}`);
        clock.now += IDLE_MS;
      }
      // s0 .. s20 were evicted: 21 ids, one more than 10 x 2, so s0 is forgotten.
      const s0 = sessions.open('s0').evicted;
      clock.now += IDLE_MS;
      expect([s0, sessions.open('s2').evicted]).toEqual([false, true]);
    });

    it('forgets an evicted session once it is reset by name', () => {
      const { sessions } = withW1Evicted();
      sessions.reset('w1');
      expect(sessions.open('w1').evicted).toBe(false);
    });

    it('forgets every evicted session when every session is reset', () => {
      const { sessions } = withW1Evicted();
      sessions.reset();
      expect(sessions.open('w1').evicted).toBe(false);
    });
  });

  describe('finding a session without creating it', () => {
    it('finds a live session', () => {
      const { sessions } = registry();
      const w1 = sessions.open('w1').session;
      expect(sessions.find('w1')).toBe(w1);
    });

    it('finds the default session when no id is named', () => {
      const { sessions } = registry();
      expect(sessions.find(undefined)).toBe(sessions.get(undefined));
    });

    it('answers undefined for a session that does not exist, and creates none', () => {
      const { sessions } = registry();
      expect({ found: sessions.find('w1'), live: sessions.stats().live }).toEqual({ found: undefined, live: 1 });
    });

    it('does not count finding as use', () => {
      const { sessions, clock, evictedIds } = registry();
      sessions.open('w1');
      sessions.open('w2');
      clock.now += IDLE_MS;
      sessions.find('w1');
      sessions.open('w3');
      expect(evictedIds).toEqual(['w1']);
    });

    it('refuses an id with forbidden characters with 400 invalid_session', () => {
      const { sessions } = registry();
      expect(refusal(() => sessions.find('no spaces')).code).toBe('invalid_session');
    });
  });
});
