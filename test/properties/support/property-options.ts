/** Runs per property in the normal suite; `npm run test:deep` (FC_NUM_RUNS) explores further. */
export const NUM_RUNS = 100;

function integerFromEnvironment(name: string, fallback: number, minimum = Number.MIN_SAFE_INTEGER): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new Error(`${name} must be an integer of at least ${minimum}; got "${raw}".`);
  }
  return value;
}

const runs = integerFromEnvironment('FC_NUM_RUNS', NUM_RUNS, 1);

/**
 * Per-test timeout of a property: 30 s covers the default runs on a loaded 2-core machine many
 * times over, and it grows with FC_NUM_RUNS so a deep run is not cut short.
 */
export const PROPERTY_TIMEOUT_MS = 30_000 * Math.max(1, runs / NUM_RUNS);

/**
 * The fast-check parameters of a property: a fixed seed, so every run of the suite draws the
 * same values, and 100 runs. FC_SEED replays or explores another seed (fast-check prints the
 * seed and the counterexample path on failure); FC_NUM_RUNS explores longer, as
 * `npm run test:deep` does.
 *
 * @example
 * await fc.assert(property, propertyOptions(20250601));
 * // FC_SEED=123 FC_NUM_RUNS=10000 npx jest test/properties
 */
export function propertyOptions(defaultSeed: number): { seed: number; numRuns: number } {
  return { seed: integerFromEnvironment('FC_SEED', defaultSeed), numRuns: runs };
}
