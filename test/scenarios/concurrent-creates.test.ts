import { createApp } from '../../src/app';
import { resolveConfig } from '../../src/config';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystoresPath } from '../helpers/world';

const DUPLICATE = {
  error: 'bad_request',
  error_description: 'Keystore (name: my-keystore) is already exist! Try update operation if want to change its value.',
};

describe('concurrent creates under slow-deploy', () => {
  // The only test that waits for real: the 1 to 2 s deployment is what the racing creates overlap with.
  it('stores exactly one of twenty racing creates of one name and rejects the other nineteen as duplicates', async () => {
    const { app } = await createApp(
      resolveConfig({ logLevel: 'silent', seed: 42, validateResponses: true, scenario: 'slow-deploy' }),
    );
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => api(app).post(keystoresPath()).set(auth()).send(aKeystore())),
    );
    const list = await api(app).get(keystoresPath()).set(auth()).expect(200);
    expect({
      created: responses.filter((res) => res.status === 200).length,
      others: responses.filter((res) => res.status !== 200).map((res) => ({ status: res.status, body: res.body })),
      stored: list.body.resultCount,
    }).toEqual({
      created: 1,
      others: Array.from({ length: 19 }, () => ({ status: 400, body: DUPLICATE })),
      stored: 1,
    });
  });
});
