import { createApp } from '../../src/app';
import { resolveConfig } from '../../src/config';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystoresPath } from '../helpers/world';

const DUPLICATE = {
  error: 'bad_request',
  error_description: 'Keystore (name: my-keystore) is already exist! Try update operation if want to change its value.',
};
const RACERS = 20;

/**
 * A deployment wait the test lets go of: every deployment is held open until each racing
 * request has either been answered or is itself held, so all of them overlap for certain.
 */
function heldDeployments(racers: number) {
  const held: (() => void)[] = [];
  let answered = 0;
  let released = false;
  const releaseWhenAllArrived = () => {
    if (released || answered + held.length < racers) return;
    released = true;
    for (const resolve of held.splice(0)) resolve();
  };
  return {
    wait: () =>
      released
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            held.push(resolve);
            releaseWhenAllArrived();
          }),
    answered: () => {
      answered += 1;
      releaseWhenAllArrived();
    },
    heldAtRelease: () => (released ? 'released' : `${held.length} held, ${answered} answered`),
  };
}

describe('concurrent creates under slow-deploy', () => {
  it('stores exactly one of twenty racing creates of one name and rejects the other nineteen as duplicates', async () => {
    const deployments = heldDeployments(RACERS);
    const { app } = await createApp(
      resolveConfig({ logLevel: 'silent', seed: 42, validateResponses: true, scenario: 'slow-deploy' }),
      { wait: deployments.wait },
    );
    const responses = await Promise.all(
      Array.from({ length: RACERS }, () =>
        api(app)
          .post(keystoresPath())
          .set(auth())
          .send(aKeystore())
          .then((res) => {
            deployments.answered();
            return res;
          }),
      ),
    );
    const list = await api(app).get(keystoresPath()).set(auth()).expect(200);
    expect({
      deployments: deployments.heldAtRelease(),
      created: responses.filter((res) => res.status === 200).length,
      others: responses.filter((res) => res.status !== 200).map((res) => ({ status: res.status, body: res.body })),
      stored: list.body.resultCount,
    }).toEqual({
      deployments: 'released',
      created: 1,
      others: Array.from({ length: RACERS - 1 }, () => ({ status: 400, body: DUPLICATE })),
      stored: 1,
    });
  });
});
