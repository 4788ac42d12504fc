import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystoresPath, testApp } from '../helpers/world';

const IDLE_MS = 60_000;

function inSession(id: string): Record<string, string> {
  return { ...auth(), 'X-Mock-Session': id };
}

/** An app of at most three live sessions (the default one and two more) on a clock the test moves. */
async function smallMock() {
  const clock = { now: 1_000_000 };
  const { app } = await testApp({ maxSessions: 3 }, { clock: () => clock.now });
  return { app, clock };
}

async function createIn(app: Parameters<typeof api>[0], id: string): Promise<void> {
  await api(app).post(keystoresPath()).set(inSession(id)).send(aKeystore()).expect(200);
}

async function countIn(app: Parameters<typeof api>[0], id: string): Promise<number> {
  return (await api(app).get(keystoresPath()).set(inSession(id)).expect(200)).body.resultCount;
}

async function sessionStats(app: Parameters<typeof api>[0]): Promise<unknown> {
  return (await api(app).get('/__mock/health').expect(200)).body.sessions;
}

/** s1 and s2 fill the mock; once they are idle, s3 evicts s1. */
async function withS1Evicted() {
  const mock = await smallMock();
  await createIn(mock.app, 's1');
  mock.clock.now += 1;
  await createIn(mock.app, 's2');
  mock.clock.now += IDLE_MS;
  await createIn(mock.app, 's3');
  mock.clock.now += IDLE_MS;
  return mock;
}

describe('bounding the live sessions', () => {
  it('counts the default session as live from the start', async () => {
    const { app } = await smallMock();
    expect(await sessionStats(app)).toEqual({ live: 1, max: 3, idleMs: IDLE_MS, evicted: 0, refused: 0 });
  });

  it('bounds the sessions at 1000, idle for a minute, by default', async () => {
    const { app } = await testApp();
    expect(await sessionStats(app)).toEqual({ live: 1, max: 1000, idleMs: 60_000, evicted: 0, refused: 0 });
  });

  it('evicts nothing while the sessions fit', async () => {
    const { app } = await smallMock();
    await createIn(app, 's1');
    await createIn(app, 's2');
    expect(await sessionStats(app)).toEqual({ live: 3, max: 3, idleMs: IDLE_MS, evicted: 0, refused: 0 });
  });

  it('evicts the least recently used session once it has been idle for the idle window', async () => {
    const { app } = await withS1Evicted();
    expect(await sessionStats(app)).toEqual({ live: 3, max: 3, idleMs: IDLE_MS, evicted: 1, refused: 0 });
  });

  it('keeps a session that was used within the idle window', async () => {
    const { app, clock } = await smallMock();
    await createIn(app, 's1');
    await createIn(app, 's2');
    clock.now += IDLE_MS;
    await api(app).get(keystoresPath()).set(inSession('s1')).expect(200);
    await createIn(app, 's3');
    expect(await countIn(app, 's1')).toBe(1);
  });

  it('never evicts the default session', async () => {
    const { app, clock } = await smallMock();
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    for (const id of ['s1', 's2', 's3', 's4']) {
      clock.now += IDLE_MS;
      await createIn(app, id);
    }
    expect((await api(app).get(keystoresPath()).set(auth()).expect(200)).body.resultCount).toBe(1);
  });
});

describe('refusing a session when none is idle', () => {
  it('refuses a new session on the product API with 429 too_many_sessions, naming --max-sessions', async () => {
    const { app } = await smallMock();
    await createIn(app, 's1');
    await createIn(app, 's2');
    const res = await api(app).get(keystoresPath()).set(inSession('s3')).expect(429);
    expect(res.body.error).toBe('too_many_sessions');
    expect(res.body.error_description).toMatch(/--max-sessions/);
  });

  it('refuses a new session on a control call with 429 and a Retry-After header', async () => {
    const { app, clock } = await smallMock();
    await createIn(app, 's1');
    clock.now += 20_000;
    await createIn(app, 's2');
    const res = await api(app).get('/__mock/state?session=s3').expect(429);
    expect({ error: res.body.error, retryAfter: res.headers['retry-after'] }).toEqual({
      error: 'too_many_sessions',
      retryAfter: '40',
    });
  });

  it('keeps the sessions in use when it refuses one, and counts the refusal', async () => {
    const { app } = await smallMock();
    await createIn(app, 's1');
    await createIn(app, 's2');
    await api(app).get('/__mock/state?session=s3').expect(429);
    expect([await countIn(app, 's1'), await sessionStats(app)]).toEqual([
      1,
      { live: 3, max: 3, idleMs: IDLE_MS, evicted: 0, refused: 1 },
    ]);
  });

  it('never refuses the health call, which creates no session', async () => {
    const { app } = await smallMock();
    await createIn(app, 's1');
    await createIn(app, 's2');
    await api(app).get('/__mock/health?session=s3').expect(200);
  });
});

describe('telling a client that its session was evicted', () => {
  it('answers the first request to an evicted session normally, from the fixtures', async () => {
    const { app } = await withS1Evicted();
    expect(await countIn(app, 's1')).toBe(0);
  });

  it('says so once with X-Mock-Session-Evicted: true', async () => {
    const { app } = await withS1Evicted();
    const first = await api(app).get(keystoresPath()).set(inSession('s1')).expect(200);
    const second = await api(app).get(keystoresPath()).set(inSession('s1')).expect(200);
    expect([first.headers['x-mock-session-evicted'], second.headers['x-mock-session-evicted']]).toEqual([
      'true',
      undefined,
    ]);
  });

  it('notes the eviction in the journal entry of that request', async () => {
    const { app } = await withS1Evicted();
    await api(app).get(keystoresPath()).set(inSession('s1')).expect(200);
    const res = await api(app).get('/__mock/requests?session=s1').expect(200);
    expect(res.body.requests[0].notes).toEqual([expect.stringMatching(/session "s1" had been evicted/)]);
  });

  it('says so on a control call too, once', async () => {
    const { app } = await withS1Evicted();
    const first = await api(app).get('/__mock/state?session=s1').expect(200);
    const second = await api(app).get('/__mock/state?session=s1').expect(200);
    expect([first.headers['x-mock-session-evicted'], second.headers['x-mock-session-evicted']]).toEqual([
      'true',
      undefined,
    ]);
  });

  it('says nothing to a session that was reset after its eviction', async () => {
    const { app } = await withS1Evicted();
    await api(app).post('/__mock/reset?session=s1').expect(200);
    const res = await api(app).get(keystoresPath()).set(inSession('s1')).expect(200);
    expect(res.headers['x-mock-session-evicted']).toBeUndefined();
  });
});
