import type { Operation } from 'openapi-backend';
import { preferredReply } from '../../src/contract/fallback-responses';
import { ApiError } from '../../src/errors';
import { testApp } from '../helpers/world';

const SEED = 42;
const KEYSTORE_NOT_FOUND = { error: 'bad_request', error_description: 'Keystore (name: my-keystore) is not found!' };

describe('preferredReply, the forced answer of Prefer and __code/__example', () => {
  let operation: (operationId: string) => Operation;

  beforeAll(async () => {
    const { productBackend } = await testApp();
    operation = (operationId) => {
      const found = productBackend.getOperation(operationId);
      if (found === undefined) throw new Error(`the document lacks ${operationId}`);
      return found;
    };
  });

  /** The error preferredReply throws, or a failure when it throws none. */
  function rejection(run: () => unknown): ApiError {
    try {
      run();
    } catch (error) {
      if (error instanceof ApiError) return error;
      throw error;
    }
    throw new Error('expected an ApiError');
  }

  it.each<[string, Record<string, string>, Record<string, string>]>([
    ['no preference at all', {}, {}],
    ['Prefer: dynamic=true alone', { prefer: 'dynamic=true' }, {}],
    ['an unrelated Prefer', { prefer: 'return=minimal' }, {}],
    ['__dynamic alone', {}, { __dynamic: 'true' }],
  ])('states no preference with %s', (_case, headers, query) => {
    expect(preferredReply(operation('getKeystore'), headers, query, SEED)).toBeUndefined();
  });

  it('answers Prefer: code=N with the first example of that status', () => {
    expect(preferredReply(operation('getKeystore'), { prefer: 'code=400' }, {}, SEED)).toEqual({
      status: 400,
      body: KEYSTORE_NOT_FOUND,
    });
  });

  it('answers __code=N as Prefer: code=N', () => {
    expect(preferredReply(operation('getKeystore'), {}, { __code: '400' }, SEED)).toEqual({
      status: 400,
      body: KEYSTORE_NOT_FOUND,
    });
  });

  it('lets the query win over the Prefer header', () => {
    expect(preferredReply(operation('getKeystore'), { prefer: 'code=401' }, { __code: '403' }, SEED)?.status).toBe(403);
  });

  it('answers a named example of the preferred status', () => {
    const reply = preferredReply(operation('createKeystore'), { prefer: 'code=400, example=duplicate' }, {}, SEED);
    expect(reply?.body).toEqual({
      error: 'bad_request',
      error_description:
        'Keystore (name: my-keystore) is already exist! Try update operation if want to change its value.',
    });
  });

  it('finds a named example in whichever status documents it when no code is preferred', () => {
    expect(preferredReply(operation('deleteKeystore'), {}, { __example: 'not_found' }, SEED)).toEqual({
      status: 400,
      body: KEYSTORE_NOT_FOUND,
    });
  });

  it('answers a named example of the success status without a code', () => {
    const reply = preferredReply(operation('createKeystore'), { prefer: 'example=partially_deployed' }, {}, SEED);
    expect({
      status: reply?.status,
      success: (reply?.body as { deploymentResult: { success: boolean } }).deploymentResult.success,
    }).toEqual({
      status: 200,
      success: false,
    });
  });

  it('answers a text operation in text', () => {
    expect(preferredReply(operation('healthCheck'), { prefer: 'code=200' }, {}, SEED)).toEqual({
      status: 200,
      text: 'OK',
    });
  });

  it('answers a JSON status of a text operation in JSON', () => {
    expect(preferredReply(operation('secureHello'), { prefer: 'code=401' }, {}, SEED)?.body).toEqual({
      error: 'unauthorized_client',
      error_description: 'Invalid token',
    });
  });

  it.each(['404', 'abc'])('rejects the undocumented code %s with a 400 that lists the documented ones', (code) => {
    const error = rejection(() => preferredReply(operation('healthCheck'), { prefer: `code=${code}` }, {}, SEED));
    expect({ status: error.status, code: error.code, description: error.description }).toEqual({
      status: 400,
      code: 'bad_request',
      description: `Prefer code=${code} is not a documented response of healthCheck; documented: 200, 400, 429, 500.`,
    });
  });

  it('rejects an example the preferred status lacks, listing the examples of that status', () => {
    const error = rejection(() =>
      preferredReply(operation('getKeystore'), { prefer: 'code=400, example=duplicate' }, {}, SEED),
    );
    expect(error.description).toBe(
      'Prefer example=duplicate is not an example of getKeystore 400; examples: not_found, validation_failed.',
    );
  });

  it('rejects an example no status has, listing every example with its status', () => {
    const error = rejection(() => preferredReply(operation('healthCheck'), { prefer: 'example=nope' }, {}, SEED));
    expect(error.description).toBe(
      'Prefer example=nope is not an example of healthCheck; examples: 200 ok, 400 unknown_scenario, 400 undocumented_status, 429 too_many_sessions, 500 internal_error.',
    );
  });
});
