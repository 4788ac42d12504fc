import request from 'supertest';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystoresPath, testApp } from '../helpers/world';

async function appWithWaits(overrides = {}) {
  const waits: number[] = [];
  const mock = await testApp(overrides, { wait: async (ms) => void waits.push(ms) });
  return { ...mock, waits };
}

describe('X-Mock-Delay', () => {
  it('waits the asked milliseconds before the answer, through the injected wait', async () => {
    const { app, waits } = await appWithWaits();
    await api(app).get(keystoresPath()).set(auth()).set('X-Mock-Delay', '250').expect(200);
    expect(waits).toEqual([250]);
  });

  it("adds to the scenario's own latency", async () => {
    const { app, waits } = await appWithWaits();
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .set('X-Mock-Scenario', 'flaky-staging')
      .set('X-Mock-Delay', '1000')
      .send(aKeystore())
      .expect(200);
    // flaky-staging's deployment wait first, then the header's delay before the answer.
    expect(waits[1]).toBe(1000);
    expect(waits).toHaveLength(2);
  });

  it('notes the delay in the journal', async () => {
    const { app, requests } = await appWithWaits();
    await api(app).get(keystoresPath()).set(auth()).set('X-Mock-Delay', '40').expect(200);
    const [entry] = await requests();
    expect(entry?.notes).toEqual(['delayed 40 ms by X-Mock-Delay']);
  });

  it('waits nothing when the header is absent', async () => {
    const { app, waits } = await appWithWaits();
    await api(app).get(keystoresPath()).set(auth()).expect(200);
    expect(waits).toEqual([]);
  });

  it('takes the maximum itself', async () => {
    const { app, waits } = await appWithWaits({ maxDelayMs: 500 });
    await api(app).get(keystoresPath()).set(auth()).set('X-Mock-Delay', '500').expect(200);
    expect(waits).toEqual([500]);
  });

  it.each(['30001', '-1', '1.5', 'soon', '100, 200', '1e3'])(
    'refuses %j with a 400 that names the maximum',
    async (value) => {
      const { app, waits } = await appWithWaits();
      const res = await api(app).get(keystoresPath()).set(auth()).set('X-Mock-Delay', value).expect(400);
      expect({ body: res.body, waits }).toEqual({
        body: {
          error: 'invalid_mock_header',
          error_description: `X-Mock-Delay "${value}" is not usable: send a whole number of milliseconds from 0 to 30000 (the maximum, set by --max-delay).`,
        },
        waits: [],
      });
    },
  );

  it('names the configured maximum', async () => {
    const { app } = await appWithWaits({ maxDelayMs: 500 });
    const res = await api(app).get(keystoresPath()).set(auth()).set('X-Mock-Delay', '501').expect(400);
    expect(res.body.error_description).toContain('from 0 to 500 (the maximum, set by --max-delay)');
  });

  it('answers a bad delay before a missing token is a 401: it is the mock user’s own mistake', async () => {
    const { app } = await appWithWaits();
    const res = await api(app).get(keystoresPath()).set('X-Mock-Delay', 'x').expect(400);
    expect(res.body.error).toBe('invalid_mock_header');
  });

  it('is ignored by the control plane', async () => {
    const { app, waits } = await appWithWaits();
    await api(app).get('/__mock/health').set('X-Mock-Delay', 'not a number').expect(200);
    expect(waits).toEqual([]);
  });
});

describe('X-Mock-Fault and X-Mock-Fault-When values', () => {
  it('refuses an unknown fault with a 400 that lists the known ones', async () => {
    const { app } = await testApp();
    const res = await api(app).get(keystoresPath()).set(auth()).set('X-Mock-Fault', 'timeout').expect(400);
    expect(res.body).toEqual({
      error: 'invalid_mock_header',
      error_description:
        'X-Mock-Fault "timeout" is not a known fault. Known faults: connection-reset, empty-reply, hang, malformed-json.',
    });
  });

  it('refuses an X-Mock-Fault-When other than after or before', async () => {
    const { app } = await testApp();
    const res = await api(app)
      .get(keystoresPath())
      .set(auth())
      .set('X-Mock-Fault', 'hang')
      .set('X-Mock-Fault-When', 'during')
      .expect(400);
    expect(res.body.error_description).toBe('X-Mock-Fault-When "during" is not usable; send one of: after, before.');
  });

  it('refuses an X-Mock-Fault-When without X-Mock-Fault', async () => {
    const { app } = await testApp();
    const res = await api(app).get(keystoresPath()).set(auth()).set('X-Mock-Fault-When', 'before').expect(400);
    expect(res.body.error_description).toBe(
      'X-Mock-Fault-When "before" needs an X-Mock-Fault header to say which fault to time.',
    );
  });

  it('is ignored by the control plane', async () => {
    const { app } = await testApp();
    await api(app).get('/__mock/health').set('X-Mock-Fault', 'connection-reset').expect(200);
  });

  it('reads the fault name in any case', async () => {
    const { app } = await testApp();
    // No answer arrives to check against the document: the connection is reset.
    const failed = request(app).get(keystoresPath()).set(auth()).set('X-Mock-Fault', 'Connection-Reset');
    await expect(failed).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});

describe('CORS preflight for the mock headers', () => {
  it('allows X-Mock-Delay, X-Mock-Fault, X-Mock-Fault-When, X-Mock-Scenario, X-Mock-Session and Prefer', async () => {
    const { app } = await testApp();
    const asked = ['x-mock-delay', 'x-mock-fault', 'x-mock-fault-when', 'x-mock-scenario', 'x-mock-session', 'prefer'];
    const res = await api(app)
      .options(keystoresPath())
      .set('Origin', 'http://a.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', asked.join(','))
      .expect(204);
    expect(res.headers['access-control-allow-headers']?.toLowerCase().split(',')).toEqual(
      expect.arrayContaining(asked),
    );
  });
});
