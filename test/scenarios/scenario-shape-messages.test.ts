import { checkScenarioData, type ScenarioMeta } from '../../src/scenarios/load-scenarios';

const META: ScenarioMeta = { name: 'typo', origin: 'runtime', source: 'test', nameFrom: 'the name in the path' };

function problemsOf(data: unknown): { field: string; message: string }[] {
  const check = checkScenarioData(data, META);
  return check.valid ? [] : check.problems;
}

const delayOf = (delay: unknown) => ({ operations: { createKeystore: { delay } } });

// A latency or a fault has several shapes. A bad one is told what is wrong with the shape it
// was meant to have (chosen by its type and its `distribution`), not with every shape at once.
describe('the problems of a latency or a fault of the wrong shape', () => {
  it.each<[string, unknown, { field: string; message: string }[]]>([
    [
      'a lognormal delay with a median of 0 and no sigma',
      delayOf({ distribution: 'lognormal', median: 0 }),
      [
        { field: 'operations.createKeystore.delay.sigma', message: 'is required' },
        { field: 'operations.createKeystore.delay.median', message: 'must be > 0' },
      ],
    ],
    [
      'a uniform delay without its max',
      delayOf({ distribution: 'uniform', min: 1 }),
      [{ field: 'operations.createKeystore.delay.max', message: 'is required' }],
    ],
    [
      'a fixed delay with the fields of a range',
      delayOf({ distribution: 'fixed', min: 1, max: 2 }),
      [
        { field: 'operations.createKeystore.delay.ms', message: 'is required' },
        { field: 'operations.createKeystore.delay.min', message: 'is not allowed' },
        { field: 'operations.createKeystore.delay.max', message: 'is not allowed' },
      ],
    ],
    [
      'an unknown distribution',
      { latency: { perRequest: { distribution: 'poisson', min: 1, max: 2 } } },
      [{ field: 'latency.perRequest.distribution', message: 'must be one of: fixed, uniform, lognormal' }],
    ],
    [
      'a range with a field of a distribution',
      { latency: { perEnvironment: { min: 1, max: 2, sigma: 1 } } },
      [{ field: 'latency.perEnvironment.sigma', message: 'is not allowed' }],
    ],
    [
      'a negative number of milliseconds',
      { latency: { environments: { staging: -5 } } },
      [{ field: 'latency.environments.staging', message: 'must be >= 0' }],
    ],
    [
      'a range over ten minutes',
      { latency: { perRequest: { min: 1, max: 600_001 } } },
      [{ field: 'latency.perRequest.max', message: 'must be <= 600000' }],
    ],
    [
      'a latency written as text',
      { latency: { perRequest: '200ms' } },
      [{ field: 'latency.perRequest', message: 'must be an integer or an object' }],
    ],
    [
      'an unknown fault name',
      { faults: { environments: { staging: 'boom' } } },
      [
        {
          field: 'faults.environments.staging',
          message: 'must be one of: connection-reset, empty-reply, hang, malformed-json',
        },
      ],
    ],
    [
      'an unknown fault type in the object form',
      { faults: { environments: { staging: { type: 'boom', when: 'before' } } } },
      [
        {
          field: 'faults.environments.staging.type',
          message: 'must be one of: connection-reset, empty-reply, hang, malformed-json',
        },
      ],
    ],
    [
      'a fault with an unknown timing',
      { operations: { getKeystore: { fault: { type: 'hang', when: 'during' } } } },
      [{ field: 'operations.getKeystore.fault.when', message: 'must be one of: after, before' }],
    ],
    [
      'a fault given as a number',
      { operations: { getKeystore: { fault: 3 } } },
      [{ field: 'operations.getKeystore.fault', message: 'must be a string or an object' }],
    ],
  ])('%s', (_case, data, expected) => {
    expect(problemsOf(data)).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['a number of milliseconds', delayOf(250)],
    ['a range', delayOf({ min: 100, max: 300 })],
    ['a fixed delay', delayOf({ distribution: 'fixed', ms: 40 })],
    ['a uniform delay', delayOf({ distribution: 'uniform', min: 100, max: 300 })],
    ['a bounded lognormal delay', delayOf({ distribution: 'lognormal', median: 120, sigma: 0.5, max: 1000 })],
    ['a fault by name', { operations: { getKeystore: { fault: 'hang' } } }],
    ['a fault with its timing', { faults: { environments: { staging: { type: 'empty-reply', when: 'before' } } } }],
  ])('accepts %s', (_case, data) => {
    expect(problemsOf(data)).toEqual([]);
  });
});
