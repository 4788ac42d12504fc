import type { MockServer } from '../../src/server';
import { expectErrorBody } from '../properties/support/error-body';
import { head, jsonOf, rawRequest, type HeaderList } from './support/raw-http';
import { startHostileServer } from './support/hostile-server';

const LIST_PATH = '/apiops/projects/MyProject/keystores/';
const BEARER = 'Bearer demo-token';

describe('hostile paths and headers', () => {
  let server: MockServer;

  beforeAll(async () => {
    server = await startHostileServer();
  });

  afterAll(async () => {
    await server.close();
  });

  const get = (path: string, headers: HeaderList) => rawRequest(server.port, { chunks: [head('GET', path, headers)] });

  it.each([
    ['/apiops/projects/MyProject/keystores/%E0%A4%A'],
    ['/apiops/projects/MyProject/keystores/%E0%A4%A/'],
    ['/apiops/projects/MyProject/keystores/%'],
    ['/apiops/projects/MyProject/keystores/%ZZ/'],
    ['/apiops/projects/MyProject/keystores/%C0%AF/'],
    ['/apiops/projects/%E0%A4%A/keystores/'],
  ])('answers 400 bad_request to the malformed percent-encoding in %s', async (path) => {
    const res = await get(path, { Authorization: BEARER });
    expect(res.status).toBe(400);
    expect(jsonOf(res)).toMatchObject({ error: 'bad_request' });
    expectErrorBody(res.status, jsonOf(res));
  });

  it.each([
    ['the same valid token twice', BEARER, BEARER],
    ['a valid token, then an unknown one', BEARER, 'Bearer nope'],
    ['an unknown token, then a valid one', 'Bearer nope', BEARER],
  ])('answers 401 to two Authorization headers carrying %s', async (_case, first, second) => {
    const res = await get(LIST_PATH, [
      ['Authorization', first],
      ['Authorization', second],
    ]);
    expect(res.status).toBe(401);
    expectErrorBody(res.status, jsonOf(res));
  });

  it.each([
    ['an empty Authorization header', ''],
    ['a Bearer scheme without a token', 'Bearer'],
    ['a Bearer scheme followed by blanks only', 'Bearer   '],
    ['a Basic scheme', 'Basic YWRtaW46YWRtaW4='],
  ])('answers 401 to %s', async (_case, value) => {
    const res = await get(LIST_PATH, [['Authorization', value]]);
    expect(res.status).toBe(401);
    expect(jsonOf(res)).toStrictEqual({ error: 'unauthorized_client', error_description: 'Invalid token' });
  });

  // Runs last: the hostile requests above must not have taken the server down.
  it('still answers the health check after the hostile requests', async () => {
    const res = await get('/__mock/health', {});
    expect(res.status).toBe(200);
    expect(jsonOf(res)).toMatchObject({ status: 'ok' });
  });
});
