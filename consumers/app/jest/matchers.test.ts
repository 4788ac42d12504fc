// The matchers of keystore-mock/jest, as a user's jest suite imports them from the installed package.
import { startMockServer, type MockServer } from 'keystore-mock';
import 'keystore-mock/jest';

let mock: MockServer;

beforeAll(async () => {
  mock = await startMockServer({ seed: 42 });
});

afterAll(() => mock.close());

test('toHaveReceived and toHaveReceivedTimes check what the client sent', async () => {
  const file = Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]).toString('base64');
  const res = await fetch(`${mock.url}/apiops/projects/MyProject/keystores/`, {
    method: 'POST',
    headers: { Authorization: 'Bearer demo-token', 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: 'from-a-consumer',
      keyStoreEnvironmentList: [{ environmentName: 'production', type: 'JKS', file }],
    }),
  });
  expect(res.status).toBe(200);
  await expect(mock).toHaveReceived('createKeystore', { body: { name: 'from-a-consumer' } });
  await expect(mock).toHaveReceivedTimes('createKeystore', 1);
  await expect(mock).not.toHaveReceived('deleteKeystore');
  await expect(expect(mock).toHaveReceived('createKeystore', { body: { name: 'other' } })).rejects.toThrow(
    'body.name: expected "other", got "from-a-consumer"',
  );
});
