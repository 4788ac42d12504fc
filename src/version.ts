import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from './config';

/** The package's version, read once from its package.json. */
export const VERSION: string = (
  JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
