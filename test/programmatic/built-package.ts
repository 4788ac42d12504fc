import type * as KeystoreMock from '../../src/index';
import { BUILD_TIMEOUT_MS, buildDist } from '../cli/spawn-cli';

// Every test file that imports this module builds dist/ first, so a stale build can never pass;
// with dist/ newer than every source (as after `npm test`'s own build) that costs nothing.
beforeAll(buildDist, BUILD_TIMEOUT_MS);

/**
 * The package as a user's `import ... from 'keystore-mock'` loads it: by its name, through
 * package.json "exports" (Node and jest resolve a package's own name from inside it), so the
 * built entry runs, not the sources. Types come from the sources the entry is built from,
 * because TypeScript's `moduleResolution: node` cannot resolve a package's own name.
 * Loaded on first use, after the build above.
 */
export function builtPackage(): typeof KeystoreMock {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by package name, as a user's code does
  return require('keystore-mock') as typeof KeystoreMock;
}

/** The built package's `startMockServer`. */
export const startMockServer: typeof KeystoreMock.startMockServer = (options) =>
  builtPackage().startMockServer(options);

export type { MockServer } from '../../src/index';
