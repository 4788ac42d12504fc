import type { Express } from 'express';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystorePath, keystoresPath, testApp } from '../helpers/world';

const TOKEN_FORM = { grant_type: 'client_credentials', client_id: 'admin', client_secret: 'admin' };

/** A fixed sequence of requests; returns the raw text of every response. */
async function runSequence(app: Express): Promise<string[]> {
  const texts: string[] = [];
  const record = (res: { text: string }) => texts.push(res.text);
  record(await api(app).post('/apiops/auth/token').type('form').send(TOKEN_FORM).expect(200));
  record(await api(app).post('/apiops/auth/token').type('form').send(TOKEN_FORM).expect(200));
  record(
    await api(app)
      .post('/apiops/auth/token')
      .set('X-Mock-Session', 'worker-1')
      .type('form')
      .send(TOKEN_FORM)
      .expect(200),
  );
  record(await api(app).get(keystoresPath()).set(auth()).expect(200));
  record(await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200));
  record(
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .set('X-Mock-Scenario', 'partial-deploy-failure')
      .send(aKeystore({ name: 'second' }))
      .expect(200),
  );
  record(await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(400));
  record(await api(app).get(keystorePath('my-keystore')).set(auth()).expect(200));
  record(await api(app).get('/apiops/environments/OtherProject').set(auth()).expect(200));
  record(await api(app).delete(keystorePath('second')).set(auth()).expect(200));
  record(await api(app).get(keystoresPath('OtherProject')).set(auth()).expect(200));
  record(await api(app).get('/__mock/state').expect(200));
  return texts;
}

async function tokenOf(seed: number): Promise<string> {
  const { app } = await testApp({ seed });
  const res = await api(app).post('/apiops/auth/token').type('form').send(TOKEN_FORM).expect(200);
  return res.body.access_token as string;
}

async function generatedListing(seed: number): Promise<string> {
  const { app } = await testApp({ seed, generate: 5 });
  return (await api(app).get(keystoresPath()).set(auth()).expect(200)).text;
}

async function slowDeployWaits(seed: number): Promise<number[]> {
  const waits: number[] = [];
  const { app } = await testApp({ seed, scenario: 'slow-deploy' }, { wait: async (ms) => void waits.push(ms) });
  for (const name of ['a', 'b', 'c', 'd']) {
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore({ name })).expect(200);
  }
  return waits;
}

describe('seeded determinism', () => {
  it('gives byte-identical responses from two apps with the same seed', async () => {
    const first = await runSequence((await testApp({ seed: 7, generate: 3 })).app);
    const second = await runSequence((await testApp({ seed: 7, generate: 3 })).app);
    expect(second).toEqual(first);
  });

  it('issues the same tokens from two apps with the same seed', async () => {
    expect(await tokenOf(7)).toBe(await tokenOf(7));
  });

  it('issues different tokens with a different seed', async () => {
    expect(await tokenOf(7)).not.toBe(await tokenOf(8));
  });

  it('issues a different token for each request', async () => {
    const { app } = await testApp();
    const first = await api(app).post('/apiops/auth/token').type('form').send(TOKEN_FORM).expect(200);
    const second = await api(app).post('/apiops/auth/token').type('form').send(TOKEN_FORM).expect(200);
    expect(second.body.access_token).not.toBe(first.body.access_token);
  });

  it('generates byte-identical keystores from two apps with the same seed', async () => {
    expect(await generatedListing(42)).toBe(await generatedListing(42));
  });

  it('generates different keystores with a different seed', async () => {
    expect(await generatedListing(42)).not.toBe(await generatedListing(43));
  });

  it('draws the same simulated latencies from two apps with the same seed', async () => {
    expect(await slowDeployWaits(7)).toEqual(await slowDeployWaits(7));
  });
});
