import { startMockServer, type MockServer } from '../../src/server';
import { aKeystore, keystorePath, keystoresPath } from '../helpers/world';
import { fetchChecked, fetchFailure } from './fetch-checked';

const HEADERS = { Authorization: 'Bearer demo-token', 'Content-Type': 'application/json' };

function create(mock: MockServer, headers: Record<string, string> = {}, name = 'my-keystore'): Promise<Response> {
  return fetch(`${mock.url}${keystoresPath()}`, {
    method: 'POST',
    headers: { ...HEADERS, ...headers },
    body: JSON.stringify(aKeystore({ name })),
  });
}

async function storedNames(mock: MockServer): Promise<string[]> {
  const snapshot = await mock.state();
  return (snapshot.MyProject ?? []).map((keystore) => keystore.name);
}

describe('X-Mock-Fault seen by a real client (fetch against startMockServer)', () => {
  let mock: MockServer;
  /** Each hang's wait: resolved by the test, or never. */
  const hangs: { ms: number; signal: AbortSignal | undefined; resolve: () => void }[] = [];

  beforeAll(async () => {
    mock = await startMockServer({
      seed: 42,
      logLevel: 'silent',
      maxHangMs: 45_000,
      wait: (ms, signal) =>
        ms === 45_000 ? new Promise<void>((resolve) => hangs.push({ ms, signal, resolve })) : Promise.resolve(),
    });
  });

  beforeEach(async () => {
    hangs.splice(0);
    await mock.reset();
  });

  afterAll(() => mock.close());

  it('resets the connection: fetch fails with ECONNRESET', async () => {
    const failure = await fetchFailure(create(mock, { 'X-Mock-Fault': 'connection-reset' }));
    expect(failure).toEqual({ name: 'TypeError', message: 'fetch failed', cause: 'ECONNRESET' });
  });

  it('closes the connection with no response: fetch fails as the other side closed', async () => {
    const failure = await fetchFailure(create(mock, { 'X-Mock-Fault': 'empty-reply' }));
    expect(failure).toEqual({ name: 'TypeError', message: 'fetch failed', cause: 'UND_ERR_SOCKET' });
  });

  it('sends a 200 whose JSON body is cut: reading it as JSON fails', async () => {
    const res = await create(mock, { 'X-Mock-Fault': 'malformed-json' });
    const text = await res.text();
    expect({
      status: res.status,
      contentType: res.headers.get('content-type'),
      contentLength: Number(res.headers.get('content-length')),
    }).toEqual({ status: 200, contentType: 'application/json;charset=UTF-8', contentLength: Buffer.byteLength(text) });
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(text.startsWith('{"success":true')).toBe(true);
  });

  it('hangs until the client gives up, and the client gives up with a timeout', async () => {
    const failure = await fetchFailure(
      fetch(`${mock.url}${keystoresPath()}`, {
        headers: { ...HEADERS, 'X-Mock-Fault': 'hang' },
        signal: AbortSignal.timeout(100),
      }),
    );
    expect(failure.name).toBe('TimeoutError');
  });

  it('frees a hang once its client has gone', async () => {
    await fetchFailure(
      fetch(`${mock.url}${keystoresPath()}`, {
        headers: { ...HEADERS, 'X-Mock-Fault': 'hang' },
        signal: AbortSignal.timeout(50),
      }),
    );
    const [hang] = hangs;
    if (hang?.signal === undefined) throw new Error('the hang did not wait');
    if (!hang.signal.aborted) await new Promise((resolve) => hang.signal?.addEventListener('abort', resolve));
    const [entry] = await mock.requests({ operationId: 'listKeystores' });
    expect(entry?.notes).toEqual([
      'fault hang (after, from X-Mock-Fault): no answer until the client gave up; the operation ran and its 200 answer was not sent',
    ]);
  });

  it('drops a hung connection once --max-hang passes', async () => {
    const pending = fetchFailure(
      fetch(`${mock.url}${keystoresPath()}`, { headers: { ...HEADERS, 'X-Mock-Fault': 'hang' } }),
    );
    while (hangs.length === 0) await new Promise((resolve) => setImmediate(resolve));
    hangs[0]?.resolve();
    expect(await pending).toEqual({ name: 'TypeError', message: 'fetch failed', cause: 'UND_ERR_SOCKET' });
  });

  describe.each(['connection-reset', 'empty-reply', 'malformed-json'])('%s', (fault) => {
    it('stores the keystore by default, so a retried create meets the duplicate', async () => {
      await create(mock, { 'X-Mock-Fault': fault }).then(
        (res) => res.text(),
        () => undefined,
      );
      const retry = await fetchChecked(`${mock.url}${keystoresPath()}`, {
        method: 'POST',
        headers: HEADERS,
        body: JSON.stringify(aKeystore()),
      });
      expect({ status: retry.status, body: retry.body, stored: await storedNames(mock) }).toEqual({
        status: 400,
        body: {
          error: 'bad_request',
          error_description:
            'Keystore (name: my-keystore) is already exist! Try update operation if want to change its value.',
        },
        stored: ['my-keystore'],
      });
    });

    it('changes nothing with X-Mock-Fault-When: before, and the journal says so', async () => {
      await create(mock, { 'X-Mock-Fault': fault, 'X-Mock-Fault-When': 'before' }).then(
        (res) => res.text(),
        () => undefined,
      );
      const [entry] = await mock.requests({ operationId: 'createKeystore' });
      expect({ stored: await storedNames(mock), notes: entry?.notes }).toEqual({
        stored: [],
        notes: [
          expect.stringMatching(new RegExp(`^fault ${fault} \\(before, from X-Mock-Fault\\): .*nothing changed`)),
        ],
      });
    });
  });

  it('removes the keystore on a delete whose answer is reset', async () => {
    await create(mock).then((res) => res.text());
    await fetchFailure(
      fetch(`${mock.url}${keystorePath('my-keystore')}`, {
        method: 'DELETE',
        headers: { ...HEADERS, 'X-Mock-Fault': 'connection-reset' },
      }),
    );
    expect(await storedNames(mock)).toEqual([]);
  });

  it('notes in the journal that the answer was not sent', async () => {
    await fetchFailure(create(mock, { 'X-Mock-Fault': 'connection-reset' }));
    const [entry] = await mock.requests({ operationId: 'createKeystore' });
    expect({ status: entry?.status, notes: entry?.notes }).toEqual({
      status: 200,
      notes: [
        'fault connection-reset (after, from X-Mock-Fault): the connection was reset; the operation ran and its 200 answer was not sent',
      ],
    });
  });

  it('breaks the answer of an error too, such as a 401', async () => {
    const failure = await fetchFailure(
      fetch(`${mock.url}${keystoresPath()}`, { headers: { 'X-Mock-Fault': 'connection-reset' } }),
    );
    expect(failure.cause).toBe('ECONNRESET');
  });

  it('answers the next request normally', async () => {
    await fetchFailure(create(mock, { 'X-Mock-Fault': 'connection-reset' }));
    const res = await fetchChecked(`${mock.url}${keystoresPath()}`, { headers: HEADERS });
    expect(res.status).toBe(200);
  });
});

describe('a hang when the server shuts down', () => {
  it('ends at once, so close() does not wait for it', async () => {
    let waited: AbortSignal | undefined;
    const mock = await startMockServer({
      logLevel: 'silent',
      // A long grace: close() could only resolve this soon because the hang let go.
      shutdownGraceMs: 600_000,
      wait: (_ms, signal) => {
        waited = signal;
        return new Promise<void>(() => undefined);
      },
    });
    const pending = fetchFailure(
      fetch(`${mock.url}${keystoresPath()}`, { headers: { ...HEADERS, 'X-Mock-Fault': 'hang' } }),
    );
    while (waited === undefined) await new Promise((resolve) => setImmediate(resolve));
    await mock.close();
    expect(await pending).toEqual({ name: 'TypeError', message: 'fetch failed', cause: 'UND_ERR_SOCKET' });
  });
});
