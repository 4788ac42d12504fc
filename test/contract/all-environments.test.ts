import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { api } from '../helpers/contract-request';
import { auth, testApp, TOKENS } from '../helpers/world';

const ADMIN_TOKEN = 'admin-token';
const DENIED = { error: 'unauthorized_client', error_description: 'Invalid token or insufficient permissions' };

const PRODUCTION = {
  name: 'production',
  description: 'Production gateway',
  type: 'PRODUCTION',
  status: 'PUBLISHED',
  accessUrl: 'https://production.gateway.example.com',
  deployed: true,
  redeployRequired: false,
};

/** A world whose two projects share `production` with different details, and each have one of their own. */
function worldWithSharedNames(): Record<string, unknown> {
  const environment = (name: string, accessUrl: string) => ({ name, type: 'TEST', status: 'PUBLISHED', accessUrl });
  return {
    projects: [
      {
        name: 'First',
        id: 'p-1',
        environments: [
          environment('production', 'https://first.example'),
          environment('alpha', 'https://alpha.example'),
        ],
      },
      {
        name: 'Second',
        id: 'p-2',
        environments: [
          environment('beta', 'https://beta.example'),
          environment('production', 'https://second.example'),
        ],
      },
    ],
    tokens: [{ token: ADMIN_TOKEN, roles: ['ROLE_ADMIN'] }],
    users: [],
  };
}

describe('GET /apiops/environments/ (every environment)', () => {
  let app: Express;

  beforeAll(async () => {
    ({ app } = await testApp());
  });

  it('lists each environment of the default world once for admin-token', async () => {
    const res = await api(app).get('/apiops/environments/').set(auth(ADMIN_TOKEN)).expect(200);
    expect(res.body.resultList.map((environment: { name: string }) => environment.name)).toEqual([
      'production',
      'staging',
      'development',
    ]);
    expect(res.body).toMatchObject({ success: true, resultCount: 3 });
    expect(res.body.resultList[0]).toEqual(PRODUCTION);
  });

  it('answers the same without the trailing slash', async () => {
    const slashed = await api(app).get('/apiops/environments/').set(auth(ADMIN_TOKEN)).expect(200);
    const bare = await api(app).get('/apiops/environments').set(auth(ADMIN_TOKEN)).expect(200);
    expect(bare.body).toEqual(slashed.body);
  });

  it('answers a token issued to the admin user', async () => {
    const issued = await api(app)
      .post('/apiops/auth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: 'admin', client_secret: 'admin' })
      .expect(200);
    await api(app).get('/apiops/environments/').set(auth(issued.body.access_token)).expect(200);
  });

  it.each([
    ['no token', {}],
    ['an unknown token', auth('nobody-knows-me')],
    ['demo-token, which lacks ROLE_ADMIN', auth(TOKENS.both)],
    ['no-deploy-token', auth(TOKENS.noDeploy)],
    ['no-role-token', auth(TOKENS.noRole)],
  ])('answers 401 in the product words to %s', async (_case, headers) => {
    const res = await api(app).get('/apiops/environments/').set(headers).expect(401);
    expect(res.body).toEqual(DENIED);
  });

  it('answers 401 token_expired to an expired token', async () => {
    const res = await api(app).get('/apiops/environments').set(auth(TOKENS.expired)).expect(401);
    expect(res.body).toEqual({ error: 'token_expired', error_description: 'Token has expired' });
  });

  it('still serves the environments of one project at /apiops/environments/{projectName}/', async () => {
    const res = await api(app).get('/apiops/environments/MyProject/').set(auth(TOKENS.noRole)).expect(200);
    expect(res.body.resultCount).toBe(3);
  });
});

describe('every environment across projects that share names', () => {
  let app: Express;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keystore-mock-world-'));
    fs.writeFileSync(path.join(dir, 'world.json'), JSON.stringify(worldWithSharedNames()));
    ({ app } = await testApp({ fixturesDir: dir }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists each name once, in the order first met, with the details of the first project that has it', async () => {
    const res = await api(app).get('/apiops/environments/').set(auth(ADMIN_TOKEN)).expect(200);
    expect(res.body.resultList.map((environment: { name: string; accessUrl: string }) => environment)).toEqual([
      { name: 'production', type: 'TEST', status: 'PUBLISHED', accessUrl: 'https://first.example' },
      { name: 'alpha', type: 'TEST', status: 'PUBLISHED', accessUrl: 'https://alpha.example' },
      { name: 'beta', type: 'TEST', status: 'PUBLISHED', accessUrl: 'https://beta.example' },
    ]);
    expect(res.body.resultCount).toBe(3);
  });
});
