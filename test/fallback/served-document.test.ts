import request from 'supertest';
import { auth, testApp } from '../helpers/world';
import { EXTENDED_SPEC, extendedApp } from './extended-document';

describe('serving a document without the keystore operations', () => {
  it('starts on the shipped fixtures', async () => {
    await expect(testApp({ specPath: EXTENDED_SPEC })).resolves.toHaveProperty('app');
  });

  it('answers 404 not_found for a keystore path the document lacks', async () => {
    const { app } = await extendedApp();
    const res = await request(app).get('/apiops/projects/MyProject/keystores/').set(auth());
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 404, error: 'not_found' });
  });

  it('serves the document it was given at /__mock/openapi.json', async () => {
    const { app } = await extendedApp();
    const res = await request(app).get('/__mock/openapi.json');
    expect(Object.keys(res.body.paths ?? {}).sort()).toEqual(['/reports', '/users/{userId}', '/webhooks']);
  });
});
