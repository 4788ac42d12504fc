import '../../src/jest';
import { keystoreMockMatchers } from '../../src/jest';
import { startMockServer, type MockServer } from '../../src/server';
import { aKeystore, auth, keystoresPath, testStore } from '../helpers/world';

describe('keystore-mock/jest matchers', () => {
  let mock: MockServer;

  beforeAll(async () => {
    mock = await startMockServer({ seed: 42, ...testStore() });
  });

  beforeEach(() => mock.reset());

  afterAll(() => mock.close());

  async function create(name: string, session?: string): Promise<void> {
    const res = await fetch(`${mock.url}${keystoresPath()}`, {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json', ...(session ? { 'X-Mock-Session': session } : {}) },
      body: JSON.stringify(aKeystore({ name })),
    });
    expect(res.status).toBe(200);
  }

  it('passes toHaveReceived when a matching request arrived', async () => {
    await create('x');
    await expect(mock).toHaveReceived('createKeystore', { body: { name: 'x' } });
  });

  it('fails toHaveReceived with the near-misses and their differences', async () => {
    await create('y');
    await expect(expect(mock).toHaveReceived('createKeystore', { body: { name: 'x' } })).rejects.toThrow(
      [
        'expect(mock).toHaveReceived("createKeystore", ...)',
        '',
        'Expected at least 1 request matching createKeystore with body {"name":"x"}, but 0 of the 1 in the journal matched.',
        '',
        'Closest requests:',
        '  #1 POST /apiops/projects/MyProject/keystores/ (createKeystore, 200)',
        '    - body.name: expected "x", got "y"',
      ].join('\n'),
    );
  });

  it('passes .not.toHaveReceived when no matching request arrived', async () => {
    await create('y');
    await expect(mock).not.toHaveReceived('createKeystore', { body: { name: 'x' } });
  });

  it('fails .not.toHaveReceived saying how many matched', async () => {
    await create('x');
    await expect(expect(mock).not.toHaveReceived('createKeystore')).rejects.toThrow(
      [
        'expect(mock).not.toHaveReceived("createKeystore", ...)',
        '',
        '1 matching request(s) arrived, where the check wanted the count not to hold.',
        '  #1 POST /apiops/projects/MyProject/keystores/ (createKeystore, 200)',
      ].join('\n'),
    );
  });

  it('counts exactly with toHaveReceivedTimes', async () => {
    await create('a');
    await create('b');
    await expect(mock).toHaveReceivedTimes('createKeystore', 2);
    await expect(mock).toHaveReceivedTimes('createKeystore', 1, { body: { name: 'a' } });
    await expect(expect(mock).toHaveReceivedTimes('createKeystore', 1)).rejects.toThrow(
      'Expected exactly 1 request matching createKeystore, but 2 of the 2 in the journal matched.',
    );
  });

  it('checks the session the options name', async () => {
    await create('a', 'matchers-1');
    await expect(mock).toHaveReceived('createKeystore', { session: 'matchers-1' });
    await expect(mock).not.toHaveReceived('createKeystore');
  });

  it('accepts the app as well as the server', async () => {
    await create('a');
    await expect(mock.mock).toHaveReceived('createKeystore', { method: 'POST', status: 200 });
  });

  it('refuses something that is not a mock, saying what it needs', async () => {
    await expect(expect({}).toHaveReceived('createKeystore')).rejects.toThrow(
      'mock must be what startMockServer() or createApp() returned',
    );
  });

  it('exports the matchers for runners without a global expect', () => {
    expect(Object.keys(keystoreMockMatchers)).toEqual(['toHaveReceived', 'toHaveReceivedTimes']);
  });
});
