// The README's jest example, run against the built package: only the import line differs
// (the README imports from 'keystore-mock').
import { startMockServer, type MockServer } from './built-package';

describe('my keystore client against keystore-mock', () => {
  let mock: MockServer;
  // The first bytes of real files: the mock looks inside each file and warns when it does not
  // look like its declared type (a PEM file, or base64 sent twice).
  const JKS_FILE = Buffer.from('feedfeed00000002', 'hex').toString('base64');
  const PKCS12_FILE = Buffer.from('3082000a020103', 'hex').toString('base64');

  beforeAll(async () => {
    mock = await startMockServer({ port: 0, seed: 42 });
  });

  beforeEach(async () => {
    await mock.reset();
  });

  afterAll(async () => {
    await mock.close();
  });

  const createKeystore = (name: string) =>
    fetch(`${mock.url}/apiops/projects/MyProject/keystores/`, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name,
        keyStoreEnvironmentList: [
          { environmentName: 'production', type: 'JKS', file: JKS_FILE },
          { environmentName: 'staging', type: 'PKCS12', file: PKCS12_FILE },
        ],
      }),
    });

  it('creates a keystore and deploys it to every environment', async () => {
    const res = await createKeystore('orders-keystore');

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, deploymentResult: { success: true } });
    expect((await mock.state()).MyProject?.map((keystore) => keystore.name)).toEqual(['orders-keystore']);
    expect(await mock.requests({ operationId: 'createKeystore' })).toHaveLength(1);
  });

  it('starts every test from the fixtures', async () => {
    expect((await mock.state()).MyProject).toEqual([]);
    expect(await mock.requests()).toEqual([]);
  });

  it('reports a failed deployment in the partial-deploy-failure scenario', async () => {
    await mock.setScenario('partial-deploy-failure');

    const res = await createKeystore('orders-keystore');
    const body = (await res.json()) as {
      deploymentResult: { success: boolean; environmentResults: { environmentName: string }[] };
    };

    expect(body.deploymentResult.success).toBe(false);
    expect(body.deploymentResult.environmentResults).toContainEqual({
      environmentName: 'staging',
      success: false,
      message: 'Deployment failed: environment (staging) did not respond',
    });
  });
});
