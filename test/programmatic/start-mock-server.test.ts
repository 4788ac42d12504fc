import path from 'node:path';
import type { Response } from 'supertest';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystoresPath } from '../helpers/world';
import { builtPackage, startMockServer, type MockServer } from './built-package';

function create(mock: MockServer, name: string, headers: Record<string, string> = {}): Promise<Response> {
  return api(mock.url).post(keystoresPath()).set(auth()).set(headers).send(aKeystore({ name }));
}

describe('startMockServer from the built package', () => {
  let mock: MockServer;

  beforeAll(async () => {
    mock = await startMockServer({ port: 0, seed: 42 });
  });

  beforeEach(async () => {
    await mock.reset();
  });

  afterAll(() => mock.close());

  it('loads the built entry when required by the package name', () => {
    expect(require.resolve('keystore-mock')).toBe(path.join(__dirname, '..', '..', 'dist', 'index.js'));
  });

  it('picks a free port for port 0 and names it in the URL', () => {
    expect(mock.url).toBe(`http://127.0.0.1:${mock.port}`);
    expect(mock.port).toBeGreaterThan(0);
  });

  it('serves the product API under the URL', async () => {
    const res = await api(mock.url).get(keystoresPath()).set(auth());
    expect({ status: res.status, body: res.body }).toEqual({
      status: 200,
      body: { success: true, resultList: [], resultCount: 0 },
    });
  });

  it('shows created keystores in state()', async () => {
    await create(mock, 'kept');
    expect((await mock.state()).MyProject?.map((keystore) => keystore.name)).toEqual(['kept']);
  });

  it('empties every session on reset()', async () => {
    await create(mock, 'default-one');
    await create(mock, 'session-one', { 'X-Mock-Session': 'worker-1' });
    await mock.reset();
    expect([(await mock.state()).MyProject, (await mock.state('worker-1')).MyProject]).toEqual([[], []]);
  });

  it('empties only the named session on reset(session)', async () => {
    await create(mock, 'default-one');
    await create(mock, 'session-one', { 'X-Mock-Session': 'worker-1' });
    await mock.reset('worker-1');
    expect([(await mock.state()).MyProject?.length, (await mock.state('worker-1')).MyProject?.length]).toEqual([1, 0]);
  });

  it('filters the journal by operation and status in requests(filter)', async () => {
    await create(mock, 'twice');
    await create(mock, 'twice');
    const rejected = await mock.requests({ operationId: 'createKeystore', status: 400 });
    expect(rejected.map((entry) => [entry.method, entry.status, entry.keystoreName])).toEqual([['POST', 400, 'twice']]);
  });

  it('applies the scenario of setScenario(name) to later requests', async () => {
    await mock.setScenario('deploy-failure');
    const res = await create(mock, 'failing');
    expect(res.body.deploymentResult.success).toBe(false);
  });

  it('rejects setScenario with an unknown_scenario ApiError for an unknown name', async () => {
    await expect(mock.setScenario('no-such-scenario')).rejects.toThrow(
      expect.objectContaining({ constructor: builtPackage().ApiError, status: 400, code: 'unknown_scenario' }),
    );
  });

  it('refuses connections once close() has resolved', async () => {
    const other = await startMockServer({ port: 0 });
    await other.close();
    await expect(fetch(`${other.url}/__mock/health`)).rejects.toThrow();
  });

  it('gives two servers on port 0 two ports', async () => {
    const other = await startMockServer({ port: 0 });
    await other.close();
    expect(other.port).not.toBe(mock.port);
  });
});
