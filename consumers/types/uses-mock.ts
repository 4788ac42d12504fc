// Type-checked by strict tsc (skipLibCheck false) in a project that installs only keystore-mock and
// @types/node: as .mts and .cts under moduleResolution nodenext, as .ts under bundler.
import {
  ApiError,
  createApp,
  resolveConfig,
  startMockServer,
  type Config,
  type JournalEntry,
  type MockApp,
  type MockServer,
  type StoreSnapshot,
} from 'keystore-mock';

export async function createOneKeystore(): Promise<JournalEntry[]> {
  const mock: MockServer = await startMockServer({ seed: 42, scenario: 'happy' });
  try {
    await fetch(`${mock.url}/apiops/projects/MyProject/keystores/`, {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'typed', keyStoreEnvironmentList: [] }),
    });
    const state: StoreSnapshot = await mock.state();
    const names: string[] = (state.MyProject ?? []).map((keystore) => keystore.name);
    if (names.length > 1) throw new Error(`expected one keystore, got ${names.join(', ')}`);
    return mock.requests({ operationId: 'createKeystore' });
  } finally {
    await mock.close();
  }
}

export async function buildApp(): Promise<MockApp['app']> {
  const config: Config = resolveConfig({ seed: 42, logLevel: 'silent' });
  const mockApp: MockApp = await createApp(config, { clock: () => 0, wait: async () => undefined });
  await mockApp.reset();
  await mockApp.close();
  return mockApp.app;
}

export function describeError(error: unknown): string {
  return error instanceof ApiError ? `${error.status} ${error.code}` : String(error);
}
