import type { MockServer } from '../../src/server';
import { expectErrorBody } from '../properties/support/error-body';
import { head, jsonOf, rawRequest } from './support/raw-http';
import { startHostileServer } from './support/hostile-server';

const CREATE_PATH = '/apiops/projects/MyProject/keystores/';
const VALID_BODY = JSON.stringify({
  name: 'hostile-json',
  keyStoreEnvironmentList: [{ environmentName: 'production', type: 'JKS', file: '/u3+7QAAAAIAAAAB' }],
});
const DEPTH = 10_000;

/** `{"name":"x","keyStoreEnvironmentList":[...],"description": <nested>}`. */
function withNestedDescription(nested: string): string {
  return `${VALID_BODY.slice(0, -1)},"description":${nested}}`;
}

describe('hostile JSON bodies', () => {
  let server: MockServer;

  beforeAll(async () => {
    server = await startHostileServer();
  });

  afterAll(async () => {
    await server.close();
  });

  const post = (body: string | Buffer) =>
    rawRequest(server.port, {
      chunks: [
        head('POST', CREATE_PATH, {
          Authorization: 'Bearer demo-token',
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(body)),
        }),
        body,
      ],
    });

  it('answers 400 bad_request to a body that starts with a UTF-8 byte order mark', async () => {
    const res = await post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(VALID_BODY)]));
    expect(res.status).toBe(400);
    expect(jsonOf(res)).toMatchObject({ error: 'bad_request' });
    expectErrorBody(res.status, jsonOf(res));
  });

  it.each([
    ['arrays', `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`],
    ['objects', `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`],
    ['arrays of objects', `${'[{"a":'.repeat(DEPTH)}0${'}]'.repeat(DEPTH)}`],
  ])('answers 400 to a body of %s nested 10,000 levels deep', async (_shape, body) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expectErrorBody(res.status, jsonOf(res));
  });

  it.each([
    ['arrays', `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`],
    ['objects', `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`],
  ])('answers 400 to a description of %s nested 10,000 levels deep', async (_shape, nested) => {
    const res = await post(withNestedDescription(nested));
    expect(res.status).toBe(400);
    expect(jsonOf(res)).toMatchObject({ error: 'validation_failed' });
    expectErrorBody(res.status, jsonOf(res));
  });

  it('answers 400 to 10,000 unclosed brackets', async () => {
    const res = await post('['.repeat(DEPTH));
    expect(res.status).toBe(400);
    expect(jsonOf(res)).toMatchObject({ error: 'bad_request' });
  });

  it('stores nothing from the hostile bodies', async () => {
    expect((await server.state()).MyProject).toEqual([]);
  });

  // Runs last: the hostile requests above must not have taken the server down.
  it('still answers the health check after the hostile requests', async () => {
    const res = await rawRequest(server.port, { chunks: [head('GET', '/__mock/health')] });
    expect(res.status).toBe(200);
    expect(jsonOf(res)).toMatchObject({ status: 'ok' });
  });
});
