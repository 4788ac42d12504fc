import { createApp } from '../../src/app';
import { resolveConfig, type LogLevel } from '../../src/config';
import { createLogger } from '../../src/logging/create-logger';
import { api } from '../helpers/contract-request';
import { TOKENS, aKeystore, auth, keystorePath, keystoresPath } from '../helpers/world';

const ADMIN_TOKEN = 'admin-secret-9c1e77';

/** A pino destination that keeps every line written to it. */
function captureLines(): { lines: string[]; write: (line: string) => void } {
  const lines: string[] = [];
  return { lines, write: (line) => void lines.push(line) };
}

type LogLine = Record<string, unknown>;

describe.each<LogLevel>(['info', 'trace'])('the %s log of a mock that served requests with tokens', (level) => {
  const captured = captureLines();
  let issuedToken: string;
  /** How many product API requests were sent. */
  let productRequests = 0;

  const requestLines = (): LogLine[] =>
    captured.lines.map((line) => JSON.parse(line) as LogLine).filter((line) => line.msg === 'request');

  beforeAll(async () => {
    const { app } = await createApp(resolveConfig({ adminToken: ADMIN_TOKEN, seed: 42, logLevel: level }), {
      logger: createLogger(level, false, captured),
      wait: () => Promise.resolve(),
    });
    const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const product = async (send: () => PromiseLike<unknown>): Promise<void> => {
      productRequests += 1;
      await send();
    };

    await product(() => api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200));
    await product(() => api(app).get(keystoresPath()).set(auth()).set('X-Mock-Session', 'log-session').expect(200));
    await product(() =>
      api(app)
        .post(keystoresPath())
        .set(auth())
        .set('X-Mock-Scenario', 'partial-deploy-failure')
        .send(aKeystore({ name: 'partly-deployed' }))
        .expect(200),
    );
    await product(() => api(app).get(keystorePath('missing')).set(auth()).expect(400));
    await product(() =>
      api(app)
        .post(keystoresPath())
        .set(auth(TOKENS.noDeploy))
        .send(aKeystore({ name: 'forbidden' }))
        .expect(403),
    );
    await product(() =>
      api(app).post(keystoresPath()).set(auth()).set('Content-Type', 'application/json').send('{"name":').expect(400),
    );
    await product(async () => {
      const res = await api(app)
        .post('/apiops/auth/token')
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: 'admin', client_secret: 'admin' })
        .expect(200);
      issuedToken = res.body.access_token;
    });
    await product(() => api(app).get(keystoresPath()).set(auth(issuedToken)).expect(200));

    await api(app).get('/__mock/health').set(admin).expect(200);
    await api(app).put('/__mock/scenario').set(admin).send({ name: 'happy' }).expect(200);
    await api(app).get('/__mock/requests').set(admin).expect(200);
    await api(app).get('/__mock/requests').expect(401);
  });

  it('writes every line as JSON', () => {
    const unparsable = captured.lines.filter((line) => {
      try {
        JSON.parse(line);
        return false;
      } catch {
        return true;
      }
    });
    expect({ lines: captured.lines.length > 0, unparsable }).toEqual({ lines: true, unparsable: [] });
  });

  it('writes one request line per product API request', () => {
    expect(requestLines()).toHaveLength(productRequests);
  });

  it('writes request lines at the info level', () => {
    expect(new Set(requestLines().map((line) => line.level))).toEqual(new Set([30]));
  });

  it('puts method, path, operationId, status, duration, session and scenario on a request line', () => {
    expect(requestLines()[0]).toEqual(
      expect.objectContaining({
        method: 'POST',
        path: keystoresPath(),
        operationId: 'createKeystore',
        status: 200,
        durationMs: expect.any(Number),
        session: 'default',
        scenario: 'happy',
      }),
    );
  });

  it('names the session of X-Mock-Session on its request line', () => {
    expect(requestLines()[1]).toEqual(
      expect.objectContaining({ operationId: 'listKeystores', session: 'log-session' }),
    );
  });

  it('names the scenario of X-Mock-Scenario on its request line', () => {
    expect(requestLines()[2]).toEqual(
      expect.objectContaining({ operationId: 'createKeystore', scenario: 'partial-deploy-failure' }),
    );
  });

  it('logs the status of each request, failures included', () => {
    expect(requestLines().map((line) => line.status)).toEqual([200, 200, 200, 400, 403, 400, 200, 200]);
  });

  it.each([
    ['the fixture token', TOKENS.both],
    ['the token without the deploy role', TOKENS.noDeploy],
    ['the admin token', ADMIN_TOKEN],
  ])('never writes %s', (_name, secret) => {
    expect(captured.lines.filter((line) => line.includes(secret))).toEqual([]);
  });

  it('never writes a token it issued', () => {
    expect({ issued: typeof issuedToken, leaks: captured.lines.filter((line) => line.includes(issuedToken)) }).toEqual({
      issued: 'string',
      leaks: [],
    });
  });
});
