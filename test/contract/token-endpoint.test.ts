import type { Express } from 'express';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystoresPath, testApp } from '../helpers/world';

const TOKEN_PATH = '/apiops/auth/token';
const ADMIN = { grant_type: 'client_credentials', client_id: 'admin', client_secret: 'admin' };

describe('POST /apiops/auth/token', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp());
  });

  it('gives admin/admin a Bearer token with its lifetime in seconds, without any Authorization header', async () => {
    const res = await api(app).post(TOKEN_PATH).type('form').send(ADMIN).expect(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    expect(res.body.access_token).not.toBe('');
  });

  it('reads the form from a raw form-urlencoded body', async () => {
    const res = await api(app)
      .post(TOKEN_PATH)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('grant_type=client_credentials&client_id=admin&client_secret=admin')
      .expect(200);
    expect(res.body.token_type).toBe('Bearer');
  });

  it('gives a token that creates, lists and deletes keystores', async () => {
    const { body } = await api(app).post(TOKEN_PATH).type('form').send(ADMIN).expect(200);
    const token = body.access_token as string;
    await api(app).post(keystoresPath()).set(auth(token)).send(aKeystore()).expect(200);
    const res = await api(app).get(keystoresPath()).set(auth(token)).expect(200);
    expect(res.body.resultCount).toBe(1);
    await api(app).delete(`${keystoresPath()}my-keystore/`).set(auth(token)).expect(200);
  });

  it('gives a new token on each request', async () => {
    const first = await api(app).post(TOKEN_PATH).type('form').send(ADMIN).expect(200);
    const second = await api(app).post(TOKEN_PATH).type('form').send(ADMIN).expect(200);
    expect(second.body.access_token).not.toBe(first.body.access_token);
  });

  it('reports the configured token lifetime', async () => {
    ({ app } = await testApp({ tokenTtlSeconds: 60 }));
    const res = await api(app).post(TOKEN_PATH).type('form').send(ADMIN).expect(200);
    expect(res.body.expires_in).toBe(60);
  });

  it.each(['password', 'authorization_code', 'CLIENT_CREDENTIALS', ''])(
    'rejects the grant_type "%s" as unsupported_grant_type',
    async (grantType) => {
      const res = await api(app)
        .post(TOKEN_PATH)
        .type('form')
        .send({ ...ADMIN, grant_type: grantType })
        .expect(400);
      expect(res.body).toEqual({
        error: 'unsupported_grant_type',
        error_description: 'GrantType value must be client_credentials!',
      });
    },
  );

  it.each([
    ['a wrong secret', { client_secret: 'wrong' }],
    ['an unknown client', { client_id: 'mallory' }],
    ['the secret of another case', { client_secret: 'ADMIN' }],
  ])('rejects %s with Bad credentials', async (_case, overrides) => {
    const res = await api(app)
      .post(TOKEN_PATH)
      .type('form')
      .send({ ...ADMIN, ...overrides })
      .expect(401);
    expect(res.body).toEqual({ error: 'unauthorized_client', error_description: 'Bad credentials' });
  });

  it('checks the grant type before the credentials', async () => {
    const res = await api(app)
      .post(TOKEN_PATH)
      .type('form')
      .send({ grant_type: 'password', client_id: 'admin', client_secret: 'wrong' })
      .expect(400);
    expect(res.body.error).toBe('unsupported_grant_type');
  });

  it('answers 415 naming the form type to a JSON body', async () => {
    const res = await api(app).post(TOKEN_PATH).send(ADMIN).expect(415);
    expect(res.body.error).toBe('unsupported_media_type');
    expect(res.body.error_description).toContain('application/x-www-form-urlencoded');
  });
});
