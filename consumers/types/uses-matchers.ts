// Type-checked by strict tsc (skipLibCheck false) with @types/jest installed: the matchers of
// keystore-mock/jest merge into jest's Matchers, and their options are checked.
import { startMockServer } from 'keystore-mock';
import { keystoreMockMatchers, type KeystoreMockMatchers, type ReceivedOptions } from 'keystore-mock/jest';

export async function checkWhatWasSent(): Promise<void> {
  const mock = await startMockServer({ seed: 42 });
  try {
    const options: ReceivedOptions = { body: { name: 'typed' }, status: 200, session: 'worker-1' };
    await expect(mock).toHaveReceived('createKeystore', options);
    await expect(mock).toHaveReceivedTimes('createKeystore', 2, { method: 'POST' });
    await expect(mock.mock).not.toHaveReceived('deleteKeystore', { atMost: 0 });
  } finally {
    await mock.close();
  }
}

// What a vitest user writes in a declaration file: `interface Assertion<T> extends KeystoreMockMatchers<T> {}`.
export type VitestAssertion = KeystoreMockMatchers<void>;

export const registered: (matchers: typeof keystoreMockMatchers) => void = (matchers) => expect.extend(matchers);
