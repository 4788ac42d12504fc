import type { Express } from 'express';
import { api } from '../helpers/contract-request';
import { auth, testApp, TOKENS } from '../helpers/world';

const TEXT = 'text/plain;charset=UTF-8';

describe('GET /apiops/test/healthcheck', () => {
  let app: Express;

  beforeAll(async () => {
    ({ app } = await testApp());
  });

  it.each(['/apiops/test/healthcheck', '/apiops/test/healthcheck/'])(
    'answers %s with 200 text/plain OK without a token',
    async (path) => {
      const res = await api(app).get(path).expect(200);
      expect({ type: res.headers['content-type'], text: res.text }).toEqual({ type: TEXT, text: 'OK' });
    },
  );

  it('ignores a token that is not valid, as it needs none', async () => {
    const res = await api(app).get('/apiops/test/healthcheck').set(auth('not-a-token')).expect(200);
    expect(res.text).toBe('OK');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const res = await api(app).head('/apiops/test/healthcheck').expect(200);
    expect({ type: res.headers['content-type'], length: res.headers['content-length'] }).toEqual({
      type: TEXT,
      length: '2',
    });
  });
});

describe('GET /apiops/test/hello/{name}', () => {
  let app: Express;

  beforeAll(async () => {
    ({ app } = await testApp());
  });

  it.each([TOKENS.both, TOKENS.noRole, 'admin-token'])(
    'greets the name of the path for the token %s',
    async (token) => {
      const res = await api(app).get('/apiops/test/hello/Ada').set(auth(token)).expect(200);
      expect({ type: res.headers['content-type'], text: res.text }).toEqual({ type: TEXT, text: 'Hello Ada' });
    },
  );

  it('greets a percent-encoded name as decoded', async () => {
    const res = await api(app).get('/apiops/test/hello/Ada%20Lovelace/').set(auth()).expect(200);
    expect(res.text).toBe('Hello Ada Lovelace');
  });

  it('answers 401 Invalid token without a token', async () => {
    const res = await api(app).get('/apiops/test/hello/Ada').expect(401);
    expect(res.body).toEqual({ error: 'unauthorized_client', error_description: 'Invalid token' });
  });

  it('answers 401 token_expired to an expired token', async () => {
    const res = await api(app).get('/apiops/test/hello/Ada').set(auth(TOKENS.expired)).expect(401);
    expect(res.body).toEqual({ error: 'token_expired', error_description: 'Token has expired' });
  });
});
