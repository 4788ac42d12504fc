import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type * as KeystoreMock from '../../src/index';

/**
 * The package as a user's `import ... from 'keystore-mock'` loads it: by its name, through
 * package.json "exports" (Node and jest resolve a package's own name from inside it), so the
 * built entry runs, not the sources. Types come from the sources the entry is built from,
 * because TypeScript's `moduleResolution: node` cannot resolve a package's own name.
 */
const ROOT = path.join(__dirname, '..', '..');

/**
 * Compiles dist/ from the sources, as `npm run build` does, so a stale build can never pass.
 * The build is incremental: with dist/ up to date it writes nothing, so other suites that run
 * dist/cli.js meanwhile never see a file half written.
 */
function buildPackage(): void {
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `Building dist/ with tsc -p tsconfig.build.json failed (exit ${result.status}); fix the errors below, then rerun:\n${result.stdout}${result.stderr}`,
    );
  }
}

// Every test file that imports this module builds first; tsc on a cold cache takes a while.
beforeAll(buildPackage, 120_000);

/** The built package, loaded on first use (after the build above). */
export function builtPackage(): typeof KeystoreMock {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by package name, as a user's code does
  return require('keystore-mock') as typeof KeystoreMock;
}

/** The built package's `startMockServer`. */
export const startMockServer: typeof KeystoreMock.startMockServer = (options) =>
  builtPackage().startMockServer(options);

export type { MockServer } from '../../src/index';
