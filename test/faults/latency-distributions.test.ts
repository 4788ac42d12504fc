import { Faker, en } from '@faker-js/faker';
import { drawLatency, type DrawInteger } from '../../src/deployments/draw-latency';
import type { LatencySpec } from '../../src/scenarios/scenario';

/** A seeded integer draw, as each session's faker gives one. */
function seededDraw(seed: number): DrawInteger {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  return (min, max) => faker.number.int({ min, max });
}

const neverDraw: DrawInteger = () => {
  throw new Error('draw must not be called');
};

function draws(spec: LatencySpec, seed: number, count = 200): number[] {
  const draw = seededDraw(seed);
  return Array.from({ length: count }, () => drawLatency(spec, draw));
}

describe('drawLatency', () => {
  it.each<[string, LatencySpec | undefined, number]>([
    ['no spec', undefined, 0],
    ['a number', 120, 120],
    ['a fixed distribution', { distribution: 'fixed', ms: 75 }, 75],
    ['a range of one value', { min: 40, max: 40 }, 40],
    ['a uniform distribution of one value', { distribution: 'uniform', min: 9, max: 9 }, 9],
  ])('takes %s as it is, without drawing', (_case, spec, expected) => {
    expect(drawLatency(spec, neverDraw)).toBe(expected);
  });

  it.each<[string, LatencySpec]>([
    ['{ min, max }', { min: 100, max: 300 }],
    ['a uniform distribution', { distribution: 'uniform', min: 100, max: 300 }],
  ])('draws %s within its bounds', (_case, spec) => {
    expect(draws(spec, 1).every((ms) => ms >= 100 && ms <= 300)).toBe(true);
  });

  it('reads { min, max } and a uniform distribution alike', () => {
    expect(draws({ min: 100, max: 300 }, 5)).toEqual(draws({ distribution: 'uniform', min: 100, max: 300 }, 5));
  });

  it('clamps a log-normal draw to its min and max', () => {
    const spec: LatencySpec = { distribution: 'lognormal', median: 300, sigma: 2, min: 100, max: 900 };
    const values = draws(spec, 3);
    expect({ low: Math.min(...values), high: Math.max(...values) }).toEqual({ low: 100, high: 900 });
  });

  it('draws a log-normal around its median: about half below, half above', () => {
    const values = draws({ distribution: 'lognormal', median: 300, sigma: 0.6 }, 11, 1000);
    const below = values.filter((ms) => ms < 300).length;
    expect(below).toBeGreaterThan(400);
    expect(below).toBeLessThan(600);
  });

  it('gives whole milliseconds', () => {
    expect(draws({ distribution: 'lognormal', median: 12.5, sigma: 0.3 }, 2).every(Number.isInteger)).toBe(true);
  });

  it('draws the same delays again with the same seed', () => {
    const spec: LatencySpec = { distribution: 'lognormal', median: 300, sigma: 0.6, max: 5000 };
    expect(draws(spec, 42)).toEqual(draws(spec, 42));
  });

  it('draws other delays with another seed', () => {
    const spec: LatencySpec = { distribution: 'lognormal', median: 300, sigma: 0.6, max: 5000 };
    expect(draws(spec, 42)).not.toEqual(draws(spec, 43));
  });
});
