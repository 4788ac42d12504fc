import { createHash } from 'node:crypto';
import type { Faker } from '@faker-js/faker';

/**
 * Derives a 32-bit seed from a base seed and labels, so that each consumer (a session, an
 * operation) draws from its own reproducible stream whatever the others do.
 *
 * @example
 * deriveSeed(42, 'session', 'worker-1') // always the same number
 */
export function deriveSeed(seed: number, ...labels: readonly string[]): number {
  const digest = createHash('sha256')
    .update(`${seed}\u0000${labels.join('\u0000')}`)
    .digest();
  return digest.readUInt32BE(0);
}

/**
 * Makes a faker seeded with `seed`. Faker is loaded on first use only, which keeps it out of
 * start-up time when nothing is generated.
 *
 * @example
 * const faker = createSeededFaker(42);
 * faker.string.uuid(); // the same on every run
 */
export function createSeededFaker(seed: number): Faker {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: faker costs ~90 ms to load
  const { Faker: FakerClass, base, en } = require('@faker-js/faker') as typeof import('@faker-js/faker');
  const faker = new FakerClass({ locale: [en, base] });
  faker.seed(seed);
  return faker;
}

/**
 * A lazily created seeded faker: nothing is loaded until `get()` is first called.
 *
 * @example
 * const random = new LazyFaker(deriveSeed(1, 'latency'));
 * random.get().number.int({ min: 1000, max: 2000 });
 */
export class LazyFaker {
  private instance: Faker | undefined;

  constructor(private readonly seed: number) {}

  get(): Faker {
    this.instance ??= createSeededFaker(this.seed);
    return this.instance;
  }
}
