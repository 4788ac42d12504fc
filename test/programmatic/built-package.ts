import fs from 'node:fs';
import path from 'node:path';
import type * as KeystoreMock from '../../src/index';

/**
 * The package as a user's `import ... from 'keystore-mock'` loads it: by its name, through
 * package.json "exports" (Node and jest resolve a package's own name from inside it), so the
 * built entry runs, not the sources. Types come from the sources the entry is built from,
 * because TypeScript's `moduleResolution: node` cannot resolve a package's own name.
 */
const ROOT = path.join(__dirname, '..', '..');
const { main } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
const ENTRY = path.join(ROOT, main);
if (!fs.existsSync(ENTRY)) throw new Error(`${ENTRY} does not exist: run npm run build first`);

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by package name, as a user's code does
const builtPackage = require('keystore-mock') as typeof KeystoreMock;

export const { startMockServer, ApiError } = builtPackage;
export type { MockServer } from '../../src/index';
