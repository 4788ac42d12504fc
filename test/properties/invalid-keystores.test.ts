import fc from 'fast-check';
import type { MockApp } from '../../src/app';
import type { StoreSnapshot } from '../../src/keystores/keystore-store';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystorePath, keystoresPath, testApp } from '../helpers/world';
import { expectErrorBody } from './support/error-body';
import { keystoreBody, type KeystoreBody } from './support/keystore-arbitraries';
import { MUTATION_BODY_LIMIT, MUTATION_FAMILIES, mutationOf, type MutatedRequest } from './support/keystore-mutations';
import { PROPERTY_TIMEOUT_MS, propertyOptions } from './support/property-options';

const EXISTING = 'existing-keystore';

/** The codes a keystore body can be refused with (section 3 of the contract). */
const PRODUCT_CODES = {
  400: ['bad_request', 'validation_failed'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
};

/** Where a broken body goes: a create, or an update of the keystore that exists. */
const target = fc.constantFrom(
  { method: 'post' as const, path: keystoresPath() },
  { method: 'put' as const, path: keystorePath(EXISTING) },
);
const brokenRequest = fc.tuple(target, keystoreBody.filter((body) => body.name !== EXISTING).chain(mutationOf));
type BrokenRequest = [{ method: 'post' | 'put'; path: string }, MutatedRequest];

/**
 * One request of every kind of breakage, as a create and as an update, run before the random
 * draws: the default 100 runs cannot be relied on to draw each of the kinds.
 */
const everyFamily: [BrokenRequest][] = MUTATION_FAMILIES.flatMap(([, family], index) => {
  const [broken] = fc.sample(family(aKeystore({ name: 'every-family' }) as unknown as KeystoreBody), {
    seed: 2_000_100 + index,
    numRuns: 1,
  });
  if (broken === undefined) throw new Error(`mutation family ${index} drew no sample`);
  return [
    [[{ method: 'post' as const, path: keystoresPath() }, broken]],
    [[{ method: 'put' as const, path: keystorePath(EXISTING) }, broken]],
  ];
});

describe('broken keystore bodies', () => {
  let mock: MockApp;
  let listBefore: unknown;
  let stateBefore: StoreSnapshot;

  const send = (destination: { method: 'post' | 'put'; path: string }, broken: MutatedRequest) => {
    const client = api(mock.app);
    return client[destination.method](destination.path)
      .set(auth())
      .set('Content-Type', broken.contentType)
      .send(broken.payload);
  };

  /** Puts the store back as it was before the property, so a failed run cannot leak into the next. */
  const restore = async () => (await mock.store.open(undefined)).session.importState(stateBefore, null);

  beforeAll(async () => {
    mock = await testApp({ maxBodyBytes: MUTATION_BODY_LIMIT });
    await api(mock.app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ name: EXISTING }))
      .expect(200);
    listBefore = (await api(mock.app).get(keystoresPath()).set(auth()).expect(200)).body;
    stateBefore = await mock.state();
  });

  it(
    'are refused with the status the contract gives them, in the error shape',
    async () => {
      await fc.assert(
        fc
          .asyncProperty(brokenRequest, async ([destination, broken]) => {
            const res = await send(destination, broken);
            expect({ mutation: broken.mutation, status: res.status }).toEqual({
              mutation: broken.mutation,
              status: broken.expectedStatus,
            });
            expectErrorBody(res.status, res.body, PRODUCT_CODES[broken.expectedStatus]);
          })
          .beforeEach(restore),
        { ...propertyOptions(2_000_001), examples: everyFamily },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'leave the stored keystores exactly as they were',
    async () => {
      await fc.assert(
        fc
          .asyncProperty(brokenRequest, async ([destination, broken]) => {
            await send(destination, broken);
            const after = await api(mock.app).get(keystoresPath()).set(auth()).expect(200);
            expect(after.body).toStrictEqual(listBefore);
            expect(await mock.state()).toStrictEqual(stateBefore);
          })
          .beforeEach(restore),
        { ...propertyOptions(2_000_002), examples: everyFamily },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
