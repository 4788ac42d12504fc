import type { LatencySpec } from '../scenarios/scenario';

/** Draws an integer in [min, max]; injected so that every delay stays seeded. */
export type DrawInteger = (min: number, max: number) => number;

/** The largest delay a scenario may ask for, in milliseconds (the schema's bound too). */
export const MAX_LATENCY_MS = 600_000;

/** The resolution of the uniform numbers a log-normal draw is built from. */
const STEPS = 2 ** 31;

/** A number in (0, 1), from the seeded integer generator: never 0, so its logarithm is finite. */
function unit(draw: DrawInteger): number {
  return draw(1, STEPS - 1) / STEPS;
}

/**
 * A standard normal number by the Box-Muller transform: two seeded uniform draws. Written here
 * since faker has no normal distribution, and two lines do not earn a dependency.
 */
function standardNormal(draw: DrawInteger): number {
  return Math.sqrt(-2 * Math.log(unit(draw))) * Math.cos(2 * Math.PI * unit(draw));
}

/**
 * One delay, in whole milliseconds, from a scenario's latency spec: a number as it is, a
 * `{ min, max }` or uniform range drawn evenly, a log-normal around its median, clamped to its
 * `min` and `max`. Nothing is drawn for a fixed delay or a range of one value, so adding a
 * fixed delay never shifts the seeded values that follow.
 *
 * @example
 * drawLatency({ distribution: 'lognormal', median: 300, sigma: 0.6, max: 5000 }, draw); // e.g. 274
 */
export function drawLatency(spec: LatencySpec | undefined, draw: DrawInteger): number {
  if (spec === undefined) return 0;
  if (typeof spec === 'number') return spec;
  if (!('distribution' in spec) || spec.distribution === 'uniform') {
    return spec.min === spec.max ? spec.min : draw(spec.min, spec.max);
  }
  if (spec.distribution === 'fixed') return spec.ms;
  const value = Math.round(spec.median * Math.exp(spec.sigma * standardNormal(draw)));
  return Math.min(spec.max ?? MAX_LATENCY_MS, Math.max(spec.min ?? 0, value));
}
