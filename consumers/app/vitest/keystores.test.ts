import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from 'keystore-mock';
import { keystoreMockMatchers, type KeystoreMockMatchers } from 'keystore-mock/jest';

// The README's way for vitest without globals: register the matchers and extend vitest's types.
expect.extend(keystoreMockMatchers);

declare module 'vitest' {
  // The type parameters must be those of vitest's own declaration to merge with it.
  /* eslint-disable @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars */
  interface Matchers<
    R extends void | Promise<void> = void | Promise<void>,
    T = unknown,
  > extends KeystoreMockMatchers<R> {}
  /* eslint-enable @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars */
}

// The first bytes of a real JKS file: the mock warns about files that do not look like their type.
const file = Buffer.from('feedfeed00000002', 'hex').toString('base64');

describe('keystore-mock under vitest', () => {
  let mock: MockServer;

  beforeAll(async () => {
    mock = await startMockServer({ seed: 42 });
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
        keyStoreEnvironmentList: [{ environmentName: 'production', type: 'JKS', file }],
      }),
    });

  it('creates a keystore and shows it in state()', async () => {
    const res = await createKeystore('vitest-keystore');

    expect(res.status).toBe(200);
    expect((await mock.state()).MyProject?.map((keystore) => keystore.name)).toEqual(['vitest-keystore']);
    await expect(mock).toHaveReceived('createKeystore', { body: { name: 'vitest-keystore' } });
    await expect(mock).not.toHaveReceived('deleteKeystore');
  });

  it('fails every deployment in the deploy-failure scenario', async () => {
    await mock.setScenario('deploy-failure');

    const body = (await (await createKeystore('failing')).json()) as { deploymentResult: { success: boolean } };

    expect(body.deploymentResult.success).toBe(false);
  });
});
