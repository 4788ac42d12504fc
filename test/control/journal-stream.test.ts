import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { journalDelta } from '../../src/control/journal-stream';
import type { JournalEntry } from '../../src/control/request-journal';
import { startMockServer, type MockServer } from '../../src/server';
import { contractProblems } from '../helpers/contract-validator';
import { aKeystore, auth, keystoresPath, testStore } from '../helpers/world';

interface ServerSentEvent {
  event: string;
  id: string | undefined;
  data: string;
}

/** An open event stream: its events so far, and a way to wait, within a bound, for more. */
interface OpenStream {
  status: number;
  headers: Headers;
  events: ServerSentEvent[];
  until(done: (events: ServerSentEvent[]) => boolean): Promise<ServerSentEvent[]>;
  ended(): Promise<void>;
  cancel(): Promise<void>;
}

function parseEvents(text: string): ServerSentEvent[] {
  return text
    .split('\n\n')
    .slice(0, -1)
    .map((block) => {
      const event: ServerSentEvent = { event: 'message', id: undefined, data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('data: ')) event.data = line.slice(6);
        else if (line.startsWith('retry: ')) event.event = 'retry';
      }
      return event;
    })
    .filter((event) => event.event !== 'message' || event.data !== '');
}

async function openStream(mock: MockServer, query = '', headers: Record<string, string> = {}): Promise<OpenStream> {
  const res = await fetch(`${mock.url}/__mock/requests/stream${query}`, { headers });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let finished = false;
  const stream: OpenStream = {
    status: res.status,
    headers: res.headers,
    events: [],
    async until(done) {
      while (!done(stream.events)) {
        if (finished) throw new Error(`the stream ended before the expected events; it sent ${text}`);
        const { value, done: over } = await reader.read();
        if (over) finished = true;
        else text += decoder.decode(value, { stream: true });
        stream.events = parseEvents(text);
      }
      return stream.events;
    },
    async ended() {
      while (!finished) {
        const { done } = await reader.read();
        finished = done;
      }
    },
    cancel: () => reader.cancel(),
  };
  return stream;
}

const entries = (events: ServerSentEvent[]) =>
  events.filter(({ event }) => event === 'entry').map(({ data }) => JSON.parse(data) as JournalEntry);

const mocks: MockServer[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((mock) => mock.close()));
});

async function start(options: Parameters<typeof startMockServer>[0] = {}): Promise<MockServer> {
  const mock = await startMockServer({
    seed: 42,
    logLevel: 'silent',
    wait: () => Promise.resolve(),
    ...testStore(),
    ...options,
  });
  mocks.push(mock);
  return mock;
}

async function createKeystore(mock: MockServer, name: string, session?: string): Promise<void> {
  const res = await fetch(`${mock.url}${keystoresPath()}`, {
    method: 'POST',
    headers: { ...auth(), 'Content-Type': 'application/json', ...(session ? { 'X-Mock-Session': session } : {}) },
    body: JSON.stringify(aKeystore({ name })),
  });
  expect(res.status).toBe(200);
}

