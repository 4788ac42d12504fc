import type { Express } from 'express';
import { api } from '../helpers/contract-request';
import { auth, keystoresPath, testApp } from '../helpers/world';

/** A browser's preflight for a create. */
function preflight(app: Express, origin: string) {
  return api(app)
    .options(keystoresPath())
    .set('Origin', origin)
    .set('Access-Control-Request-Method', 'POST')
    .set('Access-Control-Request-Headers', 'authorization,content-type,x-mock-session');
}

describe('CORS with the default origins', () => {
  let app: Express;

  beforeAll(async () => {
    ({ app } = await testApp());
  });

  it.each(['http://a.example', 'https://b.example:8443'])('allows any origin such as %s', async (origin) => {
    const res = await api(app).get(keystoresPath()).set(auth()).set('Origin', origin).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('allows the control plane from any origin', async () => {
    const res = await api(app).get('/__mock/health').set('Origin', 'http://a.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('answers a preflight without a token with 204', async () => {
    await preflight(app, 'http://a.example').expect(204);
  });

  it('allows the method asked for in a preflight', async () => {
    const res = await preflight(app, 'http://a.example');
    expect(res.headers['access-control-allow-methods']?.split(',')).toContain('POST');
  });

  it('allows the headers asked for in a preflight', async () => {
    const res = await preflight(app, 'http://a.example');
    expect(res.headers['access-control-allow-headers']?.toLowerCase().split(',')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'x-mock-session']),
    );
  });
});

describe('CORS restricted with --cors-origin', () => {
  let app: Express;

  beforeAll(async () => {
    ({ app } = await testApp({ corsOrigins: ['http://a.example'] }));
  });

  it('reflects an allowed origin', async () => {
    const res = await api(app).get(keystoresPath()).set(auth()).set('Origin', 'http://a.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://a.example');
  });

  it('sends no allow-origin header to another origin', async () => {
    const res = await api(app).get(keystoresPath()).set(auth()).set('Origin', 'http://b.example').expect(200);
    expect(res.headers).not.toHaveProperty('access-control-allow-origin');
  });

  it('varies the answer on Origin', async () => {
    const res = await api(app).get(keystoresPath()).set(auth()).set('Origin', 'http://a.example').expect(200);
    expect(res.headers.vary?.toLowerCase()).toContain('origin');
  });

  it('answers the preflight of an allowed origin with that origin', async () => {
    const res = await preflight(app, 'http://a.example').expect(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://a.example');
  });

  it('sends no allow-origin header in the preflight of another origin', async () => {
    const res = await preflight(app, 'http://b.example');
    expect(res.headers).not.toHaveProperty('access-control-allow-origin');
  });
});
