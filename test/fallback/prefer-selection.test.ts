import request from 'supertest';
import type { MockApp } from '../../src/app';
import { auth } from '../helpers/world';
import { ERROR_SHAPE, extendedApp, responseProblems } from './extended-document';

const SMALL = { resultCount: 1, resultList: [{ id: 'r-1', title: 'Daily traffic' }] };
const LARGE = {
  resultCount: 3,
  resultList: [
    { id: 'r-1', title: 'Daily traffic' },
    { id: 'r-2', title: 'Weekly errors' },
    { id: 'r-3', title: 'Monthly latency' },
  ],
};
const USER_NOT_FOUND = { error: 'not_found', error_description: 'User (id) is not found.' };

/** The Prefer header, or its query equivalent, on a GET of the extended document. */
type Form = 'the Prefer header' | 'the query';

function preferring(app: MockApp, form: Form, path: string, preference: Record<string, string>): request.Test {
  if (form === 'the query') {
    const query = new URLSearchParams(
      Object.entries(preference).map(([key, value]): [string, string] => [`__${key}`, value]),
    );
    return request(app.app).get(`${path}?${query.toString()}`).set(auth());
  }
  const header = Object.entries(preference)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  return request(app.app).get(path).set(auth()).set('Prefer', header);
}

describe('choosing a documented response', () => {
  let app: MockApp;

  beforeAll(async () => {
    app = await extendedApp();
  });

  it('answers with the first named example when nothing is preferred', async () => {
    const res = await request(app.app).get('/apiops/reports').set(auth());
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: SMALL });
  });

  describe.each<Form>(['the Prefer header', 'the query'])('through %s', (form) => {
    it('answers with the preferred status and its example', async () => {
      const res = await preferring(app, form, '/apiops/users/u-1', { code: '404' });
      expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: USER_NOT_FOUND });
    });

    it('answers with the preferred named example', async () => {
      const res = await preferring(app, form, '/apiops/reports', { example: 'large' });
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: LARGE });
    });

    it('generates a body instead of the example when dynamic is preferred', async () => {
      const res = await preferring(app, form, '/apiops/reports', { dynamic: 'true' });
      expect([SMALL, LARGE]).not.toContainEqual(res.body);
    });

    it('generates a body valid against its schema when dynamic is preferred', async () => {
      const res = await preferring(app, form, '/apiops/reports', { dynamic: 'true' });
      expect(await responseProblems('listReports', res.status, res.body)).toEqual([]);
    });

    it('rejects an undocumented status with a 400 in the error shape', async () => {
      const res = await preferring(app, form, '/apiops/users/u-1', { code: '500' });
      expect({ status: res.status, body: res.body }).toEqual({
        status: 400,
        body: { ...ERROR_SHAPE, error: 'bad_request' },
      });
    });

    it('rejects an unknown example with a 400 in the error shape', async () => {
      const res = await preferring(app, form, '/apiops/reports', { example: 'medium' });
      expect({ status: res.status, body: res.body }).toEqual({
        status: 400,
        body: { ...ERROR_SHAPE, error: 'bad_request' },
      });
    });
  });

  it('names the documented statuses when the preferred one is not', async () => {
    const res = await request(app.app).get('/apiops/users/u-1').set(auth()).set('Prefer', 'code=500');
    expect(res.body.error_description).toBe(
      'Prefer code=500 is not a documented response of getUser; documented: 200, 404.',
    );
  });

  it('lets the query win over the Prefer header', async () => {
    const res = await request(app.app)
      .get('/apiops/reports?__example=large')
      .set(auth())
      .set('Prefer', 'example=small');
    expect(res.body).toEqual(LARGE);
  });

  it('keeps the mock-only query parameters out of request validation', async () => {
    const res = await request(app.app).get('/apiops/reports?__code=200&__example=small').set(auth());
    expect(res.status).toBe(200);
  });
});

describe('security on fallback operations', () => {
  let app: MockApp;

  beforeAll(async () => {
    app = await extendedApp();
  });

  it.each([
    ['no Authorization header', {}],
    ['an unknown token', { Authorization: 'Bearer not-a-token' }],
  ])('answers 401 unauthorized_client for %s', async (_case, headers) => {
    const res = await request(app.app).get('/apiops/users/u-1').set(headers);
    expect({ status: res.status, body: res.body }).toEqual({
      status: 401,
      body: { error: 'unauthorized_client', error_description: 'Invalid token' },
    });
  });

  it('honours a Prefer header without a token, as a forced answer runs no check', async () => {
    const res = await request(app.app).get('/apiops/users/u-1').set('Prefer', 'code=404');
    expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: USER_NOT_FOUND });
  });
});

describe('mock errors on fallback operations when responses are self-validated', () => {
  let app: MockApp;

  beforeAll(async () => {
    app = await extendedApp({ validateResponses: true });
  });

  it.each([
    ['a missing token', 401, () => request(app.app).get('/apiops/users/u-1')],
    [
      'an undocumented Prefer code',
      400,
      () => request(app.app).get('/apiops/users/u-1').set(auth()).set('Prefer', 'code=500'),
    ],
  ])('keeps the status of %s instead of turning it into a 500', async (_case, status, send) => {
    expect((await send()).status).toBe(status);
  });
});
