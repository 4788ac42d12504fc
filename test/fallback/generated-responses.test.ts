import request from 'supertest';
import type { MockApp } from '../../src/app';
import { auth } from '../helpers/world';
import { extendedApp, responseProblems } from './extended-document';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Requests of the extended document that are answered by generation (no example applies). */
const GENERATED: readonly [
  description: string,
  operationId: string,
  status: number,
  send: (app: MockApp) => request.Test,
][] = [
  ['a user without an example', 'getUser', 200, (app) => request(app.app).get('/apiops/users/u-1').set(auth())],
  ['another user', 'getUser', 200, (app) => request(app.app).get('/apiops/users/u-2').set(auth())],
  [
    'a created webhook',
    'createWebhook',
    201,
    (app) => request(app.app).post('/apiops/webhooks').set(auth()).send({ url: 'https://hooks.example/in' }),
  ],
  [
    'a documented 400 without an example',
    'createWebhook',
    400,
    (app) =>
      request(app.app)
        .post('/apiops/webhooks')
        .set(auth())
        .set('Prefer', 'code=400')
        .send({ url: 'https://hooks.example/in' }),
  ],
  [
    'reports forced to be generated',
    'listReports',
    200,
    (app) => request(app.app).get('/apiops/reports').set(auth()).set('Prefer', 'dynamic=true'),
  ],
];

describe('answers generated from the served document', () => {
  let app: MockApp;

  beforeAll(async () => {
    app = await extendedApp();
  });

  it.each(GENERATED)('answers %s with the documented status', async (_description, _operationId, status, send) => {
    expect((await send(app)).status).toBe(status);
  });

  it.each(GENERATED)(
    'answers %s with a body valid against its schema',
    async (_description, operationId, status, send) => {
      const res = await send(app);
      expect(await responseProblems(operationId, status, res.body)).toEqual([]);
    },
  );

  it.each(GENERATED)('answers %s as application/json', async (_description, _operationId, _status, send) => {
    expect((await send(app)).headers['content-type']).toMatch(/^application\/json/);
  });

  it('generates a uuid for a uuid field', async () => {
    const res = await request(app.app).get('/apiops/users/u-1').set(auth());
    expect(res.body.id).toMatch(UUID);
  });

  it('generates an email address for an email field', async () => {
    const res = await request(app.app).get('/apiops/users/u-1').set(auth());
    expect(res.body.email).toMatch(EMAIL);
  });

  it('generates an ISO 8601 timestamp for a date-time field', async () => {
    const res = await request(app.app).get('/apiops/users/u-1').set(auth());
    expect({
      iso: ISO_DATE_TIME.test(res.body.createdAt),
      parsed: Number.isNaN(Date.parse(res.body.createdAt)),
    }).toEqual({
      iso: true,
      parsed: false,
    });
  });

  it('generates a value of the enum for an enum field', async () => {
    const res = await request(app.app).get('/apiops/users/u-1').set(auth());
    expect(['admin', 'developer', 'viewer']).toContain(res.body.role);
  });

  it('generates the nested object and the array the schema requires', async () => {
    const res = await request(app.app).get('/apiops/users/u-1').set(auth());
    expect({ address: Object.keys(res.body.address ?? {}).sort(), tags: Array.isArray(res.body.tags) }).toEqual({
      address: ['city', 'postalCode', 'street'],
      tags: true,
    });
  });

  it('generates a string that matches an anchored pattern', async () => {
    const res = await request(app.app).get('/apiops/users/u-1').set(auth());
    expect(res.body.address.postalCode).toMatch(/^[0-9]{5}$/);
  });
});

describe('seeded generation', () => {
  const userText = async (app: MockApp, userId = 'u-1'): Promise<string> =>
    (await request(app.app).get(`/apiops/users/${userId}`).set(auth())).text;

  it('gives the same answer to the same request under the same seed', async () => {
    const [first, second] = await Promise.all([extendedApp({ seed: 42 }), extendedApp({ seed: 42 })]);
    expect(await userText(second)).toBe(await userText(first));
  });

  it('gives the same answer whatever was asked before', async () => {
    const [first, second] = await Promise.all([extendedApp({ seed: 42 }), extendedApp({ seed: 42 })]);
    await userText(second, 'u-2');
    await userText(second, 'u-3');
    expect(await userText(second)).toBe(await userText(first));
  });

  it('gives another answer under another seed', async () => {
    const [first, second] = await Promise.all([extendedApp({ seed: 42 }), extendedApp({ seed: 43 })]);
    expect(await userText(second)).not.toBe(await userText(first));
  });

  it('gives another answer for another path parameter', async () => {
    const app = await extendedApp({ seed: 42 });
    expect(await userText(app, 'u-2')).not.toBe(await userText(app, 'u-1'));
  });
});
