import type { ErrorObject } from 'ajv';
import { pointerToField, toFieldErrors } from '../../src/contract/field-errors';

function ajvError(overrides: Partial<ErrorObject>): ErrorObject {
  return { keyword: 'type', instancePath: '', schemaPath: '#', params: {}, message: 'must be string', ...overrides };
}

describe('JSON pointers as client field paths', () => {
  it.each([
    ['/keyStoreEnvironmentList/0/type', 'keyStoreEnvironmentList[0].type'],
    ['/name', 'name'],
    ['/a~1b/c~0d', 'a/b.c~d'],
    ['', ''],
  ])('writes %s as %s', (pointer, field) => {
    expect(pointerToField(pointer)).toBe(field);
  });
});

describe('Ajv errors as validation_errors', () => {
  it.each([
    [
      'a missing property',
      ajvError({ keyword: 'required', instancePath: '/requestBody', params: { missingProperty: 'name' } }),
      'name',
      'is required',
    ],
    [
      'a missing body',
      ajvError({ keyword: 'required', params: { missingProperty: 'requestBody' } }),
      'body',
      'is required',
    ],
    [
      'an extra property',
      ajvError({
        keyword: 'additionalProperties',
        instancePath: '/requestBody/keyStoreEnvironmentList/1',
        params: { additionalProperty: 'x' },
      }),
      'keyStoreEnvironmentList[1].x',
      'is not allowed',
    ],
    [
      'an enum',
      ajvError({
        keyword: 'enum',
        instancePath: '/requestBody/keyStoreEnvironmentList/0/type',
        params: { allowedValues: ['JKS', 'PKCS12'] },
      }),
      'keyStoreEnvironmentList[0].type',
      'must be one of: JKS, PKCS12',
    ],
    [
      'an empty string',
      ajvError({ keyword: 'minLength', instancePath: '/requestBody/name', params: { limit: 1 } }),
      'name',
      'must not be empty',
    ],
    [
      'a long string',
      ajvError({ keyword: 'maxLength', instancePath: '/requestBody/name', params: { limit: 200 } }),
      'name',
      'must be at most 200 characters long',
    ],
    [
      'an empty list',
      ajvError({ keyword: 'minItems', instancePath: '/requestBody/keyStoreEnvironmentList', params: { limit: 1 } }),
      'keyStoreEnvironmentList',
      'must have at least 1 entry',
    ],
    [
      'a query parameter',
      ajvError({
        keyword: 'enum',
        instancePath: '/query/updateScope',
        params: { allowedValues: ['SAME_PROJECT', 'ALL_PROJECTS'] },
      }),
      'updateScope',
      'must be one of: SAME_PROJECT, ALL_PROJECTS',
    ],
    [
      'a pattern with its documented words',
      ajvError({
        keyword: 'pattern',
        instancePath: '/requestBody/name',
        parentSchema: { 'x-pattern-message': 'must not contain "/"' },
      }),
      'name',
      'must not contain "/"',
    ],
    [
      'a wrong body type',
      ajvError({ keyword: 'type', instancePath: '/requestBody', message: 'must be object' }),
      'body',
      'must be object',
    ],
    [
      'a value of none of several types',
      ajvError({ instancePath: '/latency/perRequest', params: { type: ['integer', 'object'] }, message: 'x' }),
      'latency.perRequest',
      'must be an integer or an object',
    ],
    [
      'a value that is neither a string nor null',
      ajvError({ instancePath: '/requestBody/description', params: { type: ['string', 'null'] }, message: 'x' }),
      'description',
      'must be a string or null',
    ],
  ])('translates %s', (_case, error, field, message) => {
    expect(toFieldErrors([error])).toEqual([{ field, message }]);
  });

  it('drops repeats and keeps at most 25 problems', () => {
    const many = Array.from({ length: 40 }, (_, index) =>
      ajvError({
        keyword: 'required',
        instancePath: '/requestBody',
        params: { missingProperty: `field${index % 30}` },
      }),
    );
    const problems = toFieldErrors(many);
    expect(problems).toHaveLength(25);
    expect(new Set(problems.map((problem) => problem.field)).size).toBe(25);
  });

  it('leaves out that an if failed, since the errors of its then or else say how', () => {
    const problems = toFieldErrors([
      ajvError({ keyword: 'required', instancePath: '/latency/perRequest', params: { missingProperty: 'max' } }),
      ajvError({ keyword: 'if', instancePath: '/latency/perRequest', params: { failingKeyword: 'then' } }),
    ]);
    expect(problems).toEqual([{ field: 'latency.perRequest.max', message: 'is required' }]);
  });
});
