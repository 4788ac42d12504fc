import { ResponseValidator } from '../../src/contract/response-check';
import type { Reply } from '../../src/http/reply';
import { testApp } from '../helpers/world';

const ERROR = { error: 'internal_error', error_description: 'An unexpected error occurred. Please try again later.' };

describe('self-validation of replies against the document', () => {
  let responses: ResponseValidator;

  beforeAll(async () => {
    responses = new ResponseValidator((await testApp()).productBackend);
  });

  it.each<[string, string, Reply, boolean]>([
    ['the documented text of the health check', 'healthCheck', { status: 200, text: 'OK' }, true],
    ['another text of the health check', 'healthCheck', { status: 200, text: 'KO' }, false],
    ['a JSON body where the document says text', 'healthCheck', { status: 200, body: 'OK' }, false],
    ['a greeting of the secure hello', 'secureHello', { status: 200, text: 'Hello Ada' }, true],
    ['a text that is not a greeting', 'secureHello', { status: 200, text: 'Bye Ada' }, false],
    ['a text where the document says JSON', 'listAllEnvironments', { status: 200, text: 'OK' }, false],
    ['a JSON error of the health check', 'healthCheck', { status: 500, body: ERROR }, true],
  ])('judges %s', (_case, operationId, reply, valid) => {
    expect(responses.check(operationId, reply).valid).toBe(valid);
  });

  it('says what is wrong with a JSON body where the document says text', () => {
    expect(responses.check('healthCheck', { status: 200, body: 'OK' }).problem).toBe(
      'the document describes a text/plain body',
    );
  });
});