describe('the journal stream', () => {
  it('is described by the control plane document as server-sent events', () => {
    const document = yaml.load(
      fs.readFileSync(path.join(__dirname, '..', '..', 'openapi', 'control-plane.yaml'), 'utf8'),
    ) as { paths: Record<string, { get?: { responses: Record<string, { content?: object }> } }> };
    const operation = document.paths['/__mock/requests/stream']?.get;
    expect(Object.keys(operation?.responses['200']?.content ?? {})).toEqual(['text/event-stream']);
  });

  it('sends the journal so far, then each new entry as it is recorded, as the journal has them', async () => {
    const mock = await start();
    await createKeystore(mock, 'before');
    const stream = await openStream(mock);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('x-content-type-options')).toBe('nosniff');
    await stream.until((events) => entries(events).length === 1);
    await createKeystore(mock, 'after');
    const events = await stream.until((seen) => entries(seen).length === 2);
    expect(events[0]).toEqual({ event: 'retry', id: undefined, data: '' });
    expect(entries(events).map(({ keystoreName }) => keystoreName)).toEqual(['before', 'after']);
    expect(events.filter(({ event }) => event === 'entry').map(({ id }) => id)).toEqual(['1', '2']);
    const journal = (await (await fetch(`${mock.url}/__mock/requests`)).json()) as { requests: JournalEntry[] };
    expect(entries(events)).toEqual(journal.requests);
    await stream.cancel();
  });

  it('sends only the entries of its own session', async () => {
    const mock = await start();
    const stream = await openStream(mock, '?session=watched');
    await createKeystore(mock, 'elsewhere', 'other');
    await createKeystore(mock, 'here', 'watched');
    const events = await stream.until((seen) => entries(seen).length === 1);
    expect(entries(events)[0]).toMatchObject({ session: 'watched', keystoreName: 'here' });
    await stream.cancel();
  });

  it('sends a reset event when the journal is cleared, then the new journal from sequence 1', async () => {
    const mock = await start();
    const stream = await openStream(mock);
    await createKeystore(mock, 'first');
    await stream.until((events) => entries(events).length === 1);
    expect((await fetch(`${mock.url}/__mock/requests`, { method: 'DELETE' })).status).toBe(200);
    await stream.until((events) => events.some(({ event }) => event === 'reset'));
    await createKeystore(mock, 'second');
    const events = await stream.until((seen) => entries(seen).length === 2);
    expect(events.map(({ event }) => event)).toEqual(['retry', 'entry', 'reset', 'entry']);
    expect(entries(events)[1]).toMatchObject({ sequence: 1, keystoreName: 'second' });
    await stream.cancel();
  });

  it('sends only what follows the Last-Event-ID a reconnecting client sends', async () => {
    const mock = await start();
    await createKeystore(mock, 'one');
    await createKeystore(mock, 'two');
    const stream = await openStream(mock, '', { 'Last-Event-ID': '1' });
    const events = await stream.until((seen) => entries(seen).length === 1);
    expect(entries(events)[0]).toMatchObject({ sequence: 2, keystoreName: 'two' });
    await stream.cancel();
  });

  it('refuses a stream without the admin token when the mock has one, in the documented error shape', async () => {
    const mock = await start({ adminToken: 's3cret' });
    const res = await fetch(`${mock.url}/__mock/requests/stream`);
    const body = (await res.json()) as { error: string };
    expect(res.status).toBe(401);
    expect(body.error).toBe('unauthorized_client');
    expect(
      await contractProblems('GET', '/__mock/requests/stream', res.status, Object.fromEntries(res.headers), body),
    ).toEqual([]);
    const allowed = await openStream(mock, '', { Authorization: 'Bearer s3cret' });
    expect(allowed.status).toBe(200);
    await allowed.cancel();
  });

  it('refuses an unusable session id with 400 invalid_session', async () => {
    const mock = await start();
    const res = await fetch(`${mock.url}/__mock/requests/stream?session=${encodeURIComponent('no spaces')}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_session');
  });

  it('ends its open streams when the server closes, so closing does not wait for them', async () => {
    const mock = await start({ shutdownGraceMs: 60_000 });
    const stream = await openStream(mock);
    await stream.until((events) => events.length === 1);
    await mock.close();
    await stream.ended();
  });
});

describe('what a stream still owes', () => {
  const entry = (sequence: number, time: string) => ({ sequence, time }) as JournalEntry;

  it.each([
    ['a first read', [entry(1, 'a'), entry(2, 'b')], { sequence: 0, time: undefined }, false, [1, 2]],
    ['new entries after the last one sent', [entry(1, 'a'), entry(2, 'b')], { sequence: 1, time: 'a' }, false, [2]],
    ['nothing new', [entry(1, 'a')], { sequence: 1, time: 'a' }, false, []],
    ['a cleared journal', [], { sequence: 2, time: 'b' }, true, []],
    ['a journal that restarted below the last sequence', [entry(1, 'c')], { sequence: 2, time: 'b' }, true, [1]],
    [
      'a journal that restarted and grew past it',
      [entry(1, 'c'), entry(2, 'd')],
      { sequence: 1, time: 'a' },
      true,
      [1, 2],
    ],
    ['a ring buffer that dropped the last one sent', [entry(5, 'e')], { sequence: 3, time: 'c' }, false, [5]],
  ])('finds %s', (_case, journal, last, restarted, fresh) => {
    const delta = journalDelta(journal, last);
    expect({ restarted: delta.restarted, fresh: delta.fresh.map(({ sequence }) => sequence) }).toEqual({
      restarted,
      fresh,
    });
  });
});
