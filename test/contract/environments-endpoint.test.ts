import type { Express } from 'express';
import { api } from '../helpers/contract-request';
import { auth, testApp, TOKENS } from '../helpers/world';

const ENVIRONMENTS = [
  {
    name: 'production',
    description: 'Production gateway',
    type: 'PRODUCTION',
    status: 'PUBLISHED',
    accessUrl: 'https://production.gateway.example.com',
    deployed: true,
    redeployRequired: false,
  },
  {
    name: 'staging',
    description: 'Staging gateway for release tests',
    type: 'TEST',
    status: 'PUBLISHED',
    accessUrl: 'https://staging.gateway.example.com',
    deployed: true,
    redeployRequired: false,
  },
  {
    name: 'development',
    description: 'Sandbox gateway for developers',
    type: 'SANDBOX',
    status: 'UNPUBLISHED',
    accessUrl: 'https://development.gateway.example.com',
    deployed: false,
    redeployRequired: null,
  },
];

describe('GET /apiops/environments/{projectName}', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp());
  });

  it.each(['MyProject', 'OtherProject'])('lists the three environments of %s', async (project) => {
    const res = await api(app).get(`/apiops/environments/${project}`).set(auth()).expect(200);
    expect(res.body).toEqual({ success: true, resultList: ENVIRONMENTS, resultCount: 3 });
  });

  it.each([TOKENS.both, TOKENS.noDeploy, TOKENS.noRole])('answers any valid token, such as %s', async (token) => {
    const res = await api(app).get('/apiops/environments/MyProject').set(auth(token)).expect(200);
    expect(res.body.resultCount).toBe(3);
  });

  it('answers the same without the trailing slash and with it', async () => {
    const bare = await api(app).get('/apiops/environments/MyProject').set(auth()).expect(200);
    const slashed = await api(app).get('/apiops/environments/MyProject/').set(auth()).expect(200);
    expect(slashed.body).toEqual(bare.body);
  });

  it('answers 404 with the documented message for an unknown project', async () => {
    const res = await api(app).get('/apiops/environments/NoSuchProject').set(auth()).expect(404);
    expect(res.body).toEqual({
      error: 'not_found',
      error_description: 'Project (NoSuchProject) is not found or user does not have privilege to access it!',
    });
  });

  it('answers 401 Invalid token without a token', async () => {
    const res = await api(app).get('/apiops/environments/MyProject').expect(401);
    expect(res.body).toEqual({ error: 'unauthorized_client', error_description: 'Invalid token' });
  });

  it('answers 401 token_expired to the expired token, even for an unknown project', async () => {
    const res = await api(app).get('/apiops/environments/NoSuchProject').set(auth(TOKENS.expired)).expect(401);
    expect(res.body).toEqual({ error: 'token_expired', error_description: 'Token has expired' });
  });
});
