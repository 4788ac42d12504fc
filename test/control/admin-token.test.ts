import { api } from '../helpers/contract-request';
import { auth, keystoresPath, testApp } from '../helpers/world';

type Call = [string, 'get' | 'post' | 'put' | 'delete', string, object | undefined];

const CONTROL_CALLS: Call[] = [
  ['GET /__mock/health', 'get', '/__mock/health', undefined],
  ['POST /__mock/reset', 'post', '/__mock/reset', undefined],
  ['GET /__mock/state', 'get', '/__mock/state', undefined],
  ['PUT /__mock/state', 'put', '/__mock/state', { projects: {} }],
  ['GET /__mock/scenarios', 'get', '/__mock/scenarios', undefined],
  ['GET /__mock/scenario', 'get', '/__mock/scenario', undefined],
  ['PUT /__mock/scenario', 'put', '/__mock/scenario', { name: 'happy' }],
  ['GET /__mock/requests', 'get', '/__mock/requests', undefined],
  ['DELETE /__mock/requests', 'delete', '/__mock/requests', undefined],
  ['GET /__mock/openapi.json', 'get', '/__mock/openapi.json', undefined],
  ['POST /__mock/verify', 'post', '/__mock/verify', { atMost: 0 }],
  ['PUT /__mock/scenarios/{name}', 'put', '/__mock/scenarios/from-a-test', { description: 'Made by a test.' }],
  ['GET /__mock/sessions', 'get', '/__mock/sessions', undefined],
  ['GET /__mock/dashboard', 'get', '/__mock/dashboard', undefined],
];

const ADMIN_TOKEN_REQUIRED = {
  error: 'unauthorized_client',
  error_description: 'This control call needs the admin token: send Authorization: Bearer <admin token>.',
};

async function call(
  app: Parameters<typeof api>[0],
  [, method, path, body]: Call,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const request = api(app)[method](path).set(headers);
  const res = await (body === undefined ? request : request.send(body));
  return { status: res.status, body: res.body };
}

describe('the admin token', () => {
  it.each(CONTROL_CALLS)('refuses %s without the admin token', async (...control) => {
    const { app } = await testApp({ adminToken: 's3cret' });
    expect(await call(app, control, {})).toEqual({ status: 401, body: ADMIN_TOKEN_REQUIRED });
  });

  it.each(CONTROL_CALLS)('refuses %s with a wrong admin token', async (...control) => {
    const { app } = await testApp({ adminToken: 's3cret' });
    expect(await call(app, control, auth('not-the-secret'))).toEqual({ status: 401, body: ADMIN_TOKEN_REQUIRED });
  });

  it.each(CONTROL_CALLS)('serves %s with the admin token', async (...control) => {
    const { app } = await testApp({ adminToken: 's3cret' });
    expect(String((await call(app, control, auth('s3cret'))).status)).toMatch(/^20[01]$/);
  });

  it.each(CONTROL_CALLS)('serves %s without auth when no admin token is configured', async (...control) => {
    const { app } = await testApp();
    expect(String((await call(app, control, {})).status)).toMatch(/^20[01]$/);
  });

  it('changes nothing on a refused reset', async () => {
    const { app } = await testApp({ adminToken: 's3cret' });
    await api(app).put('/__mock/scenario').set(auth('s3cret')).send({ name: 'server-error' }).expect(200);
    await api(app).post('/__mock/reset').expect(401);
    await api(app).get('/__mock/scenario').set(auth('s3cret')).expect(200, { active: 'server-error' });
  });

  it('leaves the product API on its own tokens', async () => {
    const { app } = await testApp({ adminToken: 's3cret' });
    await api(app).get(keystoresPath()).set(auth()).expect(200);
  });

  it('is not a token of the product API', async () => {
    const { app } = await testApp({ adminToken: 's3cret' });
    await api(app).get(keystoresPath()).set(auth('s3cret')).expect(401);
  });
});
