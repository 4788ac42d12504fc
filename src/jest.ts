/**
 * `keystore-mock/jest`: matchers that check what a test's client sent the mock. Importing this
 * module registers them with the global `expect` when there is one (jest, or vitest with
 * `globals: true`); otherwise pass `keystoreMockMatchers` to your `expect.extend`. The main
 * entry never loads this file, so it does not depend on a test runner.
 *
 * @example
 * import 'keystore-mock/jest';
 * await expect(mock).toHaveReceived('createKeystore', { body: { name: 'my-keystore' } });
 * await expect(mock).toHaveReceivedTimes('deleteKeystore', 0);
 */
import type { CountExpectation, RequestPattern, Verification } from './control/verify-requests';
import { VerificationError, describeEntry } from './control/verify-requests';

/** What the matchers accept: a `MockServer` or a `MockApp` (anything with their `verify`). */
export interface Verifiable {
  verify(verification: Verification, session?: string): Promise<{ matched: number }>;
}

/** The pattern of a matcher, beyond the operation it names, and the session to look in. */
export interface ReceivedOptions extends Omit<RequestPattern, 'operationId'>, CountExpectation {
  /** The session whose journal is checked; the default session when absent. */
  session?: string;
}

/** The matchers' signatures, for runners whose `Assertion` types are extended by hand (vitest). */
export interface KeystoreMockMatchers<R = unknown> {
  /**
   * Passes when the mock received the operation (at least once, unless the options give
   * `times`, `atLeast` or `atMost`) with every field of the options' pattern.
   */
  toHaveReceived(operationId: string, options?: ReceivedOptions): Promise<R>;
  /** Passes when the mock received the operation exactly `times` times with the options' pattern. */
  toHaveReceivedTimes(
    operationId: string,
    times: number,
    options?: Omit<ReceivedOptions, 'times' | 'atLeast' | 'atMost'>,
  ): Promise<R>;
}

/** The part of the runner's matcher context the matchers read. */
interface MatcherContext {
  isNot?: boolean;
}

/** A matcher's answer, in the shape jest and vitest expect. */
interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function isVerifiable(value: unknown): value is Verifiable {
  return typeof (value as Partial<Verifiable> | null)?.verify === 'function';
}

/** The first matching entries in words, for a `.not` failure: a verification that none arrived lists them. */
async function matchingEntries(mock: Verifiable, verification: Verification, session: string | undefined) {
  const { times: _times, atLeast: _atLeast, atMost: _atMost, ...pattern } = verification;
  try {
    await mock.verify({ ...pattern, atMost: 0 }, session);
  } catch (error) {
    if (error instanceof VerificationError) return error.outcome.matches.map(describeEntry);
  }
  return [];
}

async function received(
  context: MatcherContext,
  matcher: string,
  mock: unknown,
  operationId: string,
  options: ReceivedOptions,
): Promise<MatcherResult> {
  const call = `expect(mock)${context.isNot === true ? '.not' : ''}.${matcher}(${JSON.stringify(operationId)}, ...)`;
  if (!isVerifiable(mock)) {
    throw new TypeError(`${call}: mock must be what startMockServer() or createApp() returned, with a verify method.`);
  }
  const { session, ...pattern } = options;
  const verification: Verification = { ...pattern, operationId };
  try {
    const { matched } = await mock.verify(verification, session);
    const listed = context.isNot === true ? await matchingEntries(mock, verification, session) : [];
    return {
      pass: true,
      message: () =>
        [`${call}`, '', `${matched} matching request(s) arrived, where the check wanted the count not to hold.`]
          .concat(listed.map((entry) => `  ${entry}`))
          .join('\n'),
    };
  } catch (error) {
    if (!(error instanceof VerificationError)) throw error;
    return { pass: false, message: () => `${call}\n\n${error.message}` };
  }
}

/**
 * The matchers themselves, to pass to `expect.extend` when no global `expect` registers them.
 *
 * @example
 * import { expect } from 'vitest';
 * import { keystoreMockMatchers } from 'keystore-mock/jest';
 * expect.extend(keystoreMockMatchers);
 */
export const keystoreMockMatchers = {
  toHaveReceived(this: MatcherContext, mock: unknown, operationId: string, options: ReceivedOptions = {}) {
    return received(this, 'toHaveReceived', mock, operationId, options);
  },
  toHaveReceivedTimes(
    this: MatcherContext,
    mock: unknown,
    operationId: string,
    times: number,
    options: Omit<ReceivedOptions, 'times' | 'atLeast' | 'atMost'> = {},
  ) {
    return received(this, 'toHaveReceivedTimes', mock, operationId, { ...options, times });
  },
};

// Registered at import, as jest-extended does: the one side effect of this entry point.
const globalExpect = (globalThis as { expect?: { extend?: (matchers: object) => void } }).expect;
if (typeof globalExpect?.extend === 'function') globalExpect.extend(keystoreMockMatchers);

declare global {
  // jest's own types declare their matchers in this namespace; these merge into them.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // The type parameters must be those of @types/jest's declaration to merge with it.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> extends KeystoreMockMatchers<R> {}
  }
}
