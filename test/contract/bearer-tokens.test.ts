import type { Express } from 'express';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystorePath, keystoresPath, testApp, TOKENS } from '../helpers/world';
import { sendRequest, type RequestSpec } from './send-request';

const INVALID_TOKEN = { error: 'unauthorized_client', error_description: 'Invalid token' };
const TOKEN_EXPIRED = { error: 'token_expired', error_description: 'Token has expired' };
const FORBIDDEN = { error: 'forbidden', error_description: 'You do not have permission to perform this action' };

/** Each keystore operation, aimed at the keystore `existing` that every test starts with. */
const OPERATIONS: Record<string, Omit<RequestSpec, 'authorization'>> = {
  list: { method: 'get', path: keystoresPath() },
  get: { method: 'get', path: keystorePath('existing') },
  create: { method: 'post', path: keystoresPath(), json: aKeystore({ name: 'created' }) },
  update: { method: 'put', path: keystorePath('existing'), json: aKeystore({ name: 'existing', description: 'new' }) },
  delete: { method: 'delete', path: keystorePath('existing') },
};

/** A refusal's status and body, by the name the tables use. */
const REFUSALS = {
  forbidden: { status: 403, body: FORBIDDEN },
  expired: { status: 401, body: TOKEN_EXPIRED },
} as const;

type Outcome = 'allowed' | keyof typeof REFUSALS;

/** What each fixture token gets from each operation. */
const EXPECTED: [token: string, operation: string, outcome: Outcome][] = [
  [TOKENS.both, 'list', 'allowed'],
  [TOKENS.both, 'get', 'allowed'],
  [TOKENS.both, 'create', 'allowed'],
  [TOKENS.both, 'update', 'allowed'],
  [TOKENS.both, 'delete', 'allowed'],
  [TOKENS.noDeploy, 'list', 'allowed'],
  [TOKENS.noDeploy, 'get', 'allowed'],
  [TOKENS.noDeploy, 'create', 'forbidden'],
  [TOKENS.noDeploy, 'update', 'forbidden'],
  [TOKENS.noDeploy, 'delete', 'forbidden'],
  [TOKENS.noRole, 'list', 'forbidden'],
  [TOKENS.noRole, 'get', 'forbidden'],
  [TOKENS.noRole, 'create', 'forbidden'],
  [TOKENS.noRole, 'update', 'forbidden'],
  [TOKENS.noRole, 'delete', 'forbidden'],
  [TOKENS.expired, 'list', 'expired'],
  [TOKENS.expired, 'get', 'expired'],
  [TOKENS.expired, 'create', 'expired'],
  [TOKENS.expired, 'update', 'expired'],
  [TOKENS.expired, 'delete', 'expired'],
];

describe('fixture tokens and roles', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp());
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ name: 'existing' }))
      .expect(200);
  });

  it.each(EXPECTED.filter(([, , outcome]) => outcome === 'allowed'))(
    'lets %s %s a keystore',
    async (token, operation) => {
      const spec = OPERATIONS[operation] as RequestSpec;
      const res = await sendRequest(app, { ...spec, authorization: `Bearer ${token}` });
      expect(res.status).toBe(200);
      expect(res.body.success).toBe(true);
    },
  );

  it.each(EXPECTED.filter(([, , outcome]) => outcome !== 'allowed'))(
    'refuses %s on %s as %s',
    async (token, operation, outcome) => {
      const spec = OPERATIONS[operation] as RequestSpec;
      const refusal = REFUSALS[outcome as keyof typeof REFUSALS];
      const res = await sendRequest(app, { ...spec, authorization: `Bearer ${token}` });
      expect(res.status).toBe(refusal.status);
      expect(res.body).toEqual(refusal.body);
    },
  );

  it.each([
    ['no Authorization header', undefined],
    ['an empty Authorization header', ''],
    ['a Basic scheme', 'Basic x'],
    ['a Basic scheme carrying a valid token', `Basic ${TOKENS.both}`],
    ['a Bearer scheme without a token', 'Bearer '],
    ['an unknown token', 'Bearer not-a-known-token'],
    ['a valid token without a scheme', TOKENS.both],
  ])('answers 401 Invalid token to %s', async (_case, authorization) => {
    const res = await sendRequest(app, { method: 'get', path: keystoresPath(), authorization });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(INVALID_TOKEN);
  });
});

describe('issued token lifetime', () => {
  const START = Date.UTC(2030, 0, 1);
  let now: number;
  let app: Express;

  beforeEach(async () => {
    now = START;
    ({ app } = await testApp({ tokenTtlSeconds: 60 }, { clock: () => now }));
  });

  async function issueToken(): Promise<string> {
    const res = await api(app)
      .post('/apiops/auth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: 'admin', client_secret: 'admin' })
      .expect(200);
    expect(res.body.expires_in).toBe(60);
    return res.body.access_token as string;
  }

  it('accepts an issued token until the last millisecond of its lifetime', async () => {
    const token = await issueToken();
    now = START + 60_000 - 1;
    await api(app).get(keystoresPath()).set(auth(token)).expect(200);
  });

  it('answers token_expired to an issued token once its lifetime is over', async () => {
    const token = await issueToken();
    now = START + 60_000;
    const res = await api(app).get(keystoresPath()).set(auth(token)).expect(401);
    expect(res.body).toEqual(TOKEN_EXPIRED);
  });

  it('answers token_expired to an expired issued token on a create and stores nothing', async () => {
    const token = await issueToken();
    now = START + 61_000;
    const res = await api(app).post(keystoresPath()).set(auth(token)).send(aKeystore()).expect(401);
    expect(res.body).toEqual(TOKEN_EXPIRED);
    await api(app).get(keystoresPath()).set(auth()).expect(200, { success: true, resultList: [], resultCount: 0 });
  });

  it('keeps fixture tokens valid however far the clock moves', async () => {
    now = START + 365 * 24 * 3_600_000;
    await api(app).get(keystoresPath()).set(auth()).expect(200);
  });
});
